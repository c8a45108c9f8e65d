export const id = 438;
export const ids = [438];
export const modules = {

/***/ 7438:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cleanUp: () => (/* binding */ cleanUp)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
;// CONCATENATED MODULE: ./src/cloudflare/errors.ts
// The one error type for anything that went wrong talking to Cloudflare, and the one place
// that turns it into a sentence for the log.
class CloudflareError extends Error {
    name = 'CloudflareError';
    kind;
    request;
    status;
    errors;
    retryAfterMs;
    notProcessed;
    permanent;
    constructor(kind, request, detail, details = {}) {
        super(detail);
        this.kind = kind;
        this.request = request;
        this.status = details.status;
        this.errors = details.errors ?? [];
        this.retryAfterMs = details.retryAfterMs;
        this.notProcessed = details.notProcessed ?? false;
        this.permanent = details.permanent ?? false;
    }
    /** Cloudflare's error codes, outermost first, including nested error_chain entries. */
    get codes() {
        return flatten(this.errors).map((entry) => entry.code);
    }
    /** Worth another attempt: rate limits, server trouble, timeouts, broken connections, garbled answers. */
    get transient() {
        if (this.kind === 'timeout')
            return true;
        if (this.kind === 'network')
            return !this.permanent;
        const status = this.status ?? 0;
        // A garbled 2xx (truncated, wrong shape) is a glitch; a clean 4xx other than 408/429 is a verdict.
        const garbledSuccess = this.kind === 'unreadable' && status < 300;
        return garbledSuccess || status === 429 || status === 408 || status >= 500;
    }
    /** The peer (or TSIG) is not there. A wrong account_id is a 404 too, but with a routing code: not this. */
    get notFound() {
        return this.status === 404 && !this.codes.some((code) => code === 7003 || code === 7000);
    }
    /** A write may have happened although we got no usable answer. */
    get ambiguous() {
        return this.transient && !this.notProcessed;
    }
}
const HINTS = {
    6003: 'the credential headers are malformed: check api_token, or api_email + api_key',
    6111: 'the Authorization header is malformed: check api_token',
    9106: 'no credentials reached Cloudflare: set api_token, or api_email + api_key',
    9109: 'the API token is invalid or expired: create a new one with Account Settings Write',
    9103: 'the api_email / api_key pair is wrong',
    10000: 'the credential lacks permission: the token needs Account Settings Write on this account',
    7003: 'no such route: check account_id (and peer_id)',
    7000: 'no such route: check account_id (and peer_id)',
    971: 'rate limited: Cloudflare blocks a user for up to 5 minutes after 1200 requests in 5 minutes',
    10100: 'rate limited',
};
/** One human sentence (or a few lines) for the log and setFailed; never includes credentials. */
function describeError(error) {
    if (!(error instanceof CloudflareError)) {
        return error instanceof Error ? error.message : String(error);
    }
    const where = `${error.request.method} ${error.request.path}`;
    const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
    const lines = [`Cloudflare ${where} failed${status}: ${error.message}`];
    for (const entry of flatten(error.errors)) {
        const hint = HINTS[entry.code];
        const docs = entry.documentation_url ? ` — ${entry.documentation_url}` : '';
        lines.push(`  code ${entry.code}: ${entry.message}${hint ? ` (${hint})` : ''}${docs}`);
    }
    return lines.join('\n');
}
function flatten(list) {
    return list.flatMap((entry) => [entry, ...flatten(entry.error_chain ?? [])]);
}
/** A short reason for a retry log line: "429 (code 971)", "no answer in time", "502 Cloudflare answered with …". */
function shortReason(error) {
    if (error.kind === 'timeout')
        return 'no answer in time';
    if (error.kind === 'network')
        return `a connection error (${error.message})`;
    const codes = error.codes.length > 0 ? ` (code ${error.codes.join(', ')})` : '';
    if (error.kind === 'unreadable')
        return `${error.status ?? ''} ${error.message}`.trim();
    return `${error.status ?? ''}${codes}`;
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(8816);
;// CONCATENATED MODULE: ./src/retry.ts
// The only place that knows about retrying: capped exponential backoff with full jitter,
// Retry-After honoured, a wait budget, and one log line per retry.

const RETRY_DEFAULTS = {
    budgetMs: 120_000,
    baseDelayMs: 1_000,
    maxDelayMs: 20_000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
};
/** Runs `attempt` until it succeeds, fails for good, or attempts or budget run out. */
async function withRetries(policy, attempt, canRetry = (error) => error.transient) {
    let waitedMs = 0;
    for (let number = 1;; number++) {
        try {
            return await attempt(number);
        }
        catch (error) {
            if (!(error instanceof CloudflareError) || !canRetry(error) || number >= policy.maxAttempts)
                throw error;
            const waitMs = delayBefore(number + 1, error, policy);
            const leftMs = policy.budgetMs - waitedMs;
            if (waitMs > leftMs) {
                throw new CloudflareError(error.kind, error.request, `${error.message}; ${error.retryAfterMs === undefined ? 'the next retry would wait' : 'Cloudflare asks to wait'} ` +
                    `${seconds(waitMs)}, more than the ${seconds(leftMs)} left of this request's retry budget, so the action ` +
                    'stops now: re-run the job later, or run fewer jobs in parallel', { status: error.status, errors: error.errors });
            }
            policy.log(`Cloudflare ${error.request.method} ${error.request.path}: ${shortReason(error)}; ` +
                `waiting ${seconds(waitMs)} before attempt ${number + 1} of ${policy.maxAttempts}`);
            await policy.sleep(waitMs);
            waitedMs += waitMs;
        }
    }
}
/** Full jitter: uniform in [0, min(cap, base * 2^(retry-1))]; Retry-After wins when it is given. */
function delayBefore(attemptNumber, error, policy) {
    if (error.retryAfterMs !== undefined)
        return error.retryAfterMs;
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 2));
    return Math.round(policy.random() * ceiling);
}
function seconds(ms) {
    return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

;// CONCATENATED MODULE: ./src/cloudflare/peers.ts
// Cloudflare's Secondary DNS peer endpoints, typed and validated, each retried in the way that is
// safe for it: GET, PUT and DELETE may simply be repeated; POST may not (see create).



const peerSchema = schemas/* looseObject */._H3({
    id: schemas/* string */.YjP().min(1),
    name: schemas/* string */.YjP(),
    ip: schemas/* string */.YjP().nullish(),
    port: schemas/* number */.aig().nullish(),
    ixfr_enable: schemas/* boolean */.zMY().nullish(),
    tsig_id: schemas/* string */.YjP().nullish(),
});
const deletedSchema = schemas/* looseObject */._H3({ id: schemas/* string */.YjP() });
class PeersApi {
    base;
    send;
    retry;
    constructor(send, retry, accountId) {
        this.send = send;
        this.retry = retry;
        this.base = `/accounts/${accountId}/secondary_dns/peers`;
    }
    list() {
        return this.safe({ method: 'GET', path: this.base }, schemas/* array */.YOg(peerSchema));
    }
    get(peerId) {
        return this.safe({ method: 'GET', path: `${this.base}/${peerId}` }, peerSchema);
    }
    update(peerId, body) {
        return this.safe({ method: 'PUT', path: `${this.base}/${peerId}`, body }, peerSchema);
    }
    async delete(peerId) {
        const req = { method: 'DELETE', path: `${this.base}/${peerId}` };
        await withRetries(this.retry, async (attempt) => {
            try {
                await this.send(req, deletedSchema);
            }
            catch (error) {
                // A retried DELETE that finds nothing means an earlier attempt went through.
                if (attempt > 1 && error instanceof CloudflareError && error.notFound)
                    return;
                throw error;
            }
        });
    }
    /**
     * Create Peer, made safe to retry. POST is not idempotent and names are not unique, so after an
     * ambiguous failure (timeout, reset, 5xx, garbled answer) we list again and adopt the peer with this
     * name that was not in `existingIds`; only when none appeared is the POST sent again. When several
     * appeared, a parallel run created one of them and no one can tell which is ours: stop and say so.
     */
    async create(name, existingIds) {
        const req = { method: 'POST', path: this.base, body: { name } };
        let maybeCreated = false;
        const adoptNew = async () => {
            const appeared = (await this.list()).filter((p) => p.name === name && !existingIds.has(p.id));
            if (appeared.length > 1) {
                throw new Error(`Create Peer's answer was lost, and since then ${appeared.length} peers named "${name}" appeared ` +
                    `(${appeared.map((p) => p.id).join(', ')}): one is this run's, the others a parallel run's, and ` +
                    'nothing tells them apart. Keep one (set peer_id) and delete the others.');
            }
            const [peer] = appeared;
            if (peer)
                this.retry.log(`The earlier Create Peer went through after all: adopting peer ${peer.id}`);
            return peer;
        };
        try {
            return await withRetries(this.retry, async () => {
                const adopted = maybeCreated ? await adoptNew() : undefined;
                if (adopted)
                    return adopted;
                try {
                    return await this.send(req, peerSchema);
                }
                catch (error) {
                    if (error instanceof CloudflareError && error.ambiguous)
                        maybeCreated = true;
                    throw error;
                }
            });
        }
        catch (error) {
            // Only a failed request earns another look; a verdict of adoptNew stands as it is.
            if (!maybeCreated || !(error instanceof CloudflareError))
                throw error;
            // Out of attempts: one last look, so a peer created by a lost answer is never left behind.
            const adopted = await adoptNew().catch((listError) => {
                throw new Error(`${describeError(error)}\nThat Create Peer may have gone through, and listing the peers to check failed ` +
                    `too, so look for a peer named "${name}" on the account.\n${describeError(listError)}`);
            });
            if (adopted)
                return adopted;
            throw error;
        }
    }
    safe(req, schema) {
        return withRetries(this.retry, () => this.send(req, schema));
    }
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./src/loopback.ts
// Loopback hosts are the only ones the action reaches in plain http, and never through a proxy.

/** A URL hostname (IPv6 in brackets, as URL gives it) that stays on this machine. */
function isLoopbackHost(hostname) {
    return hostname === 'localhost' || hostname === '[::1]' || ((0,external_node_net_.isIP)(hostname) === 4 && hostname.startsWith('127.'));
}

;// CONCATENATED MODULE: ./src/cloudflare/wire.ts

/** The wire for this API URL: through the environment's proxy, except for loopback, which is always direct. */
function wireFor(apiUrl, env) {
    const loopback = isLoopbackHost(apiUrl.hostname);
    const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => env[name]);
    return loopback || !proxied ? direct : throughProxy();
}
async function direct(exchange) {
    const { request } = exchange.url.startsWith('https:') ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 4708, 23)) : await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7067, 23));
    const headers = exchange.body === undefined
        ? exchange.headers
        : { ...exchange.headers, 'content-length': String(Buffer.byteLength(exchange.body)) };
    return new Promise((resolve, reject) => {
        const req = request(exchange.url, { method: exchange.method, headers, signal: exchange.signal }, (res) => {
            const chunks = [];
            res.on('data', (chunk) => chunks.push(chunk));
            // A connection that breaks in the middle of the body is an error, not a short answer.
            res.on('error', reject);
            res.on('end', () => resolve({
                status: res.statusCode ?? 0,
                retryAfter: first(res.headers),
                text: Buffer.concat(chunks).toString(),
            }));
        });
        req.on('error', reject);
        req.end(exchange.body);
    });
}
function throughProxy() {
    const client = Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 6752, 19)).then(({ request, EnvHttpProxyAgent }) => ({
        request,
        dispatcher: new EnvHttpProxyAgent(),
    }));
    return async (exchange) => {
        const { request, dispatcher } = await client;
        const { method, url, headers, body, signal } = exchange;
        const res = await request(url, { method: method, headers, body, signal, dispatcher });
        return { status: res.statusCode, retryAfter: first(res.headers), text: await res.body.text() };
    };
}
function first(headers) {
    const value = headers['retry-after'];
    return Array.isArray(value) ? value[0] : value;
}

;// CONCATENATED MODULE: ./src/cloudflare/transport.ts
// One request to the Cloudflare API: auth headers, User-Agent, timeout, and the JSON envelope
// checked with zod. It never retries (retry.ts decides that) and leaves the network to wire.ts.



const messageSchema = schemas/* lazy */.RZV(() => schemas/* object */.Ikc({
    code: schemas/* number */.aig(),
    message: schemas/* string */.YjP(),
    documentation_url: schemas/* string */.YjP().optional(),
    error_chain: schemas/* array */.YOg(messageSchema).optional(),
}));
const envelopeSchema = schemas/* object */.Ikc({
    success: schemas/* boolean */.zMY(),
    errors: schemas/* array */.YOg(messageSchema).default([]),
    result: schemas/* unknown */.L5J(),
});
function createTransport(options) {
    const headers = {
        accept: 'application/json',
        'user-agent': options.userAgent,
        ...authHeaders(options.credentials),
    };
    const wire = wireFor(new URL(options.apiUrl), options.env ?? process.env);
    return async function send(req, resultSchema) {
        const label = { method: req.method, path: req.path };
        const signal = AbortSignal.timeout(options.timeoutMs);
        const body = req.body === undefined ? undefined : JSON.stringify(req.body);
        try {
            const answer = await wire({
                method: req.method,
                url: options.apiUrl + req.path,
                headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
                body,
                signal,
            });
            return readEnvelope(label, answer.status, answer.text, answer.retryAfter, resultSchema);
        }
        catch (error) {
            throw error instanceof CloudflareError ? error : connectionFailure(label, error, signal, options.timeoutMs);
        }
    };
}
function authHeaders(credentials) {
    return credentials.scheme === 'token'
        ? { authorization: `Bearer ${credentials.token}` }
        : { 'x-auth-email': credentials.email, 'x-auth-key': credentials.key };
}
function connectionFailure(label, error, signal, timeoutMs) {
    if (signal.aborted) {
        return new CloudflareError('timeout', label, `no answer within ${timeoutMs / 1000} s`);
    }
    // Some clients wrap the socket's own error, with its code, as the cause.
    const cause = (error.cause ?? error);
    const code = cause.code ?? '';
    const detail = [code, cause.message].filter(Boolean).join(': ') || String(error);
    return new CloudflareError('network', label, detail, {
        // A refused connection never reached the server, so even a POST is safe to send again.
        notProcessed: code === 'ECONNREFUSED',
        permanent: PERMANENT_NETWORK.test(code),
    });
}
// An unknown host or a certificate that does not verify will not heal on a retry seconds later;
// a reset during the TLS handshake (ECONNRESET) or a slow resolver (EAI_AGAIN) may.
const PERMANENT_NETWORK = /^(ENOTFOUND|ERR_TLS_CERT_ALTNAME_INVALID|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_SSL_)/;
function readEnvelope(label, status, text, retryAfter, resultSchema) {
    // What every failure of this answer carries; a 429 proves the request was not carried out.
    const answer = { status, retryAfterMs: parseRetryAfter(retryAfter, Date.now()), notProcessed: status === 429 };
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        const what = /^\s*</.test(text) ? 'an HTML page instead of JSON' : 'a body that is not valid JSON (truncated?)';
        throw new CloudflareError('unreadable', label, `Cloudflare answered with ${what}`, answer);
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) {
        throw new CloudflareError('unreadable', label, 'the answer is JSON but not a Cloudflare API envelope', answer);
    }
    const { success, errors, result } = envelope.data;
    if (!success || status >= 400) {
        const first = errors[0]?.message ?? `HTTP ${status}`;
        throw new CloudflareError('api', label, first, { ...answer, errors });
    }
    const parsed = resultSchema.safeParse(result);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const at = issue?.path.length ? ` at result.${issue.path.join('.')}` : '';
        throw new CloudflareError('unreadable', label, `the result has an unexpected shape${at}: ${issue?.message}`, answer);
    }
    return parsed.data;
}
/** Retry-After is either delay-seconds or an HTTP date. */
function parseRetryAfter(value, nowMs) {
    if (!value)
        return undefined;
    if (/^\d+$/.test(value.trim()))
        return Number(value) * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

;// CONCATENATED MODULE: ./src/version.ts
// Kept in step with package.json by a test; a constant keeps package.json out of the bundle.
const ACTION_NAME = 'cloudflare-secondary-dns-peer-action';
const ACTION_VERSION = '1.0.0';

;// CONCATENATED MODULE: ./src/connect.ts
// Builds the Cloudflare peers client from validated settings; shared by the main and post steps.




function connect(settings, log, env) {
    const send = createTransport({
        apiUrl: settings.apiUrl,
        credentials: settings.credentials,
        userAgent: userAgent(env),
        timeoutMs: settings.requestTimeoutMs,
        env,
    });
    return new PeersApi(send, { ...RETRY_DEFAULTS, maxAttempts: settings.maxAttempts, log }, settings.accountId);
}
/** Names the action, its version and the workflow run, so the calls are easy to find in Cloudflare's audit log. */
function userAgent(env) {
    const repository = env.GITHUB_REPOSITORY;
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const origin = repository ? ` (${server}/${repository}; run ${env.GITHUB_RUN_ID ?? '?'})` : '';
    return `${ACTION_NAME}/${ACTION_VERSION}${origin}`;
}

;// CONCATENATED MODULE: ./src/objects.ts
/** The object without its undefined properties: "not given" stays out of request bodies and settings. */
function definedOnly(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

;// CONCATENATED MODULE: ./src/inputs.ts
// Turns the step's raw inputs into one typed, validated Settings object.
// Every rule lives here, so a bad input fails before any request is sent.




class InputError extends Error {
    name = 'InputError';
}
const DEFAULT_API_URL = 'https://api.cloudflare.com/client/v4';
const HEX32 = /^[0-9a-fA-F]{32}$/;
/** Optional input: the empty string means "not given". */
const optional = (schema) => schemas/* preprocess */.vkY((value) => (value === '' ? undefined : value), schema.optional());
const hexId = (what) => schemas/* string */.YjP()
    .regex(HEX32, `must be ${what} (32 hex characters)`)
    .transform((id) => id.toLowerCase());
const integer = (min, max) => schemas/* string */.YjP()
    .regex(/^\d+$/, `must be an integer from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be an integer from ${min} to ${max}`);
// The YAML 1.2 core-schema booleans, as the runner's own getBooleanInput accepts them.
const inputs_boolean = schemas/* enum */.k5n(['true', 'True', 'TRUE', 'false', 'False', 'FALSE'], { error: 'must be true or false' })
    .transform((text) => text.toLowerCase() === 'true');
const oneOf = (values) => schemas/* enum */.k5n(values, { error: `must be one of ${values.join(', ')}` });
const apiUrl = schemas/* url */.OZ5({ error: 'must be an http(s) URL such as https://api.cloudflare.com/client/v4' })
    .refine((text) => /^https?:/.test(text), 'must be an http(s) URL such as https://api.cloudflare.com/client/v4')
    .refine((text) => {
    const url = new URL(text);
    return url.protocol === 'https:' || isLoopbackHost(url.hostname);
}, 'must use https:// unless the host is loopback (the credential would travel in clear)')
    .transform((text) => text.replace(/\/+$/, ''));
const fields = schemas/* object */.Ikc({
    account_id: hexId('a Cloudflare account id'),
    // Control characters would let a name start a new line, and so a workflow command, in the log.
    name: optional(schemas/* string */.YjP()
        .max(255, 'must be at most 255 characters')
        .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters (such as a line break)')),
    peer_id: optional(hexId('a peer id')),
    ip: optional(schemas/* string */.YjP().refine((ip) => (0,external_node_net_.isIP)(ip) !== 0, 'must be an IPv4 or IPv6 address')),
    port: optional(integer(1, 65535)),
    ixfr_enable: optional(inputs_boolean),
    tsig_id: optional(hexId('a TSIG id')),
    if_exists: oneOf(['update', 'reuse', 'fail']),
    state: oneOf(['present', 'absent']),
    cleanup: inputs_boolean,
    dry_run: inputs_boolean,
    max_attempts: integer(1, 10),
    request_timeout: integer(1, 300),
    api_url: apiUrl,
});
/** Defaults for inputs a caller (a test, a local run) may leave out; action.yml states the same ones. */
const DEFAULTS = {
    if_exists: 'update',
    state: 'present',
    cleanup: 'false',
    dry_run: 'false',
    max_attempts: '5',
    request_timeout: '30',
    api_url: DEFAULT_API_URL,
};
/** The raw credential values, so the caller can mask them before anything is printed. */
function credentialValues(readInput, env) {
    const names = ['api_token', 'api_email', 'api_key'].map(readInput);
    const fromEnv = [env.CLOUDFLARE_API_TOKEN, env.CLOUDFLARE_EMAIL, env.CLOUDFLARE_API_KEY];
    return [...names, ...fromEnv].filter((value) => Boolean(value?.trim())).map((v) => v.trim());
}
function readSettings(readInput, env) {
    const raw = Object.fromEntries(Object.keys(fields.shape).map((name) => {
        const given = readInput(name).trim();
        return [name, given || DEFAULTS[name] || ''];
    }));
    if (!raw.account_id)
        raw.account_id = env.CLOUDFLARE_ACCOUNT_ID?.trim() ?? '';
    const problems = [];
    if (!raw.account_id) {
        problems.push('Input `account_id` is required: give the 32-hex account id, or set CLOUDFLARE_ACCOUNT_ID.');
    }
    const parsed = fields.safeParse(raw);
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            const input = String(issue.path[0]);
            if (input === 'account_id' && !raw.account_id)
                continue;
            problems.push(`Input \`${input}\` ${issue.message}; got ${JSON.stringify(raw[input])}`);
        }
    }
    const credentials = readCredentials(readInput, env, problems);
    if (parsed.success && !parsed.data.name && !parsed.data.peer_id) {
        problems.push('Input `name` is required (the peer name to look up or create), unless `peer_id` is given.');
    }
    if (!parsed.success || !credentials || problems.length > 0) {
        throw new InputError(problems.join('\n'));
    }
    const input = parsed.data;
    return {
        accountId: input.account_id,
        name: input.name,
        peerId: input.peer_id,
        credentials,
        desired: definedOnly({
            ip: input.ip,
            port: input.port,
            ixfr_enable: input.ixfr_enable,
            tsig_id: input.tsig_id,
        }),
        ifExists: input.if_exists,
        state: input.state,
        cleanup: input.cleanup,
        dryRun: input.dry_run,
        maxAttempts: input.max_attempts,
        requestTimeoutMs: input.request_timeout * 1000,
        apiUrl: input.api_url,
    };
}
/** Exactly one scheme: inputs first; only when no credential input is set, the environment. */
function readCredentials(readInput, env, problems) {
    const given = {
        token: readInput('api_token').trim(),
        email: readInput('api_email').trim(),
        key: readInput('api_key').trim(),
    };
    const fromInputs = Boolean(given.token || given.email || given.key);
    const { token, email, key } = fromInputs
        ? given
        : env.CLOUDFLARE_API_TOKEN?.trim()
            ? { token: env.CLOUDFLARE_API_TOKEN.trim(), email: '', key: '' }
            : { token: '', email: env.CLOUDFLARE_EMAIL?.trim() ?? '', key: env.CLOUDFLARE_API_KEY?.trim() ?? '' };
    const where = fromInputs ? (n) => `Input \`${n}\`` : (n) => `Environment variable ${envName(n)}`;
    if (token && (email || key)) {
        problems.push('Inputs `api_token` and `api_email`/`api_key` are both set: use exactly one scheme (an API token is preferred).');
        return undefined;
    }
    if (token)
        return { scheme: 'token', token };
    if (email && key)
        return { scheme: 'global_key', email, key };
    if (email || key) {
        const missing = email ? 'api_key' : 'api_email';
        problems.push(`${where(missing)} is empty: a Global API Key needs both api_email and api_key.`);
        return undefined;
    }
    problems.push('No Cloudflare credentials: set input `api_token` (an API token with Account Settings Write), ' +
        'or `api_email` + `api_key`, or the CLOUDFLARE_API_TOKEN environment variable.');
    return undefined;
}
function envName(input) {
    return ({ api_token: 'CLOUDFLARE_API_TOKEN', api_email: 'CLOUDFLARE_EMAIL', api_key: 'CLOUDFLARE_API_KEY' }[input] ?? input);
}

// EXTERNAL MODULE: ./src/state.ts
var state = __webpack_require__(2462);
;// CONCATENATED MODULE: ./src/cleanup.ts
// At the end of the job, for a peer this run created: warn if a parallel run made a peer with the
// same name, and delete ours when `cleanup` is true. Trouble here is a warning, never a failure.






async function cleanUp(env = process.env) {
    const peerId = core/* getState */.Gu(state/* STATE */.c.createdPeerId);
    const name = core/* getState */.Gu(state/* STATE */.c.createdPeerName);
    try {
        for (const secret of credentialValues(core/* getInput */.V4, env))
            core/* setSecret */.Pq(secret);
        const settings = readSettings(core/* getInput */.V4, env);
        const api = connect(settings, core/* info */.pq, env);
        const twins = (await api.list()).filter((peer) => peer.name === name && peer.id !== peerId);
        if (twins.length > 0) {
            core/* warning */.$e(`Another run created a peer named "${name}" while this job ran: ${twins.map((peer) => peer.id).join(', ')} ` +
                `(this run's is ${peerId}: workflow "${github/* context */._.workflow}", run ${github/* context */._.runNumber}, job ${github/* context */._.job}). ` +
                'Names are not unique on Cloudflare; give parallel jobs a concurrency group per peer name.');
        }
        if (!settings.cleanup)
            return;
        try {
            await api.delete(peerId);
            core/* info */.pq(`Cleanup: deleted peer ${name} (${peerId}), which this run created.`);
        }
        catch (error) {
            if (!(error instanceof CloudflareError && error.notFound))
                throw error;
            core/* info */.pq(`Cleanup: peer ${peerId} is already gone.`);
        }
    }
    catch (error) {
        core/* warning */.$e(`Cleanup of peer ${peerId} did not complete; remove it by hand if it is still there.\n${describeError(error)}`);
    }
}


/***/ })

};
