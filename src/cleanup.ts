// At the end of the job, for a peer this run created: warn if a parallel run made a peer with the
// same name, and delete ours when `cleanup` is true. Trouble here is a warning, never a failure.
import * as core from '@actions/core';
import { context } from '@actions/github';
import { describeError } from './cloudflare/errors.js';
import { PeersApi } from './cloudflare/peers.js';
import { connect } from './connect.js';
import { credentialValues, readSettings } from './inputs.js';
import { STATE } from './state.js';

export async function cleanUp(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const peerId = core.getState(STATE.createdPeerId);
  const name = core.getState(STATE.createdPeerName);
  try {
    for (const secret of credentialValues(core.getInput, env)) core.setSecret(secret);
    const settings = readSettings(core.getInput, env);
    const api = new PeersApi(connect(settings, core.info, env));

    const twins = (await api.list()).filter((peer) => peer.name === name && peer.id !== peerId);
    if (twins.length > 0) {
      core.warning(
        `Another run created a peer named "${name}" while this job ran: ${twins.map((peer) => peer.id).join(', ')} ` +
          `(this run's is ${peerId}: workflow "${context.workflow}", run ${context.runNumber}, job ${context.job}). ` +
          'Names are not unique on Cloudflare; give parallel jobs a concurrency group per peer name.',
      );
    }
    if (!settings.cleanup) return;
    const result = await api.delete(peerId);
    core.info(
      result === 'deleted'
        ? `Cleanup: deleted peer ${name} (${peerId}), which this run created.`
        : `Cleanup: peer ${peerId} is already gone.`,
    );
  } catch (error) {
    core.warning(
      `Cleanup of peer ${peerId} did not complete; remove it by hand if it is still there.\n${describeError(error)}`,
    );
  }
}
