// npm run demo: the bundled action against the local Cloudflare API emulator, exactly as a runner
// would start it. No credentials, no network. It creates a peer, runs the same step again
// (unchanged), then removes the peer with state: absent.
import { type Emulator, startEmulator } from '../test/emulator/index.ts';
import { runStep, type StepRun, visibleLog } from '../test/harness.ts';

function show(title: string, run: StepRun): void {
  console.log(`\n=== ${title} (exit code ${run.code})`);
  console.log(visibleLog(run).trim());
  console.log('--- step outputs');
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name}=${value}`);
  console.log('--- job summary (markdown)');
  console.log(run.summary.trim());
}

const emulator: Emulator = await startEmulator();
try {
  console.log(`Cloudflare API emulator listening at ${emulator.url}`);
  const tsig = emulator.seedTsig({ name: 'xfr-key', algo: 'hmac-sha256.', secret: 'c2VjcmV0LWZvci1kZW1v' });
  const inputs = {
    account_id: emulator.accountId,
    api_token: emulator.token,
    api_url: emulator.url,
    name: 'primary-ns1',
    ip: '192.0.2.53',
    port: '53',
    tsig_id: tsig.id,
  };
  show('create', await runStep({ inputs }));
  show('same step again', await runStep({ inputs }));
  show('state: absent', await runStep({ inputs: { ...inputs, state: 'absent' } }));
  console.log(`\nPeers left on the emulator: ${emulator.peers().length}`);
} finally {
  await emulator.close();
}
