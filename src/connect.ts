// Builds the connection every Cloudflare client uses from validated settings; shared by the main and post steps.
import type { Connection } from './cloudflare/collection.js';
import { Pacer } from './cloudflare/pacing.js';
import { RETRY_DEFAULTS } from './cloudflare/retry.js';
import { StartSpacing } from './cloudflare/spacing.js';
import { createTransport } from './cloudflare/transport.js';
import type { Settings } from './inputs.js';
import { debug, stepDebugOn } from './runner.js';
import { ACTION_NAME, ACTION_VERSION } from './version.js';

export function connect(settings: Settings, log: (line: string) => void, env: NodeJS.ProcessEnv): Connection {
  // One pacer and one quota for every request of the run: a 429 or a pacing wait is waited out together.
  const pacer = new Pacer({ sleep: RETRY_DEFAULTS.sleep, log });
  const send = createTransport({
    apiUrl: settings.apiUrl,
    credentials: settings.credentials,
    userAgent: userAgent(env),
    timeoutMs: settings.requestTimeoutMs,
    env,
    pacer,
    spacing: new StartSpacing({ sleep: RETRY_DEFAULTS.sleep }),
    debug: stepDebugOn(env) ? (line) => debug(`Cloudflare ${line}`) : undefined,
  });
  const retry = { ...RETRY_DEFAULTS, maxAttempts: settings.maxAttempts, log, quota: pacer.quota };
  return { send, retry, accountId: settings.accountId };
}

/** Names the action, its version and the workflow run, so the calls are easy to find in Cloudflare's audit log. */
function userAgent(env: NodeJS.ProcessEnv): string {
  const repository = env.GITHUB_REPOSITORY;
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const origin = repository ? ` (${server}/${repository}; run ${env.GITHUB_RUN_ID ?? '?'})` : '';
  return `${ACTION_NAME}/${ACTION_VERSION}${origin}`;
}
