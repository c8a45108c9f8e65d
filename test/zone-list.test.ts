// Listing an account's zones, 50 a page as Cloudflare allows at most, in process against the
// emulator; and the emulator's List Zones pages as Cloudflare's published Zones document describes them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { RETRY_DEFAULTS } from '../src/cloudflare/retry.ts';
import { createTransport } from '../src/cloudflare/transport.ts';
import { ZONES_PER_PAGE, ZoneApi } from '../src/cloudflare/zone.ts';
import { useEmulator } from './use-emulator.ts';

const emulator = useEmulator();

function zonesApi() {
  const send = createTransport({
    apiUrl: emulator.url,
    credentials: { scheme: 'token', token: emulator.token },
    userAgent: 'test',
    timeoutMs: 2_000,
  });
  const retry = { ...RETRY_DEFAULTS, maxAttempts: 3, sleep: async () => {}, log: () => {} };
  return new ZoneApi({ send, retry, accountId: emulator.accountId });
}

const seed = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) =>
    emulator.seedZone({ name: `zone${from + i}.example.com`, type: 'secondary' }),
  );

const queries = () => emulator.requests.map((request) => request.query);

describe('ZoneApi.page', () => {
  it("reads the account's zones at Cloudflare's largest page, 50 a page, in order, this account's only", async () => {
    const seeded = seed(120);
    emulator.seedZone({ name: 'other.example.org', type: 'full', accountId: 'f'.repeat(32) });

    const api = zonesApi();
    const pages = [await api.page(1), await api.page(2), await api.page(3), await api.page(4)];
    expect(pages.map((page) => page.length)).toEqual([50, 50, 20, 0]);
    expect(pages.flat().map((zone) => zone.id)).toEqual(seeded.map((zone) => zone.id));
    expect(ZONES_PER_PAGE).toBe(50);
    const account = `account.id=${emulator.accountId}`;
    expect(queries()).toEqual([1, 2, 3, 4].map((page) => `${account}&per_page=50&page=${page}`));
  });

  it('retries a page like any other read', async () => {
    seed(60);
    emulator.inject({ method: 'GET', fault: { kind: 'status', status: 503 } });
    expect(await zonesApi().page(2)).toHaveLength(10);
    expect(emulator.requests.map((request) => request.answer?.status)).toEqual([503, 200]);
  });
});

describe("the emulator's List Zones", () => {
  const document = JSON.parse(
    readFileSync(join(import.meta.dirname, 'contract/cloudflare-openapi-zones.json'), 'utf8'),
  );
  // The answer's schema, with the components its #/components/… references point at.
  const answer = document.paths['/zones'].get.responses['200'].content['application/json'].schema;
  const validate = new Ajv({ strict: false, allErrors: true }).compile({ ...answer, components: document.components });

  it('paginates as Cloudflare does, each page valid against the published Zones document', async () => {
    seed(57);
    const pages: unknown[] = [];
    for (const page of [1, 2, 3]) {
      const res = await fetch(`${emulator.url}/zones?account.id=${emulator.accountId}&per_page=50&page=${page}`, {
        headers: { Authorization: `Bearer ${emulator.token}` },
      });
      const body = (await res.json()) as { result_info: unknown };
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
      pages.push(body.result_info);
    }
    expect(pages).toEqual([
      { page: 1, per_page: 50, count: 50, total_count: 57, total_pages: 2 },
      { page: 2, per_page: 50, count: 7, total_count: 57, total_pages: 2 },
      { page: 3, per_page: 50, count: 0, total_count: 57, total_pages: 2 },
    ]);
  });
});
