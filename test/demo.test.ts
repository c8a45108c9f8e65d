// `npm run demo`, the README's first command for a contributor, works as written and undoes what it did.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { LOOPBACK_GUARD, ROOT } from './harness.ts';

it('npm run demo creates, re-runs unchanged and cleans up, leaving nothing behind', { timeout: 60_000 }, async () => {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--import', LOOPBACK_GUARD, join(ROOT, 'scripts/demo.ts')],
    { cwd: ROOT },
  );
  expect(stderr).not.toContain('[loopback-only]');

  expect(stdout).toContain('=== create, link, transfer (exit code 0)');
  expect(stdout).toMatch(
    /zone example\.com \(\w{32}, secondary\): peer linked, with a new transfer configuration \(transferred/,
  );
  expect(stdout).toContain('=== same step again (exit code 0)');
  expect(stdout).toContain('TSIG key transfer.example.com. (');
  expect(stdout).toMatch(/: already as asked: unchanged/);
  expect(stdout).toContain('Left on the emulator: 0 peers, 0 TSIG keys, 0 zone transfer configurations');
  // A real transfer over TCP from the small primary: Cloudflare (the emulator) holds the primary's serial.
  expect(stdout).toContain('The small primary was asked: SOA example.com NOERROR, AXFR example.com NOERROR');
  expect(stdout).toMatch(/"soa_serial":2026120701,.*"peer_serial":2026120701,"in_sync":true/);
  // A wrong secret is caught before any write, with the message a user sees.
  expect(stdout).toContain('=== a wrong secret (the nameserver has another one) (exit code 1)');
  expect(stdout).toMatch(/answered BADSIG to a query signed with TSIG key transfer\.example\.com\. \(hmac-sha256\.\)/);
  const wrong = stdout.slice(stdout.indexOf('=== a wrong secret'));
  expect(wrong).toMatch(/--- requests: (GET [^,\n]+(, )?)+\n/);
  // The demo's secret is masked like any other: only ::add-mask:: lines may carry it.
  const shown = stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
  expect(shown.join('\n')).not.toContain('ZGVtby1zZWNyZXQtZm9yLXRoZS1lbXVsYXRvci1vbmx5IQ');
});
