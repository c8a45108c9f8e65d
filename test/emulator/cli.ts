// Standalone emulator: `node test/emulator/cli.ts [--port N] [--zone NAME]... [--secondary-zone NAME]...
// [--transfer-delay-ms N|never] [--rate-limit REQUESTS/SECONDS] [--time-scale N]`. --rate-limit sets the
// quota per credential (Cloudflare's is 1200/300); --time-scale runs its windows N times faster. Prints one JSON line (with the seeded zones' ids by name), runs until
// SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startEmulator } from './server.ts';
import { canonicalZoneName } from './zone-store.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    zone: { type: 'string', multiple: true, default: [] },
    'secondary-zone': { type: 'string', multiple: true, default: [] },
    'transfer-delay-ms': { type: 'string' },
    'rate-limit': { type: 'string' },
    'time-scale': { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port: ${values.port}`);

const delay = values['transfer-delay-ms'];
const delayMs = delay === undefined || delay === 'never' ? undefined : Number(delay);
if (delayMs !== undefined && !(Number.isInteger(delayMs) && delayMs >= 0)) {
  fail(`invalid --transfer-delay-ms: ${delay} (milliseconds, or never)`);
}

const shape = /^(\d+)\/(\d+)$/.exec(values['rate-limit'] ?? '1200/300');
if (!shape) fail(`invalid --rate-limit: ${values['rate-limit']} (requests/seconds, e.g. 1200/300)`);
const timeScale = Number(values['time-scale'] ?? '1');

const zones = [
  ...values.zone.map((name) => ({ name, type: 'full' as const })),
  ...values['secondary-zone'].map((name) => ({ name, type: 'secondary' as const })),
];
const names = zones.map((zone) => canonicalZoneName(zone.name));
const repeated = names.find((name, index) => names.indexOf(name) !== index);
if (repeated !== undefined) fail(`zone ${repeated} given twice`);
if (names.includes('')) fail('a zone needs a name');

const emulator = await startEmulator({ port });
try {
  emulator.rateLimit({ quota: Number(shape[1]), windowSeconds: Number(shape[2]), timeScale });
} catch (error) {
  fail(`invalid --rate-limit or --time-scale: ${(error as Error).message}`);
}
if (delay !== undefined) emulator.transfers(delayMs === undefined ? { never: true } : { delayMs });
const ids = Object.fromEntries(zones.map((fields) => emulator.seedZone(fields)).map((zone) => [zone.name, zone.id]));
const { url, accountId, token, accountOnlyToken, zoneOnlyToken, email, apiKey } = emulator;
const line = { url, accountId, token, accountOnlyToken, zoneOnlyToken, email, apiKey, zones: ids };
process.stdout.write(`${JSON.stringify(line)}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    emulator.close().then(() => process.exit(0));
  });
}
