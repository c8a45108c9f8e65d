export const id = 821;
export const ids = [821];
export const modules = {

/***/ 3348:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ sameSecret),
/* harmony export */   G: () => (/* binding */ canonicalBase64)
/* harmony export */ });
// TSIG secrets are base64, as BIND's tsig-keygen prints them. Two spellings of one secret (padding,
// line breaks) are one secret: it is the decoded bytes that sign a transfer.
// Standard alphabet only (tsig-keygen never writes the URL-safe one); padding optional.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
/** The secret in its canonical, padded form; undefined when it is not base64 or decodes to nothing. */
function canonicalBase64(text) {
    const compact = text.replace(/\s+/g, '');
    if (!BASE64.test(compact))
        return undefined;
    const bytes = Buffer.from(compact, 'base64');
    return bytes.length > 0 ? bytes.toString('base64') : undefined;
}
/** True when both are base64 for the same bytes (or, not being base64, are the same text). */
function sameSecret(a, b) {
    if (a === b)
        return true;
    const left = canonicalBase64(a);
    return left !== undefined && left === canonicalBase64(b);
}


/***/ }),

/***/ 4821:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cleanUp: () => (/* binding */ cleanUp)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
// EXTERNAL MODULE: ./src/cloudflare/errors.ts
var cloudflare_errors = __webpack_require__(7640);
// EXTERNAL MODULE: ./src/short-list.ts
var short_list = __webpack_require__(3098);
;// CONCATENATED MODULE: ./src/base/journal.ts



/**
 * The journal the main step saved, as the post step reads it back; nothing readable means nothing
 * created, and an entry of a kind no step writes is dropped.
 */
function readJournal(saved, kinds) {
    try {
        const entries = JSON.parse(saved);
        return Array.isArray(entries) ? entries.filter((entry) => isEntry(entry, kinds)) : [];
    }
    catch {
        return [];
    }
}
function isEntry(value, kinds) {
    const entry = value;
    return typeof entry?.id === 'string' && typeof entry.name === 'string' && kinds.includes(entry.kind ?? '');
}
class Journal {
    #entries = [];
    /** Entries that only a rollback undoes (an existing object changed): a successful run drops them. */
    #rollbackOnly = new WeakSet();
    #save;
    /** `save` stores the journal where the post step finds it; "" when it is empty. */
    constructor(save) {
        this.#save = save;
    }
    get entries() {
        return this.#entries;
    }
    /**
     * `rollbackOnly`: undone if this run fails, but kept (not cleaned up) when it succeeds. Returns the entry
     * as recorded, for `resolve`.
     */
    record(entry, options = {}) {
        const { kind, id, name, role, peerId, previous } = entry;
        const saved = definedOnly({ kind, id, name, role, peerId, previous });
        if (options.rollbackOnly)
            this.#rollbackOnly.add(saved);
        this.#entries.push(saved);
        this.#persist();
        return saved;
    }
    /**
     * An entry recorded before a write whose result had no id yet, once the answer is in: `id` is what the
     * write made; undefined means it made nothing of this run's (it joined what another run made), and the
     * entry goes.
     */
    resolve(recorded, id) {
        const index = this.#entries.indexOf(recorded);
        if (index === -1)
            return;
        if (id === undefined)
            this.#entries.splice(index, 1);
        else
            recorded.id = id;
        this.#persist();
    }
    /**
     * The run succeeded: drop what only a rollback needs (a changed peer), so the post step is left with what
     * cleanup may undo, and exits at once when that is nothing.
     */
    settle() {
        const kept = this.#entries.filter((entry) => !this.#rollbackOnly.has(entry));
        if (kept.length === this.#entries.length)
            return;
        this.#entries.splice(0, this.#entries.length, ...kept);
        this.#persist();
    }
    /**
     * After a failure: undoes what this run did, newest first, and returns the error to fail with. At the
     * first undo that fails it stops: the older entries (the peer a zone still lists, the key a peer still
     * uses) stay as they are, in the journal for the post step, and are named in the message with what to
     * do by hand.
     */
    async rollBack(cause, handlers, connection) {
        if (this.#entries.length === 0)
            return cause;
        const describe = (entry) => handlers(entry).describe(entry);
        const done = this.#entries.map(describe);
        const kept = [];
        while (this.#entries.length > 0) {
            const entry = this.#entries.at(-1);
            try {
                if ((await handlers(entry).undo(entry, connection)) === 'kept') {
                    kept.push(handlers(entry).kept?.(entry) ?? `${describe(entry)} stays`);
                }
            }
            catch (error) {
                this.#persist();
                const left = [...this.#entries].reverse();
                return new Error(`The run failed after it made ${list(done)}; undoing ${describe(entry)} failed too, so ` +
                    `${left.length === 1 ? 'it is' : 'it and what came before it are'} left on the account. By hand: ` +
                    `${list(left.map((each) => handlers(each).byHand(each)))}.\n${describeError(cause)}\n` +
                    `Undo ${describe(entry)}: ${describeError(error)}`, { cause });
            }
            this.#entries.pop();
        }
        this.#persist();
        if (kept.length > 0) {
            return new Error(`The run failed after it made ${list(done)}; the rest was undone, but ${list(kept)}.\n${describeError(cause)}`, { cause });
        }
        const what = done.length === 1 ? 'it was' : 'they were';
        return new Error(`The run failed after it made ${list(done)}, so ${what} undone (nothing is left behind).\n${describeError(cause)}`, { cause });
    }
    #persist() {
        this.#save(this.#entries.length > 0 ? JSON.stringify(this.#entries) : '');
    }
}
function list(items) {
    if (items.length > MAX_LISTED)
        return shortList(items);
    return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
// EXTERNAL MODULE: ./src/cloudflare/collection.ts
var collection = __webpack_require__(2383);
;// CONCATENATED MODULE: ./src/cloudflare/peer.ts
// Cloudflare's Secondary DNS peer endpoints, typed and validated (the requests themselves: collection.ts).


const peerSchema = schemas/* looseObject */._H3({
    id: schemas/* string */.YjP().min(1),
    name: schemas/* string */.YjP(),
    ip: schemas/* string */.YjP().nullish(),
    port: schemas/* number */.aig().nullish(),
    ixfr_enable: schemas/* boolean */.zMY().nullish(),
    tsig_id: schemas/* string */.YjP().nullish(),
});
/** Create Peer takes only a name; the other fields need an Update. Peer names compare exactly. */
class PeerApi extends collection/* Collection */.p {
    constructor(connection) {
        super(connection, {
            path: 'peers',
            schema: peerSchema,
            create: 'Create Peer',
            noun: 'peer',
            nouns: 'peers',
            sameName: (a, b) => a === b,
            severalHint: 'Keep one (set peer_id) and delete the others.',
        });
    }
}

// EXTERNAL MODULE: ./src/cloudflare/quota.ts
var quota = __webpack_require__(5999);
;// CONCATENATED MODULE: ./src/cloudflare/pacing.ts
// Pacing before the rate limit, not after it. Cloudflare allows a user 1200 requests per 5 minutes,
// shared by every job and person using that credential, and answers the next one with a block of up to
// 5 minutes for all of them. Every answer says what is left (`Ratelimit: "default";r=12;t=40`), so when
// little is left the action spreads what is left evenly up to the reset: each request, however many
// are sent at once, takes its own slot of one schedule, and after the reset they go out at once.

/** Below this share of the quota left, requests are spread over the rest of the window. */
const RESERVE_SHARE = 0.1;
const DEFAULT_QUOTA = 1200;
class Pacer {
    quota;
    /**
     * Requests that took a slot and whose answer has not come yet, by ticket (the order they took their
     * slots in). Those after the answered one had not reached Cloudflare when it counted: each will spend
     * one of what the answer says is left.
     */
    #pending = new Set();
    #tickets = 0;
    /** While pacing: when the window resets, how many more requests may start before then, the last slot given. */
    #pacing = false;
    #resetAt = 0;
    #free = 0;
    #lastSlot = 0;
    #reason = '';
    /**
     * How many requests Cloudflare counts for each one of ours: 1 when this run is alone, about 3 when two
     * other jobs use the credential as fast. Read from how fast `r` falls against how many requests we
     * send, so runs sharing a credential each plan for their share of what is left, not all of it.
     */
    #share = 1;
    /** The first answer of the current window that the share is measured from. */
    #base;
    constructor(options) {
        this.quota = options.quota ?? new quota/* Quota */.P(options);
    }
    /**
     * Reads an answer's rate-limit headers, a 429's included; called with none for a request that got no
     * answer. `ticket` is what beforeRequest gave the request (without it, the oldest one under way).
     * Absent or unreadable headers change nothing but the requests under way.
     */
    observe(ratelimit, policy, ticket) {
        const answered = ticket ?? Math.min(...this.#pending);
        this.#pending.delete(answered);
        const left = parseParams(ratelimit);
        const remaining = left.r;
        const resetSeconds = left.t;
        if (remaining === undefined || resetSeconds === undefined)
            return;
        const limits = parseParams(policy);
        const quota = limits.q ?? DEFAULT_QUOTA;
        // Without a policy, the window announced last (300 s, Cloudflare's documented one, until then).
        const windowSeconds = limits.w ?? this.quota.windowMs() / 1000;
        if (limits.w !== undefined)
            this.quota.setWindowMs(limits.w * 1000);
        const now = this.quota.now();
        const resetAt = now + Math.min(resetSeconds, windowSeconds) * 1000;
        this.#measureShare(answered, remaining, resetAt);
        if (remaining >= quota * RESERVE_SHARE) {
            this.#pacing = false;
            return;
        }
        // The schedule is kept across answers: a new answer changes how much is left, not the slots given.
        if (!this.#pacing)
            this.#lastSlot = now;
        this.#pacing = true;
        this.#resetAt = resetAt;
        this.#free = Math.floor(remaining / this.#share) - [...this.#pending].filter((other) => other > answered).length;
        this.#reason =
            `${remaining} of ${quota} requests left for this credential, the window resets in ${resetSeconds} s ` +
                '(every job using this credential shares them)';
    }
    /**
     * How far `r` fell since the first answer of this window, against how many of our requests were sent in
     * between; measured once at least 8 were, so a burst of answers arriving together does not skew it.
     */
    #measureShare(ticket, remaining, resetAt) {
        if (!Number.isFinite(ticket))
            return;
        const base = this.#base;
        // Within a second or so of the same reset: the same window (t is rounded up to whole seconds).
        if (!base || remaining > base.remaining || Math.abs(resetAt - base.resetAt) >= 2_000) {
            this.#base = { ticket, remaining, resetAt };
            return;
        }
        const ours = ticket - base.ticket;
        if (ours >= 8)
            this.#share = Math.max(1, (base.remaining - remaining) / ours);
    }
    /**
     * Waits for this request's slot when the last answer said the quota is nearly spent: what is left is
     * spread evenly up to the reset, and a request beyond it waits for the reset itself. Gives the ticket
     * to hand to observe() with the answer.
     */
    async beforeRequest(deadline) {
        const now = this.quota.now();
        if (this.#pacing && now >= this.#resetAt) {
            // A fresh window: everything queued goes now; the next answer says how much of it is left.
            this.#pacing = false;
        }
        const spread = this.#pacing && this.#free > 0 && this.#lastSlot < this.#resetAt;
        const slot = !this.#pacing
            ? now
            : spread
                ? Math.max(now, this.#lastSlot + (this.#resetAt - this.#lastSlot) / (this.#free + 1))
                : this.#resetAt;
        const waitMs = Math.ceil(slot - now);
        if (deadline && waitMs > 0 && now + waitMs >= deadline.at) {
            // Never sent: it takes no ticket (the share counts only requests sent) and no slot.
            throw new Error(`Cloudflare rate limit nearly reached: ${this.#reason}; the request would wait ` +
                `${(waitMs / 1000).toFixed(1)} s, past ${deadline.what}, so it was not sent`);
        }
        const ticket = ++this.#tickets;
        this.#pending.add(ticket);
        if (spread) {
            this.#free--;
            this.#lastSlot = slot;
        }
        if (waitMs > 0) {
            await this.quota.wait(waitMs, `Cloudflare rate limit nearly reached: ${this.#reason}; waiting ${(waitMs / 1000).toFixed(1)} s`);
        }
        return ticket;
    }
}
/** The integer parameters of the first item of a structured header: `"default";r=50;t=30` gives {r: 50, t: 30}. */
function parseParams(header) {
    const params = {};
    const item = header?.split(',')[0] ?? '';
    for (const part of item.split(';').slice(1)) {
        const match = /^\s*([a-z]+)=(\d+)\s*$/.exec(part);
        if (match)
            params[match[1]] = Number(match[2]);
    }
    return params;
}

// EXTERNAL MODULE: ./src/cloudflare/retry.ts
var cloudflare_retry = __webpack_require__(4773);
;// CONCATENATED MODULE: ./src/cloudflare/spacing.ts
// Cloudflare allows one IP address 200 requests per second. However fast the answers come (zones handled
// side by side, loopback in tests), request starts are held so that no second holds more than that: a
// request starts at once while the last second saw fewer than 200 starts, else when the oldest of them
// leaves it.
/** Cloudflare's documented limit per IP address. */
const MAX_PER_SECOND = 200;
class StartSpacing {
    #sleep;
    #now;
    /** The last MAX_PER_SECOND start times (taken or reserved), oldest first. */
    #starts = [];
    constructor(options) {
        this.#sleep = options.sleep;
        this.#now = options.now ?? Date.now;
    }
    /** Resolves when the next request may start; each call reserves its start time at once. */
    async take() {
        const now = this.#now();
        const last = this.#starts.at(-1) ?? now;
        const oldest = this.#starts.length < MAX_PER_SECOND ? undefined : this.#starts[0];
        const start = Math.max(now, last, oldest === undefined ? now : oldest + 1000);
        this.#starts.push(start);
        if (this.#starts.length > MAX_PER_SECOND)
            this.#starts.shift();
        if (start > now)
            await this.#sleep(start - now);
    }
}

;// CONCATENATED MODULE: ./src/redact.ts
// What a URL may show of itself in a log line or error: never a user name or password.
/**
 * The URL text with everything before its last `@` (the user name and password, which may hold `/`,
 * `?`, `#` or `@` unencoded) replaced by `***`; works on text that is not a valid URL too. Text without
 * an `@` is unchanged.
 */
function redactUrl(text) {
    return text.replace(/^((?:[a-z][a-z0-9+.-]*:)?\/\/)?[^\s]*@/i, (_match, scheme = '') => `${scheme}***@`);
}
/** Free text (an error message) with the credentials of every URL in it replaced by `***`. */
function redactUrls(text) {
    return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s@]*@/gi, '$1***@');
}
/** The password of a URL's user info (`scheme://user:password@host`), up to the last `@`, for masking. */
function urlPassword(text) {
    return text ? /^[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:(\S+)@/i.exec(text)?.[1] : undefined;
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
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: pick(res.headers), text: Buffer.concat(chunks).toString() }));
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
        return { status: res.statusCode, headers: pick(res.headers), text: await res.body.text() };
    };
}
function pick(headers) {
    const first = (name) => {
        const value = headers[name];
        return Array.isArray(value) ? value[0] : value;
    };
    return {
        retryAfter: first('retry-after'),
        ratelimit: first('ratelimit'),
        ratelimitPolicy: first('ratelimit-policy'),
        ray: first('cf-ray'),
        location: first('location'),
    };
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
    // How often each request object was sent: the same object is re-sent on a retry.
    const attempts = new WeakMap();
    return async function send(req, resultSchema) {
        const label = { method: req.method, path: req.path };
        const body = req.body === undefined ? undefined : JSON.stringify(req.body);
        const attempt = (attempts.get(req) ?? 0) + 1;
        attempts.set(req, attempt);
        await options.spacing?.take();
        const ticket = await options.pacer?.beforeRequest(req.deadline);
        const signal = AbortSignal.timeout(options.timeoutMs);
        const started = Date.now();
        let answer;
        try {
            answer = await wire({
                method: req.method,
                url: options.apiUrl + req.path,
                headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
                body,
                signal,
            });
        }
        catch (error) {
            // No answer, no headers: the pacer only learns that this request is no longer under way.
            options.pacer?.observe(undefined, undefined, ticket);
            const failure = connectionFailure(label, error, signal, options.timeoutMs);
            options.debug?.(`${req.method} ${req.path}: ${failure.message} after ${Date.now() - started} ms (attempt ${attempt})`);
            throw failure;
        }
        const ray = answer.headers.ray ? `, cf-ray ${answer.headers.ray}` : '';
        options.debug?.(`${req.method} ${req.path}: HTTP ${answer.status} in ${Date.now() - started} ms (attempt ${attempt}${ray})`);
        options.pacer?.observe(answer.headers.ratelimit, answer.headers.ratelimitPolicy, ticket);
        return readEnvelope(label, answer, resultSchema);
    };
}
function authHeaders(credentials) {
    return credentials.scheme === 'token'
        ? { authorization: `Bearer ${credentials.token}` }
        : { 'x-auth-email': credentials.email, 'x-auth-key': credentials.key };
}
function connectionFailure(label, error, signal, timeoutMs) {
    if (signal.aborted) {
        return new cloudflare_errors/* CloudflareError */.Oi('timeout', label, `no answer within ${timeoutMs / 1000} s`);
    }
    // Some clients wrap the socket's own error, with its code, as the cause.
    const cause = (error.cause ?? error);
    const code = cause.code ?? '';
    // undici reports a proxy that refuses the tunnel only in its message: "Proxy response (407) !== 200 …".
    const proxyStatus = /Proxy response \((\d{3})\)/.exec(`${cause.message} ${error.message}`)?.[1];
    if (proxyStatus === '407') {
        return new cloudflare_errors/* CloudflareError */.Oi('network', label, PROXY_REFUSED, { permanent: true, notProcessed: true });
    }
    if (code === 'ERR_INVALID_URL') {
        // Only a proxy variable can hold a URL that does not parse here: api_url was checked as an input.
        return new cloudflare_errors/* CloudflareError */.Oi('network', label, INVALID_PROXY, { permanent: true, notProcessed: true });
    }
    const detail = redactUrls([code, cause.message].filter(Boolean).join(': ') || String(error));
    return new cloudflare_errors/* CloudflareError */.Oi('network', label, detail, {
        // A refused connection never reached the server, so even a POST is safe to send again.
        notProcessed: code === 'ECONNREFUSED',
        permanent: PERMANENT_NETWORK.test(code),
    });
}
const INVALID_PROXY = 'the proxy URL in HTTPS_PROXY (or HTTP_PROXY) is not a valid URL: write it as http://host:port, ' +
    'or http://user:password@host:port with the password percent-encoded';
const PROXY_REFUSED = 'the proxy refused the credentials in HTTPS_PROXY (407 Proxy Authentication Required): ' +
    'check the user name and password in the proxy URL; retrying will not help';
// An unknown host or a certificate that does not verify will not heal on a retry seconds later;
// a reset during the TLS handshake (ECONNRESET) or a slow resolver (EAI_AGAIN) may.
const PERMANENT_NETWORK = /^(ENOTFOUND|ERR_TLS_CERT_ALTNAME_INVALID|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_SSL_)/;
function readEnvelope(label, answer, resultSchema) {
    const { status, text, headers } = answer;
    // What every failure of this answer carries; a 429 proves the request was not carried out.
    const details = {
        status,
        ray: headers.ray,
        retryAfterMs: parseRetryAfter(headers.retryAfter, Date.now()),
        notProcessed: status === 429,
    };
    if (status === 407)
        throw new cloudflare_errors/* CloudflareError */.Oi('api', label, PROXY_REFUSED, { ...details, notProcessed: true });
    if (status >= 300 && status < 400) {
        const where = headers.location ? ` to ${redactUrl(headers.location)}` : '';
        throw new cloudflare_errors/* CloudflareError */.Oi('api', label, `the server answered with a redirect${where}, which the action does not follow: ` +
            'set api_url to the Cloudflare API address itself (https://api.cloudflare.com/client/v4, or your gateway)', details);
    }
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        const what = /^\s*</.test(text) ? 'an HTML page instead of JSON' : 'a body that is not valid JSON (truncated?)';
        throw new cloudflare_errors/* CloudflareError */.Oi('unreadable', label, `Cloudflare answered with ${what}`, details);
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) {
        throw new cloudflare_errors/* CloudflareError */.Oi('unreadable', label, 'the answer is JSON but not a Cloudflare API envelope', details);
    }
    const { success, errors, result } = envelope.data;
    if (!success || status >= 400) {
        const first = errors[0]?.message ?? `HTTP ${status}`;
        throw new cloudflare_errors/* CloudflareError */.Oi('api', label, first, { ...details, errors });
    }
    const parsed = resultSchema.safeParse(result);
    if (!parsed.success) {
        // The path and the expected type only: zod's message could quote a value, and answers may carry secrets.
        const issue = parsed.error.issues[0];
        const at = issue?.path.length ? ` at result.${issue.path.join('.')}` : '';
        throw new cloudflare_errors/* CloudflareError */.Oi('unreadable', label, `the result has an unexpected shape${at}${issue?.code ? ` (${issue.code})` : ''}`, details);
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/runner.ts
// The few runner commands the main step needs on its way to success: read an input, mask a value,
// print a line, set outputs, save state, append to the job summary.
//
// Why not @actions/core here: its entry point loads its HTTP client (undici) and process helpers at
// import, about 60 ms before the first request, on every run. These commands are plain environment
// reads, file appends and `::command::` lines, so the happy path does them directly; the toolkit is
// loaded where it pays for itself (a failed run, the post step). See README, "Performance".



/** The input as the runner passes it (INPUT_<NAME>), trimmed; "" when not given. */
function input(name, env = process.env) {
    return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
const masked = new Set();
/** Asks the runner to print *** for this value from now on (once per value: every TSIG List repeats them). */
function mask(value) {
    if (masked.has(value))
        return;
    masked.add(value);
    command('add-mask', value);
}
/** One log line. Line breaks inside it are flattened, so no value can start a workflow command. */
function info(line) {
    process.stdout.write(line.replace(/[\r\n]+/g, ' ') + EOL);
}
/** Step debug logging is on: the runner sets RUNNER_DEBUG=1 when a run is re-run with debug logging. */
function stepDebugOn(env = process.env) {
    return env.RUNNER_DEBUG === '1' || env.ACTIONS_STEP_DEBUG === 'true';
}
/** A warning annotation: shown in the log and on the run's page. */
function warning(line) {
    command('warning', line);
}
/** A line the runner shows only with step debug logging on. */
function debug(line) {
    command('debug', line);
}
function setOutputs(values) {
    for (const [name, value] of Object.entries(values))
        fileCommand('GITHUB_OUTPUT', name, value);
}
function saveState(name, value) {
    fileCommand('GITHUB_STATE', name, value);
}
/** The summary is a courtesy: a file that cannot be written is reported, never a failed step. */
function appendSummary(markdown) {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file)
        return;
    try {
        appendFileSync(file, markdown + EOL);
    }
    catch (error) {
        info(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
    }
}
/** Marks the step failed with an error annotation, through the toolkit (only failures pay for loading it). */
async function fail(message) {
    const core = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 6421));
    core.setFailed(message);
}
function command(name, data) {
    const escaped = data.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    process.stdout.write(`::${name}::${escaped}${external_node_os_.EOL}`);
}
/** `name<<DELIMITER` blocks with a random delimiter, so no value can end the block early. */
function fileCommand(variable, name, value) {
    const file = process.env[variable];
    if (!file) {
        info(`${variable} is not set (not on a runner?): ${name}=${value}`);
        return;
    }
    const delimiter = `ghadelimiter_${randomUUID()}`;
    appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`);
}

;// CONCATENATED MODULE: ./src/version.ts
// Kept in step with package.json by a test; a constant keeps package.json out of the bundle.
const ACTION_NAME = 'cloudflare-secondary-dns-peer-action';
const ACTION_VERSION = '1.0.0';

;// CONCATENATED MODULE: ./src/connect.ts






function connect(settings, log, env) {
    // One pacer and one quota for every request of the run: a 429 or a pacing wait is waited out together.
    const pacer = new Pacer({ sleep: cloudflare_retry/* RETRY_DEFAULTS */.sV.sleep, log });
    const send = createTransport({
        apiUrl: settings.apiUrl,
        credentials: settings.credentials,
        userAgent: userAgent(env),
        timeoutMs: settings.requestTimeoutMs,
        env,
        pacer,
        spacing: new StartSpacing({ sleep: cloudflare_retry/* RETRY_DEFAULTS */.sV.sleep }),
        debug: stepDebugOn(env) ? (line) => debug(`Cloudflare ${line}`) : undefined,
    });
    const retry = { ...cloudflare_retry/* RETRY_DEFAULTS */.sV, maxAttempts: settings.maxAttempts, log, quota: pacer.quota };
    return { send, retry, accountId: settings.accountId };
}
/** Names the action, its version and the workflow run, so the calls are easy to find in Cloudflare's audit log. */
function userAgent(env) {
    const repository = env.GITHUB_REPOSITORY;
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const origin = repository ? ` (${server}/${repository}; run ${env.GITHUB_RUN_ID ?? '?'})` : '';
    return `${ACTION_NAME}/${ACTION_VERSION}${origin}`;
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: ./node_modules/zod/v4/core/core.js
var core_core = __webpack_require__(8532);
// EXTERNAL MODULE: ./src/base64.ts
var base64 = __webpack_require__(3348);
// EXTERNAL MODULE: ./src/names.ts
var names = __webpack_require__(6455);
// EXTERNAL MODULE: ./src/objects.ts
var objects = __webpack_require__(1383);
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
const TSIG_ALGORITHMS = ['hmac-sha1', 'hmac-sha224', 'hmac-sha256', 'hmac-sha384', 'hmac-sha512'];
// BIND, PowerDNS and DNSControl write the algorithm without the dot; Cloudflare's examples all use it.
const tsigAlgo = schemas/* string */.YjP()
    .transform(names/* bareName */.y)
    .refine((algo) => TSIG_ALGORITHMS.includes(algo), `must be one of ${TSIG_ALGORITHMS.join(', ')} (any case, with or without the trailing dot)`)
    .transform((algo) => `${algo}.`);
// The message never repeats the value: readSettings leaves `got …` out for this input too.
const tsigSecret = schemas/* string */.YjP()
    .transform((text) => (0,base64/* canonicalBase64 */.G)(text) ?? '')
    .refine((secret) => secret !== '', 'must be base64, as tsig-keygen prints it (the value is not shown)');
/** Inputs whose value an error message must never show. */
const SECRET_INPUTS = new Set(['tsig_secret']);
const ZONE_NAME = /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9-]{1,63}$/;
// Zone names or ids, one per line or separated by commas; the same zone given twice counts once.
const zoneList = schemas/* string */.YjP().transform((text, ctx) => {
    const targets = new Map();
    for (const item of text
        .split(/[\n,]/)
        .map((part) => part.trim())
        .filter(Boolean)) {
        if (HEX32.test(item)) {
            targets.set(item.toLowerCase(), { by: 'id', id: item.toLowerCase() });
            continue;
        }
        // Internationalised names (U-labels) are looked up in the A-label form Cloudflare uses.
        const unicode = /[^\p{ASCII}]/u.test(item);
        const name = (0,names/* bareName */.y)(unicode ? (0,external_node_url_.domainToASCII)(item.replace(/\.$/, '')) : item);
        if (name && ZONE_NAME.test(name))
            targets.set(name, { by: 'name', name });
        else if (unicode)
            ctx.addIssue({
                code: 'custom',
                message: `has ${JSON.stringify(item)}, an internationalised (IDN) name that cannot be converted to its ASCII ` +
                    'A-label form (xn--…): check its spelling, or give the A-label form itself',
            });
        else
            ctx.addIssue({
                code: 'custom',
                message: `has ${JSON.stringify(item)}, which is neither a zone name nor a 32-hex zone id`,
            });
    }
    return [...targets.values()];
});
const API_URL_FORM = 'must be an http(s) URL such as https://api.cloudflare.com/client/v4';
// One parse, so no malformed value can throw past the schema and hide the other problems of the run.
// A user name or password in the URL is refused: the credential goes in api_token, a proxy's in HTTPS_PROXY.
const apiUrl = schemas/* string */.YjP().transform((text, ctx) => {
    const url = URL.canParse(text) ? new URL(text) : undefined;
    const problem = !url?.host || !/^https?:$/.test(url.protocol)
        ? API_URL_FORM
        : url.username || url.password
            ? "must not contain a user name or password: put the Cloudflare credential in api_token, a proxy's in HTTPS_PROXY"
            : url.protocol === 'http:' && !isLoopbackHost(url.hostname)
                ? 'must use https:// unless the host is loopback (the credential would travel in clear)'
                : undefined;
    if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return core_core/* NEVER */.tm;
    }
    return text.replace(/\/+$/, '');
});
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
    tsig_name: optional(schemas/* string */.YjP()
        .max(255, 'must be at most 255 characters')
        .regex(/^[^\p{Cc}\s]*$/u, 'must be a domain name such as transfer.example.com. (no spaces or control characters)')),
    tsig_secret: optional(tsigSecret),
    tsig_algo: tsigAlgo,
    zones: optional(zoneList),
    zone_role: optional(oneOf(['secondary', 'primary'])),
    auto_refresh_seconds: integer(300, 2_147_483_647),
    transfer: oneOf(['none', 'force']),
    wait_for_transfer: integer(0, 3600),
    create_zones: inputs_boolean,
    verify_peer: schemas/* preprocess */.vkY((value) => String(value).toLowerCase(), oneOf(['auto', 'true', 'false'])),
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
    tsig_algo: 'hmac-sha256',
    auto_refresh_seconds: '86400',
    transfer: 'none',
    wait_for_transfer: '0',
    create_zones: 'false',
    verify_peer: 'auto',
    if_exists: 'update',
    state: 'present',
    cleanup: 'false',
    dry_run: 'false',
    max_attempts: '5',
    request_timeout: '30',
    api_url: DEFAULT_API_URL,
};
/**
 * The raw credential values and the TSIG secret (as given and in the canonical form the action sends),
 * so the caller can mask them before anything is printed.
 */
function credentialValues(readInput, env) {
    const names = ['api_token', 'api_email', 'api_key'].map(readInput);
    const fromEnv = [env.CLOUDFLARE_API_TOKEN, env.CLOUDFLARE_EMAIL, env.CLOUDFLARE_API_KEY];
    // Passwords inside URLs too: api_url refuses them, but only after validation, and a proxy's is used.
    const inUrls = [readInput('api_url'), env.HTTPS_PROXY, env.https_proxy, env.HTTP_PROXY, env.http_proxy].map(urlPassword);
    const secret = readInput('tsig_secret');
    const secrets = [secret, (0,base64/* canonicalBase64 */.G)(secret)];
    return [
        ...new Set([...names, ...fromEnv, ...inUrls, ...secrets].filter((value) => Boolean(value?.trim()))),
    ].map((v) => v.trim());
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
            const given = raw[input];
            const shown = input === 'api_url' ? redactUrl(given) : given;
            const got = SECRET_INPUTS.has(input) ? '' : `; got ${JSON.stringify(shown)}`;
            problems.push(`Input \`${input}\` ${issue.message}${got}`);
        }
    }
    const credentials = readCredentials(readInput, env, problems);
    if (parsed.success && !parsed.data.name && !parsed.data.peer_id) {
        problems.push('Input `name` is required (the peer name to look up or create), unless `peer_id` is given.');
    }
    if (parsed.success)
        problems.push(...tsigProblems(parsed.data), ...zoneProblems(parsed.data, readInput));
    if (!parsed.success || !credentials || problems.length > 0) {
        throw new InputError(problems.join('\n'));
    }
    const input = parsed.data;
    return {
        accountId: input.account_id,
        name: input.name,
        peerId: input.peer_id,
        credentials,
        desired: (0,objects/* definedOnly */.U)({
            ip: input.ip,
            port: input.port,
            ixfr_enable: input.ixfr_enable,
            tsig_id: input.tsig_id,
        }),
        tsig: input.tsig_name
            ? (0,objects/* definedOnly */.U)({ name: input.tsig_name, algo: input.tsig_algo, secret: input.tsig_secret })
            : undefined,
        zones: input.zones?.length && input.zone_role
            ? {
                targets: input.zones,
                role: input.zone_role,
                autoRefreshSeconds: input.auto_refresh_seconds,
                transfer: input.transfer,
                waitSeconds: input.wait_for_transfer,
                create: input.create_zones,
                verifyPeer: input.verify_peer,
            }
            : undefined,
        ifExists: input.if_exists,
        state: input.state,
        cleanup: input.cleanup,
        dryRun: input.dry_run,
        maxAttempts: input.max_attempts,
        requestTimeoutMs: input.request_timeout * 1000,
        apiUrl: input.api_url,
    };
}
/** tsig_name manages a key, tsig_id links one that exists: one or the other, and a secret needs its name. */
function tsigProblems(input) {
    const problems = [];
    if (input.tsig_name && input.tsig_id) {
        problems.push('Inputs `tsig_name` and `tsig_id` are both set: give tsig_name (with tsig_secret) to have the action manage ' +
            'the key and link it, or tsig_id to link a key that exists.');
    }
    if (input.tsig_secret && !input.tsig_name) {
        problems.push('Input `tsig_secret` is set without `tsig_name`: give the name of the key it belongs to.');
    }
    if (input.tsig_name && !input.tsig_secret && input.state === 'present') {
        problems.push("Input `tsig_secret` is required with `tsig_name` for state: present (the key's base64 secret, as tsig-keygen prints it).");
    }
    return problems;
}
/** zone_role goes with zones; a transfer and the wait for it need zones to link, and state: present. */
function zoneProblems(input, readInput) {
    const problems = [];
    const zones = input.zones ?? [];
    if (zones.length > 0 && !input.zone_role) {
        problems.push("Input `zone_role` is required with `zones`: secondary (Cloudflare is secondary; the peer is the zones' " +
            'primary) or primary (Cloudflare is primary; the peer is a secondary it notifies).');
    }
    if (zones.length === 0) {
        for (const name of ['zone_role', 'transfer', 'wait_for_transfer', 'auto_refresh_seconds', 'create_zones']) {
            // action.yml's defaults arrive as inputs too: only a value the user chose counts.
            const given = readInput(name).trim();
            if (given && given !== DEFAULTS[name]) {
                problems.push(`Input \`${name}\` is set, but \`zones\` is empty: give the zones to link.`);
            }
        }
    }
    else if (input.state === 'absent' && (input.transfer !== 'none' || input.wait_for_transfer > 0)) {
        problems.push('Inputs `transfer` and `wait_for_transfer` apply to state: present (state: absent unlinks the zones).');
    }
    if (input.create_zones && input.zone_role === 'primary') {
        problems.push('Input `create_zones` applies to zone_role: secondary only: a zone where Cloudflare is primary holds its own ' +
            'records, so create it yourself (or use zone_role: secondary).');
    }
    return problems;
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
    // A badly pasted secret (a line break inside) would only fail later, as a network error naming a header.
    const unsendable = Object.entries({ api_token: token, api_email: email, api_key: key }).filter(([, value]) => /[^\x20-\x7e]/.test(value));
    for (const [name, value] of unsendable) {
        const what = /[\p{Cc}]/u.test(value) ? 'a line break or another control character' : 'a non-ASCII character';
        problems.push(`${where(name)} contains ${what}, which cannot be sent in an HTTP header: set the secret again without it ` +
            '(its value is not shown).');
    }
    if (unsendable.length > 0)
        return undefined;
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

// EXTERNAL MODULE: ./src/plan/peer.ts
var peer = __webpack_require__(8859);
;// CONCATENATED MODULE: ./src/steps/peer.ts
// The peer step: look the peer up, then carry out its plan against Cloudflare (or, in a dry run, only
// describe it). What it creates or changes goes into the journal first, so a run ends with the peer as
// asked or with nothing of its own. Every run has a peer, so this step is in the entry bundle.



const peerStep = {
    name: 'peer',
    // Every peer is listed when a key is managed (which other peers use it?) or zones are linked (one TSIG
    // key per zone: the zone's other peers' keys count).
    lookUp: ({ settings, connection }) => lookUp(new PeerApi(connection), settings, {
        listAll: settings.tsig !== undefined || settings.zones !== undefined,
    }),
    decide: (settings, board) => linkedTo(settings, board, board.plans.tsig && plannedKeyId(board.plans.tsig)),
    preview: (plan) => preview(plan),
    apply: async (plan, { settings, connection, journal, log }, board) => {
        // A key this run created has its id only now: the same decision again, with that id (pure).
        const key = board.outcomes.tsig;
        const linked = key?.operation === 'created' && settings.state === 'present' ? linkedTo(settings, board, key.key.id) : plan;
        return apply(new PeerApi(connection), linked, found(board), journal, log);
    },
    entries: {
        peer: {
            describe: (entry) => `peer ${entry.name} (${entry.id})`,
            byHand: (entry) => `delete peer ${entry.id} ("${entry.name}")`,
            // 'gone' is confirmed by the List (see Collection.delete): a 404 alone proves nothing.
            undo: (entry, connection) => new PeerApi(connection).delete(entry.id),
        },
        peer_update: {
            describe: (entry) => `the changes to peer ${entry.name} (${entry.id})`,
            byHand: (entry) => `set peer ${entry.id} back to ${JSON.stringify(entry.previous ?? {})}`,
            undo: async (entry, connection) => {
                await new PeerApi(connection).update(entry.id, entry.previous ?? { name: entry.name });
                return 'deleted';
            },
        },
    },
};
/** The id the peer should link: known unless the key is still to be created. */
function plannedKeyId(plan) {
    return 'key' in plan ? plan.key.id : '';
}
function found(board) {
    return board.found.peer;
}
/** The peer's plan; with a key step, linking that key (its id, or "" while it is still to be created). */
function linkedTo(settings, board, keyId) {
    const asked = keyId === undefined ? settings : { ...settings, desired: { ...settings.desired, tsig_id: keyId } };
    return (0,peer/* decide */.LD)(asked, found(board), { newKey: keyId === '' });
}
/**
 * Reads what exists: one GET by id (a List too if it answers 404), or one List filtered by name; or,
 * when every peer is needed too, one List for either.
 */
async function lookUp(api, settings, options = {}) {
    const { peerId } = settings;
    if (peerId && !options.listAll)
        return { by: 'id', peerId, peer: await api.find(peerId) };
    const listed = await api.list();
    if (peerId)
        return { by: 'id', peerId, peer: listed.find((peer) => peer.id === peerId), listed };
    const name = settings.name ?? '';
    return { by: 'name', name, peers: listed.filter((peer) => peer.name === name), listed };
}
function preview(plan) {
    const outcome = { operation: plan.operation, changes: [], plan };
    switch (plan.operation) {
        case 'created':
            // As Create Peer returns a new peer, with the Update's fields laid over it.
            return { ...outcome, peer: { id: '', ip: '', port: 0, ixfr_enable: false, name: plan.name, ...plan.configure } };
        case 'updated':
            return { ...outcome, peer: { ...plan.peer, ...plan.body }, changes: plan.changes };
        case 'unchanged':
        case 'deleted':
            return { ...outcome, peer: plan.peer };
        case 'not_found':
            return { ...outcome, name: plan.name };
    }
}
/** A peer this run creates goes into the journal at once, so a failure after it (configuring it too) undoes it. */
async function apply(api, plan, found, journal, log) {
    const outcome = { operation: plan.operation, changes: [], plan };
    switch (plan.operation) {
        case 'created': {
            const existing = new Set(found.by === 'name' ? found.peers.map((peer) => peer.id) : []);
            const created = await api.create({ name: plan.name }, existing);
            journal.record({ kind: 'peer', id: created.id, name: created.name });
            // Create Peer takes only a name; the other fields need an Update.
            const peer = plan.configure ? await api.update(created.id, plan.configure) : created;
            return { ...outcome, peer };
        }
        case 'updated':
            // Recorded first: if a later part of the run fails, the peer is put back as it was (a key this run
            // created is deleted then, and the peer must not be left pointing at it).
            journal.record({ kind: 'peer_update', id: plan.peer.id, name: plan.peer.name, previous: bodyOf(plan.peer) }, { rollbackOnly: true });
            return { ...outcome, peer: await api.update(plan.peer.id, plan.body), changes: plan.changes };
        case 'deleted': {
            // Gone between lookup and delete (two absent runs at once): the state asked for holds, but this
            // run deleted nothing, so it reports not_found, as if the lookup had come a moment later.
            if ((await api.delete(plan.peer.id)) === 'gone') {
                log(`Peer ${plan.peer.id} was deleted by someone else between lookup and delete: not_found.`);
                return { ...outcome, operation: 'not_found', name: plan.peer.name };
            }
            return { ...outcome, peer: plan.peer };
        }
        case 'unchanged':
            return { ...outcome, peer: plan.peer };
        case 'not_found':
            return { ...outcome, name: plan.name };
    }
}
/** The peer as an Update body: what puts it back as it is now. */
function bodyOf(peer) {
    return (0,objects/* definedOnly */.U)({
        name: peer.name,
        ip: peer.ip || undefined,
        port: peer.port || undefined,
        ixfr_enable: peer.ixfr_enable ?? undefined,
        tsig_id: peer.tsig_id || undefined,
    });
}

;// CONCATENATED MODULE: ./src/run/registry.ts
// The steps a run can take, in the order their objects depend on each other: the TSIG key (a peer links
// it), the peer (zones list it), its zones, and the check of the peer's nameserver for them. Each is
// loaded only when the inputs call for it, so a run without tsig_name or zones never loads that code
// (each is a chunk of its own in dist/). Adding a step means writing its module under steps/ and adding
// it here.

const STEPS = [
    {
        name: 'tsig',
        wanted: (settings) => settings.tsig !== undefined,
        load: async () => (await __webpack_require__.e(/* import() */ 638).then(__webpack_require__.bind(__webpack_require__, 1638))).tsigStep,
        kinds: ['tsig', 'tsig_rotation'],
    },
    {
        name: 'peer',
        wanted: () => true,
        // Every run has a peer: its step is in the entry bundle.
        load: async () => peerStep,
        kinds: ['peer', 'peer_update'],
    },
    {
        name: 'zone',
        wanted: (settings) => settings.zones !== undefined,
        load: async () => (await __webpack_require__.e(/* import() */ 925).then(__webpack_require__.bind(__webpack_require__, 5925))).zoneStep,
        kinds: ['zone', 'zone_config', 'zone_link'],
    },
    {
        // The check of the peer's nameserver (verify_peer): it reads the zones the zone step found, and the
        // zone step's wait uses what it found. It writes nothing, so it has no journal entry.
        name: 'verify',
        wanted: (settings) => settings.zones !== undefined && settings.state === 'present' && settings.zones.verifyPeer !== 'false',
        load: async () => (await Promise.all(/* import() */[__webpack_require__.e(894), __webpack_require__.e(730)]).then(__webpack_require__.bind(__webpack_require__, 5730))).verifyStep,
        kinds: [],
    },
];
/** Every kind of journal entry some step writes. */
const ENTRY_KINDS = STEPS.flatMap((step) => step.kinds);
/** The steps the inputs call for, loaded, in dependency order. */
async function stepsFor(settings) {
    return Promise.all(STEPS.filter((step) => step.wanted(settings)).map((step) => step.load()));
}
/**
 * The handlers of the given entries, from the steps that wrote them (only those are loaded), for a
 * rollback or the post step's cleanup.
 */
async function handlersFor(entries) {
    const needed = STEPS.filter((step) => entries.some((entry) => step.kinds.includes(entry.kind)));
    const loaded = await Promise.all(needed.map((step) => step.load()));
    const byKind = new Map(loaded.flatMap((step) => Object.entries(step.entries)));
    return (entry) => {
        const handler = byKind.get(entry.kind);
        if (!handler)
            throw new Error(`No step undoes journal entries of kind ${entry.kind}.`);
        return handler;
    };
}

// EXTERNAL MODULE: ./src/state.ts
var state = __webpack_require__(2462);
;// CONCATENATED MODULE: ./src/cleanup.ts
// At the end of the job, for the objects this run created (the undo journal): warn if a parallel run
// made a peer with the same name, and with `cleanup: true` delete them, newest first (the peer, then
// its key). Trouble here is a warning, never a failure.









async function cleanUp(env = process.env) {
    const created = readJournal(core.getState(state/* STATE */.c.created), ENTRY_KINDS);
    const left = [...created].reverse();
    // The steps' handlers are loaded only when there is something to clean up.
    let handlers;
    const describe = (entry) => handlers?.(entry).describe(entry) ?? `${entry.kind} ${entry.name} (${entry.id})`;
    try {
        for (const secret of credentialValues(core.getInput, env))
            core.setSecret(secret);
        const settings = readSettings(core.getInput, env);
        const connection = connect(settings, core.info, env);
        const peers = new PeerApi(connection);
        const ourPeers = created.filter((entry) => entry.kind === 'peer');
        if (ourPeers.length === 0 && !settings.cleanup)
            return;
        const listed = await peers.list();
        for (const ours of ourPeers)
            warnOfTwins(ours, listed);
        if (!settings.cleanup)
            return;
        handlers = await handlersFor(created);
        const deleted = new Set();
        for (const entry of [...left]) {
            const users = listed.filter((peer) => peer.tsig_id === entry.id && !deleted.has(peer.id));
            if (entry.kind === 'tsig' && users.length > 0) {
                // A peer this run did not create was linked to the new key; deleting the key would break it.
                const names = users.map((peer) => `peer ${peer.name} (${peer.id})`).join(', ');
                core.warning(`Cleanup: kept ${describe(entry)}, which this run created: ${names} uses it.`);
            }
            else {
                const undone = await handlers(entry).undo(entry, connection);
                if (undone === 'deleted') {
                    deleted.add(entry.id);
                    core.info(`Cleanup: deleted ${describe(entry)}, which this run created.`);
                }
                else if (undone === 'kept') {
                    core.warning(`Cleanup: ${handlers(entry).kept?.(entry) ?? `kept ${describe(entry)}`}.`);
                }
                else {
                    core.info(`Cleanup: ${describe(entry)} is already gone.`);
                }
            }
            left.shift();
        }
    }
    catch (error) {
        const what = (left.length > 0 ? left : created).map(describe).join(', ');
        core.warning(`Cleanup of ${what} did not complete; remove it by hand if it is still there.\n${(0,cloudflare_errors/* describeError */.Uc)(error)}`);
    }
}
function warnOfTwins(ours, listed) {
    const twins = listed.filter((peer) => peer.name === ours.name && peer.id !== ours.id);
    if (twins.length === 0)
        return;
    core.warning(`Another run created a peer named "${ours.name}" while this job ran: ${twins.map((peer) => peer.id).join(', ')} ` +
        `(this run's is ${ours.id}: workflow "${github/* context */._.workflow}", run ${github/* context */._.runNumber}, job ${github/* context */._.job}). ` +
        'Names are not unique on Cloudflare; give parallel jobs a concurrency group per peer name.');
}


/***/ }),

/***/ 2383:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   N: () => (/* binding */ deletedSchema),
/* harmony export */   p: () => (/* binding */ Collection)
/* harmony export */ });
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9691);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7640);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4773);
/* harmony import */ var _safe_create_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7791);
// One collection of an account's Secondary DNS objects (peers, TSIG keys): List, Get, Update and
// Delete, each retried in the way that is safe for it, and Create through safeCreate.




/** What a Delete answers: the id of what is gone. */
const deletedSchema = zod__WEBPACK_IMPORTED_MODULE_3__/* .looseObject */ ._H3({ id: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP() });
class Collection {
    base;
    connection;
    spec;
    constructor(connection, spec) {
        this.connection = connection;
        this.spec = spec;
        this.base = `/accounts/${connection.accountId}/secondary_dns/${spec.path}`;
    }
    list() {
        return this.retried({ method: 'GET', path: this.base }, zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(this.spec.schema));
    }
    get(id) {
        return this.retried({ method: 'GET', path: `${this.base}/${id}` }, this.spec.schema);
    }
    update(id, body) {
        return this.retried({ method: 'PUT', path: `${this.base}/${id}`, body }, this.spec.schema);
    }
    /**
     * The object with this id, or undefined when it is gone. A 404 alone does not prove that (a wrong
     * account answers 404 too, and Cloudflare documents no code for an unknown id): the account's List
     * decides. An object in the List is there, whatever Get said; a List that fails says the account is wrong.
     */
    async find(id) {
        try {
            return await this.get(id);
        }
        catch (error) {
            if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CloudflareError */ .Oi && error.answered404))
                throw error;
            return (await this.list()).find((item) => item.id === id);
        }
    }
    /**
     * Deletes the object. `gone` when it was not there to delete (a parallel run, or a person, was first),
     * confirmed by the List as in find(). A retried DELETE that finds nothing means an earlier attempt went
     * through: `deleted`.
     */
    async delete(id) {
        const req = { method: 'DELETE', path: `${this.base}/${id}` };
        return (0,_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .withRetries */ .LH)(this.connection.retry, async (attempt) => {
            try {
                await this.connection.send(req, deletedSchema);
                return 'deleted';
            }
            catch (error) {
                if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CloudflareError */ .Oi && error.answered404))
                    throw error;
                if ((await this.list()).some((item) => item.id === id))
                    throw error;
                return attempt > 1 ? 'deleted' : 'gone';
            }
        });
    }
    /** Create, made safe to retry: see safeCreate. `existingIds` are the objects with this name before the run. */
    create(body, existingIds) {
        const { spec } = this;
        return (0,_safe_create_js__WEBPACK_IMPORTED_MODULE_2__/* .safeCreate */ .K)({
            operation: spec.create,
            noun: spec.noun,
            nouns: spec.nouns,
            name: body.name,
            severalHint: spec.severalHint,
            retry: this.connection.retry,
            post: () => this.once({ method: 'POST', path: this.base, body }, spec.schema),
            appeared: async () => (await this.list()).filter((item) => spec.sameName(item.name, body.name) && !existingIds.has(item.id)),
        });
    }
    retried(req, schema) {
        return (0,_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .withRetries */ .LH)(this.connection.retry, () => this.once(req, schema));
    }
    /** One request; every object in the answer is shown to `received` before it goes anywhere else. */
    async once(req, schema) {
        const result = await this.connection.send(req, schema);
        for (const item of (Array.isArray(result) ? result : [result]))
            this.spec.received?.(item);
        return result;
    }
}


/***/ }),

/***/ 7640:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Oi: () => (/* binding */ CloudflareError),
/* harmony export */   PR: () => (/* binding */ shortReason),
/* harmony export */   Uc: () => (/* binding */ describeError)
/* harmony export */ });
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
    ray;
    constructor(kind, request, detail, details = {}) {
        super(detail);
        this.kind = kind;
        this.request = request;
        this.status = details.status;
        this.errors = details.errors ?? [];
        this.retryAfterMs = details.retryAfterMs;
        this.notProcessed = details.notProcessed ?? false;
        this.permanent = details.permanent ?? false;
        this.ray = details.ray;
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
    /**
     * Cloudflare answered 404. That alone does not say the object is gone: a wrong account is a 404 too,
     * and Cloudflare does not document its code for an unknown id. Callers confirm with a List.
     */
    get answered404() {
        return this.status === 404;
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
    const answer = [
        error.status === undefined ? '' : `HTTP ${error.status}`,
        error.ray === undefined ? '' : `cf-ray ${error.ray}`,
    ].filter(Boolean);
    const status = answer.length > 0 ? ` (${answer.join(', ')})` : '';
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


/***/ }),

/***/ 5999:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ Quota)
/* harmony export */ });
// Waiting for Cloudflare's rate-limit window, shared by the pacer (before a request) and the retries
// (after a 429). A quota wait can last minutes, so while anyone waits the run prints one line at least
// every 30 s, however many requests wait at once, with what the run has done so far (the caller's
// progress text), instead of looking hung.
/** Cloudflare's documented window: 1200 requests per 5 minutes per user. */
const DEFAULT_WINDOW_MS = 300_000;
/** While waiting, a line at least this often. */
const HEARTBEAT_MS = 30_000;
class Quota {
    #sleep;
    #log;
    #now;
    #windowMs = DEFAULT_WINDOW_MS;
    #progress;
    /** When each wait under way ends, so a line says how long the longest one still has. */
    #ends = new Set();
    #lastLineAt = Number.NEGATIVE_INFINITY;
    #served = 0;
    constructor(options) {
        this.#sleep = options.sleep;
        this.#log = options.log;
        this.#now = options.now ?? Date.now;
    }
    now() {
        return this.#now();
    }
    /** The quota window Cloudflare announced last (`Ratelimit-Policy: …;w=300`); 300 s until one is seen. */
    windowMs() {
        return this.#windowMs;
    }
    setWindowMs(ms) {
        if (ms > 0)
            this.#windowMs = ms;
    }
    /**
     * How many of the run's requests Cloudflare has let through (answered with anything but a 429). A
     * request that keeps getting 429s while this grows is sharing the quota, not shut out of it.
     */
    served() {
        return this.#served;
    }
    markServed() {
        this.#served++;
    }
    /**
     * What the run has done so far, appended to every waiting line ("212 of 300 zones linked"). The caller
     * keeps the text current; the returned function removes it again.
     */
    progress(text) {
        this.#progress = text;
        return () => {
            if (this.#progress === text)
                this.#progress = undefined;
        };
    }
    /**
     * Sleeps `ms`. `line` explains the wait; it is printed unless another waiting line was printed less
     * than 30 s ago (requests waiting side by side say it once). Then, until the wait is over, a line at
     * least every 30 s: "rate limit: waiting 140 s more, 212 of 300 zones linked".
     */
    async wait(ms, line) {
        if (ms <= 0)
            return;
        const mine = { end: this.#now() + ms };
        this.#ends.add(mine);
        try {
            if (this.#now() - this.#lastLineAt >= HEARTBEAT_MS)
                this.#say(line);
            // Counted down by what was slept, not read from the clock, so a sleep that does not move a clock
            // (a test's) still ends the wait.
            let left = ms;
            while (left > 0) {
                const now = this.#now();
                if (now - this.#lastLineAt >= HEARTBEAT_MS)
                    this.#say(this.#heartbeat(now));
                // Wake when the next line is due, so some waiter prints it on time.
                const chunk = Math.min(left, Math.max(1, this.#lastLineAt + HEARTBEAT_MS - this.#now()));
                await this.#sleep(chunk);
                left -= chunk;
            }
        }
        finally {
            this.#ends.delete(mine);
        }
    }
    #say(line) {
        const progress = this.#progress?.();
        this.#log(progress ? `${line}, ${progress}` : line);
        this.#lastLineAt = this.#now();
    }
    #heartbeat(now) {
        const longest = Math.max(...[...this.#ends].map((wait) => wait.end));
        return `rate limit: waiting ${Math.max(1, Math.ceil((longest - now) / 1000))} s more`;
    }
}


/***/ }),

/***/ 4773:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LH: () => (/* binding */ withRetries),
/* harmony export */   sV: () => (/* binding */ RETRY_DEFAULTS)
/* harmony export */ });
/* unused harmony exports MIN_WAIT_AFTER_429_MS, delayBefore */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7640);
/* harmony import */ var _quota_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5999);
// The only place that knows about retrying: capped exponential backoff with full jitter,
// Retry-After honoured, a wait budget, and one log line per retry. A 429 is different: Cloudflare
// blocks the whole credential until its quota window ends, so that wait is sat out (with progress
// lines), whatever the attempts and the budget say, as long as it fits in one window.


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
    // This call's 429 waits since any request of the run got through: a whole window of them means the
    // quota stays spent for the run (someone else takes all of it). While other requests of the run get
    // through, the run is sharing the window with other jobs and makes progress, so this call waits on:
    // its retry lands seconds after a reset (Retry-After is whole seconds) and may lose that window too.
    let quotaWaitedMs = 0;
    const quota = policy.quota ?? new _quota_js__WEBPACK_IMPORTED_MODULE_1__/* .Quota */ .P({ sleep: policy.sleep, log: policy.log });
    let servedBefore = quota.served();
    for (let number = 1;;) {
        try {
            const result = await attempt(number);
            quota.markServed();
            return result;
        }
        catch (error) {
            if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CloudflareError */ .Oi && error.status !== undefined && error.status !== 429)
                quota.markServed();
            if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CloudflareError */ .Oi) || !canRetry(error))
                throw error;
            if (error.status === 429 && error.retryAfterMs !== undefined) {
                if (quota.served() !== servedBefore)
                    quotaWaitedMs = 0;
                servedBefore = quota.served();
                checkDeadline(policy, quota, error, error.retryAfterMs);
                // Not processed, so not an attempt: the same number is tried again.
                quotaWaitedMs += await waitOutQuota(error, error.retryAfterMs, quotaWaitedMs, quota);
                continue;
            }
            quotaWaitedMs = 0;
            if (number >= policy.maxAttempts)
                throw error;
            const waitMs = delayBefore(number + 1, error, policy);
            const leftMs = policy.budgetMs - waitedMs;
            if (waitMs > leftMs) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CloudflareError */ .Oi(error.kind, error.request, `${error.message}; ${error.retryAfterMs === undefined ? 'the next retry would wait' : 'Cloudflare asks to wait'} ` +
                    `${seconds(waitMs)}, more than the ${seconds(leftMs)} left of this request's retry budget, so the action ` +
                    'stops now: re-run the job later, or run fewer jobs in parallel', { status: error.status, errors: error.errors, ray: error.ray });
            }
            checkDeadline(policy, quota, error, waitMs);
            policy.log(`Cloudflare ${error.request.method} ${error.request.path}: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .shortReason */ .PR)(error)}; ` +
                `waiting ${seconds(waitMs)} before attempt ${number + 1} of ${policy.maxAttempts}`);
            await policy.sleep(waitMs);
            waitedMs += waitMs;
            number++;
        }
    }
}
/** Fails the call, briefly, when a wait of `waitMs` would end past the policy's deadline. */
function checkDeadline(policy, quota, error, waitMs) {
    const { deadline } = policy;
    if (!deadline || quota.now() + waitMs < deadline.at)
        return;
    throw restated(error, `${error.message}; a retry would wait ${seconds(waitMs)}, past ${deadline.what}, so it was not tried`);
}
/** The same failure in other words: every detail of Cloudflare's answer kept. */
function restated(error, message) {
    const { status, errors, ray, retryAfterMs, notProcessed, permanent } = error;
    return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CloudflareError */ .Oi(error.kind, error.request, message, {
        status,
        errors,
        ray,
        retryAfterMs,
        notProcessed,
        permanent,
    });
}
/**
 * Sits out a 429's Retry-After when it fits in one quota window; fails, briefly, when it does not, or
 * when a whole window of waiting has already gone by with nothing of the run let through and the quota
 * is still spent (another job or person keeps spending it). Returns the time waited.
 */
async function waitOutQuota(error, waitMs, alreadyMs, quota) {
    const windowMs = quota.windowMs();
    // A 429 was not processed (the transport says so), and the restated failure keeps that.
    const fail = (why) => restated(error, `Cloudflare's rate limit for this credential: ${why}`);
    if (waitMs > windowMs) {
        throw fail(`it asks to wait ${seconds(waitMs)}, longer than its ${seconds(windowMs)} window, so the action stops now; ` +
            're-run the job later');
    }
    if (alreadyMs >= windowMs) {
        throw fail(`the quota was still spent after waiting ${seconds(alreadyMs)} (a whole window, in which none of this ` +
            "run's requests got through): other jobs or people " +
            'are using the same credential; re-run later, or run fewer jobs with it at once');
    }
    await quota.wait(waitMs, `Cloudflare ${error.request.method} ${error.request.path}: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .shortReason */ .PR)(error)}; ` +
        `waiting ${seconds(waitMs)} for the rate-limit window to reset (not counted as an attempt)`);
    return waitMs;
}
/** After a 429, Cloudflare blocks the user for minutes if the limit is hit again: never retry sooner than this. */
const MIN_WAIT_AFTER_429_MS = 1_000;
/**
 * Full jitter: uniform in [0, min(cap, base * 2^(retry-1))]; Retry-After wins when it is given.
 * A 429 without Retry-After waits at least MIN_WAIT_AFTER_429_MS.
 */
function delayBefore(attemptNumber, error, policy) {
    if (error.retryAfterMs !== undefined)
        return error.retryAfterMs;
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 2));
    const jitter = Math.round(policy.random() * ceiling);
    return error.status === 429 ? Math.max(MIN_WAIT_AFTER_429_MS, jitter) : jitter;
}
function seconds(ms) {
    return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}


/***/ }),

/***/ 7791:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K: () => (/* binding */ safeCreate)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7640);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4773);
// Create for objects whose POST is not idempotent and whose names are not unique (peers, TSIG keys):
// a second POST after a lost answer makes a duplicate, so a POST is never blindly sent again.


/**
 * After an ambiguous failure (timeout, reset, 5xx, garbled answer) list again and adopt the one object
 * with this name that appeared; only when none did is the POST sent again. When several appeared, a
 * parallel run created one of them and no one can tell which is ours: stop and say so.
 */
async function safeCreate(spec) {
    const { operation, noun, nouns, name, retry } = spec;
    let maybeCreated = false;
    const adoptNew = async () => {
        const appeared = await spec.appeared();
        if (appeared.length > 1) {
            throw new Error(`${operation}'s answer was lost, and since then ${appeared.length} ${nouns} named "${name}" appeared ` +
                `(${appeared.map((item) => item.id).join(', ')}): one is this run's, the others a parallel run's, and ` +
                `nothing tells them apart. ${spec.severalHint}`);
        }
        const [item] = appeared;
        if (item)
            retry.log(`The earlier ${operation} went through after all: adopting ${noun} ${item.id}`);
        return item;
    };
    try {
        return await (0,_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .withRetries */ .LH)(retry, async () => {
            const adopted = maybeCreated ? await adoptNew() : undefined;
            if (adopted)
                return adopted;
            try {
                return await spec.post();
            }
            catch (error) {
                if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CloudflareError */ .Oi && error.ambiguous)
                    maybeCreated = true;
                throw error;
            }
        });
    }
    catch (error) {
        // Only a failed request earns another look; a verdict of adoptNew stands as it is.
        if (!maybeCreated || !(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CloudflareError */ .Oi))
            throw error;
        // Out of attempts: one last look, so an object created by a lost answer is never left behind.
        const adopted = await adoptNew().catch((listError) => {
            throw new Error(`${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .describeError */ .Uc)(error)}\nThat ${operation} may have gone through, and listing the ${nouns} to check failed ` +
                `too, so look for a ${noun} named "${name}" on the account.\n${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .describeError */ .Uc)(listError)}`);
        });
        if (adopted)
            return adopted;
        throw error;
    }
}


/***/ }),

/***/ 6455:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   q: () => (/* binding */ sameName),
/* harmony export */   y: () => (/* binding */ bareName)
/* harmony export */ });
// DNS names (zones, TSIG key names, and the algorithm names that are DNS names too, RFC 8945) compare
// without regard to ASCII case (RFC 4343), with the trailing dot of the absolute form optional:
// Cloudflare writes `xfr.example.` and `hmac-sha256.`, BIND and most users neither.
/** The name as it is compared: lower case, without the trailing dot. */
function bareName(name) {
    return name.toLowerCase().replace(/\.$/, '');
}
/** `a.example.` and `A.Example` are one name; so are `hmac-sha256` and `HMAC-SHA256.`. */
function sameName(a, b) {
    return bareName(a) === bareName(b);
}


/***/ }),

/***/ 1383:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U: () => (/* binding */ definedOnly)
/* harmony export */ });
/** The object without its undefined properties: "not given" stays out of request bodies and settings. */
function definedOnly(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}


/***/ }),

/***/ 4565:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ PlanError)
/* harmony export */ });
/* harmony import */ var _short_list_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3098);

/**
 * A situation the user must resolve (several objects share a name, one exists with if_exists: fail…); the
 * message says how. `detail`, when given, is the whole message where the message names only a few items.
 */
class PlanError extends _short_list_js__WEBPACK_IMPORTED_MODULE_0__/* .DetailedError */ .nj {
    name = 'PlanError';
    constructor(message, detail = message) {
        super(message, detail);
    }
}


/***/ }),

/***/ 8859:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $r: () => (/* binding */ targetOf),
/* harmony export */   GO: () => (/* binding */ remainingPeers),
/* harmony export */   LD: () => (/* binding */ decide)
/* harmony export */ });
/* unused harmony export display */
/* harmony import */ var _objects_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1383);
/* harmony import */ var _error_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4565);


const FIELDS = ['name', 'ip', 'port', 'ixfr_enable', 'tsig_id'];
/**
 * `newKey`: the run creates the peer's key and its id is not known yet (`desired.tsig_id` is ""), so the
 * peer changes to link it whatever it links now; the real id replaces "" when the key exists.
 */
function decide(settings, found, options = {}) {
    const target = single(found);
    if (settings.state === 'absent') {
        return target ? { operation: 'deleted', peer: target } : { operation: 'not_found', name: settings.name };
    }
    if (!target) {
        if (found.by === 'id') {
            throw new _error_js__WEBPACK_IMPORTED_MODULE_0__/* .PlanError */ .W(`Input \`peer_id\`: no peer ${found.peerId} exists on this account. Check the id, or drop peer_id to create one by name.`);
        }
        const configure = Object.keys(settings.desired).length > 0 ? { name: found.name, ...settings.desired } : undefined;
        return { operation: 'created', name: found.name, configure };
    }
    // if_exists is about a name that is taken; a peer_id names the one peer to converge.
    if (found.by === 'name' && settings.ifExists === 'fail') {
        throw new _error_js__WEBPACK_IMPORTED_MODULE_0__/* .PlanError */ .W(`A peer named "${target.name}" already exists (id ${target.id}) and if_exists is fail. ` +
            'Set if_exists: update to converge it, reuse to adopt it, or remove it first.');
    }
    if (found.by === 'name' && settings.ifExists === 'reuse')
        return { operation: 'unchanged', peer: target };
    const body = desiredBody(target, settings.name, settings.desired);
    const changes = diff(target, body);
    if (options.newKey && !changes.some((change) => change.field === 'tsig_id')) {
        changes.push({ field: 'tsig_id', before: display(target.tsig_id), after: '' });
    }
    return changes.length === 0
        ? { operation: 'unchanged', peer: target }
        : { operation: 'updated', peer: target, body, changes };
}
/**
 * The peer a run acts on: the one with the given peer_id or name, undefined when there is none. Several
 * with the name is a situation the user must resolve (the error says how).
 */
function targetOf(found) {
    return single(found);
}
/** The peers of the account that are still there after the plan is carried out (needs a listing lookup). */
function remainingPeers(found, plan) {
    const gone = plan.operation === 'deleted' ? plan.peer.id : undefined;
    return (found.listed ?? []).filter((peer) => peer.id !== gone);
}
/** The one peer to act on, or undefined when there is none; several with one name is an error. */
function single(found) {
    if (found.by === 'id')
        return found.peer;
    if (found.peers.length > 1) {
        const ids = found.peers.map((peer) => peer.id).join(', ');
        throw new _error_js__WEBPACK_IMPORTED_MODULE_0__/* .PlanError */ .W(`${found.peers.length} peers are named "${found.name}" (${ids}); names are not unique on Cloudflare. ` +
            'Set input `peer_id` to the one to act on.');
    }
    return found.peers[0];
}
/** The full object to PUT: the peer as it is, with the given fields laid over it. */
function desiredBody(peer, name, desired) {
    const merged = {
        name: name ?? peer.name,
        ip: desired.ip ?? (peer.ip || undefined),
        port: desired.port ?? (peer.port || undefined),
        ixfr_enable: desired.ixfr_enable ?? peer.ixfr_enable ?? undefined,
        tsig_id: desired.tsig_id ?? (peer.tsig_id || undefined),
    };
    return (0,_objects_js__WEBPACK_IMPORTED_MODULE_1__/* .definedOnly */ .U)(merged);
}
function diff(peer, body) {
    return FIELDS.flatMap((field) => {
        const before = display(peer[field]);
        const after = display(body[field]);
        const same = field === 'ip' ? canonicalIp(before) === canonicalIp(after) : before === after;
        return same ? [] : [{ field, before, after }];
    });
}
/** 2001:DB8:0::53 and 2001:db8::53 are one address; compare IPv6 in its canonical (RFC 5952) form. */
function canonicalIp(ip) {
    return ip.includes(':') ? new URL(`http://[${ip}]`).hostname : ip;
}
/** Cloudflare reports unset fields as "", 0 or absent; all of them display (and output) as "". */
function display(value) {
    if (value === undefined || value === null || value === '' || value === 0)
        return '';
    return String(value);
}


/***/ }),

/***/ 3098:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   nj: () => (/* binding */ DetailedError),
/* harmony export */   pg: () => (/* binding */ shortList)
/* harmony export */ });
/* unused harmony exports MAX_LISTED, MAX_MESSAGE, capMessage, detailOf */
// Messages stay short however many zones a run has: a log line or an error names at most 10 items and
// says how many more there are, and no message is longer than 4,000 characters. The job summary is
// where every item is listed.
/** The most items a message names. */
const MAX_LISTED = 10;
/** The longest message, in characters. */
const MAX_MESSAGE = 4_000;
/**
 * The items joined by `separator`, at most `max` of them: "a, b, c" or "a, …, j, and 290 more (see the
 * job summary)".
 */
function shortList(items, separator = ', ', max = MAX_LISTED) {
    if (items.length <= max)
        return items.join(separator);
    return [...items.slice(0, max), `and ${items.length - max} more (see the job summary)`].join(separator);
}
/** The message as it is when it fits in `max` characters; else cut (at a line end when one is near) with a note. */
function capMessage(message, max = MAX_MESSAGE) {
    if (message.length <= max)
        return message;
    // Room for the note, which names how much was cut: its length depends on that number, so allow for it.
    const note = (cut) => `… (${cut} more characters: see the job summary)`;
    let end = max - note(message.length).length;
    const lineEnd = message.lastIndexOf('\n', end);
    if (lineEnd >= 0 && lineEnd > end - 200)
        end = lineEnd + 1;
    // Never split a character made of two UTF-16 units.
    if (/[\uD800-\uDBFF]/.test(message.charAt(end - 1)))
        end--;
    return `${message.slice(0, end)}${note(message.length - end)}`;
}
/** An error whose message lists a few items, and whose `detail` lists them all (for the job summary). */
class DetailedError extends Error {
    detail;
    constructor(message, detail, options) {
        super(message, options);
        this.detail = detail;
    }
}
/** The whole text of an error for the job summary: its detail, or its cause's, when it has one. */
function detailOf(error) {
    for (let each = error; each instanceof Error; each = each.cause) {
        if (each instanceof DetailedError)
            return each.detail;
    }
    return undefined;
}


/***/ })

};
