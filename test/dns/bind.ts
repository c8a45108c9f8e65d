// BIND (`named`, Debian's bind9) as the primary on a loopback port: a temporary directory with the config, one
// key made by tsig-keygen that queries and transfers require, one zone file per zone, and an rndc channel to
// reload a zone after its serial was bumped. The process is killed on close() and, failing that, on exit.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { checkSoa, type SoaCheck } from '../../src/dns/soa.ts';
import type { TsigKey } from '../../src/dns/tsig.ts';
import { canonicalZoneName } from '../emulator/zone-store.ts';

export interface Bind {
  ip: '127.0.0.1';
  port: number;
  /** The key as tsig-keygen wrote it: the algorithm without its dot, as BIND spells it. */
  key: TsigKey;
  serial(zone: string): number;
  /** Writes the zone file with a higher serial, reloads the zone and waits until BIND serves it. */
  bump(zone: string, by?: number): Promise<number>;
  /** named's log so far (it runs in the foreground, logging to stderr). */
  log(): string;
  close(): Promise<void>;
}

export interface BindOptions {
  zones: { name: string; serial?: number }[];
  keyName?: string;
  algorithm?: string;
}

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** The path of a BIND program on PATH or in the usual sbin directories, if installed. */
export function bindProgram(name: 'named' | 'tsig-keygen' | 'rndc'): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN];
  return dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
}

function required(name: 'named' | 'tsig-keygen' | 'rndc'): string {
  const path = bindProgram(name);
  if (!path) throw new Error(`${name} is not installed (Debian: apt-get install bind9 bind9-utils)`);
  return path;
}

export async function startBind(options: BindOptions): Promise<Bind> {
  const named = required('named');
  const rndc = required('rndc');
  const work = mkdtempSync(join(tmpdir(), 'bind-'));
  const keyName = options.keyName ?? 'xfr.example';
  const algorithm = options.algorithm ?? 'hmac-sha256';
  const keyText = execFileSync(required('tsig-keygen'), ['-a', algorithm, keyName], { encoding: 'utf8' });
  const secret = /secret "([^"]+)"/.exec(keyText)?.[1];
  if (!secret) throw new Error('tsig-keygen printed no secret');
  const control = execFileSync(required('tsig-keygen'), ['-a', 'hmac-sha256', 'rndc-key'], { encoding: 'utf8' });
  const [port, controlPort] = [await freePort(), await freePort()];

  const serials = new Map<string, number>();
  const zoneFile = (zone: string): string => join(work, `${zone}.zone`);
  const writeZone = (zone: string, serial: number): void => {
    serials.set(zone, serial);
    writeFileSync(zoneFile(zone), zoneText(zone, serial));
  };
  for (const zone of options.zones) writeZone(canonicalZoneName(zone.name), zone.serial ?? 2026120701);

  writeFileSync(join(work, 'tsig.key'), keyText);
  writeFileSync(join(work, 'rndc.key'), control);
  writeFileSync(
    join(work, 'rndc.conf'),
    `include "${join(work, 'rndc.key')}";\noptions { default-key "rndc-key"; default-server 127.0.0.1; default-port ${controlPort}; };\n`,
  );
  const zones = [...serials.keys()]
    .map((zone) => `zone "${zone}" { type primary; file "${zoneFile(zone)}"; };`)
    .join('\n');
  writeFileSync(
    join(work, 'named.conf'),
    `include "${join(work, 'tsig.key')}";
include "${join(work, 'rndc.key')}";
controls { inet 127.0.0.1 port ${controlPort} allow { 127.0.0.1; } keys { "rndc-key"; }; };
options {
  directory "${work}";
  pid-file "${join(work, 'named.pid')}";
  session-keyfile "${join(work, 'session.key')}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  notify no;
  dnssec-validation no;
  allow-query { key "${keyName}"; };
  allow-transfer { key "${keyName}"; };
};
${zones}
`,
  );

  // A copy of named, outside /usr/sbin: Ubuntu's AppArmor profile for /usr/sbin/named (GitHub's runners
  // enforce it) allows its files under /etc/bind only, not this temporary directory.
  const program = join(work, 'named');
  try {
    copyFileSync(named, program);
    chmodSync(program, 0o755);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  const child = spawn(program, ['-g', '-c', join(work, 'named.conf'), ...userFlag()], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  let log = '';
  child.stderr?.on('data', (chunk) => (log += chunk));
  const cleanup = async (): Promise<void> => {
    process.off('exit', kill);
    await stop(child);
    rmSync(work, { recursive: true, force: true });
  };

  try {
    await running(child, () => log);
  } catch (error) {
    await cleanup();
    throw error;
  }

  const key: TsigKey = { name: keyName, algo: algorithm, secret };
  return {
    ip: '127.0.0.1',
    port,
    key,
    serial: (zone) => serials.get(canonicalZoneName(zone)) ?? fail(`BIND does not serve ${zone}`),
    bump: async (zone, by = 1) => {
      const name = canonicalZoneName(zone);
      const serial = ((serials.get(name) ?? fail(`BIND does not serve ${zone}`)) + by) % 2 ** 32;
      writeZone(name, serial);
      execFileSync(rndc, ['-c', join(work, 'rndc.conf'), 'reload', name], { stdio: 'pipe' });
      await served({ ip: '127.0.0.1', port, zone: name, key }, serial);
      return serial;
    },
    log: () => log,
    close: cleanup,
  };
}

/** named runs as the current user; as root it is told to stay root (the Debian default would be `bind`). */
function userFlag(): string[] {
  return process.getuid?.() === 0 ? ['-u', 'root'] : [];
}

function running(child: ChildProcess, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`named did not start within 15 s:\n${log()}`)), 15_000);
    const onData = (): void => {
      if (/ running$/m.test(log())) finish(); // the last line of startup, after "all zones loaded"
    };
    const onExit = (code: number | null): void => finish(new Error(`named exited (${code}) while starting:\n${log()}`));
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function served(target: Omit<SoaCheck, 'timeoutMs'>, serial: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last: unknown;
  while (Date.now() < deadline) {
    last = await checkSoa({ ...target, timeoutMs: 2000 });
    if (JSON.stringify(last) === JSON.stringify({ kind: 'serial', serial })) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`BIND did not serve serial ${serial} of ${target.zone} within 10 s: ${JSON.stringify(last)}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** A loopback port free for both TCP and UDP (named listens on both). */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const udp = createSocket('udp4');
    const free = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    if (!free) continue;
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    return port;
  }
  throw new Error('no free loopback port for named');
}

function zoneText(zone: string, serial: number): string {
  return `$TTL 3600
@ IN SOA ns1.${zone}. hostmaster.${zone}. ( ${serial} 3600 600 604800 300 )
@ IN NS ns1.${zone}.
ns1 IN A 127.0.0.1
@ IN TXT "served by BIND"
`;
}

function fail(message: string): never {
  throw new Error(message);
}
