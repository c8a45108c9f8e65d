// The main step: inputs → lookup → plan → Cloudflare calls → outputs and summary.
import * as core from '@actions/core';
import { apply, lookUp, preview } from './apply.js';
import { describeError } from './cloudflare/errors.js';
import { connect } from './connect.js';
import { credentialValues, readSettings } from './inputs.js';
import { outputsOf } from './outputs.js';
import { decide } from './plan.js';
import { STATE } from './state.js';
import { headline, writeSummary } from './summary.js';

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    // Mask first: nothing below may print a credential, not even a validation message.
    for (const secret of credentialValues(core.getInput, env)) core.setSecret(secret);
    const settings = readSettings(core.getInput, env);
    const api = connect(settings, core.info);

    const found = await lookUp(api, settings);
    const plan = decide(settings, found);
    const outcome = settings.dryRun ? preview(plan) : await apply(api, plan, found);

    if (outcome.createdPeerId) {
      core.saveState(STATE.createdPeerId, outcome.createdPeerId);
      core.saveState(STATE.createdPeerName, outcome.peer?.name ?? '');
    }
    const outputs = outputsOf(outcome);
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
    core.info(headline(outcome, outputs));
    await writeSummary(outcome, outputs);
  } catch (error) {
    core.setFailed(describeError(error));
  }
}
