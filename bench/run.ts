// npm run bench [-- runs]: the bundled action against the local emulator, alternating with the
// floor script (bench/floor.mjs), same Node binary, same environment. Prints median wall times,
// the median of the pairwise ratios, the bundle size, and the requests each scenario sends. Only loopback is
// ever contacted: peers at documentation addresses are not checked (verify_peer: false), and the peer check
// is timed against the small primary on 127.0.0.1.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../test/emulator/index.ts';
import { resolveSrcImports } from '../test/emulator/src-imports.ts';
import { MAIN, ROOT, runStep, type StepOptions } from '../test/harness.ts';

resolveSrcImports();
const { startPrimary } = await import('../test/dns/primary.ts');

const runs = Number(process.argv[2] ?? 15);
const emulator = await startEmulator();
const inputs = { account_id: emulator.accountId, api_token: emulator.token, api_url: emulator.url, name: 'bench-ns1' };

async function timed(options: StepOptions): Promise<number> {
  emulator.reset();
  const start = process.hrtime.bigint();
  const run = await runStep(options);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.code !== 0 || !run.outputs.peer_id) throw new Error(`run failed:\n${run.stdout}${run.stderr}`);
  return ms;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function requestsFor(setup: () => void, stepInputs: Record<string, string>): Promise<string> {
  emulator.reset();
  setup();
  emulator.requests.length = 0;
  await runStep({ inputs: { ...inputs, ...stepInputs } });
  const named = (path: string) =>
    /\/tsigs(\/|$)/.test(path)
      ? ' TSIG'
      : /\/zones(\/[0-9a-f]+)?$/.test(path)
        ? ' zone'
        : /\/secondary_dns\/(incoming|outgoing)/.test(path)
          ? ` ${path.split('/secondary_dns/')[1]}`
          : '';
  return emulator.requests.map((request) => `${request.method}${named(request.path)}`).join(' + ') || 'none';
}

/**
 * Zones side by side: linking 1, 20, 100 and 300 zones with 50 ms added to every request (a network's
 * round trip; loopback has none), the median of 3 runs each (one run for 300), with the requests each
 * run sent per zone.
 */
async function timeZones(): Promise<string[]> {
  const link = async (count: number, runs: number) => {
    const names = Array.from({ length: count }, (_, n) => `z${n}.bench.example`);
    const times: number[] = [];
    let requests = 0;
    for (let i = 0; i < runs; i++) {
      emulator.reset();
      for (const name of names) emulator.seedZone({ name, type: 'secondary' });
      emulator.inject({ times: 100_000, fault: { kind: 'delay', ms: 50, commit: true } });
      const start = process.hrtime.bigint();
      const run = await runStep({
        inputs: { ...inputs, zones: names.join('\n'), zone_role: 'secondary', transfer: 'force' },
      });
      if (run.code !== 0) throw new Error(`zone run failed:\n${run.stdout}${run.stderr}`);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      requests = emulator.requests.length;
    }
    return { ms: median(times), perZone: requests / count };
  };
  const one = await link(1, 3);
  const lines = [
    `zones with transfer: force, 50 ms per request: 1 zone ${one.ms.toFixed(0)} ms (${one.perZone.toFixed(1)} requests per zone)`,
  ];
  for (const [count, runs] of [
    [20, 3],
    [100, 3],
    [300, 1],
  ] as const) {
    const { ms, perZone } = await link(count, runs);
    lines.push(
      `  ${count} zones ${ms.toFixed(0)} ms (${(ms / one.ms).toFixed(1)}x one zone, ${perZone.toFixed(2)} requests per zone)`,
    );
  }
  return lines;
}

/**
 * 300 zones with transfer: force under Cloudflare's quota shape (1200 requests per 300 s), run 10 times
 * faster (a 30 s window). First on a fresh window: it holds every request, so the lower bound is sending
 * them at Cloudflare's 200 per second. Then with another job having spent 900 of the window, which resets
 * in 150 s (15 s here): the lower bound is the reset, then the rest at 200 per second. Not faster than
 * 10 times: `t` in the Ratelimit header is whole seconds, so the reset is known to a second, which is a
 * 300th of Cloudflare's window but would be a tenth of a 10 s one.
 */
async function timeQuota(): Promise<string[]> {
  const scale = 10;
  const names = Array.from({ length: 300 }, (_, n) => `q${n}.bench.example`);
  const once = async (left: number, resetSeconds: number) => {
    emulator.reset();
    for (const name of names) emulator.seedZone({ name, type: 'secondary' });
    emulator.rateLimit({ quota: 1200, windowSeconds: 300, timeScale: scale, remaining: left, resetSeconds });
    emulator.inject({ times: 100_000, fault: { kind: 'delay', ms: 50, commit: true } });
    const start = process.hrtime.bigint();
    const run = await runStep({
      inputs: { ...inputs, zones: names.join('\n'), zone_role: 'secondary', transfer: 'force' },
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run.code !== 0) throw new Error(`quota run failed:\n${run.stdout.slice(-3000)}${run.stderr}`);
    const sent = emulator.requests.length;
    const refused = emulator.requests.filter((request) => request.answer?.status === 429).length;
    const waitMs = left >= sent ? 0 : (resetSeconds / scale) * 1000;
    const boundMs = waitMs + ((left >= sent ? sent : sent - left) / 200) * 1000;
    return (
      `${(ms / 1000).toFixed(1)} s against a lower bound of ${(boundMs / 1000).toFixed(1)} s ` +
      `(${(ms / boundMs).toFixed(2)}x), ${sent} requests, ${refused} answered 429`
    );
  };
  return [
    `quota shape (1200 per 300 s, run ${scale}x faster), 300 zones with force, fresh window: ${await once(1200, 300)}`,
    `  the same, 300 left and the reset in 150 s: ${await once(300, 150)}`,
  ];
}

/** One zone linked with and without the check of its peer (the small primary on loopback), median of 5 each. */
async function timeCheck(): Promise<string> {
  const primary = await startPrimary({ zones: ['check.bench.example'] });
  try {
    const link = async (verify: string) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        emulator.reset();
        emulator.seedZone({ name: 'check.bench.example', type: 'secondary' });
        const start = process.hrtime.bigint();
        const run = await runStep({
          inputs: {
            ...inputs,
            zones: 'check.bench.example',
            zone_role: 'secondary',
            ip: primary.ip,
            port: String(primary.port),
            verify_peer: verify,
          },
        });
        if (run.code !== 0) throw new Error(`check run failed:\n${run.stdout}${run.stderr}`);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      return median(times);
    };
    const without = await link('false');
    const checked = await link('true');
    return `one zone, peer check (SOA over TCP to the small primary): ${checked.toFixed(0)} ms, without ${without.toFixed(0)} ms`;
  } finally {
    await primary.close();
  }
}

try {
  const action: number[] = [];
  const floor: number[] = [];
  // One warm-up of each, so the first figures do not pay for a cold disk cache.
  await timed({ inputs });
  await timed({ inputs, entry: join(ROOT, 'bench/floor.mjs') });
  for (let i = 0; i < runs; i++) {
    action.push(await timed({ inputs }));
    floor.push(await timed({ inputs, entry: join(ROOT, 'bench/floor.mjs') }));
  }
  const ratios = action.map((ms, i) => ms / (floor[i] as number));

  const key = { tsig_name: 'transfer.bench.example.', tsig_secret: 'YmVuY2gtc2VjcmV0LW9ubHk=' };
  const created = () => emulator.seedPeer({ name: 'bench-ns1', ip: '192.0.2.53', port: 53, ixfr_enable: false });
  const scenarios = {
    'name-only create': await requestsFor(() => {}, {}),
    'create with ip/port': await requestsFor(() => {}, { ip: '192.0.2.53', port: '53' }),
    're-run, unchanged': await requestsFor(created, { ip: '192.0.2.53', port: '53' }),
    'create with a TSIG key': await requestsFor(() => {}, key),
    're-run with a TSIG key, unchanged': await requestsFor(() => {
      const tsig = emulator.seedTsig({ name: key.tsig_name, algo: 'hmac-sha256.', secret: key.tsig_secret });
      emulator.seedPeer({ name: 'bench-ns1', ip: '', port: 0, ixfr_enable: false, tsig_id: tsig.id });
    }, key),
  };

  const zone = { zones: 'bench.example', zone_role: 'secondary', ip: '192.0.2.53', verify_peer: 'false' };
  const zoneScenarios = {
    'create and link one secondary zone': await requestsFor(
      () => emulator.seedZone({ name: 'bench.example', type: 'secondary' }),
      zone,
    ),
    're-run with one zone, unchanged': await requestsFor(() => {
      const peer = created();
      emulator.seedZone({ name: 'bench.example', type: 'secondary', incoming: { peers: [peer.id] } });
    }, zone),
  };
  const zonesTiming = await timeZones();
  const quotaTiming = await timeQuota();
  const checkTiming = await timeCheck();

  console.log(`Node ${process.version}, ${runs} alternating runs each, name-only create against the emulator`);
  console.log(`action  median wall: ${median(action).toFixed(1)} ms`);
  console.log(`floor   median wall: ${median(floor).toFixed(1)} ms`);
  console.log(`action/floor median of pairwise ratios: ${median(ratios).toFixed(2)}`);
  console.log(`dist/index.js: ${(statSync(MAIN).size / 1024).toFixed(1)} KB`);
  for (const [name, requests] of Object.entries({ ...scenarios, ...zoneScenarios })) {
    console.log(`requests, ${name}: ${requests}`);
  }
  for (const line of zonesTiming) console.log(line);
  for (const line of quotaTiming) console.log(line);
  console.log(checkTiming);
} finally {
  await emulator.close();
}
