// Cloudflare's published OpenAPI document (the vendored subsets: Secondary DNS, and the /zones
// operations) as a checker: it finds the operation a concrete request is for and validates the request
// (path and query parameters, body) and the answer against that operation's schemas. Generic over the
// documents, so every endpoint the emulator grows is covered.
//
// The documents' quirks, and how they are read here (see the reference on the contract):
// - Each Secondary DNS 4XX schema is an allOf of the success and the failure envelope, which no body can
//   satisfy: every failure (4xx and 5xx) is checked against the document's common failure envelope alone.
// - Error codes say `minimum: 1000`, yet a 429 carries 971: 971 is accepted too.
// - The failure envelope says `errors` has `minLength: 1`, a string keyword on an array: read as minItems.
// - A request body without a schema (DELETE, force_axfr, enable, ...) is marked required, yet the
//   official SDK sends none: no body, or any JSON, is accepted.
// - Request schemas list the read-only `id` as required: read-only properties are not required in requests.
// - The /zones document uses the formats date-time and hostname, checked here by two plain patterns.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';

// biome-ignore lint/suspicious/noExplicitAny: the document is arbitrary JSON, walked by key
type Json = any;

/** One vendored document; its component names all start with `${prefix}_`. */
interface ApiDocument {
  /** The ajv id its (patched) components are registered under. */
  id: string;
  prefix: string;
  json: Json;
  components: Json;
}

const API_ROOT = '/client/v4';

function load(file: string, prefix: string): ApiDocument {
  const json: Json = JSON.parse(readFileSync(join(import.meta.dirname, file), 'utf8'));
  return { id: `cloudflare-openapi-${prefix}`, prefix, json, components: patchedComponents(json, prefix) };
}

/** The components, with the quirks that concern answers corrected (see the top of this file). */
function patchedComponents(json: Json, prefix: string): Json {
  const components = structuredClone(json.components);
  components.schemas[`${prefix}_messages`].items.properties.code = {
    type: 'integer',
    anyOf: [{ minimum: 1000 }, { const: 971 }],
  };
  const errors = components.schemas[failureName(prefix)].properties.errors;
  delete errors.minLength;
  errors.minItems = 1;
  return components;
}

function failureName(prefix: string): string {
  return `${prefix}_api-response-common-failure`;
}

const DOCUMENTS: readonly ApiDocument[] = [
  load('cloudflare-openapi-secondary-dns.json', 'secondary-dns'),
  load('cloudflare-openapi-zones.json', 'zones'),
];

/** Cloudflare's router answers these for a path or method no operation has; they need no operation. */
const ROUTING_CODES = new Set([7000, 7001, 7003]);

export interface ExchangeToCheck {
  method: string;
  /** Concrete path, with or without the /client/v4 prefix, and with or without its query string. */
  path: string;
  /** The query string without its '?', as the emulator records it; when absent, the path's is read. */
  query?: string;
  /** The request body as sent; '' or undefined for none. */
  body?: string;
  /** Absent when no answer came (a dropped connection): only the request is checked then. */
  answer?: { status: number; body: string; headers?: Record<string, string> };
}

export interface Verdict {
  /** operationId, `unrouted`, or undefined when nothing matched. */
  operation: string | undefined;
  problems: string[];
}

interface Operation {
  id: string;
  method: string;
  template: string;
  spec: Json;
  doc: ApiDocument;
}

const operations: Operation[] = DOCUMENTS.flatMap((doc) =>
  Object.entries(doc.json.paths as Record<string, Json>).flatMap(([template, item]) =>
    Object.entries(item as Record<string, Json>).map(([method, spec]) => ({
      id: spec.operationId as string,
      method: method.toUpperCase(),
      template,
      spec,
      doc,
    })),
  ),
)
  // Templates with fewer parameters first, so a literal segment wins over a {parameter}.
  .sort((a, b) => params(a.template) - params(b.template));

function params(template: string): number {
  return (template.match(/\{/g) ?? []).length;
}

/** The values of the template's {parameters} in this concrete path, or undefined when it does not match. */
function pathParams(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template
    .split('/')
    .map((segment) => {
      const name = /^\{(.+)\}$/.exec(segment)?.[1];
      if (name === undefined) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('/');
  const values = new RegExp(`^${pattern}$`).exec(path)?.slice(1);
  return values && Object.fromEntries(names.map((name, index) => [name, values[index] ?? '']));
}

export function apiPath(path: string): string {
  const bare = path.split('?')[0] ?? path;
  return bare.startsWith(`${API_ROOT}/`) ? bare.slice(API_ROOT.length) : bare;
}

/** The documents' operation for this method and concrete path, if they have one. */
export function findOperation(method: string, path: string): Operation | undefined {
  const relative = apiPath(path);
  return operations.find((op) => op.method === method.toUpperCase() && pathParams(op.template, relative));
}

/** Every operationId of the documents whose path starts with one of these prefixes (templates). */
export function operationIds(...prefixes: string[]): string[] {
  return operations.filter((op) => prefixes.some((p) => op.template.startsWith(p))).map((op) => op.id);
}

// --- schemas ---------------------------------------------------------------------------------------

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i);
ajv.addFormat(
  'hostname',
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i,
);
for (const doc of DOCUMENTS) ajv.addSchema({ $id: doc.id, components: doc.components } as AnySchemaObject);

const validators = new Map<string, ValidateFunction>();

function validator(key: string, build: () => Json): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(build());
    validators.set(key, validate);
  }
  return validate;
}

/** A schema taken from a document's `paths`, with its local references pointed at its registered components. */
function fromPaths(doc: ApiDocument, schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${doc.id}#/components/`));
}

function component(doc: ApiDocument, name: string): Json {
  return { $ref: `${doc.id}#/components/schemas/${name}` };
}

/** The schema with every reference replaced by what it points at (the documents have no cycles). */
function inline(doc: ApiDocument, schema: Json, depth = 0): Json {
  if (depth > 50) throw new Error('reference cycle in the OpenAPI document');
  if (Array.isArray(schema)) return schema.map((item) => inline(doc, item, depth + 1));
  if (typeof schema !== 'object' || schema === null) return schema;
  const { schemas } = doc.components;
  if (typeof schema.$ref === 'string') {
    const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
    if (name === undefined || !(name in schemas)) throw new Error(`unresolvable $ref ${schema.$ref}`);
    return inline(doc, schemas[name], depth + 1);
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, inline(doc, value, depth + 1)]));
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

/** `root` names the value itself in a message: " (root)" for a body, nothing for a named parameter. */
function schemaProblems(validate: ValidateFunction, value: unknown, what: string, root = ' (root)'): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (error) => `${what}${error.instancePath || root} ${error.message ?? 'is invalid'} (${error.schemaPath})`,
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

/** Problems with the request body of an operation of the documents. */
export function requestProblems(op: Operation, body: string | undefined): string[] {
  const requestBody = op.spec.requestBody;
  const sent = body !== undefined && body !== '';
  if (requestBody === undefined) return sent ? [`request: ${op.id} takes no body, yet one was sent`] : [];
  const schema = requestBody.content?.['application/json']?.schema;
  if (!sent) return schema === undefined ? [] : [`request: ${op.id} requires a JSON body, none was sent`];
  const parsed = parseJson(body);
  if (!parsed) return [`request: the body is not JSON: ${body.slice(0, 80)}`];
  if (schema === undefined) return [];
  const validate = validator(`request ${op.id}`, () => withoutReadOnlyRequired(inline(op.doc, schema)));
  return schemaProblems(validate, parsed.value, 'request body');
}

/**
 * Problems with the path and query parameters of a request: each query parameter must be one the operation
 * lists, and every value must fit its schema (query values are text: numbers and booleans are read first).
 */
export function parameterProblems(op: Operation, path: string, query: string): string[] {
  const declared: Json[] = op.spec.parameters ?? [];
  const inPath = Object.entries(pathParams(op.template, apiPath(path)) ?? {});
  const given = [
    ...inPath.map(([name, value]) => ({ in: 'path', name, value })),
    ...[...new URLSearchParams(query)].map(([name, value]) => ({ in: 'query', name, value })),
  ];
  return given.flatMap((param) => {
    const spec = declared.find((p) => p.in === param.in && p.name === param.name);
    if (!spec) return param.in === 'query' ? [`request: ${param.name} is not a query parameter of ${op.id}`] : [];
    const schema = inline(op.doc, spec.schema ?? {});
    const validate = validator(`${param.in} ${op.id} ${param.name}`, () => schema);
    return schemaProblems(validate, typed(param.value, schema.type), `request ${param.in} parameter ${param.name}`, '');
  });
}

/** A query value read as the type its schema names, so "20" checks as 20; text that is no such value stays text. */
function typed(text: string, type: unknown): unknown {
  if ((type === 'number' || type === 'integer') && text.trim() !== '' && Number.isFinite(Number(text))) {
    return Number(text);
  }
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** Problems with an answer's body, given the operation (undefined: none of the documents has one). */
function answerProblems(op: Operation | undefined, answer: NonNullable<ExchangeToCheck['answer']>): Verdict {
  const parsed = parseJson(answer.body);
  const label = op?.id;
  if (!parsed) return { operation: label, problems: [`answer ${answer.status}: the body is not JSON`] };

  if (answer.status >= 400) {
    // Without an operation, any document's failure envelope will do: they are alike.
    const doc = op?.doc ?? (DOCUMENTS[0] as ApiDocument);
    const problems = schemaProblems(
      validator(`failure ${doc.id}`, () => component(doc, failureName(doc.prefix))),
      parsed.value,
      'failure answer',
    );
    if (label !== undefined) return { operation: label, problems };
    // No operation: only the router's own answer is right.
    const codes: unknown[] = (parsed.value as Json)?.errors?.map((e: Json) => e?.code) ?? [];
    const routed = codes.some((code) => ROUTING_CODES.has(code as number));
    return routed
      ? { operation: 'unrouted', problems }
      : { operation: undefined, problems: [...problems, NOT_COVERED] };
  }

  if (answer.status < 200 || answer.status > 299) {
    return { operation: label, problems: [`answer ${answer.status}: the document defines no such status`] };
  }
  if (!op) return { operation: undefined, problems: [NOT_COVERED] };
  const responses = op.spec.responses;
  const schema = (responses['200'] ?? responses['2XX'] ?? responses.default)?.content?.['application/json']?.schema;
  if (schema === undefined) return { operation: label, problems: [`answer: ${op.id} defines no success schema`] };
  const validate = validator(`answer ${op.id}`, () => fromPaths(op.doc, schema));
  return { operation: label, problems: schemaProblems(validate, parsed.value, 'success answer') };
}

const NOT_COVERED = 'not covered: no operation of the documents has this method and path';

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

/** Everything the contract says about one exchange: request parameters and body, answer body, answer headers. */
export function checkExchange(exchange: ExchangeToCheck, options: CheckOptions = {}): Verdict {
  const method = exchange.method.toUpperCase();
  const path = apiPath(exchange.path);
  const op = findOperation(method, path);
  const problems: string[] = [];
  if (options.request !== false) {
    const query = exchange.query ?? exchange.path.split('?')[1] ?? '';
    if (op) problems.push(...parameterProblems(op, path, query), ...requestProblems(op, exchange.body));
    else problems.push(`request: ${method} ${path} is not an operation of the documents`);
  }
  const { answer } = exchange;
  if (!answer) return { operation: op?.id, problems };

  const verdict = options.scripted === 'all' ? { operation: op?.id, problems: [] } : answerProblems(op, answer);
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
