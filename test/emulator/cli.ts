// Standalone emulator: `node test/emulator/cli.ts [--port N]`. Prints one JSON line, runs until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startEmulator } from './server.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`invalid --port: ${values.port}\n`);
  process.exit(2);
}

const emulator = await startEmulator({ port });
const { url, accountId, token, email, apiKey } = emulator;
process.stdout.write(`${JSON.stringify({ url, accountId, token, email, apiKey })}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    emulator.close().then(() => process.exit(0));
  });
}
