export const id = 730;
export const ids = [730];
export const modules = {

/***/ 6526:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ TsigApi)
/* harmony export */ });
/* unused harmony export tsigSchema */
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9691);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6455);
/* harmony import */ var _collection_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2383);
// Cloudflare's Secondary DNS TSIG endpoints, typed and validated (the requests themselves: collection.ts).
// Get and List answer with every key's secret in plain text, so each answer's secrets are handed to
// `reveal` (the runner's mask) before anything else can happen with them.



const tsigSchema = zod__WEBPACK_IMPORTED_MODULE_1__/* .looseObject */ ._H3({
    id: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP().min(1),
    name: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP(),
    algo: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP(),
    secret: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP(),
});
class TsigApi extends _collection_js__WEBPACK_IMPORTED_MODULE_0__/* .Collection */ .p {
    constructor(connection, reveal) {
        super(connection, {
            path: 'tsigs',
            schema: tsigSchema,
            create: 'Create TSIG',
            noun: 'TSIG key',
            nouns: 'TSIG keys',
            sameName: _names_js__WEBPACK_IMPORTED_MODULE_2__/* .sameName */ .q,
            severalHint: 'Keep one, delete the others, and run again.',
            received: (key) => {
                if (key.secret)
                    reveal(key.secret);
            },
        });
    }
}


/***/ }),

/***/ 1532:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ valuesOrFailure),
/* harmony export */   j: () => (/* binding */ settleAll)
/* harmony export */ });
/* harmony import */ var _cloudflare_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7640);
/* harmony import */ var _short_list_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3098);
// Independent work (one zone each) runs side by side, a few at a time: fast, and gentle on the rate limit.


/** Like Promise.allSettled over items.map(fn), with at most `limit` calls in flight; results in item order. */
async function settleAll(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            try {
                results[index] = { status: 'fulfilled', value: await fn(items[index]) };
            }
            catch (reason) {
                results[index] = { status: 'rejected', reason };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
/**
 * The values of settled work, or one error naming every item that failed ("- zone a.example: why"): the
 * message lists at most 10, its detail (for the job summary) all of them.
 */
function valuesOrFailure(results, labels, what) {
    const failed = results.flatMap((result, index) => result.status === 'rejected' ? [`- ${labels[index]}: ${(0,_cloudflare_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .describeError */ .Uc)(result.reason)}`] : []);
    if (failed.length > 0) {
        throw new _short_list_js__WEBPACK_IMPORTED_MODULE_1__/* .DetailedError */ .nj(`${what}:\n${(0,_short_list_js__WEBPACK_IMPORTED_MODULE_1__/* .shortList */ .pg)(failed, '\n')}`, `${what}:\n${failed.join('\n')}`);
    }
    return results.map((result) => result.value);
}


/***/ }),

/***/ 8731:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dh: () => (/* binding */ inSync)
/* harmony export */ });
/* unused harmony exports reached, newer */
// RFC 1982 serial number arithmetic (32 bits): a serial that wrapped past 2^32 is still newer.
const HALF = 2 ** 31;
/** True when current is target or newer than it. Two serials exactly 2^31 apart are not comparable: false. */
function reached(current, target) {
    return current === target || newer(current, target);
}
/**
 * Whether the copy of a zone has reached its source: with Cloudflare as the secondary the copy is
 * Cloudflare's serial; as the primary it is the peer's.
 */
function inSync(role, cloudflare, peer) {
    return role === 'primary' ? reached(peer, cloudflare) : reached(cloudflare, peer);
}
/** True when a is newer than b (RFC 1982 §3.2). */
function newer(a, b) {
    return (a < b && b - a > HALF) || (a > b && a - b < HALF);
}


/***/ }),

/***/ 5730:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  verifyStep: () => (/* binding */ verifyStep)
});

// EXTERNAL MODULE: ./src/cloudflare/tsig.ts
var tsig = __webpack_require__(6526);
// EXTERNAL MODULE: ./src/concurrency.ts
var concurrency = __webpack_require__(1532);
// EXTERNAL MODULE: ./src/dns/serial.ts
var serial = __webpack_require__(8731);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/dns-packet/index.js
var dns_packet = __webpack_require__(4894);
// EXTERNAL MODULE: ./src/names.ts
var names = __webpack_require__(6455);
;// CONCATENATED MODULE: ./src/dns/wire.ts
// The few things about a DNS message's raw bytes that dns-packet does not expose: where each record starts
// (TSIG signs the exact bytes before its own record) and names in their canonical wire form.

const HEADER = 12;
const POINTER = 0xc0;
/** A domain name's uncompressed, lowercased wire form, as TSIG digests it (`hmac-sha256.` → 11 bytes + 0). */
function canonicalName(name) {
    const labels = (0,names/* bareName */.y)(name)
        .split('.')
        .filter((label) => label !== '');
    const parts = [];
    for (const label of labels) {
        const bytes = Buffer.from(label, 'utf8');
        if (bytes.length > 63)
            throw new Error(`DNS label longer than 63 bytes in ${name}`);
        parts.push(Buffer.from([bytes.length]), bytes);
    }
    parts.push(Buffer.from([0]));
    return Buffer.concat(parts);
}
/** The name at offset (following compression pointers) and the offset just after it in the record. */
function readName(message, offset) {
    const labels = [];
    let at = offset;
    let end;
    for (let jumps = 0; jumps < 128; jumps++) {
        const length = byteAt(message, at);
        if (length === 0)
            return { name: `${labels.join('.')}.`, end: end ?? at + 1 };
        if ((length & POINTER) === POINTER) {
            end ??= at + 2;
            at = ((length & ~POINTER) << 8) | byteAt(message, at + 1);
            continue;
        }
        if (at + 1 + length > message.length)
            throw new Error('DNS name runs past the message');
        labels.push(message.toString('utf8', at + 1, at + 1 + length));
        at += 1 + length;
    }
    throw new Error('DNS name has too many compression pointers');
}
/** Offset of the message's last record (the additional section's last, where TSIG must be), if any. */
function lastRecordOffset(message) {
    if (message.length < HEADER)
        throw new Error('DNS message shorter than its header');
    const questions = message.readUInt16BE(4);
    const records = message.readUInt16BE(6) + message.readUInt16BE(8) + message.readUInt16BE(10);
    let at = HEADER;
    for (let i = 0; i < questions; i++)
        at = readName(message, at).end + 4;
    let last;
    for (let i = 0; i < records; i++) {
        last = at;
        at = readName(message, at).end;
        if (at + 10 > message.length)
            throw new Error('DNS record runs past the message');
        at += 10 + message.readUInt16BE(at + 8);
    }
    if (at > message.length)
        throw new Error('DNS record runs past the message');
    return last;
}
function byteAt(message, at) {
    const value = message[at];
    if (value === undefined)
        throw new Error('DNS name runs past the message');
    return value;
}

;// CONCATENATED MODULE: ./src/dns/tsig.ts
// RFC 8945 transaction signatures: sign a message with a shared key, and verify a signed one. The MAC covers
// the message as sent (without its TSIG record, with its original id), then the TSIG variables; an answer's
// MAC also covers the request's MAC, and the later messages of a zone transfer cover the prior MAC instead.



const TSIG_TYPE = 250;
const CLASS_ANY = 255;
/** Seconds of clock skew accepted, as RFC 8945 recommends and BIND uses. */
const FUDGE = 300;
const HASHES = {
    'hmac-sha1': 'sha1',
    'hmac-sha224': 'sha224',
    'hmac-sha256': 'sha256',
    'hmac-sha384': 'sha384',
    'hmac-sha512': 'sha512',
};
/** TSIG error codes (RFC 8945 §3), carried in the TSIG record; the header's RCODE is then NOTAUTH. */
const TSIG_ERROR = { BADSIG: 16, BADKEY: 17, BADTIME: 18 };
/** The algorithm's name as it goes on the wire: lower case with the trailing dot (`hmac-sha256.`). */
function algorithmName(algo) {
    return `${(0,names/* bareName */.y)(algo)}.`;
}
/** The node:crypto hash behind a TSIG algorithm, or undefined for one this client does not support. */
function tsigHash(algo) {
    return HASHES[(0,names/* bareName */.y)(algo)];
}
/** The message with a TSIG record appended, and the MAC it carries (an answer to it must cover it). */
function sign(message, key, options = {}) {
    const record = {
        keyName: key.name,
        algorithm: algorithmName(key.algo),
        timeSigned: options.time ?? Math.floor(Date.now() / 1000),
        fudge: FUDGE,
        mac: Buffer.alloc(0),
        originalId: message.readUInt16BE(0),
        error: options.error ?? 0,
        otherData: options.otherData ?? Buffer.alloc(0),
    };
    if (!options.unsigned)
        record.mac = digest(key, [...(options.preceding ?? []), message], record, options);
    const signed = Buffer.concat([message, encodeRecord(record)]);
    signed.writeUInt16BE(signed.readUInt16BE(10) + 1, 10);
    return { message: signed, mac: record.mac };
}
/** The message's TSIG record and the message as it was before signing; undefined when it is not signed. */
function readTsig(message) {
    const offset = lastRecordOffset(message);
    if (offset === undefined || message.readUInt16BE(10) === 0)
        return undefined;
    const owner = readName(message, offset);
    if (message.readUInt16BE(owner.end) !== TSIG_TYPE)
        return undefined;
    const rdata = owner.end + 10;
    const algorithm = readName(message, rdata);
    let at = algorithm.end;
    const timeSigned = message.readUIntBE(at, 6);
    const fudge = message.readUInt16BE(at + 6);
    const macSize = message.readUInt16BE(at + 8);
    at += 10;
    const mac = Buffer.from(message.subarray(at, at + macSize));
    at += macSize;
    const originalId = message.readUInt16BE(at);
    const error = message.readUInt16BE(at + 2);
    const otherSize = message.readUInt16BE(at + 4);
    const otherData = Buffer.from(message.subarray(at + 6, at + 6 + otherSize));
    if (at + 6 + otherSize > message.length)
        throw new Error('TSIG record runs past the message');
    const unsigned = Buffer.from(message.subarray(0, offset));
    unsigned.writeUInt16BE(originalId, 0);
    unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10);
    const record = {
        keyName: owner.name,
        algorithm: algorithm.name,
        timeSigned,
        fudge,
        mac,
        originalId,
        error,
        otherData,
    };
    return { record, unsigned };
}
/**
 * Checks a signed message against the keys one knows, in RFC 8945 §5.2's order: a known key and algorithm
 * (else BADKEY), the MAC (else BADSIG), the time within the fudge (else BADTIME). The record's own error
 * field is the caller's to read: a verified answer may still report one (BADTIME is signed).
 */
function verify(message, keys, options = {}) {
    const signed = readTsig(message);
    if (!signed)
        return { ok: false, error: 'unsigned' };
    const { record, unsigned } = signed;
    const key = keys.find((candidate) => (0,names/* sameName */.q)(candidate.name, record.keyName) &&
        (0,names/* sameName */.q)(candidate.algo, record.algorithm) &&
        tsigHash(candidate.algo) !== undefined);
    if (!key)
        return { ok: false, error: 'BADKEY', record };
    const expected = digest(key, [...(options.preceding ?? []), unsigned], record, options);
    // Truncated MACs (RFC 8945 §5.2.2.1) are not accepted: no nameserver this checks sends them by default.
    if (record.mac.length !== expected.length || !(0,external_node_crypto_.timingSafeEqual)(record.mac, expected)) {
        return { ok: false, error: 'BADSIG', record, key };
    }
    const now = options.now ?? Math.floor(Date.now() / 1000);
    if (Math.abs(now - record.timeSigned) > record.fudge)
        return { ok: false, error: 'BADTIME', record, key };
    return { ok: true, key, record };
}
/** The name of a TSIG error code, or undefined for 0 and codes this client does not know. */
function tsigErrorName(code) {
    return Object.keys(TSIG_ERROR).find((name) => TSIG_ERROR[name] === code);
}
function digest(key, messages, record, options) {
    const hash = tsigHash(key.algo);
    if (!hash)
        throw new Error(`unsupported TSIG algorithm ${algorithmName(key.algo)}`);
    const hmac = (0,external_node_crypto_.createHmac)(hash, Buffer.from(key.secret, 'base64'));
    if (options.priorMac)
        hmac.update(Buffer.concat([u16(options.priorMac.length), options.priorMac]));
    for (const message of messages)
        hmac.update(message);
    const timers = Buffer.concat([u48(record.timeSigned), u16(record.fudge)]);
    if (options.timersOnly) {
        hmac.update(timers);
    }
    else {
        hmac.update(canonicalName(record.keyName));
        hmac.update(Buffer.concat([u16(CLASS_ANY), Buffer.alloc(4)]));
        hmac.update(canonicalName(record.algorithm));
        hmac.update(Buffer.concat([timers, u16(record.error), u16(record.otherData.length), record.otherData]));
    }
    return hmac.digest();
}
function encodeRecord(record) {
    const rdata = Buffer.concat([
        canonicalName(record.algorithm),
        u48(record.timeSigned),
        u16(record.fudge),
        u16(record.mac.length),
        record.mac,
        u16(record.originalId),
        u16(record.error),
        u16(record.otherData.length),
        record.otherData,
    ]);
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(TSIG_TYPE, 0);
    fixed.writeUInt16BE(CLASS_ANY, 2);
    fixed.writeUInt32BE(0, 4);
    fixed.writeUInt16BE(rdata.length, 8);
    return Buffer.concat([canonicalName(record.keyName), fixed, rdata]);
}
function u16(value) {
    const bytes = Buffer.alloc(2);
    bytes.writeUInt16BE(value);
    return bytes;
}
function u48(value) {
    const bytes = Buffer.alloc(6);
    bytes.writeUIntBE(value, 0, 6);
    return bytes;
}

;// CONCATENATED MODULE: ./src/dns/answer.ts
// What an answer to a (possibly signed) query says before its content is read: that it answers this query,
// and, for a signed query, that the nameserver knew the key and signed the answer with it.


// dns-packet decodes the RCODE but does not declare it: read from the flags.
const RCODES = [
    'NOERROR',
    'FORMERR',
    'SERVFAIL',
    'NXDOMAIN',
    'NOTIMP',
    'REFUSED',
    'YXDOMAIN',
    'YXRRSET',
    'NXRRSET',
    'NOTAUTH',
    'NOTZONE',
];
function readAnswer(message, query) {
    let packet;
    let signed;
    try {
        packet = (0,dns_packet.decode)(message);
        signed = readTsig(message);
    }
    catch (error) {
        return { kind: 'malformed', reason: `undecodable answer: ${error.message}` };
    }
    if (packet.type !== 'response' || packet.id !== query.id) {
        return { kind: 'malformed', reason: 'the answer does not answer this query' };
    }
    const rcode = RCODES[(packet.flags ?? 0) & 0xf] ?? `RCODE_${(packet.flags ?? 0) & 0xf}`;
    if (!query.key)
        return { kind: 'answer', packet, rcode };
    // BADKEY and BADSIG answers carry no MAC (the nameserver could not sign with a key it rejected): taken as said.
    const reported = signed ? tsigErrorName(signed.record.error) : undefined;
    if (reported)
        return { kind: 'tsig', error: reported };
    if (!signed)
        return { kind: 'tsig', error: 'unsigned' };
    const checked = verify(message, [query.key], { priorMac: query.mac, timersOnly: query.timersOnly });
    if (checked.ok)
        return { kind: 'answer', packet, rcode, mac: checked.record.mac };
    // The answer's own time is off by more than the fudge: the clocks differ, as BADTIME from the other side.
    return { kind: 'tsig', error: checked.error === 'BADTIME' ? 'BADTIME' : 'bad_signature' };
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./src/dns/tcp.ts
// One DNS exchange over TCP (RFC 7766): the query and each answer message behind a two-byte length. The
// deadline covers connecting and every answer; the socket is destroyed whatever happens.

/** The nameserver gave no (complete) answer; the message names the address, never what was sent. */
class NoAnswerError extends Error {
    reason;
    constructor(reason, message) {
        super(message);
        this.reason = reason;
        this.name = 'NoAnswerError';
    }
}
/** Sends the query, returns the answer messages up to and including the one `done` accepts (the first by default). */
async function exchange({ ip, port, query, timeoutMs, done = () => true }) {
    const socket = new external_node_net_.Socket();
    const where = `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
    try {
        return await new Promise((resolve, reject) => {
            const messages = [];
            let pending = Buffer.alloc(0);
            const timer = setTimeout(() => reject(new NoAnswerError('timeout', `no answer from ${where} within ${timeoutMs} ms`)), timeoutMs);
            const finish = (error) => {
                clearTimeout(timer);
                if (error)
                    reject(error);
                else
                    resolve(messages);
            };
            socket.on('error', (error) => finish(connectionError(error, where)));
            socket.on('close', () => finish(new NoAnswerError('closed', `${where} closed the connection before answering`)));
            socket.on('data', (chunk) => {
                pending = Buffer.concat([pending, chunk]);
                while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
                    const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
                    pending = pending.subarray(2 + message.length);
                    messages.push(Buffer.from(message));
                    try {
                        if (done(message))
                            return finish();
                    }
                    catch (error) {
                        return finish(error);
                    }
                }
            });
            socket.connect({ host: ip, port }, () => {
                const length = Buffer.alloc(2);
                length.writeUInt16BE(query.length);
                socket.write(Buffer.concat([length, query]));
            });
        });
    }
    finally {
        socket.destroy();
    }
}
function connectionError(error, where) {
    if (error.code === 'ECONNREFUSED')
        return new NoAnswerError('connection_refused', `${where} refused the connection`);
    if (error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH') {
        return new NoAnswerError('unreachable', `${where} is unreachable (${error.code})`);
    }
    return new NoAnswerError('closed', `connection to ${where} failed (${error.code ?? error.message})`);
}

;// CONCATENATED MODULE: ./src/dns/soa.ts
// The check the action makes of the other nameserver: one SOA query for the zone over TCP, signed with the
// peer's key when it has one. The result says what the answer proves; it never carries the secret.






async function checkSoa({ ip, port, zone, key, timeoutMs, now }) {
    if (key && !tsigHash(key.algo))
        throw new Error(`unsupported TSIG algorithm ${key.algo} for key ${key.name}`);
    const id = (0,external_node_crypto_.randomInt)(0, 0x10000);
    const unsigned = (0,dns_packet.encode)({ type: 'query', id, flags: 0, questions: [{ type: 'SOA', class: 'IN', name: zone }] });
    const signed = key ? sign(unsigned, key, { time: now?.() }) : undefined;
    let messages;
    try {
        messages = await exchange({ ip, port, query: signed?.message ?? unsigned, timeoutMs });
    }
    catch (error) {
        if (error instanceof NoAnswerError)
            return { kind: 'no_answer', reason: error.reason, message: error.message };
        throw error;
    }
    const answer = readAnswer(messages[0], { id, key, mac: signed?.mac });
    if (answer.kind === 'malformed')
        return { kind: 'no_answer', reason: 'malformed', message: answer.reason };
    if (answer.kind === 'tsig')
        return answer;
    const { packet, rcode } = answer;
    if (rcode === 'REFUSED')
        return { kind: 'refused' };
    if (rcode !== 'NOERROR')
        return { kind: 'not_served', rcode };
    if (!packet.flag_aa)
        return { kind: 'not_served', rcode: 'not_authoritative' };
    const soa = (packet.answers ?? []).find((record) => record.type === 'SOA' && (0,names/* sameName */.q)(record.name, zone));
    if (soa?.data.serial === undefined)
        return { kind: 'not_served', rcode: 'no_soa' };
    return { kind: 'serial', serial: soa.data.serial };
}

// EXTERNAL MODULE: ./src/plan/peer.ts
var peer = __webpack_require__(8859);
// EXTERNAL MODULE: ./src/short-list.ts
var short_list = __webpack_require__(3098);
// EXTERNAL MODULE: ./src/plan/error.ts
var error = __webpack_require__(4565);
;// CONCATENATED MODULE: ./src/plan/verify.ts


/** Where Cloudflare transfers and notifies from, and where it listens (reference: "Cloudflare's addresses"). */
const CLOUDFLARE_ADDRESSES = {
    secondary: "Cloudflare's transfer requests (AXFR/IXFR) come from 104.30.167.163, 104.30.167.173 and 2a09:bac0:1000:c47::/64, " +
        'and it takes NOTIFY at 172.65.30.82, 172.65.50.145, 2606:4700:60:0:317:26ee:3bdf:5774 and ' +
        '2606:4700:60:0:35a:4be3:4144:c5ee',
    primary: 'Cloudflare serves transfers at 172.65.64.6, and its NOTIFYs come from 104.30.167.163, 104.30.167.173 and ' +
        '2a09:bac0:1000:c47::/64',
};
function where(peer) {
    return peer.ip.includes(':') ? `[${peer.ip}]:${peer.port}` : `${peer.ip}:${peer.port}`;
}
function keyWords(peer) {
    return peer.key ? `TSIG key ${peer.key.name} (${peer.key.algo})` : 'no TSIG key';
}
/** Why an answer stops the run (or, for the primary role, warns); undefined for a serial. */
function problemOf(check, peer, mode) {
    const { result } = check;
    const at = `the nameserver at ${where(peer)}`;
    const key = peer.key ? `"${peer.key.name}" (${peer.key.algo})` : '';
    switch (result.kind) {
        case 'serial':
            return undefined;
        case 'tsig':
            return {
                BADSIG: `${at} answered BADSIG to a query signed with ${keyWords(peer)}: it knows the key, but its secret differs. ` +
                    `Compare the secret of key ${key} there with tsig_secret (or the key tsig_id names).`,
                BADKEY: `${at} answered BADKEY to a query signed with ${keyWords(peer)}: it knows no key of that name and algorithm. ` +
                    `Compare the key's name (identical on both sides) and algorithm there with ${key}.`,
                BADTIME: `${at} answered BADTIME to a query signed with ${keyWords(peer)}: its clock and the runner's differ by more ` +
                    'than 5 minutes. Check the clock (NTP) of that nameserver.',
                unsigned: `${at} answered a query signed with ${keyWords(peer)} without signing its answer: it does not use the key ` +
                    `for this zone. Check that key ${key} is configured there and required for the zone, and that ip and port ` +
                    'point at the right nameserver.',
                bad_signature: `${at} signed its answer to a query signed with ${keyWords(peer)}, but the signature does not verify: the ` +
                    `secret differs. Compare the secret of key ${key} there with tsig_secret (or the key tsig_id names).`,
            }[result.error];
        case 'not_served': {
            const answered = result.rcode === 'not_authoritative'
                ? 'an answer that is not authoritative'
                : result.rcode === 'no_soa'
                    ? 'no SOA record for it'
                    : result.rcode;
            return (`${at} does not serve the zone (it answered ${answered}). Add the zone to that nameserver, or check ip and ` +
                'port and the zone name.');
        }
        case 'refused':
            return (`${at} answered REFUSED. Either it does not serve the zone, or it does not answer queries from the runner's ` +
                'address (hidden primaries often allow only their secondaries). Check that it serves the zone, and allow ' +
                `the runner to query it${mode === 'true' ? ', or set verify_peer: auto to only warn' : ''}.`);
        case 'no_answer':
            return (`no answer from ${where(peer)} (${result.message}). Check ip and port, and that the nameserver is reachable ` +
                `from the runner${mode === 'true' ? ', or set verify_peer: auto to only warn' : ''}.`);
    }
}
/** An answer that only warns with verify_peer: auto (and every answer for the primary role). */
function warnsOnly(found, result) {
    if (found.role === 'primary')
        return true;
    return found.mode === 'auto' && (result.kind === 'refused' || result.kind === 'no_answer');
}
/**
 * The warnings of the lookup, before any write: each REFUSED zone with both readings, one line for every
 * zone that got no answer (with the addresses Cloudflare uses), and, for the primary role, every failure.
 */
function warningsOf(found) {
    const { peer } = found;
    if (!peer)
        return [];
    const warnings = [];
    const silent = [];
    for (const check of found.checks) {
        if (check.result.kind === 'serial' || !warnsOnly(found, check.result))
            continue;
        if (check.result.kind === 'no_answer') {
            silent.push(check.name);
            continue;
        }
        const primary = found.role === 'primary'
            ? ' Cloudflare is primary for it, so the peer is a secondary that may not have the zone yet: the run goes on.'
            : ' The run goes on (verify_peer: auto).';
        warnings.push(`verify_peer: zone ${check.name}: ${problemOf(check, peer, found.mode)}${primary}`);
    }
    if (silent.length > 0) {
        const first = found.checks.find((check) => check.result.kind === 'no_answer')?.result;
        const why = first?.kind === 'no_answer' ? first.message : '';
        warnings.push(`verify_peer: no answer from the nameserver at ${where(peer)} (${why}) for ${silent.length === 1 ? 'zone' : 'zones'} ` +
            `${(0,short_list/* shortList */.pg)(silent)}; the run goes on without the check (the runner may simply not be allowed to reach it). ` +
            `That nameserver must allow Cloudflare: ${CLOUDFLARE_ADDRESSES[found.role]}.`);
    }
    return warnings;
}
/**
 * Each zone's verification; a refusal (PlanError) when an answer proves the transfer cannot work: a TSIG
 * error, a zone the nameserver does not serve, or, with verify_peer: true, REFUSED or no answer. For the
 * primary role nothing refuses: the peer is a secondary that may not have the zone yet.
 */
function decideVerification(found) {
    const { peer } = found;
    if (!peer)
        return [];
    const problems = [];
    const plans = found.checks.map((check) => {
        const base = { id: check.id, name: check.name, role: found.role };
        const { result } = check;
        if (result.kind === 'serial') {
            const key = peer.key ? `, key ${peer.key.name} accepted` : '';
            return { ...base, peer_serial: result.serial, verification: `serves serial ${result.serial}${key}` };
        }
        const problem = problemOf(check, peer, found.mode) ?? '';
        if (!warnsOnly(found, result))
            problems.push(`Zone ${check.name}: ${problem}`);
        return { ...base, verification: `${summaryOf(result)} (warning)` };
    });
    if (problems.length > 0) {
        const head = `Nothing was written: the peer's nameserver at ${where(peer)}, asked for each zone's SOA with ` +
            `${keyWords(peer)}, shows that the transfer cannot work:\n- `;
        throw new error/* PlanError */.W(head + (0,short_list/* shortList */.pg)(problems, '\n- '), head + problems.join('\n- '));
    }
    return plans;
}
/** An answer in a few words, for the summary, the outputs and the wait's status. */
function summaryOf(result) {
    switch (result.kind) {
        case 'serial':
            return `serves serial ${result.serial}`;
        case 'tsig':
            return `TSIG error ${result.error}`;
        case 'not_served':
            return `does not serve the zone (${result.rcode})`;
        case 'refused':
            return 'REFUSED';
        case 'no_answer':
            return `no answer (${result.reason})`;
    }
}

;// CONCATENATED MODULE: ./src/steps/verify.ts
// The check of the peer's nameserver (verify_peer), for runs with zones: before any write, ask it for each
// zone's SOA over TCP, signed with the peer's TSIG key, and report what that proves; the refusals are
// decided in plan/verify.ts. It writes nothing. The zone step's wait asks again through `found.query`.
// Loaded with a dynamic import, so runs without zones, or with verify_peer: false, never load it.






/** SOA queries in flight at once: each is one short TCP exchange with one nameserver. */
const QUERIES_AT_ONCE = 8;
/** A firewalled nameserver costs the run seconds, not minutes. */
const QUERY_TIMEOUT_MS = 5000;
const verifyStep = {
    name: 'verify',
    lookUp: async (context, board) => {
        const found = await lookUpPeer(context, board);
        // Said before any write, and whatever the plans decide.
        for (const warning of warningsOf(found))
            context.warn(warning);
        return found;
    },
    decide: (_settings, board) => decideVerification(board.found.verify),
    preview: (plan, board) => outcomeOf(plan, board),
    apply: async (plan, _context, board) => outcomeOf(plan, board),
    entries: {},
};
/** Where the peer's nameserver is, its key, and each zone's answer. */
async function lookUpPeer(context, board) {
    const { settings } = context;
    const zones = settings.zones;
    if (!zones)
        throw new Error('The verify step runs only with zones.');
    const base = { mode: zones.verifyPeer, role: zones.role, checks: [] };
    const existing = existingPeer(board.found.peer);
    // if_exists: reuse leaves a peer found by name as it is: its own address and key count.
    const reused = settings.ifExists === 'reuse' && settings.peerId === undefined && existing !== undefined;
    const desired = reused ? {} : settings.desired;
    const ip = desired.ip ?? (existing?.ip || undefined);
    if (!ip)
        return { ...base, skipped: 'the peer has no ip' };
    const port = desired.port ?? (existing?.port || 53);
    const key = await keyOf(context, reused, existing);
    if (key === 'missing')
        return { ...base, skipped: 'the TSIG key the peer names was not found' };
    const peer = { ip, port, ...(key ? { key: { name: key.name, algo: key.algo } } : {}) };
    const timeoutMs = Math.min(QUERY_TIMEOUT_MS, settings.requestTimeoutMs);
    const last = new Map();
    const ask = async (zone) => {
        const result = await checkSoa({ ip, port, zone, key, timeoutMs });
        last.set(zone, result);
        return result;
    };
    const query = async (zone) => {
        const result = await ask(zone);
        return { serial: result.kind === 'serial' ? result.serial : undefined, words: summaryOf(result) };
    };
    const targets = (board.found.zone ?? []).map(({ zone }) => zone);
    const results = await (0,concurrency/* settleAll */.j)(targets, QUERIES_AT_ONCE, (zone) => ask(zone.name));
    const checks = results.map((result, index) => {
        const zone = targets[index];
        if (result.status === 'rejected')
            throw result.reason;
        return { id: zone.id, name: zone.name, result: result.value };
    });
    return { ...base, peer, checks, query, last };
}
/** The peer the lookup found, if any (several with one name are the peer step's refusal). */
function existingPeer(found) {
    if (!found)
        return undefined;
    try {
        return (0,peer/* targetOf */.$r)(found);
    }
    catch {
        return undefined;
    }
}
/**
 * The key the peer will use: the one tsig_name manages, or the one tsig_id names (the given one, else the
 * found peer's), read from Cloudflare; its secret is masked as it arrives.
 */
async function keyOf({ settings, connection, reveal }, reused, existing) {
    if (settings.tsig?.secret && !reused)
        return { ...settings.tsig, secret: settings.tsig.secret };
    const id = (reused ? undefined : settings.desired.tsig_id) ?? (existing?.tsig_id || undefined);
    if (!id)
        return undefined;
    const stored = await new tsig/* TsigApi */.c(connection, reveal).find(id);
    return stored ? { name: stored.name, algo: stored.algo, secret: stored.secret } : 'missing';
}
/**
 * Each zone's verification, with whether Cloudflare's serial and the peer's agree: for secondary zones
 * Cloudflare's soa_serial has reached the peer's; for primary zones the peer serves Cloudflare's (its
 * latest answer, the wait's included).
 */
function outcomeOf(plans, board) {
    const zones = board.outcomes.zone?.zones ?? [];
    const last = board.found.verify.last;
    return {
        zones: plans.map((plan) => {
            const latest = last?.get(plan.name);
            const peerSerial = latest?.kind === 'serial' ? latest.serial : plan.peer_serial;
            // By name: a zone this run creates has no id yet when the peer is asked about it.
            const created = zones.find((zone) => zone.name === plan.name);
            const ours = created?.soa_serial ?? 0;
            const id = plan.id || created?.id || '';
            const outcome = { id, name: plan.name, verification: plan.verification };
            if (peerSerial === undefined)
                return outcome;
            outcome.peer_serial = peerSerial;
            if (latest?.kind === 'serial' && peerSerial !== plan.peer_serial) {
                outcome.verification = `${plan.verification}; now serves serial ${peerSerial}`;
            }
            if (ours > 0) {
                outcome.in_sync = (0,serial/* inSync */.Dh)(plan.role, ours, peerSerial);
            }
            return outcome;
        }),
    };
}


/***/ })

};
