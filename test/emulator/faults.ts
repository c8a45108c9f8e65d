// Fault injection: which request gets which fault (FaultQueue), and what each fault means
// (applyFault). The server only supplies the socket-level primitives in FaultIO.
import { STATUS_CODES } from 'node:http';
import { cfError, failure, type Reply, success, THROTTLED } from './envelope.ts';

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string; code?: number; message?: string }
  | { kind: 'html'; status: number }
  | { kind: 'reset-before' }
  | { kind: 'reset-after' }
  | { kind: 'delay'; ms: number; commit?: boolean }
  | { kind: 'truncate' }
  | { kind: 'success-false' }
  | { kind: 'wrong-shape' }
  /** Not a fault: runs `before` and `after` the real handler, for another writer acting at that moment. */
  | { kind: 'hook'; before?: () => void; after?: () => void };

export interface FaultRule {
  method?: string;
  path?: RegExp | string;
  times?: number;
  fault: Fault;
}

/** What the server can do with the request in hand. */
export interface FaultIO {
  /** Run the real API handler (state changes happen here) and return its reply. */
  perform(): Reply;
  send(reply: Reply, options?: { truncate?: boolean }): void;
  /** Drop the connection without an answer. */
  destroy(): void;
  /** Resolves true after ms; false if the client went away or the emulator was reset/closed first. */
  wait(ms: number): Promise<boolean>;
}

export class FaultQueue {
  #rules: { rule: FaultRule; left: number }[] = [];

  add(rule: FaultRule): void {
    const times = rule.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault times must be a positive integer, got ${times}`);
    this.#rules.push({ rule: { ...rule }, left: times });
  }

  /** The fault for this request, if any: the first matching rule, which uses up one of its times. */
  take(method: string, path: string): Fault | undefined {
    const index = this.#rules.findIndex(({ rule }) => matches(rule, method, path));
    const entry = this.#rules[index];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left === 0) this.#rules.splice(index, 1);
    return entry.rule.fault;
  }

  clear(): void {
    this.#rules = [];
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === 'string' ? rule.path === path : rule.path.test(path);
}

export async function applyFault(fault: Fault, io: FaultIO): Promise<void> {
  switch (fault.kind) {
    case 'status':
      return io.send(statusReply(fault));
    case 'html':
      return io.send(htmlReply(fault.status));
    case 'success-false':
      return io.send(failure(200, cfError(1000, 'Internal error')));
    case 'reset-before':
      return io.destroy();
    case 'reset-after':
      io.perform();
      return io.destroy();
    case 'truncate':
      return io.send({ ...io.perform(), status: 200 }, { truncate: true });
    case 'wrong-shape':
      io.perform();
      return io.send(success({ unexpected: true }));
    case 'hook': {
      fault.before?.();
      const reply = io.perform();
      fault.after?.();
      return io.send(reply);
    }
    case 'delay': {
      const committed = fault.commit ? io.perform() : undefined;
      // A client that gave up before the wait ended gets nothing, and an uncommitted operation never runs.
      if (!(await io.wait(fault.ms))) return io.destroy();
      return io.send(committed ?? io.perform());
    }
  }
}

function statusReply(fault: Extract<Fault, { kind: 'status' }>): Reply {
  const throttled = fault.status === 429;
  const code = fault.code ?? (throttled ? THROTTLED.code : 1000);
  const message = fault.message ?? (throttled ? THROTTLED.message : (STATUS_CODES[fault.status] ?? 'Error'));
  const headers = fault.retryAfter === undefined ? undefined : { 'Retry-After': fault.retryAfter };
  return failure(fault.status, cfError(code, message), headers);
}

/** What a proxy or Cloudflare's edge sends for a 5xx: a page, not JSON. */
function htmlReply(status: number): Reply {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const body = `<html>\n<head><title>${title}</title></head>\n<body>\n<center><h1>${title}</h1></center>\n<hr><center>cloudflare</center>\n</body>\n</html>\n`;
  return { status, contentType: 'text/html', body };
}
