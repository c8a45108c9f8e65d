// Names of what the main step hands to the post step through GITHUB_STATE.
export const STATE = {
  createdPeerId: 'created_peer_id',
  createdPeerName: 'created_peer_name',
} as const;
