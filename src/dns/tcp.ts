// One DNS exchange over TCP (RFC 7766): the query and each answer message behind a two-byte length. The
// deadline covers connecting and every answer; the socket is destroyed whatever happens.
import { Socket } from 'node:net';

export type NoAnswerReason = 'timeout' | 'connection_refused' | 'unreachable' | 'closed';

/** The nameserver gave no (complete) answer; the message names the address, never what was sent. */
export class NoAnswerError extends Error {
  readonly reason: NoAnswerReason;

  constructor(reason: NoAnswerReason, message: string) {
    super(message);
    this.reason = reason;
    this.name = 'NoAnswerError';
  }
}

export interface Exchange {
  ip: string;
  port: number;
  query: Buffer;
  timeoutMs: number;
  /** Called with each answer message; true when it was the last one (an AXFR ends with its second SOA). */
  done?: (message: Buffer) => boolean;
}

/** Sends the query, returns the answer messages up to and including the one `done` accepts (the first by default). */
export async function exchange({ ip, port, query, timeoutMs, done = () => true }: Exchange): Promise<Buffer[]> {
  const socket = new Socket();
  const where = `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
  try {
    return await new Promise<Buffer[]>((resolve, reject) => {
      const messages: Buffer[] = [];
      let pending = Buffer.alloc(0);
      const timer = setTimeout(
        () => reject(new NoAnswerError('timeout', `no answer from ${where} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(messages);
      };
      socket.on('error', (error: NodeJS.ErrnoException) => finish(connectionError(error, where)));
      socket.on('close', () => finish(new NoAnswerError('closed', `${where} closed the connection before answering`)));
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
          const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
          pending = pending.subarray(2 + message.length);
          messages.push(Buffer.from(message));
          try {
            if (done(message)) return finish();
          } catch (error) {
            return finish(error as Error);
          }
        }
      });
      socket.connect({ host: ip, port }, () => {
        const length = Buffer.alloc(2);
        length.writeUInt16BE(query.length);
        socket.write(Buffer.concat([length, query]));
      });
    });
  } finally {
    socket.destroy();
  }
}

function connectionError(error: NodeJS.ErrnoException, where: string): NoAnswerError {
  if (error.code === 'ECONNREFUSED') return new NoAnswerError('connection_refused', `${where} refused the connection`);
  if (error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH') {
    return new NoAnswerError('unreachable', `${where} is unreachable (${error.code})`);
  }
  return new NoAnswerError('closed', `connection to ${where} failed (${error.code ?? error.message})`);
}
