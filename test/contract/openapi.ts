// Cloudflare's published OpenAPI document (the vendored Secondary DNS subset) as a checker: it finds
// the operation a concrete request is for and validates the request body and the answer against that
// operation's schemas. Generic over the document, so every endpoint the emulator grows is covered.
//
// The document's quirks, and how they are read here (see the reference on the contract):
// - Each 4XX schema is an allOf of the success and the failure envelope, which no body can satisfy:
//   every failure (4xx and 5xx) is checked against `secondary-dns_api-response-common-failure` alone.
// - Error codes say `minimum: 1000`, yet a 429 carries 971: 971 is accepted too.
// - The failure envelope says `errors` has `minLength: 1`, a string keyword on an array: read as minItems.
// - A request body without a schema (DELETE, force_axfr, enable, ...) is marked required, yet the
//   official SDK sends none: no body, or any JSON, is accepted.
// - Request schemas list the read-only `id` as required: read-only properties are not required in requests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';

// biome-ignore lint/suspicious/noExplicitAny: the document is arbitrary JSON, walked by key
type Json = any;

const DOCUMENT: Json = JSON.parse(
  readFileSync(join(import.meta.dirname, 'cloudflare-openapi-secondary-dns.json'), 'utf8'),
);
const API_ROOT = '/client/v4';
const FAILURE = 'secondary-dns_api-response-common-failure';

/**
 * Operations the emulator serves that the published subset leaves out. Their answers are checked
 * against the common envelope only; anything else outside the document is reported, never passed.
 */
export const OUTSIDE_DOCUMENT: readonly { method: string; path: string; envelope: string; why: string }[] = [
  {
    method: 'GET',
    path: '/zones',
    envelope: 'secondary-dns_api-response-collection',
    why: 'zone lookup by name; not a Secondary DNS path, so not in the subset',
  },
  {
    method: 'GET',
    path: '/zones/{zone_id}',
    envelope: 'secondary-dns_api-response-single',
    why: 'zone details; not a Secondary DNS path, so not in the subset',
  },
];

/** Cloudflare's router answers these for a path or method no operation has; they need no operation. */
const ROUTING_CODES = new Set([7000, 7001, 7003]);

export interface ExchangeToCheck {
  method: string;
  /** Concrete path, with or without the /client/v4 prefix; a query string is ignored. */
  path: string;
  /** The request body as sent; '' or undefined for none. */
  body?: string;
  /** Absent when no answer came (a dropped connection): only the request is checked then. */
  answer?: { status: number; body: string; headers?: Record<string, string> };
}

export interface Verdict {
  /** operationId, `outside the document: GET /zones`, `unrouted`, or undefined when nothing matched. */
  operation: string | undefined;
  problems: string[];
}

interface Operation {
  id: string;
  method: string;
  template: string;
  spec: Json;
}

const operations: Operation[] = Object.entries(DOCUMENT.paths as Record<string, Json>)
  .flatMap(([template, item]) =>
    Object.entries(item as Record<string, Json>).map(([method, spec]) => ({
      id: spec.operationId as string,
      method: method.toUpperCase(),
      template,
      spec,
    })),
  )
  // Templates with fewer parameters first, so a literal segment wins over a {parameter}.
  .sort((a, b) => params(a.template) - params(b.template));

function params(template: string): number {
  return (template.match(/\{/g) ?? []).length;
}

function templateMatches(template: string, path: string): boolean {
  const pattern = template
    .split('/')
    .map((segment) => (/^\{.+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`).test(path);
}

export function apiPath(path: string): string {
  const bare = path.split('?')[0] ?? path;
  return bare.startsWith(`${API_ROOT}/`) ? bare.slice(API_ROOT.length) : bare;
}

/** The document's operation for this method and concrete path, if it has one. */
export function findOperation(method: string, path: string): Operation | undefined {
  const relative = apiPath(path);
  return operations.find((op) => op.method === method.toUpperCase() && templateMatches(op.template, relative));
}

/** Every operationId of the document whose path starts with one of these prefixes (templates). */
export function operationIds(...prefixes: string[]): string[] {
  return operations.filter((op) => prefixes.some((p) => op.template.startsWith(p))).map((op) => op.id);
}

// --- schemas ---------------------------------------------------------------------------------------

/** The components, with the quirks that concern answers corrected (see the top of this file). */
function patchedComponents(): Json {
  const components = structuredClone(DOCUMENT.components);
  components.schemas['secondary-dns_messages'].items.properties.code = {
    type: 'integer',
    anyOf: [{ minimum: 1000 }, { const: 971 }],
  };
  const errors = components.schemas[FAILURE].properties.errors;
  delete errors.minLength;
  errors.minItems = 1;
  return components;
}

const COMPONENTS = patchedComponents();
const DOC_ID = 'cloudflare-openapi';
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ $id: DOC_ID, components: COMPONENTS } as AnySchemaObject);

const validators = new Map<string, ValidateFunction>();

function validator(key: string, build: () => Json): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(build());
    validators.set(key, validate);
  }
  return validate;
}

/** A schema taken from `paths`, with its local references pointed at the registered components. */
function fromPaths(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`));
}

function component(name: string): Json {
  return { $ref: `${DOC_ID}#/components/schemas/${name}` };
}

/** The schema with every reference replaced by what it points at (the document has no cycles). */
function inline(schema: Json, depth = 0): Json {
  if (depth > 50) throw new Error('reference cycle in the OpenAPI document');
  if (Array.isArray(schema)) return schema.map((item) => inline(item, depth + 1));
  if (typeof schema !== 'object' || schema === null) return schema;
  if (typeof schema.$ref === 'string') {
    const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
    if (name === undefined || !(name in COMPONENTS.schemas)) throw new Error(`unresolvable $ref ${schema.$ref}`);
    return inline(COMPONENTS.schemas[name], depth + 1);
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, inline(value, depth + 1)]));
}

/** A request schema in which read-only properties are not required (they are the server's to set). */
function withoutReadOnlyRequired(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(withoutReadOnlyRequired);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, withoutReadOnlyRequired(value)]));
  if (Array.isArray(copy.required) && copy.properties) {
    copy.required = copy.required.filter((name: string) => copy.properties[name]?.readOnly !== true);
  }
  return copy;
}

function schemaProblems(validate: ValidateFunction, value: unknown, what: string): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (error) => `${what}${error.instancePath || ' (root)'} ${error.message ?? 'is invalid'} (${error.schemaPath})`,
  );
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

// --- checks ----------------------------------------------------------------------------------------

/** Problems with the request body of an operation of the document. */
export function requestProblems(op: Operation, body: string | undefined): string[] {
  const requestBody = op.spec.requestBody;
  const sent = body !== undefined && body !== '';
  if (requestBody === undefined) return sent ? [`request: ${op.id} takes no body, yet one was sent`] : [];
  const schema = requestBody.content?.['application/json']?.schema;
  if (!sent) return schema === undefined ? [] : [`request: ${op.id} requires a JSON body, none was sent`];
  const parsed = parseJson(body);
  if (!parsed) return [`request: the body is not JSON: ${body.slice(0, 80)}`];
  if (schema === undefined) return [];
  const validate = validator(`request ${op.id}`, () => withoutReadOnlyRequired(inline(schema)));
  return schemaProblems(validate, parsed.value, 'request body');
}

/** Problems with an answer's body, given the operation (undefined: outside the document). */
function answerProblems(
  method: string,
  path: string,
  op: Operation | undefined,
  answer: NonNullable<ExchangeToCheck['answer']>,
): Verdict {
  const parsed = parseJson(answer.body);
  const failed = answer.status >= 400;
  const outside = OUTSIDE_DOCUMENT.find((o) => o.method === method && templateMatches(o.path, path));
  const label = op?.id ?? (outside ? `outside the document: ${outside.method} ${outside.path}` : undefined);
  if (!parsed) return { operation: label, problems: [`answer ${answer.status}: the body is not JSON`] };

  if (failed) {
    const problems = schemaProblems(
      validator('failure', () => component(FAILURE)),
      parsed.value,
      'failure answer',
    );
    if (label !== undefined) return { operation: label, problems };
    // No operation: only the router's own answer is right.
    const codes: unknown[] = (parsed.value as Json)?.errors?.map((e: Json) => e?.code) ?? [];
    const routed = codes.some((code) => ROUTING_CODES.has(code as number));
    if (routed) return { operation: 'unrouted', problems };
    return { operation: undefined, problems: [...problems, notCovered(method, path)] };
  }

  if (answer.status < 200 || answer.status > 299) {
    return { operation: label, problems: [`answer ${answer.status}: the document defines no such status`] };
  }
  if (op) {
    const responses = op.spec.responses;
    const schema = (responses['200'] ?? responses['2XX'] ?? responses.default)?.content?.['application/json']?.schema;
    if (schema === undefined) return { operation: label, problems: [`answer: ${op.id} defines no success schema`] };
    const validate = validator(`answer ${op.id}`, () => fromPaths(schema));
    return { operation: label, problems: schemaProblems(validate, parsed.value, 'success answer') };
  }
  if (outside) {
    const validate = validator(`envelope ${outside.envelope}`, () => component(outside.envelope));
    return { operation: label, problems: schemaProblems(validate, parsed.value, 'success answer') };
  }
  return { operation: undefined, problems: [notCovered(method, path)] };
}

function notCovered(method: string, path: string): string {
  return `${method} ${path} is not covered: no operation in the document, and not in OUTSIDE_DOCUMENT`;
}

/**
 * The headers Cloudflare puts on every answer (the reference, not the document): a cf-ray and the
 * IETF-draft Ratelimit and Ratelimit-Policy. Names in lower case.
 */
export function everyAnswerHeaderProblems(headers: Record<string, string>): string[] {
  const problems: string[] = [];
  const expectHeader = (name: string, pattern: RegExp): void => {
    const value = headers[name];
    if (value === undefined) problems.push(`header ${name} is missing`);
    else if (!pattern.test(value)) problems.push(`header ${name} is malformed: ${value}`);
  };
  expectHeader('cf-ray', /^[0-9a-f]{16}-[A-Z]{3}$/);
  expectHeader('ratelimit', /^"[^"]+";r=\d+;t=\d+$/);
  expectHeader('ratelimit-policy', /^"[^"]+";q=\d+;w=\d+$/);
  return problems;
}

/** Those, plus the headers that depend on the answer: Retry-After only with a 429, JSON labelled as JSON. */
export function headerProblems(status: number, headers: Record<string, string>, json: boolean): string[] {
  const problems = everyAnswerHeaderProblems(headers);
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined && status !== 429) problems.push(`header retry-after on a ${status} answer`);
  if (retryAfter !== undefined && !/^\d+$/.test(retryAfter)) {
    problems.push(`header retry-after is malformed: ${retryAfter}`);
  }
  if (json && !/^application\/json\b/.test(headers['content-type'] ?? '')) {
    problems.push(`header content-type is not application/json: ${headers['content-type']}`);
  }
  return problems;
}

export interface CheckOptions {
  /** Check the request (off for exchanges that send bad requests on purpose). Default true. */
  request?: boolean;
  /**
   * How much of the answer a test scripted (an injected fault), and so is not the emulator's to keep:
   * 'status' = status and headers (the body is still the common envelope), 'all' = the body too.
   * Either way the headers every answer carries are checked.
   */
  scripted?: 'status' | 'all';
}

/** Everything the contract says about one exchange: request body, answer body, answer headers. */
export function checkExchange(exchange: ExchangeToCheck, options: CheckOptions = {}): Verdict {
  const method = exchange.method.toUpperCase();
  const path = apiPath(exchange.path);
  const op = findOperation(method, path);
  const outside = OUTSIDE_DOCUMENT.some((o) => o.method === method && templateMatches(o.path, path));
  const problems: string[] = [];
  if (options.request !== false) {
    if (op) problems.push(...requestProblems(op, exchange.body));
    else if (!outside) problems.push(`request: ${method} ${path} is not an operation of the document`);
  }
  const { answer } = exchange;
  if (!answer) return { operation: op?.id, problems };

  const verdict =
    options.scripted === 'all' ? { operation: op?.id, problems: [] } : answerProblems(method, path, op, answer);
  problems.push(...verdict.problems);
  if (answer.headers) {
    const json = parseJson(answer.body) !== undefined;
    problems.push(
      ...(options.scripted
        ? everyAnswerHeaderProblems(answer.headers)
        : headerProblems(answer.status, answer.headers, json)),
    );
  }
  return { operation: verdict.operation, problems };
}
