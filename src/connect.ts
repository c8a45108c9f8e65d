// Builds the Cloudflare peers client from validated settings; shared by the main and post steps.
import { context } from '@actions/github';
import { PeersApi } from './cloudflare/peers.js';
import { createTransport } from './cloudflare/transport.js';
import type { Settings } from './inputs.js';
import { RETRY_DEFAULTS } from './retry.js';
import { ACTION_NAME, ACTION_VERSION } from './version.js';

export function connect(settings: Settings, log: (line: string) => void): PeersApi {
  const send = createTransport({
    apiUrl: settings.apiUrl,
    credentials: settings.credentials,
    userAgent: userAgent(),
    timeoutMs: settings.requestTimeoutMs,
  });
  return new PeersApi(send, { ...RETRY_DEFAULTS, maxAttempts: settings.maxAttempts, log }, settings.accountId);
}

/** Names the action and version, and the workflow run, so the calls are easy to find in Cloudflare's audit log. */
function userAgent(): string {
  const origin = process.env.GITHUB_REPOSITORY ? ` (${context.serverUrl}/${process.env.GITHUB_REPOSITORY}; run ${context.runId})` : '';
  return `${ACTION_NAME}/${ACTION_VERSION}${origin}`;
}
