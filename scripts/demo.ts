// npm run demo: the bundled action against the local Cloudflare API emulator, exactly as a runner
// would start it. No credentials, no network. It creates a peer and its TSIG key and links the peer to
// a secondary zone, forcing a transfer and waiting for it; runs the same step again (all unchanged);
// then runs the post step with cleanup: true, which undoes it all.
import { type Emulator, startEmulator } from '../test/emulator/index.ts';
import { POST, runStep, type StepRun, visibleLog } from '../test/harness.ts';

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

const emulator: Emulator = await startEmulator();
try {
  const zone = emulator.seedZone({ name: 'example.com', type: 'secondary' });
  emulator.transfers({ delayMs: 1500 });
  console.log(`Cloudflare API emulator listening at ${emulator.url}, with secondary zone example.com (${zone.id})`);
  const inputs = {
    account_id: emulator.accountId,
    api_token: emulator.token,
    api_url: emulator.url,
    name: 'primary-ns1',
    ip: '192.0.2.53',
    port: '53',
    tsig_name: 'transfer.example.com.',
    // As `tsig-keygen -a hmac-sha256 transfer.example.com.` prints it (a demo value, not a real key).
    tsig_secret: 'ZGVtby1zZWNyZXQtZm9yLXRoZS1lbXVsYXRvci1vbmx5IQ==',
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
  const configured = emulator.zones().filter((z) => z.incoming || z.outgoing).length;
  console.log(
    `\nLeft on the emulator: ${emulator.peers().length} peers, ${emulator.tsigs().length} TSIG keys, ` +
      `${configured} zone transfer configurations`,
  );
} finally {
  await emulator.close();
}
