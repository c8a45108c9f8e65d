// The one error type for anything that went wrong talking to Cloudflare, and the one place
// that turns it into a sentence for the log.

export interface CloudflareMessage {
  code: number;
  message: string;
  documentation_url?: string;
  error_chain?: CloudflareMessage[];
}

/**
 * - api: Cloudflare answered with an error envelope (or an HTTP error status).
 * - unreadable: an answer came, but not one we can trust (HTML page, truncated JSON, wrong shape).
 * - timeout: no answer within request_timeout.
 * - network: the connection failed or broke.
 */
export type FailureKind = 'api' | 'unreadable' | 'timeout' | 'network';

export interface RequestLabel {
  method: string;
  path: string;
}

export interface FailureDetails {
  status?: number;
  errors?: CloudflareMessage[];
  /** Milliseconds Cloudflare asked us to wait (Retry-After). */
  retryAfterMs?: number;
  /** True when the failure proves the request was not carried out (refused connection, 429). */
  notProcessed?: boolean;
  /** A network failure that a retry seconds later will not heal (unknown host, untrusted certificate). */
  permanent?: boolean;
  /** The cf-ray id of the answer, when one came. */
  ray?: string;
}

export class CloudflareError extends Error {
  override name = 'CloudflareError';
  readonly kind: FailureKind;
  readonly request: RequestLabel;
  readonly status?: number;
  readonly errors: CloudflareMessage[];
  readonly retryAfterMs?: number;
  readonly notProcessed: boolean;
  readonly permanent: boolean;
  readonly ray?: string;

  constructor(kind: FailureKind, request: RequestLabel, detail: string, details: FailureDetails = {}) {
    super(detail);
    this.kind = kind;
    this.request = request;
    this.status = details.status;
    this.errors = details.errors ?? [];
    this.retryAfterMs = details.retryAfterMs;
    this.notProcessed = details.notProcessed ?? false;
    this.permanent = details.permanent ?? false;
    this.ray = details.ray;
  }

  /** Cloudflare's error codes, outermost first, including nested error_chain entries. */
  get codes(): number[] {
    return flatten(this.errors).map((entry) => entry.code);
  }

  /** Worth another attempt: rate limits, server trouble, timeouts, broken connections, garbled answers. */
  get transient(): boolean {
    if (this.kind === 'timeout') return true;
    if (this.kind === 'network') return !this.permanent;
    const status = this.status ?? 0;
    // A garbled 2xx (truncated, wrong shape) is a glitch; a clean 4xx other than 408/429 is a verdict.
    const garbledSuccess = this.kind === 'unreadable' && status < 300;
    return garbledSuccess || status === 429 || status === 408 || status >= 500;
  }

  /**
   * Cloudflare answered 404. That alone does not say the object is gone: a wrong account is a 404 too,
   * and Cloudflare does not document its code for an unknown id. Callers confirm with a List.
   */
  get answered404(): boolean {
    return this.status === 404;
  }

  /** A write may have happened although we got no usable answer. */
  get ambiguous(): boolean {
    return this.transient && !this.notProcessed;
  }
}

const HINTS: Record<number, string> = {
  6003: 'the credential headers are malformed: check api_token, or api_email + api_key',
  6111: 'the Authorization header is malformed: check api_token',
  9106: 'no credentials reached Cloudflare: set api_token, or api_email + api_key',
  9109: 'the API token is invalid or expired: create a new one with Account Settings Write',
  9103: 'the api_email / api_key pair is wrong',
  10000: 'the credential lacks permission: the token needs Account Settings Write on this account',
  7003: 'no such route: check account_id (and peer_id)',
  7000: 'no such route: check account_id (and peer_id)',
  971: 'rate limited: Cloudflare blocks a user for up to 5 minutes after 1200 requests in 5 minutes',
  10100: 'rate limited',
};

/** One human sentence (or a few lines) for the log and setFailed; never includes credentials. */
export function describeError(error: unknown): string {
  if (!(error instanceof CloudflareError)) {
    return error instanceof Error ? error.message : String(error);
  }
  const where = `${error.request.method} ${error.request.path}`;
  const answer = [
    error.status === undefined ? '' : `HTTP ${error.status}`,
    error.ray === undefined ? '' : `cf-ray ${error.ray}`,
  ].filter(Boolean);
  const status = answer.length > 0 ? ` (${answer.join(', ')})` : '';
  const lines = [`Cloudflare ${where} failed${status}: ${error.message}`];
  for (const entry of flatten(error.errors)) {
    const hint = HINTS[entry.code];
    const docs = entry.documentation_url ? ` — ${entry.documentation_url}` : '';
    lines.push(`  code ${entry.code}: ${entry.message}${hint ? ` (${hint})` : ''}${docs}`);
  }
  return lines.join('\n');
}

function flatten(list: CloudflareMessage[]): CloudflareMessage[] {
  return list.flatMap((entry) => [entry, ...flatten(entry.error_chain ?? [])]);
}

/** A short reason for a retry log line: "429 (code 971)", "no answer in time", "502 Cloudflare answered with …". */
export function shortReason(error: CloudflareError): string {
  if (error.kind === 'timeout') return 'no answer in time';
  if (error.kind === 'network') return `a connection error (${error.message})`;
  const codes = error.codes.length > 0 ? ` (code ${error.codes.join(', ')})` : '';
  if (error.kind === 'unreadable') return `${error.status ?? ''} ${error.message}`.trim();
  return `${error.status ?? ''}${codes}`;
}
