// The contract checker itself: it finds operations by path template in both vendored documents, applies
// their quirks as the reference says, and catches what breaks the contract (so the contract tests can fail).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExchange, type ExchangeToCheck, findOperation, headerProblems, operationIds } from './openapi.ts';

const PEERS = '/client/v4/accounts/0123456789abcdef0123456789abcdef/secondary_dns/peers';
const TSIGS = '/accounts/0123456789abcdef0123456789abcdef/secondary_dns/tsigs';
const ID = '23ff594956f20c2a721606e94745a8aa';
const ok = (result: unknown, extra: object = {}) =>
  JSON.stringify({ success: true, errors: [], messages: [], result, ...extra });
const failed = (code: number, result: unknown = null) =>
  JSON.stringify({ success: false, errors: [{ code, message: 'm' }], messages: [], result });
const peer = { id: ID, name: 'ns1', ip: '192.0.2.53', port: 53, ixfr_enable: false, tsig_id: ID };
const ACCOUNT = '0123456789abcdef0123456789abcdef';
/** A zone as Cloudflare's schema requires it: every required field, a new secondary zone's values. */
const zone = {
  id: ID,
  name: 'example.com',
  status: 'pending',
  type: 'secondary',
  development_mode: 0,
  name_servers: ['ns1042.secondary.cloudflare.com', 'ns1043.secondary.cloudflare.com'],
  original_name_servers: null,
  original_registrar: null,
  original_dnshost: null,
  created_on: '2026-05-01T10:00:00.123456Z',
  modified_on: '2026-05-01T10:00:00.123456Z',
  activated_on: null,
  owner: { id: ACCOUNT, type: 'organization', name: 'Example' },
  account: { id: ACCOUNT, name: 'Example' },
  meta: { step: 2, cdn_only: false, dns_only: true },
};
const createZone = { account: { id: ACCOUNT }, name: 'example.com', type: 'secondary' };
const tsig = { name: 'k.', algo: 'hmac-sha512.', secret: 'c2VjcmV0' };

describe('finding the operation', () => {
  it('matches concrete paths, with or without /client/v4, to their template', () => {
    expect(findOperation('get', PEERS)?.id).toBe('secondary-dns-(-peer)-list-peers');
    expect(findOperation('PUT', `${TSIGS}/${ID}`)?.id).toBe('secondary-dns-(-tsig)-update-tsig');
    expect(findOperation('GET', `/zones/${ID}/secondary_dns/outgoing/status`)?.id).toBe(
      'secondary-dns-(-primary-zone)-get-outgoing-zone-transfer-status',
    );
    expect(findOperation('PATCH', PEERS)).toBeUndefined();
    expect(findOperation('GET', `${PEERS}/${ID}/extra`)).toBeUndefined();
  });

  it('finds the /zones operations in the zones document', () => {
    expect(findOperation('GET', '/client/v4/zones?name=example.com')?.id).toBe('zones-get');
    expect(findOperation('POST', '/zones')?.id).toBe('zones-post');
    expect(findOperation('GET', `/zones/${ID}`)?.id).toBe('zones-0-get');
    expect(findOperation('DELETE', `/zones/${ID}`)?.id).toBe('zones-0-delete');
    expect(findOperation('PATCH', `/zones/${ID}`)).toBeUndefined();
    expect(findOperation('GET', `/zones/${ID}/secondary_dns/incoming`)?.id).toBe(
      'secondary-dns-(-secondary-zone)-secondary-zone-configuration-details',
    );
  });

  it('knows every operation of both documents', () => {
    expect(operationIds('/')).toHaveLength(32);
    expect(operationIds('/accounts/{account_id}/secondary_dns/peers')).toHaveLength(5);
    expect(operationIds('/zones/{zone_id}/secondary_dns')).toHaveLength(13);
    expect(
      operationIds('/zones')
        .filter((id) => id.startsWith('zones-'))
        .sort(),
    ).toEqual(['zones-0-delete', 'zones-0-get', 'zones-get', 'zones-post']);
  });

  it('keeps each vendored document byte for byte beside its BSD-3-Clause notice', () => {
    const documents = readdirSync(import.meta.dirname).filter((file) => /^cloudflare-openapi-.*\.json$/.test(file));
    expect(documents.sort()).toEqual(['cloudflare-openapi-secondary-dns.json', 'cloudflare-openapi-zones.json']);
    for (const file of documents) {
      const notice = join(import.meta.dirname, file.replace(/\.json$/, '.LICENSE'));
      expect(existsSync(notice), notice).toBe(true);
      const text = readFileSync(notice, 'utf8');
      expect(text).toContain(`${file}, beside this file, is a subset of Cloudflare's published OpenAPI`);
      expect(text).toContain('BSD 3-Clause License\n\nCopyright (c) 2022, Cloudflare');
      const info = JSON.parse(readFileSync(join(import.meta.dirname, file), 'utf8')).info;
      expect(info['x-license']).toMatch(/^BSD-3-Clause, Copyright \(c\) 2022, Cloudflare/);
    }
  });
});

describe('checking an exchange', () => {
  it.each<[string, ExchangeToCheck]>([
    [
      'a create with a name only',
      { method: 'POST', path: PEERS, body: '{"name":"ns1"}', answer: { status: 200, body: ok(peer) } },
    ],
    [
      'an update without the read-only id',
      {
        method: 'PUT',
        path: `${PEERS}/${ID}`,
        body: JSON.stringify({ ...peer, id: undefined }),
        answer: { status: 200, body: ok(peer) },
      },
    ],
    [
      'a DELETE without a body',
      { method: 'DELETE', path: `${PEERS}/${ID}`, answer: { status: 200, body: ok({ id: ID }) } },
    ],
    [
      'a TSIG create without id',
      {
        method: 'POST',
        path: TSIGS,
        body: JSON.stringify(tsig),
        answer: { status: 200, body: ok({ id: ID, ...tsig }) },
      },
    ],
    [
      'a list with result_info',
      { method: 'GET', path: PEERS, answer: { status: 200, body: ok([peer], { result_info: { page: 1 } }) } },
    ],
    ['a 429 with code 971', { method: 'GET', path: PEERS, answer: { status: 429, body: failed(971) } }],
    [
      'a 4XX failure envelope alone',
      { method: 'PUT', path: `${PEERS}/${ID}`, body: '{"name":"x"}', answer: { status: 404, body: failed(1002) } },
    ],
    ['a 5xx JSON failure', { method: 'GET', path: PEERS, answer: { status: 503, body: failed(1000) } }],
    [
      'a routing failure on an unknown path',
      { method: 'GET', path: '/accounts/x/secondary_dns/nope', answer: { status: 404, body: failed(7003) } },
    ],
    [
      'a zone list with result_info, by name and account',
      {
        method: 'GET',
        path: `/zones?name=example.com&account.id=${ACCOUNT}`,
        answer: { status: 200, body: ok([zone], { result_info: { page: 1, per_page: 20, count: 1, total_count: 1 } }) },
      },
    ],
    [
      'a zone list page, with the query recorded apart',
      { method: 'GET', path: '/zones', query: 'page=2&per_page=50', answer: { status: 200, body: ok([]) } },
    ],
    [
      'Create Zone',
      { method: 'POST', path: '/zones', body: JSON.stringify(createZone), answer: { status: 200, body: ok(zone) } },
    ],
    [
      'Create Zone refused: the name exists',
      {
        method: 'POST',
        path: '/zones',
        body: JSON.stringify(createZone),
        answer: { status: 400, body: failed(1061) },
      },
    ],
    ['Zone Details', { method: 'GET', path: `/zones/${ID}`, answer: { status: 200, body: ok(zone) } }],
    ['Delete Zone', { method: 'DELETE', path: `/zones/${ID}`, answer: { status: 200, body: ok({ id: ID }) } }],
  ])('accepts %s', (_label, exchange) => {
    const request = !exchange.path.includes('/nope');
    expect(checkExchange(exchange, { request }).problems).toEqual([]);
  });

  it.each<[string, ExchangeToCheck, RegExp]>([
    [
      'a peer without id',
      { method: 'GET', path: `${PEERS}/${ID}`, answer: { status: 200, body: ok({ name: 'x' }) } },
      /required property 'id'/,
    ],
    [
      'a port as a string',
      { method: 'GET', path: PEERS, answer: { status: 200, body: ok([{ ...peer, port: '53' }]) } },
      /port must be number/,
    ],
    [
      'a list that is not an array',
      { method: 'GET', path: PEERS, answer: { status: 200, body: ok(peer) } },
      /result must be array/,
    ],
    [
      'success: false with a 200',
      { method: 'GET', path: PEERS, answer: { status: 200, body: failed(1000) } },
      /success must be equal to one of/,
    ],
    [
      'a failure with success: true',
      { method: 'GET', path: PEERS, answer: { status: 404, body: ok(null) } },
      /success must be equal to one of/,
    ],
    [
      'a failure with a result',
      { method: 'GET', path: PEERS, answer: { status: 400, body: failed(1001, {}) } },
      /result must be equal/,
    ],
    [
      'a failure without errors',
      { method: 'GET', path: PEERS, answer: { status: 400, body: ok(null).replace('true', 'false') } },
      /errors must NOT have fewer than 1/,
    ],
    [
      'an error code below 1000',
      { method: 'GET', path: PEERS, answer: { status: 400, body: failed(999) } },
      /code must be >= 1000/,
    ],
    ['an HTML answer', { method: 'GET', path: PEERS, answer: { status: 502, body: '<html></html>' } }, /not JSON/],
    ['a redirect', { method: 'GET', path: PEERS, answer: { status: 301, body: '{}' } }, /no such status/],
    [
      'a TSIG without secret',
      { method: 'POST', path: TSIGS, body: '{"name":"k","algo":"a"}' },
      /required property 'secret'/,
    ],
    [
      'an update without name',
      { method: 'PUT', path: `${PEERS}/${ID}`, body: '{"ip":"192.0.2.1"}' },
      /required property 'name'/,
    ],
    [
      'an update with tsig_id null',
      { method: 'PUT', path: `${PEERS}/${ID}`, body: '{"name":"n","tsig_id":null}' },
      /tsig_id must be string/,
    ],
    ['a create without a body', { method: 'POST', path: PEERS }, /requires a JSON body/],
    ['a body that is not JSON', { method: 'POST', path: PEERS, body: '{"name":' }, /not JSON/],
    ['a GET with a body', { method: 'GET', path: PEERS, body: '{}' }, /takes no body/],
    ['a request to an unknown path', { method: 'GET', path: '/client/v4/zones/x/dns_records' }, /not an operation/],
    ['a query on a peer list', { method: 'GET', path: `${PEERS}?page=1` }, /page is not a query parameter/],
    [
      'a success on an unknown path',
      { method: 'GET', path: '/nope', answer: { status: 200, body: ok([]) } },
      /not covered/,
    ],
    [
      'a zone without meta',
      { method: 'GET', path: `/zones/${ID}`, answer: { status: 200, body: ok({ ...zone, meta: undefined }) } },
      /required property 'meta'/,
    ],
    [
      'a zone whose owner id is null',
      { method: 'GET', path: `/zones/${ID}`, answer: { status: 200, body: ok({ ...zone, owner: { id: null } }) } },
      /owner\/id must be string/,
    ],
    [
      'a name server that is not a host name',
      {
        method: 'GET',
        path: '/zones',
        answer: { status: 200, body: ok([{ ...zone, name_servers: ['ns 1.example'] }]) },
      },
      /name_servers\/0 must match format "hostname"/,
    ],
    [
      'a created_on that is not a date-time',
      { method: 'GET', path: `/zones/${ID}`, answer: { status: 200, body: ok({ ...zone, created_on: 'today' }) } },
      /created_on must match format "date-time"/,
    ],
    [
      'a zone list that is not an array',
      { method: 'GET', path: '/zones', answer: { status: 200, body: ok(zone) } },
      /result must be array/,
    ],
    [
      'a Delete Zone answer without id',
      { method: 'DELETE', path: `/zones/${ID}`, answer: { status: 200, body: ok({}) } },
      /required property 'id'/,
    ],
    [
      'Create Zone without account',
      { method: 'POST', path: '/zones', body: '{"name":"example.com","type":"secondary"}' },
      /required property 'account'/,
    ],
    [
      'Create Zone of type internal',
      { method: 'POST', path: '/zones', body: JSON.stringify({ ...createZone, type: 'internal' }) },
      /type must be equal to one of the allowed values/,
    ],
    [
      'Create Zone with a trailing dot',
      { method: 'POST', path: '/zones', body: JSON.stringify({ ...createZone, name: 'example.com.' }) },
      /name must match pattern/,
    ],
    ['a per_page above 50', { method: 'GET', path: '/zones?per_page=100' }, /per_page must be <= 50/],
    ['a page that is not a number', { method: 'GET', path: '/zones', query: 'page=two' }, /page must be number/],
    ['a status not in the list', { method: 'GET', path: '/zones?status=deleted' }, /status must be equal to one of/],
    ['a query parameter the list does not take', { method: 'GET', path: '/zones?type=secondary' }, /not a query/],
    ['a zone id longer than 32', { method: 'GET', path: `/zones/${ID}00` }, /zone_id must NOT have more than 32/],
    [
      'a failure on an unknown path that is not a routing error',
      { method: 'GET', path: '/nope', answer: { status: 403, body: failed(10000) } },
      /not covered/,
    ],
  ])('catches %s', (_label, exchange, problem) => {
    const { problems } = checkExchange(exchange);
    expect(problems).toContainEqual(expect.stringMatching(problem));
  });

  it('leaves what a test scripted to the test, but still wants the headers of every answer', () => {
    const headers = {
      'cf-ray': '8c1b2d3e4f5a6b7c-EMU',
      ratelimit: '"default";r=1;t=1',
      'ratelimit-policy': '"default";q=5;w=9',
      'content-type': 'application/json',
    };
    const html = { method: 'GET', path: PEERS, answer: { status: 502, body: '<html>', headers } };
    expect(checkExchange(html, { scripted: 'all' }).problems).toEqual([]);
    const unavailable = {
      method: 'GET',
      path: PEERS,
      answer: { status: 503, body: failed(1000), headers: { ...headers, 'retry-after': '2' } },
    };
    expect(checkExchange(unavailable, { scripted: 'status' }).problems).toEqual([]);
    expect(checkExchange(unavailable).problems).toEqual(['header retry-after on a 503 answer']);
    const garbledEnvelope = { ...unavailable, answer: { ...unavailable.answer, body: failed(1000, {}) } };
    expect(checkExchange(garbledEnvelope, { scripted: 'status' }).problems).toContainEqual(
      expect.stringMatching(/result/),
    );
    const { 'cf-ray': _, ...withoutRay } = headers;
    expect(
      checkExchange({ ...html, answer: { ...html.answer, headers: withoutRay } }, { scripted: 'all' }).problems,
    ).toEqual(['header cf-ray is missing']);
  });

  it('names the operation it checked against', () => {
    expect(checkExchange({ method: 'DELETE', path: `${TSIGS}/${ID}` }).operation).toBe(
      'secondary-dns-(-tsig)-delete-tsig',
    );
    expect(checkExchange({ method: 'GET', path: '/x', answer: { status: 404, body: failed(7003) } }).operation).toBe(
      'unrouted',
    );
  });
});

describe('headers', () => {
  const good = {
    'cf-ray': '8c1b2d3e4f5a6b7c-EMU',
    ratelimit: '"default";r=1199;t=300',
    'ratelimit-policy': '"default";q=1200;w=300',
    'content-type': 'application/json',
  };

  it('accepts what Cloudflare sends, Retry-After with a 429', () => {
    expect(headerProblems(200, good, true)).toEqual([]);
    expect(headerProblems(429, { ...good, 'retry-after': '30' }, true)).toEqual([]);
    expect(headerProblems(502, { ...good, 'content-type': 'text/html' }, false)).toEqual([]);
  });

  it.each<[string, number, Record<string, string | undefined>, RegExp]>([
    ['no cf-ray', 200, { ...good, 'cf-ray': undefined }, /cf-ray is missing/],
    ['a short cf-ray', 200, { ...good, 'cf-ray': 'abc-SJC' }, /cf-ray is malformed/],
    ['X-RateLimit instead of Ratelimit', 200, { ...good, ratelimit: undefined }, /ratelimit is missing/],
    ['a Ratelimit without t', 200, { ...good, ratelimit: '"default";r=5' }, /ratelimit is malformed/],
    ['a policy without window', 200, { ...good, 'ratelimit-policy': '"default";q=5' }, /ratelimit-policy is malformed/],
    ['Retry-After on a 200', 200, { ...good, 'retry-after': '1' }, /retry-after on a 200/],
    [
      'Retry-After as a date',
      429,
      { ...good, 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' },
      /retry-after is malformed/,
    ],
    ['JSON as text/plain', 200, { ...good, 'content-type': 'text/plain' }, /content-type/],
  ])('catches %s', (_label, status, headers, problem) => {
    const present = Object.fromEntries(
      Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    expect(headerProblems(status, present, true)).toContainEqual(expect.stringMatching(problem));
  });
});
