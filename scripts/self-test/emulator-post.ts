// Post step of .github/actions/self-test-emulator. Post steps run in the reverse order of their steps,
// so this one, belonging to the job's first step after setup, runs after the action's own post steps
// (duplicate warning, cleanup: true): it checks the peers they left, then stops the emulator.
import { readFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { checkPeersLeft, names } from './peers-left.ts';

const env = process.env;
const pid = Number(env.STATE_pid);
try {
  const response = await fetch(`${env.STATE_url}/accounts/${env.STATE_account_id}/secondary_dns/peers`, {
    headers: { Authorization: `Bearer ${env.STATE_token}` },
  });
  const body = (await response.json()) as { success: boolean; result?: { name: string }[]; errors?: unknown };
  if (!body.success || !body.result) throw new Error(`listing the peers failed: ${JSON.stringify(body.errors)}`);
  const left = body.result.map((peer) => peer.name);
  const problems = checkPeersLeft(left, {
    present: names(env.INPUT_PEERS_AFTER_JOB),
    absent: names(env.INPUT_NO_PEERS_AFTER_JOB),
  });
  for (const problem of problems) process.stdout.write(`::error::${problem}${EOL}`);
  process.stdout.write(`Peers left on the emulator: ${left.join(', ') || 'none'}${EOL}`);
  if (problems.length > 0) {
    process.stdout.write(`Emulator log:${EOL}${readFileSync(env.STATE_log ?? '', 'utf8')}${EOL}`);
    process.exitCode = 1;
  }
} catch (error) {
  process.stdout.write(`::error::${error instanceof Error ? error.message : String(error)}${EOL}`);
  process.exitCode = 1;
} finally {
  stop(pid);
}

function stop(pid: number): void {
  try {
    process.kill(pid);
  } catch (error) {
    // Already gone is fine; anything else only means the runner's own clean-up stops it at the job's end.
    process.stdout.write(`Could not stop the emulator (pid ${pid}): ${(error as Error).message}${EOL}`);
  }
}
