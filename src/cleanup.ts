// At the end of the job, for the objects this run created (the undo journal): warn if a parallel run
// made a peer with the same name, and with `cleanup: true` delete them, newest first (the peer, then
// its key). Trouble here is a warning, never a failure.
import * as core from '@actions/core';
import { context } from '@actions/github';
import { type Entry, type Handlers, readJournal } from './base/journal.js';
import { describeError } from './cloudflare/errors.js';
import { type Peer, PeerApi } from './cloudflare/peer.js';
import { connect } from './connect.js';
import { credentialValues, readSettings } from './inputs.js';
import { ENTRY_KINDS, handlersFor } from './run/registry.js';
import { STATE } from './state.js';

export async function cleanUp(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const created = readJournal(core.getState(STATE.created), ENTRY_KINDS);
  const left = [...created].reverse();
  // The steps' handlers are loaded only when there is something to clean up.
  let handlers: Handlers | undefined;
  const describe = (entry: Entry) => handlers?.(entry).describe(entry) ?? `${entry.kind} ${entry.name} (${entry.id})`;
  try {
    for (const secret of credentialValues(core.getInput, env)) core.setSecret(secret);
    const settings = readSettings(core.getInput, env);
    const connection = connect(settings, core.info, env);
    const peers = new PeerApi(connection);
    const ourPeers = created.filter((entry) => entry.kind === 'peer');
    if (ourPeers.length === 0 && !settings.cleanup) return;

    const listed = await peers.list();
    for (const ours of ourPeers) warnOfTwins(ours, listed);
    if (!settings.cleanup) return;

    handlers = await handlersFor(created);
    const deleted = new Set<string>();
    for (const entry of [...left]) {
      const users = listed.filter((peer) => peer.tsig_id === entry.id && !deleted.has(peer.id));
      if (entry.kind === 'tsig' && users.length > 0) {
        // A peer this run did not create was linked to the new key; deleting the key would break it.
        const names = users.map((peer) => `peer ${peer.name} (${peer.id})`).join(', ');
        core.warning(`Cleanup: kept ${describe(entry)}, which this run created: ${names} uses it.`);
      } else {
        const undone = await handlers(entry).undo(entry, connection);
        if (undone === 'deleted') {
          deleted.add(entry.id);
          core.info(`Cleanup: deleted ${describe(entry)}, which this run created.`);
        } else if (undone === 'kept') {
          core.warning(`Cleanup: ${handlers(entry).kept?.(entry) ?? `kept ${describe(entry)}`}.`);
        } else {
          core.info(`Cleanup: ${describe(entry)} is already gone.`);
        }
      }
      left.shift();
    }
  } catch (error) {
    const what = (left.length > 0 ? left : created).map(describe).join(', ');
    core.warning(
      `Cleanup of ${what} did not complete; remove it by hand if it is still there.\n${describeError(error)}`,
    );
  }
}

function warnOfTwins(ours: Entry, listed: Peer[]): void {
  const twins = listed.filter((peer) => peer.name === ours.name && peer.id !== ours.id);
  if (twins.length === 0) return;
  core.warning(
    `Another run created a peer named "${ours.name}" while this job ran: ${twins.map((peer) => peer.id).join(', ')} ` +
      `(this run's is ${ours.id}: workflow "${context.workflow}", run ${context.runNumber}, job ${context.job}). ` +
      'Names are not unique on Cloudflare; give parallel jobs a concurrency group per peer name.',
  );
}
