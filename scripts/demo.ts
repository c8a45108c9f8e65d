// npm run demo: the bundled action against the local Cloudflare API emulator, exactly as a runner
// would start it. No credentials, no network: only loopback (the guard of test/guard/loopback-only.mjs is
// preloaded here and in every step). A small primary nameserver on 127.0.0.1 serves the zone. The action
// checks it (an SOA query signed with the key), creates a peer and its TSIG key and links the peer to a
// secondary zone, forcing a transfer (the emulator's real AXFR over TCP from the small primary) and waiting
// until Cloudflare holds the primary's serial; runs the same step again (all unchanged); runs the post step
// with cleanup: true, which undoes it all; and last, a wrong secret, caught before any write.
import { type Emulator, startEmulator } from '../test/emulator/index.ts';
import { resolveSrcImports } from '../test/emulator/src-imports.ts';
import { POST, runStep, type StepRun, visibleLog } from '../test/harness.ts';

// The small primary uses src/dns under plain Node: its `.js` imports are mapped to the `.ts` files.
resolveSrcImports();
const { startPrimary } = await import('../test/dns/primary.ts');

async function show(title: string, running: Promise<StepRun>): Promise<StepRun> {
  emulator.requests.length = 0;
  const run = await running;
  console.log(`\n=== ${title} (exit code ${run.code})`);
  console.log(visibleLog(run).trim());
  const sent = emulator.requests.map((request) => `${request.method} ${shortPath(request.path)}`);
  console.log(`--- requests: ${sent.join(', ')}`);
  console.log('--- step outputs');
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name}=${value}`);
  if (run.summary.trim()) {
    console.log('--- job summary (markdown)');
    console.log(run.summary.trim());
  }
  return run;
}

/** "peers/<id>", "tsigs", "zones", "zones/<id>/incoming" */
function shortPath(path: string): string {
  const relative = path.replace(/^\/client\/v4\//, '');
  return relative.includes('/secondary_dns/')
    ? relative.replace(/^accounts\/[^/]+\/secondary_dns\//, '').replace('/secondary_dns/', '/')
    : relative;
}

// As `tsig-keygen -a hmac-sha256 transfer.example.com.` prints it (a demo value, not a real key).
const KEY = {
  name: 'transfer.example.com.',
  algo: 'hmac-sha256.',
  secret: 'ZGVtby1zZWNyZXQtZm9yLXRoZS1lbXVsYXRvci1vbmx5IQ==',
};
const emulator: Emulator = await startEmulator();
const primary = await startPrimary({ zones: [{ name: 'example.com', serial: 2026120701 }], keys: [KEY] });
try {
  const zone = emulator.seedZone({ name: 'example.com', type: 'secondary' });
  emulator.transfers({ delayMs: 1500 });
  console.log(`Cloudflare API emulator listening at ${emulator.url}, with secondary zone example.com (${zone.id})`);
  console.log(
    `Small primary nameserver at ${primary.ip}:${primary.port}, serving example.com (serial ${primary.serial('example.com')}) ` +
      `with TSIG key ${KEY.name}`,
  );
  const inputs = {
    account_id: emulator.accountId,
    api_token: emulator.token,
    api_url: emulator.url,
    name: 'primary-ns1',
    ip: primary.ip,
    port: String(primary.port),
    tsig_name: KEY.name,
    tsig_secret: KEY.secret,
    tsig_algo: 'hmac-sha256',
    zones: 'example.com',
    zone_role: 'secondary',
    transfer: 'force',
    wait_for_transfer: '30',
    cleanup: 'true',
  };
  const first = await show('create, link, transfer', runStep({ inputs }));
  await show('same step again', runStep({ inputs }));
  await show('post step at the end of the job (cleanup: true)', runStep({ entry: POST, inputs, state: first.state }));
  const queries = primary.received.map((query) => `${query.type} ${query.zone} ${query.outcome}`);
  console.log(`\nThe small primary was asked: ${queries.join(', ')}`);
  // Another secret than the nameserver's: the check fails before anything is written.
  const wrong = { ...inputs, tsig_secret: 'b3RoZXItc2VjcmV0LW5vdC10aGUtcHJpbWFyeXMh' };
  await show('a wrong secret (the nameserver has another one)', runStep({ inputs: wrong }));
  const configured = emulator.zones().filter((z) => z.incoming || z.outgoing).length;
  console.log(
    `\nLeft on the emulator: ${emulator.peers().length} peers, ${emulator.tsigs().length} TSIG keys, ` +
      `${configured} zone transfer configurations`,
  );
} finally {
  await emulator.close();
  await primary.close();
}
