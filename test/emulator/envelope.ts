// Cloudflare API v4 response bodies: the success/failure envelope every endpoint shares.

export const DOCS_URL = 'https://developers.cloudflare.com/api/';

/** What Cloudflare answers with a 429 (the only error code below 1000). */
export const THROTTLED = { code: 971, message: 'Please wait and consider throttling your request speed' } as const;

export interface CfError {
  code: number;
  message: string;
  documentation_url: string;
  source?: { pointer: string };
  error_chain?: CfError[];
}

/** What a handler decides to answer; the server adds the common headers and writes it. */
export interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export function cfError(code: number, message: string, extra: { pointer?: string; chain?: CfError[] } = {}): CfError {
  const error: CfError = { code, message, documentation_url: DOCS_URL };
  if (extra.pointer !== undefined) error.source = { pointer: extra.pointer };
  if (extra.chain !== undefined) error.error_chain = extra.chain;
  return error;
}

const API_ROOT = '/client/v4';

/** Cloudflare's answer for a path it has no route for, including an invalid or unknown object id in it. */
export function couldNotRoute(path: string): Reply {
  const relative = path.startsWith(API_ROOT) ? path.slice(API_ROOT.length) : path;
  return failure(404, cfError(7003, `Could not route to ${relative}, perhaps your object identifier is invalid?`));
}

export function json(status: number, value: unknown, headers?: Record<string, string>): Reply {
  const reply: Reply = { status, contentType: 'application/json', body: JSON.stringify(value) };
  if (headers) reply.headers = headers;
  return reply;
}

export function success(result: unknown, extra: Record<string, unknown> = {}): Reply {
  return json(200, { success: true, errors: [], messages: [], result, ...extra });
}

/** A list answer: the real API always reports a single page for secondary DNS peers/TSIGs. */
export function successList(items: unknown[]): Reply {
  const n = items.length;
  return success(items, { result_info: { page: 1, per_page: n, count: n, total_count: n, total_pages: 1 } });
}

export function failure(status: number, errors: CfError | CfError[], headers?: Record<string, string>): Reply {
  const list = Array.isArray(errors) ? errors : [errors];
  return json(status, { success: false, errors: list, messages: [], result: null }, headers);
}
