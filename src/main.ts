// The main step: inputs → converge (lookup → plan → Cloudflare calls, undone on failure) → outputs and summary.

import { Journal } from './base/journal.js';
import { describeError } from './cloudflare/errors.js';
import { connect } from './connect.js';
import { credentialValues, readSettings } from './inputs.js';
import { outputsOf } from './outputs.js';
import { converge } from './run/converge.js';
import { handlersFor } from './run/registry.js';
import { appendSummary, fail, info, input, mask, saveState, setOutputs, warning } from './runner.js';
import { capMessage, detailOf } from './short-list.js';
import { STATE } from './state.js';
import { failureMarkdown, headlines, summaryMarkdown } from './summary.js';

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const readInput = (name: string) => input(name, env);
  try {
    // Mask first: nothing below may print a credential, not even a validation message.
    for (const secret of credentialValues(readInput, env)) mask(secret);
    const settings = readSettings(readInput, env);
    const connection = connect(settings, info, env);
    // What this run creates is saved at once, so the post step can still remove it if a later call fails.
    const journal = new Journal((value) => saveState(STATE.created, value));
    const report = await converge(settings, connection, journal, { reveal: mask, log: info, warn: warning }).catch(
      async (error: unknown) => {
        throw await journal.rollBack(error, await handlersFor(journal.entries), connection);
      },
    );

    journal.settle();
    const outputs = outputsOf(report);
    setOutputs(outputs);
    for (const line of headlines(report, outputs)) info(line);
    appendSummary(summaryMarkdown(report, outputs));
    // Reported in full first: what was done stays done (a wait for transfers that timed out).
    if (report.failure) await fail(capMessage(report.failure));
  } catch (error) {
    // The log and the annotation name at most 10 zones; the summary has them all.
    const message = capMessage(describeError(error));
    const detail = detailOf(error);
    appendSummary(failureMarkdown(detail && !message.includes(detail) ? `${message}\n\nIn full:\n${detail}` : message));
    await fail(message);
  }
}
