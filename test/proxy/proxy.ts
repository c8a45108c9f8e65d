// A minimal CONNECT proxy on loopback. It records the host:port a client asked for but always
// tunnels to `connectTo`, so tests can use a fake hostname (api.cloudflare.test) without leaving 127.0.0.1.
import { createServer } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

export interface ProxyOptions {
  connectTo: { host: string; port: number };
  /** `user:password` the proxy requires (Basic); without it, any client is let through. */
  credentials?: string;
}

export interface Proxy {
  url: string;
  port: number;
  connects: string[];
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function startProxy(options: ProxyOptions): Promise<Proxy> {
  const { host, port: targetPort } = options.connectTo;
  if (!LOOPBACK.has(host)) throw new Error(`the test proxy only tunnels to loopback, not ${host}`);

  const connects: string[] = [];
  // CONNECT sockets leave the HTTP server's bookkeeping, so track every socket ourselves.
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const server = createServer((_req, res) => {
    res.writeHead(405, { 'Content-Type': 'text/plain', Allow: 'CONNECT' }).end('only CONNECT is supported\n');
  });
  server.on('connection', track);
  server.on('connect', (req, client: Socket, head: Buffer) => {
    connects.push(req.url ?? '');
    const expected = options.credentials && `Basic ${Buffer.from(options.credentials).toString('base64')}`;
    if (expected && req.headers['proxy-authorization'] !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const upstream = connect(targetPort, host);
    track(upstream);
    let tunnelled = false;
    upstream.once('connect', () => {
      tunnelled = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    // Failing to reach the target is answered; failing mid-tunnel just drops the client.
    upstream.once('error', () => {
      if (!tunnelled) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      else client.destroy();
    });
    client.once('error', () => upstream.destroy());
    client.once('close', () => upstream.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      return closed;
    },
  };
}
