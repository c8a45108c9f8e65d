// Names of what the main step hands to the post step through GITHUB_STATE.
export const STATE = {
  /** The undo journal (src/base/journal.ts): a JSON list of the objects this run created; empty when none. */
  created: 'created',
} as const;
