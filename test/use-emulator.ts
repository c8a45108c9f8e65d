// The emulator's lifecycle for a test file, in one place: started once before the file's tests, reset
// before each (unless a file's tests build on each other), held to Cloudflare's published contract after
// each, and closed at the end. The handle stands for the running emulator, so tests use it directly.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { expectContract } from './contract/exchanges.ts';
import { type Emulator, type EmulatorOptions, startEmulator } from './emulator/index.ts';

export interface UseEmulatorOptions extends EmulatorOptions {
  /** Reset the emulator before each test (default true). */
  reset?: boolean;
  /**
   * Check every exchange against the published schema after each test (default true); `answers` checks
   * only the answers, for tests that send wrong requests on purpose.
   */
  contract?: boolean | 'answers';
}

export function useEmulator(options: UseEmulatorOptions = {}): Emulator {
  const { reset = true, contract = true, ...emulatorOptions } = options;
  let running: Emulator | undefined;
  beforeAll(async () => {
    running = await startEmulator(emulatorOptions);
  });
  afterAll(() => running?.close());
  if (reset) beforeEach(() => running?.reset());
  if (contract) afterEach(() => running && expectContract(running, { request: contract !== 'answers' }));

  return new Proxy({} as Emulator, {
    get(_, property) {
      if (!running) throw new Error('The emulator starts in beforeAll: use it inside a test or hook.');
      const value = Reflect.get(running, property, running);
      return typeof value === 'function' ? value.bind(running) : value;
    },
    set(_, property, value) {
      if (!running) throw new Error('The emulator starts in beforeAll: use it inside a test or hook.');
      return Reflect.set(running, property, value, running);
    },
  });
}

/** What the emulator was asked, in order, one line each: "GET /zones/ID/secondary_dns/incoming". */
export function requestLines(emulator: Pick<Emulator, 'requests'>): string[] {
  return emulator.requests.map(
    (request) =>
      `${request.method} ${request.path
        .replace(/^\/client\/v4/, '')
        .replace(/\/accounts\/[0-9a-f]+/, '/accounts/A')
        .replace(/[0-9a-f]{32}/g, 'ID')}`,
  );
}

/** The requests that could change something (everything but GET), in order. */
export function writes(emulator: Pick<Emulator, 'requests'>): Emulator['requests'] {
  return emulator.requests.filter((request) => request.method !== 'GET');
}

/** The emulator's zone with that name, as it is now. */
export function zoneNamed(emulator: Pick<Emulator, 'zones'>, name: string) {
  return emulator.zones().find((zone) => zone.name === name);
}
