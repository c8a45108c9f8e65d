// npm run demo: the bundled action against the local Cloudflare API emulator, exactly as a runner
// would start it. No credentials, no network. It creates a peer and its TSIG key, runs the same step
// again (both unchanged), then removes both with state: absent.
import { type Emulator, startEmulator } from '../test/emulator/index.ts';
import { runStep, type StepRun, visibleLog } from '../test/harness.ts';

async function show(title: string, running: Promise<StepRun>): Promise<void> {
  emulator.requests.length = 0;
  const run = await running;
  console.log(`\n=== ${title} (exit code ${run.code})`);
  console.log(visibleLog(run).trim());
  const sent = emulator.requests.map((request) => `${request.method} ${request.path.split('/secondary_dns/')[1]}`);
  console.log(`--- requests: ${sent.join(', ')}`);
  console.log('--- step outputs');
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name}=${value}`);
  console.log('--- job summary (markdown)');
  console.log(run.summary.trim());
}

const emulator: Emulator = await startEmulator();
try {
  console.log(`Cloudflare API emulator listening at ${emulator.url}`);
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
  };
  await show('create', runStep({ inputs }));
  await show('same step again', runStep({ inputs }));
  await show('state: absent', runStep({ inputs: { ...inputs, state: 'absent' } }));
  console.log(`\nPeers left on the emulator: ${emulator.peers().length}; TSIG keys: ${emulator.tsigs().length}`);
} finally {
  await emulator.close();
}
