// The main step: inputs → lookup → plan → Cloudflare calls → outputs and summary.
import { apply, lookUp, preview } from './apply.js';
import { describeError } from './cloudflare/errors.js';
import { type Peer, PeersApi } from './cloudflare/peers.js';
import { connect } from './connect.js';
import { credentialValues, readSettings } from './inputs.js';
import { outputsOf } from './outputs.js';
import { decide } from './plan/peer.js';
import { appendSummary, fail, info, input, mask, saveState, setOutputs } from './runner.js';
import { STATE } from './state.js';
import { failureMarkdown, headline, summaryMarkdown } from './summary.js';

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const readInput = (name: string) => input(name, env);
  try {
    // Mask first: nothing below may print a credential, not even a validation message.
    for (const secret of credentialValues(readInput, env)) mask(secret);
    const settings = readSettings(readInput, env);
    const api = new PeersApi(connect(settings, info, env));

    const found = await lookUp(api, settings);
    const plan = decide(settings, found);
    // The post step learns of a new peer at once, so cleanup can still remove it if a later call fails.
    const remember = (peer: Peer) => {
      saveState(STATE.createdPeerId, peer.id);
      saveState(STATE.createdPeerName, peer.name);
    };
    const outcome = settings.dryRun ? preview(plan) : await apply(api, plan, found, remember, info);

    const outputs = outputsOf(outcome);
    setOutputs(outputs);
    info(headline(outcome, outputs));
    appendSummary(summaryMarkdown(outcome, outputs));
  } catch (error) {
    const message = describeError(error);
    appendSummary(failureMarkdown(message));
    await fail(message);
  }
}
