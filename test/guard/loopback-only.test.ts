// The preload every step runs with (test/harness.ts): a child that tries to reach beyond loopback is refused,
// and says so on stderr; loopback still works. 192.0.2.1 is a documentation address: nothing is sent there.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOOPBACK_GUARD, runStep } from '../harness.ts';

/** Runs a script under the guard as the harness does, returns its exit code and output. */
function guarded(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', LOOPBACK_GUARD, '--input-type=module', '-e', script]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const REPORT = /\[loopback-only\] refused a (TCP|UDP) connection to 192\.0\.2\.1:53/;

describe('loopback-only guard', () => {
  it('refuses and reports a TCP connection to 192.0.2.1:53', async () => {
    const run = await guarded(`
      import net from 'node:net';
      const socket = net.connect({ host: '192.0.2.1', port: 53 });
      socket.on('connect', () => console.log('connected'));
      socket.on('error', (error) => console.log('error', error.code));
    `);
    expect(run.stdout.trim()).toBe('error ELOOPBACKONLY');
    expect(run.stderr).toMatch(REPORT);
  });

  it('refuses the (port, host) form and fetch to a non-loopback address too', async () => {
    const run = await guarded(`
      import net from 'node:net';
      net.createConnection(53, '192.0.2.1').on('error', (error) => console.log('tcp', error.code));
      await fetch('http://192.0.2.1:8053/').catch((error) => console.log('fetch', error.cause?.code));
    `);
    expect(run.stdout.split('\n').filter(Boolean).sort()).toEqual(['fetch ELOOPBACKONLY', 'tcp ELOOPBACKONLY']);
    expect(run.stderr).toMatch(REPORT);
    expect(run.stderr).toContain('[loopback-only] refused a TCP connection to 192.0.2.1:8053');
  });

  it('refuses a host name other than localhost before it is looked up', async () => {
    const run = await guarded(`
      import net from 'node:net';
      net.connect(443, 'api.cloudflare.com').on('error', (error) => console.log(error.code));
    `);
    expect(run.stdout.trim()).toBe('ELOOPBACKONLY');
    expect(run.stderr).toContain('[loopback-only] refused a TCP connection to api.cloudflare.com:443');
  });

  it('refuses and reports UDP to 192.0.2.1:53 (send and connect)', async () => {
    const run = await guarded(`
      import dgram from 'node:dgram';
      const socket = dgram.createSocket('udp4');
      socket.send(Buffer.from('x'), 53, '192.0.2.1', (error) => console.log('send', error?.code));
      const other = dgram.createSocket('udp4');
      other.on('error', (error) => { console.log('connect', error.code); other.close(); socket.close(); });
      other.connect(53, '192.0.2.1');
    `);
    expect(run.stdout.split('\n').filter(Boolean).sort()).toEqual(['connect ELOOPBACKONLY', 'send ELOOPBACKONLY']);
    expect(run.stderr).toMatch(REPORT);
  });

  it('lets loopback through', async () => {
    const server = createServer((socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const run = await guarded(`
        import net from 'node:net';
        const socket = net.connect(${port}, '127.0.0.1');
        socket.on('data', (data) => console.log(String(data)));
        socket.on('error', (error) => console.log('error', error.code));
        const local = net.connect({ host: 'localhost', port: ${port} });
        local.on('data', (data) => console.log(String(data)));
        local.on('error', (error) => console.log('error', error.code));
      `);
      expect(run.stdout.split('\n').filter(Boolean)).toEqual(['hello', 'hello']);
      expect(run.stderr).not.toContain('[loopback-only]');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('loopback-only guard: name resolution', () => {
  it('refuses looking up or resolving a name, so no resolver off the machine is asked', async () => {
    const run = await guarded(`
      import dns from 'node:dns';
      import { lookup } from 'node:dns/promises';
      dns.lookup('example.com', (error) => console.log('lookup', error?.code));
      await lookup('example.com').catch((error) => console.log('promises.lookup', error.code));
      dns.setServers(['192.0.2.1']);
      dns.resolveSoa('example.com', (error) => console.log('resolveSoa', error?.code));
      const resolver = new dns.promises.Resolver();
      resolver.setServers(['192.0.2.1']);
      await resolver.resolve4('example.com').catch((error) => console.log('Resolver', error.code));
    `);
    expect(run.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'Resolver ELOOPBACKONLY',
      'lookup ELOOPBACKONLY',
      'promises.lookup ELOOPBACKONLY',
      'resolveSoa ELOOPBACKONLY',
    ]);
    expect(run.stderr).toContain('[loopback-only] refused a DNS connection to example.com via 192.0.2.1:53');
  });

  it('looks up localhost', async () => {
    const run = await guarded(`
      import dns from 'node:dns';
      dns.lookup('localhost', (error, address) => console.log(error?.code ?? 'ok'));
    `);
    expect(run.stdout.trim()).toBe('ok');
  });
});

describe('loopback-only guard in the harness', () => {
  it('a step that tries 192.0.2.1:53 fails the test that ran it, with the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guard-step-'));
    const entry = join(dir, 'step.mjs');
    writeFileSync(
      entry,
      "import net from 'node:net'; net.connect(53, '192.0.2.1').on('error', () => process.exit(1));",
    );
    try {
      await expect(runStep({ entry })).rejects.toThrow(/tried to leave loopback[\s\S]*192\.0\.2\.1:53/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
