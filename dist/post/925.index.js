export const id = 925;
export const ids = [925];
export const modules = {

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

/***/ 5925:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  zoneStep: () => (/* binding */ zoneStep)
});

// EXTERNAL MODULE: ./src/cloudflare/errors.ts
var errors = __webpack_require__(7640);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
// EXTERNAL MODULE: ./src/names.ts
var names = __webpack_require__(6455);
// EXTERNAL MODULE: ./src/cloudflare/collection.ts
var collection = __webpack_require__(2383);
// EXTERNAL MODULE: ./src/cloudflare/retry.ts
var retry = __webpack_require__(4773);
// EXTERNAL MODULE: ./src/cloudflare/safe-create.ts
var safe_create = __webpack_require__(7791);
;// CONCATENATED MODULE: ./src/cloudflare/zone.ts
// A zone and its Secondary DNS transfer configuration: `incoming` when Cloudflare is secondary (the
// peer is the zone's primary), `outgoing` when Cloudflare is primary (the peer is a secondary it
// notifies). Each request is retried in the way that is safe for it; see createTransfer and createZone
// for the POSTs.






const zoneSchema = schemas/* looseObject */._H3({
    id: schemas/* string */.YjP().min(1),
    name: schemas/* string */.YjP(),
    account: schemas/* looseObject */._H3({ id: schemas/* string */.YjP() }).nullish(),
    /** full, partial, secondary, internal: Cloudflare transfers into secondary zones only. */
    type: schemas/* string */.YjP().nullish(),
    /** The nameservers Cloudflare assigned, as it lists them: nsNNNN.secondary.cloudflare.com for a secondary zone. */
    name_servers: schemas/* array */.YOg(schemas/* string */.YjP()).nullish(),
    /** pending (a new zone), active, … */
    status: schemas/* string */.YjP().nullish(),
});
/** Cloudflare's code when Create Zone is refused because the account has the name: "<name> already exists". */
const ZONE_EXISTS = 1061;
/** Codes of a credential Cloudflare does not know at all: then a 403 says nothing about permissions. */
const UNKNOWN_CREDENTIAL = [9109, 9103];
/**
 * Cloudflare refused to create or delete a zone for want of permission: the token needs Zone → Zone → Edit
 * on the account (a token scoped to zones cannot create one).
 */
function lacksZoneEdit(error) {
    if (!(error instanceof errors/* CloudflareError */.Oi) || error.status !== 403)
        return false;
    if (error.codes.some((code) => UNKNOWN_CREDENTIAL.includes(code)))
        return false;
    const { method, path } = error.request;
    return (method === 'POST' && path === '/zones') || (method === 'DELETE' && /^\/zones\/[^/?]+$/.test(path));
}
const transferSchema = schemas/* looseObject */._H3({
    name: schemas/* string */.YjP().nullish(),
    peers: schemas/* array */.YOg(schemas/* string */.YjP())
        .nullish()
        .transform((peers) => peers ?? []),
    auto_refresh_seconds: schemas/* number */.aig().nullish(),
    soa_serial: schemas/* number */.aig().nullish(),
    checked_time: schemas/* string */.YjP().nullish(),
    modified_time: schemas/* string */.YjP().nullish(),
    last_transferred_time: schemas/* string */.YjP().nullish(),
});
/** The configuration a role's peers sit in: Cloudflare as secondary takes them in, as primary sends out. */
const ENDPOINT = { secondary: 'incoming', primary: 'outgoing' };
/** Cloudflare's largest page of List Zones (its OpenAPI document: per_page maximum 50). */
const ZONES_PER_PAGE = 50;
class ZoneApi {
    send;
    retry;
    accountId;
    constructor(connection) {
        this.send = connection.send;
        this.retry = connection.retry;
        this.accountId = connection.accountId;
    }
    /** The account's zones with exactly this name (Zone Read). */
    byName(name) {
        const query = new URLSearchParams({ name, 'account.id': this.accountId });
        return this.retried({ method: 'GET', path: `/zones?${query}` }, schemas/* array */.YOg(zoneSchema));
    }
    /**
     * One page of the account's zones, 50 a page (Zone Read): cheaper than one lookup per name when many
     * zones are asked for. A page that is not full is the last (the answer's result_info does not reach
     * here; an account with a multiple of 50 zones costs one empty page more).
     */
    page(page) {
        const query = new URLSearchParams({
            'account.id': this.accountId,
            per_page: String(ZONES_PER_PAGE),
            page: String(page),
        });
        return this.retried({ method: 'GET', path: `/zones?${query}` }, schemas/* array */.YOg(zoneSchema));
    }
    /** The zone with this id, if it is one of this account's (Zone Read); a token may see other accounts' too. */
    async inAccount(zoneId) {
        try {
            const zone = await this.retried({ method: 'GET', path: `/zones/${zoneId}` }, zoneSchema);
            return !zone.account || zone.account.id === this.accountId ? zone : undefined;
        }
        catch (error) {
            if (error instanceof errors/* CloudflareError */.Oi && error.answered404)
                return undefined;
            throw error;
        }
    }
    /**
     * Creates the zone as a secondary zone (Zone → Zone → Edit); names compare without case and trailing dot.
     * As safe to retry as Create Peer (safeCreate): after a lost answer the zone is looked up by name before any
     * second POST, and one that appeared is this call's. A POST refused because the name exists (another run
     * created the zone since the caller looked it up) joins that zone, with `created: false`.
     */
    async createZone(name) {
        const canonical = (0,names/* bareName */.y)(name);
        const req = {
            method: 'POST',
            path: '/zones',
            body: { account: { id: this.accountId }, name: canonical, type: 'secondary' },
        };
        let joined = false;
        const zone = await (0,safe_create/* safeCreate */.K)({
            operation: 'Create Zone',
            noun: 'zone',
            nouns: 'zones',
            name: canonical,
            severalHint: 'Delete the zones that should not be there, and run again.',
            retry: this.retry,
            post: async () => {
                try {
                    return await this.send(req, zoneSchema);
                }
                catch (error) {
                    const existing = await this.existingAfterRefusal(error, canonical);
                    if (!existing)
                        throw error;
                    joined = true;
                    return existing;
                }
            },
            // The caller looked this name up and found no zone: any zone with it now has appeared since.
            appeared: () => this.byName(canonical),
        });
        return { zone, created: !joined };
    }
    /**
     * Deletes the zone and with it its transfer configurations (Zone → Zone → Edit). `gone` when it was not
     * there to delete; a retried DELETE that finds it gone means an earlier attempt went through: `deleted`.
     */
    async deleteZone(zoneId) {
        const req = { method: 'DELETE', path: `/zones/${zoneId}` };
        return (0,retry/* withRetries */.LH)(this.retry, async (attempt) => {
            try {
                await this.send(req, collection/* deletedSchema */.N);
                return 'deleted';
            }
            catch (error) {
                if (!(error instanceof errors/* CloudflareError */.Oi && error.answered404))
                    throw error;
                return attempt > 1 ? 'deleted' : 'gone';
            }
        });
    }
    /**
     * The zone a Create Zone refused as existing, looked up by name; undefined for any other failure. The
     * lookup's own failure ends the create (not as a CloudflareError, which safeCreate would read as a POST's).
     */
    async existingAfterRefusal(error, name) {
        if (!(error instanceof errors/* CloudflareError */.Oi && error.codes.includes(ZONE_EXISTS)))
            return undefined;
        try {
            const [zone] = await this.byName(name);
            return zone;
        }
        catch (lookupError) {
            throw new Error(`${(0,errors/* describeError */.Uc)(error)}\nLooking up the zone ${name} that another run created failed too.\n${(0,errors/* describeError */.Uc)(lookupError)}`);
        }
    }
    /**
     * The zone's configuration for this role, or undefined when it has none. Only for a zone the lookup
     * proved exists: then a 404 here can only mean "no configuration" (Cloudflare documents no code for it).
     */
    async transfer(role, zoneId) {
        try {
            return await this.retried({ method: 'GET', path: this.path(role, zoneId) }, transferSchema);
        }
        catch (error) {
            if (error instanceof errors/* CloudflareError */.Oi && error.answered404)
                return undefined;
            throw error;
        }
    }
    /**
     * Creates the configuration. A zone has at most one, so a POST repeated after a lost answer is
     * refused rather than duplicated; the answer that counts is then the configuration as it is.
     */
    async createTransfer(role, zoneId, body) {
        const req = { method: 'POST', path: this.path(role, zoneId), body };
        let maybeCreated = false;
        return (0,retry/* withRetries */.LH)(this.retry, async () => {
            try {
                return await this.send(req, transferSchema);
            }
            catch (error) {
                if (!(error instanceof errors/* CloudflareError */.Oi))
                    throw error;
                const existing = maybeCreated && !error.transient ? await this.transfer(role, zoneId) : undefined;
                if (existing && body.peers.every((id) => existing.peers.includes(id)))
                    return existing;
                if (error.ambiguous)
                    maybeCreated = true;
                throw error;
            }
        });
    }
    updateTransfer(role, zoneId, body) {
        return this.retried({ method: 'PUT', path: this.path(role, zoneId), body }, transferSchema);
    }
    /** Deletes the configuration; a retry that finds none means an earlier attempt went through. */
    async deleteTransfer(role, zoneId) {
        const req = { method: 'DELETE', path: this.path(role, zoneId) };
        await (0,retry/* withRetries */.LH)(this.retry, async (attempt) => {
            try {
                await this.send(req, schemas/* unknown */.L5J());
            }
            catch (error) {
                if (attempt > 1 && error instanceof errors/* CloudflareError */.Oi && error.answered404)
                    return;
                throw error;
            }
        });
    }
    /** Asks for a transfer now: AXFR from the primary (secondary zones), or NOTIFY to the secondaries. */
    force(role, zoneId) {
        const path = role === 'secondary' ? `/zones/${zoneId}/secondary_dns/force_axfr` : `${this.path(role, zoneId)}/force_notify`;
        return this.retried({ method: 'POST', path }, schemas/* unknown */.L5J());
    }
    /** Enables outgoing transfers (primary zones); answers the new state, e.g. "Enabled". */
    enableOutgoing(zoneId) {
        return this.retried({ method: 'POST', path: `${this.path('primary', zoneId)}/enable` }, schemas/* unknown */.L5J());
    }
    /** The outgoing transfer state as Cloudflare words it ("Enabled", "Disabled", …). */
    outgoingStatus(zoneId) {
        return this.retried({ method: 'GET', path: `${this.path('primary', zoneId)}/status` }, schemas/* string */.YjP());
    }
    path(role, zoneId) {
        return `/zones/${zoneId}/secondary_dns/${ENDPOINT[role]}`;
    }
    retried(req, schema) {
        // The retry policy's deadline holds for the pacing before each attempt too (one request object for
        // every attempt: the transport counts attempts by it).
        const sent = this.retry.deadline ? { ...req, deadline: this.retry.deadline } : req;
        return (0,retry/* withRetries */.LH)(this.retry, () => this.send(sent, schema));
    }
}

// EXTERNAL MODULE: ./src/concurrency.ts
var concurrency = __webpack_require__(1532);
// EXTERNAL MODULE: ./src/objects.ts
var objects = __webpack_require__(1383);
// EXTERNAL MODULE: ./src/plan/peer.ts
var peer = __webpack_require__(8859);
// EXTERNAL MODULE: ./src/short-list.ts
var short_list = __webpack_require__(3098);
// EXTERNAL MODULE: ./src/plan/error.ts
var error = __webpack_require__(4565);
;// CONCATENATED MODULE: ./src/plan/zone.ts


/** Cloudflare links at most this many peers to one zone. */
const MAX_PEERS_PER_ZONE = 30;
/**
 * The peer as its plan leaves it. `newKey` names a TSIG key this run creates: its id is not known yet,
 * and no other peer can use it.
 */
function peerLinkOf(plan, newKey) {
    const tsig = (id) => (newKey ? `${newKey} (created by this run)` : (id ?? ''));
    switch (plan.operation) {
        case 'created':
            return { name: plan.name, tsigId: tsig(plan.configure?.tsig_id) };
        case 'updated':
            return { id: plan.peer.id, name: plan.body.name, tsigId: tsig(plan.body.tsig_id) };
        case 'unchanged':
        case 'deleted':
            return { id: plan.peer.id, name: plan.peer.name, tsigId: tsig(plan.peer.tsig_id) };
        case 'not_found':
            return { name: plan.name ?? '', tsigId: '' };
    }
}
/** Each peer of the account by id, with its TSIG key, from the peers' List. */
function directoryOf(listed) {
    return new Map(listed.map((peer) => [peer.id, { name: peer.name, tsigId: peer.tsig_id ?? '' }]));
}
/**
 * Links the peer to each zone. The rules hold for every zone given, linked already or not: a peer that
 * is linked and gets another key this run would leave the zone with mixed keys.
 */
function decideLinks(found, peer, directory) {
    const problems = [];
    const plans = found.map((zone) => {
        const peers = zone.config?.peers ?? [];
        const linked = peer.id !== undefined && peers.includes(peer.id);
        const others = peers.filter((id) => id !== peer.id);
        if (!linked && peers.length + 1 > MAX_PEERS_PER_ZONE) {
            problems.push(`Zone ${zone.zone.name}: it already has ${peers.length} peers, and Cloudflare links at most ${MAX_PEERS_PER_ZONE} ` +
                'to one zone. Remove a peer from it first.');
        }
        const mismatch = tsigMismatch(others, peer, directory);
        if (mismatch)
            problems.push(`Zone ${zone.zone.name}: ${mismatch}`);
        const unfit = unfitType(zone);
        if (unfit)
            problems.push(`Zone ${zone.zone.name}: ${unfit}`);
        if (linked)
            return { ...zone, operation: 'unchanged', createsConfig: false };
        return { ...zone, operation: 'linked', createsConfig: zone.config === undefined };
    });
    if (problems.length > 0)
        throw refusal(problems);
    return plans;
}
/**
 * Unlinks the peer from each zone, before the peer is deleted. `gone`: the peer no longer exists, and the
 * zones still list its id, which is removed (where it is a zone's only peer, the run refuses: a
 * configuration needs a peer). No zone may be left with a role pointing at the deleted peer: the other
 * role's configuration counts too.
 */
function decideUnlinks(found, peerId, options = {}) {
    const problems = [];
    const plans = found.map((zone) => {
        const peers = zone.config?.peers ?? [];
        if (peerId !== undefined && !options.gone && zone.other?.peers.includes(peerId)) {
            const other = zone.role === 'secondary' ? 'primary' : 'secondary';
            const last = zone.other.peers.length === 1 ? ' as its only peer' : '';
            problems.push(`Zone ${zone.zone.name}: this peer is also linked to its ${ENDPOINT_WORD[other]} transfer configuration${last}, ` +
                `which deleting the peer would leave pointing at nothing. Unlink it there first (zone_role: ${other}), ` +
                'or link the zone to another peer.');
        }
        if (peerId === undefined || !peers.includes(peerId)) {
            return { ...zone, operation: 'not_linked', createsConfig: false };
        }
        if (peers.length === 1) {
            problems.push(options.gone
                ? `Zone ${zone.zone.name}: its only peer is ${peerId}, which no longer exists, so the zone transfers nothing. ` +
                    'Link the zone to a peer that exists, then run again.'
                : `Zone ${zone.zone.name}: this peer is its only peer, and removing it would stop the zone's transfers. ` +
                    'Link the zone to another peer first, or remove its transfer configuration yourself if the zone is going away.');
        }
        return { ...zone, operation: 'unlinked', createsConfig: false };
    });
    if (problems.length > 0)
        throw refusal(problems);
    return plans;
}
const ENDPOINT_WORD = { secondary: 'incoming', primary: 'outgoing' };
/** The configuration to send for a link: every other peer and setting kept, this peer added. */
function linkBody(plan, peerId, autoRefreshSeconds) {
    const peers = [...(plan.config?.peers ?? []), peerId];
    const name = plan.config?.name || plan.zone.name;
    if (plan.role === 'primary')
        return { name, peers };
    return { name, peers, auto_refresh_seconds: plan.config?.auto_refresh_seconds ?? autoRefreshSeconds };
}
/** The configuration without this peer, everything else as it is. */
function unlinkBody(config, zone, role, peerId) {
    const body = { name: config.name || zone.name, peers: config.peers.filter((id) => id !== peerId) };
    if (role === 'secondary' && typeof config.auto_refresh_seconds === 'number') {
        body.auto_refresh_seconds = config.auto_refresh_seconds;
    }
    return body;
}
/**
 * Cloudflare transfers only into a secondary zone: a full or partial zone (it serves its own records) is
 * refused, with the conversion Cloudflare documents; converting it changes how the zone is served, so a
 * person decides.
 */
function unfitType(found) {
    const { type, id } = found.zone;
    if (found.role !== 'secondary' || (type !== 'full' && type !== 'partial'))
        return undefined;
    return (`it is a ${type} zone, and Cloudflare transfers only into secondary zones. To make it one, convert it ` +
        `(PATCH /zones/${id} with {"type": "secondary"}, as Cloudflare documents; its records are kept, but Cloudflare ` +
        'then serves what the primary sends), or use zone_role: primary if Cloudflare is to stay its primary.');
}
/** Cloudflare requires one TSIG key for all of a zone's peers, or none for all. */
function tsigMismatch(zonePeers, peer, directory) {
    const others = zonePeers
        .map((id) => ({ id, ...directory.get(id) }))
        .filter((other) => other.tsigId !== undefined && other.tsigId !== peer.tsigId);
    if (others.length === 0)
        return undefined;
    const key = (tsigId) => (tsigId ? `TSIG key ${tsigId}` : 'no TSIG key');
    const listed = others.map((other) => `${other.name ?? other.id} (${other.id}) uses ${key(other.tsigId)}`).join(', ');
    return (`peer ${peer.name} would use ${key(peer.tsigId)}, but ${listed}. Cloudflare requires one TSIG key for all ` +
        'peers of a zone, or none for all: give this peer the same key (tsig_id or tsig_name), or change the others first.');
}
/** Every problem found, before any write: the message names at most 10, its detail all of them. */
function refusal(problems) {
    const text = (list) => `Nothing was written, because this is not possible as asked:\n- ${list}`;
    return new error/* PlanError */.W(text((0,short_list/* shortList */.pg)(problems, '\n- ')), text(problems.join('\n- ')));
}

;// CONCATENATED MODULE: ./src/outcome.ts
/**
 * Whether a zone Cloudflare is secondary for, and that is not active yet (not delegated), may be delegated
 * to its nameservers: only once a transfer was confirmed, or it would answer empty.
 */
function delegation(zone) {
    if (zone.role !== 'secondary' || zone.status === 'active' || !zone.status)
        return undefined;
    return zone.transferred ? 'ready' : 'not_yet';
}
/**
 * What the check found for each zone, by zone name: a zone this run creates has no id yet when the peer
 * is asked about it.
 */
function verificationByName(verify) {
    return new Map((verify?.zones ?? []).map((checked) => [checked.name, checked]));
}

;// CONCATENATED MODULE: ./src/steps/zone-create.ts
// Onboarding a zone the account lacks (create_zones: true, zone_role: secondary): the zones step creates
// it as a secondary zone before it links the peer, undoes that when the run fails, and says when the zone
// may be delegated to the nameservers Cloudflare assigned.




/**
 * Creates every zone the plans call for, side by side, and returns the plans with the zones as Cloudflare
 * made them. Each creation is recorded before its POST (under the zone's name, its id once known), so a
 * failure anywhere later deletes it again. A zone another run created since the lookup is joined, as that
 * run's: not recorded, and reported with zone_created false.
 */
async function createZones(api, plans, io) {
    const results = await (0,concurrency/* settleAll */.j)(plans, io.atOnce, async (plan) => {
        if (!plan.createsZone)
            return plan;
        const recorded = io.journal.record({ kind: 'zone', id: '', name: plan.zone.name, role: plan.role });
        let made;
        try {
            made = await api.createZone(plan.zone.name);
        }
        catch (error) {
            // Refused for sure (not a lost answer): nothing was created, so there is nothing to undo.
            if (error instanceof errors/* CloudflareError */.Oi && !error.ambiguous)
                io.journal.resolve(recorded, undefined);
            if (!lacksZoneEdit(error))
                throw error;
            throw new Error('creating it needs the permission Zone → Zone → Edit on the account (a token scoped to zones cannot ' +
                `create one); add it to the token, or create the zone yourself as a secondary zone.\n${(0,errors/* describeError */.Uc)(error)}`);
        }
        io.journal.resolve(recorded, made.created ? made.zone.id : undefined);
        const ready = { ...plan, zone: made.zone, createsZone: made.created };
        if (made.created)
            io.log(`Created zone ${made.zone.name} (${made.zone.id}) as a secondary zone.`);
        else {
            io.log(`Zone ${made.zone.name} (${made.zone.id}) was created by another run since the lookup: joining it.`);
            io.recheck(ready);
        }
        return ready;
    });
    return fulfilled(results, plans.map((plan) => plan.zone.name), 'Creating the zones failed');
}
/** The zones' settled work, or one error naming each zone that failed ("- zone a.example: why"). */
function fulfilled(results, names, what) {
    return (0,concurrency/* valuesOrFailure */.a)(results, names.map((name) => `zone ${name}`), what);
}
/** A zone this run created goes again, with its transfer configurations; one whose id never came back stays. */
const createdZoneEntry = {
    describe: (entry) => `zone ${entry.name}${entry.id ? ` (${entry.id})` : ''}`,
    byHand: (entry) => `delete zone ${entry.name}${entry.id ? ` (${entry.id})` : ''} if nothing should use it`,
    undo: (entry, connection) => undoCreatedZone(connection, entry),
    kept: (entry) => `zone ${entry.name} may have been created by this run (the answer to Create Zone was lost), so it was left ` +
        'alone: check the account, and delete it by hand if it is not wanted',
};
async function undoCreatedZone(connection, entry) {
    const api = new ZoneApi(connection);
    if (entry.id)
        return api.deleteZone(entry.id);
    // The POST's answer never came and no lookup found the zone: only a zone that is there now may be ours.
    const [zone] = await api.byName(entry.name);
    return zone ? 'kept' : 'gone';
}
/**
 * A warning for each new secondary zone whose transfer the run did not confirm: delegated now, it would
 * answer empty, and resolvers would cache that.
 */
function delegationWarnings(zones, waited) {
    return zones
        .filter((zone) => delegation(zone) === 'not_yet')
        .map((zone) => {
        const why = waited
            ? 'no transfer was reported within wait_for_transfer'
            : 'this run did not wait for a transfer (wait_for_transfer: 0)';
        const servers = zone.name_servers.length > 0 ? ` to ${zone.name_servers.join(', ')}` : '';
        return (`Zone ${zone.name}: do not delegate it${servers} yet: ${why}. Cloudflare answers for the zone as soon as it ` +
            'exists, with empty answers until its first transfer, and resolvers cache empty answers. Run again with ' +
            'transfer: force and wait_for_transfer, or check its records on those nameservers, before you delegate.');
    });
}

// EXTERNAL MODULE: ./src/dns/serial.ts
var serial = __webpack_require__(8731);
;// CONCATENATED MODULE: ./src/steps/zone-wait.ts
// Waiting for zone transfers: poll each zone's transfer configuration until Cloudflare reports a
// transfer after this run's change, or the time is up. The clock and sleep are injected for tests.



/**
 * A transfer happened since the baseline. Cloudflare as secondary (incoming): the serial, the last check
 * or the last transfer moved. Cloudflare as primary (outgoing): only a moved last transfer counts, since
 * Cloudflare's own serial moves with every edit of the zone. A new configuration reports "never" as Go's
 * zero time, which is no move from a baseline without one.
 */
function transferredSince(baseline, now, role = 'secondary') {
    const moved = knownTime(now.last_transferred_time) !== knownTime(baseline.last_transferred_time);
    if (role === 'primary')
        return moved;
    return (moved ||
        (now.soa_serial ?? 0) !== (baseline.soa_serial ?? 0) ||
        knownTime(now.checked_time) !== knownTime(baseline.checked_time));
}
/** Between polls: a tenth of the wait, from 1 to 10 seconds, so short waits stay short and long ones cheap. */
function pollInterval(timeoutMs) {
    return Math.min(10_000, Math.max(1_000, Math.round(timeoutMs / 10)));
}
async function waitForTransfers(zones, options) {
    const { timeoutMs, sleep, now, log } = options;
    const deadline = now() + timeoutMs;
    const results = zones.map((zone) => ({ name: zone.name, transferred: false, last: zone.baseline }));
    const interval = pollInterval(timeoutMs);
    const open = (result) => !result.transferred && result.problem === undefined;
    for (;;) {
        const pending = results.flatMap((result, index) => (open(result) ? [index] : []));
        await Promise.all(pending.map(async (index) => {
            const zone = zones[index];
            const result = results[index];
            // A poll that fails is no reason to undo links that are right: keep waiting, and say so at the end.
            try {
                await poll(zone, result);
                if (result.transferred)
                    options.onTransferred?.();
                delete result.error;
            }
            catch (error) {
                result.error = (0,errors/* describeError */.Uc)(error);
            }
        }));
        const waiting = results.filter(open);
        const leftMs = deadline - now();
        if (waiting.length === 0 || leftMs <= 0)
            return results;
        log(`Waiting for zone transfers: ${results.length - waiting.length} of ${results.length} done; ` +
            `still waiting for ${(0,short_list/* shortList */.pg)(waiting.map((result) => `${result.name} (${zone_wait_status(result.last)})`))}; ` +
            `${Math.ceil(leftMs / 1000)} s left`);
        await sleep(Math.min(interval, leftMs));
    }
}
/** One poll of one zone: a transfer counts only while the configuration exists and lists this run's peer. */
async function poll(zone, result) {
    const config = await zone.read();
    if (!config) {
        result.problem = 'its transfer configuration was deleted during the wait (by another run or a person)';
        return;
    }
    result.last = config;
    if (zone.peerId !== undefined && !config.peers.includes(zone.peerId)) {
        if (result.relinked || !zone.relink) {
            result.problem = `another writer removed this peer (${zone.peerId}) from its transfer configuration during the wait`;
            return;
        }
        // Another run's write dropped the link (Cloudflare replaces the whole peer list): add it back once.
        result.relinked = true;
        try {
            await zone.relink(config);
        }
        catch (error) {
            // The zone lacks the peer now: never reported as "linked and waiting".
            result.problem =
                `another writer removed this peer (${zone.peerId}) from its transfer configuration during the wait, and ` +
                    `adding it back failed: ${(0,errors/* describeError */.Uc)(error)}`;
        }
        return;
    }
    result.transferred = await transferCounts(zone, config, result);
}
/**
 * Without a serial of the peer's, a transfer since the baseline counts. With one, the serials decide:
 * Cloudflare as secondary holds what the peer serves; the peer as secondary serves what Cloudflare holds.
 */
async function transferCounts(zone, config, result) {
    const ours = config.soa_serial ?? 0;
    if (zone.peerSerial !== undefined) {
        result.peer = `serves serial ${zone.peerSerial}`;
        return ours > 0 && (0,serial/* inSync */.Dh)('secondary', ours, zone.peerSerial);
    }
    if (zone.askPeer) {
        const answer = await zone.askPeer();
        result.peer = answer.words;
        return ours > 0 && answer.serial !== undefined && (0,serial/* inSync */.Dh)('primary', ours, answer.serial);
    }
    return transferredSince(zone.baseline, config, zone.role);
}
/** A time Cloudflare reports, or undefined for "never" (empty, or Go's zero time 0001-01-01T00:00:00Z). */
function knownTime(time) {
    return time && !time.startsWith('0001-') ? time : undefined;
}
/** A zone's transfer state in a few words, for progress lines and the timeout error. */
function zone_wait_status(config) {
    const checked = knownTime(config.checked_time);
    const transferred = knownTime(config.last_transferred_time);
    const parts = [`soa_serial ${config.soa_serial ?? 0}`, checked ? `checked ${checked}` : 'never checked'];
    if (transferred)
        parts.push(`last transferred ${transferred}`);
    return parts.join(', ');
}

;// CONCATENATED MODULE: ./src/steps/zone.ts
// The zones step, for runs with `zones`: look the zones and their transfer configurations up, then
// carry out the link (or unlink) plans, force a transfer and wait for it — or, in a dry run, only
// describe it; and undo a link. Loaded with a dynamic import, so runs without zones never load it.









const zoneStep = {
    name: 'zone',
    // A peer that goes must be in no role of the zones given: state: absent reads both configurations.
    lookUp: ({ settings, connection, progress }) => lookUpZones(new ZoneApi(connection), zones(settings.zones), {
        bothRoles: settings.state === 'absent',
        counter: counterOf(progress, zones(settings.zones)),
        // state: absent never creates (nor deletes) a zone.
        create: settings.state === 'present' && settings.zones?.create === true,
    }),
    decide: (settings, board) => {
        const found = board.found.zone;
        const peerFound = board.found.peer;
        // Removal: decided before the peer's (it goes only once no zone uses it), from the peer the lookup found.
        if (settings.state === 'absent') {
            const { peerId, gone } = unlinking(peerFound);
            return decideUnlinks(found, peerId, { gone });
        }
        const peerPlan = board.plans.peer;
        // The peer uses a key this run creates only when its plan writes it (not when reuse leaves it alone).
        const linksNewKey = board.plans.tsig?.operation === 'created' &&
            (peerPlan.operation === 'created' || peerPlan.operation === 'updated');
        const newKey = linksNewKey ? settings.tsig?.name : undefined;
        return decideLinks(found, peerLinkOf(peerPlan, newKey), directoryOf(peerFound.listed ?? []));
    },
    preview: (plans) => ({ zones: previewZones(plans) }),
    apply: async (plans, { settings, connection, journal, log, warn, progress }, board) => {
        const api = new ZoneApi(connection);
        if (settings.state === 'absent')
            return unlink(api, plans, unlinking(board.found.peer).peerId ?? '');
        const { peer, plan } = board.outcomes.peer ?? {};
        if (!peer || !plan)
            throw new Error('The zones step links a peer: the peer step comes first.');
        const peerLink = peerLinkOf(plan);
        const directory = directoryOf(board.found.peer.listed ?? []);
        const recheck = (zone) => decideLinks([zone], peerLink, directory);
        const desired = zones(settings.zones);
        const counter = counterOf(progress, desired);
        const ready = await createZones(api, plans, { log, journal, recheck, atOnce: ZONES_AT_ONCE });
        const verify = board.found.verify;
        const outcome = await zone_link(api, ready, peer, desired, {
            log,
            recheck,
            connection,
            journal,
            counter,
            verify,
        });
        for (const line of delegationWarnings(outcome.zones, desired.waitSeconds > 0))
            warn(line);
        return outcome;
    },
    failureOf: (outcome) => outcome.failure,
    entries: {
        zone: createdZoneEntry,
        zone_config: {
            describe: (entry) => `${direction(entry)} transfer configuration of zone ${entry.name} (${entry.id})`,
            byHand: (entry) => removeByHand(entry),
            undo: (entry, connection) => undoZone(connection, entry),
        },
        zone_link: {
            describe: (entry) => `link of peer ${entry.peerId} to zone ${entry.name} (${entry.id})`,
            byHand: (entry) => removeByHand(entry),
            undo: (entry, connection) => undoZone(connection, entry),
        },
    },
};
/**
 * Zones read or written at once, chosen from Cloudflare's limit of 200 requests a second per IP address:
 * twenty requests in flight with a round trip of 100 ms (a runner to Cloudflare's API) make about 200 a
 * second. On a faster network the transport's limit on request starts (cloudflare/spacing.ts) holds the
 * pace, so no second holds more than 200 however fast the answers come. (Measured with 50 ms a request:
 * 100 zones took 3.6 times one zone's time with twelve at once, 3.2 with twenty, and no less with more.)
 */
const ZONES_AT_ONCE = 20;
const STAGES = ['looked up', 'linked', 'forced', 'transferred'];
/** The zones' progress counter, shared by the lookup and the writes. */
function counterOf(progress, desired) {
    return progress.counter('zones', desired.targets.length, STAGES);
}
/**
 * The peer id to take out of the zones: the peer the lookup found, or, by peer_id, a peer that is gone
 * already while zones may still list its id (`gone`).
 */
function unlinking(found) {
    const target = (0,peer/* targetOf */.$r)(found);
    if (target)
        return { peerId: target.id, gone: false };
    return { peerId: found.by === 'id' ? found.peerId : undefined, gone: true };
}
function zones(desired) {
    if (!desired)
        throw new Error('The zones step runs only with zones.');
    return desired;
}
function direction(entry) {
    return ENDPOINT[entry.role ?? 'secondary'];
}
function removeByHand(entry) {
    return `remove peer ${entry.peerId} from the ${direction(entry)} transfer configuration of zone ${entry.name} (${entry.id})`;
}
/** Every zone and its configuration for the role; all zones are looked up, and every problem reported at once. */
async function lookUpZones(api, desired, options) {
    const otherRole = desired.role === 'secondary' ? 'primary' : 'secondary';
    const listed = desired.targets.length < 2 ? undefined : new ZoneListing(api, desired.targets);
    const results = await (0,concurrency/* settleAll */.j)(desired.targets, ZONES_AT_ONCE, async (target) => {
        const zone = await resolve(api, target, listed, options.create);
        // create_zones: a name the account lacks is noted, and created when the plan is carried out.
        if (!zone) {
            options.counter.add('looked up');
            return { zone: { id: '', name: label(target) }, role: desired.role, createsZone: true };
        }
        const config = await api.transfer(desired.role, zone.id);
        const outgoing = desired.role === 'primary' && config ? await api.outgoingStatus(zone.id) : undefined;
        const other = options.bothRoles ? await api.transfer(otherRole, zone.id) : undefined;
        options.counter.add('looked up');
        return (0,objects/* definedOnly */.U)({ zone, role: desired.role, config, outgoing, other });
    });
    const found = fulfilled(results, desired.targets.map(label), 'Looking up the zones failed, so nothing was written');
    // One zone given twice (by name and by id) is one zone.
    const key = (found) => found.zone.id || found.zone.name;
    return found.filter((zone, index) => found.findIndex((other) => key(other) === key(zone)) === index);
}
/**
 * The account's zones from its List, 50 a page, when that costs fewer requests than one lookup per zone:
 * a page is read only while more zones are still missing than pages were read. The pages are read in
 * the background, and each zone is handed out as soon as its page is in, so the zones' own reads start
 * before the List is done. A List cut short (or failing) leaves the rest to one lookup each.
 */
class ZoneListing {
    #byKey = new Map();
    #wake = new Set();
    #done = false;
    #complete = false;
    constructor(api, targets) {
        // A failing List is no error of its own: the lookups one by one say what is wrong, zone by zone.
        this.#read(api, targets)
            .catch(() => { })
            .finally(() => {
            this.#done = true;
            this.#notify();
        });
    }
    /** The zone once its page is in; `complete` when the whole List was read (then no zone means none). */
    async find(key) {
        for (;;) {
            const zone = this.#byKey.get(key);
            if (zone)
                return { zone, complete: true };
            if (this.#done)
                return { complete: this.#complete };
            await new Promise((resolve) => this.#wake.add(resolve));
        }
    }
    async #read(api, targets) {
        const missing = () => targets.filter((target) => !this.#byKey.has(label(target))).length;
        for (let page = 1; page <= missing(); page++) {
            const items = await api.page(page);
            for (const zone of items) {
                this.#byKey.set(zone.id.toLowerCase(), zone);
                this.#byKey.set(zone.name.toLowerCase(), zone);
            }
            this.#notify();
            if (items.length < ZONES_PER_PAGE) {
                this.#complete = true;
                return;
            }
        }
    }
    #notify() {
        for (const wake of [...this.#wake])
            wake();
        this.#wake.clear();
    }
}
/** The zone; undefined for a name the account lacks when `create` (create_zones) lets the run create it. */
async function resolve(api, target, listed, create = false) {
    const found = listed ? await listed.find(label(target)) : { complete: false };
    if (found.zone)
        return found.zone;
    const zone = found.complete
        ? undefined
        : target.by === 'name'
            ? (await api.byName(target.name))[0]
            : await api.inAccount(target.id);
    if (zone)
        return zone;
    if (create && target.by === 'name')
        return undefined;
    throw new Error(target.by === 'name'
        ? 'no zone of that name in this account (check the name and account_id; the token needs Zone Read; ' +
            'create_zones: true creates it as a secondary zone)'
        : 'no zone with that id in this account (check the id and account_id; the token needs Zone Read)');
}
function previewZones(plans) {
    return plans.map((plan) => outcomeOf(plan, plan.config));
}
/** How often a run adds its peer back after other runs' writes dropped it, before it gives up on the zone. */
const RELINK_ATTEMPTS = 3;
/**
 * Links the peer to each zone that needs it, then forces a transfer and waits for it, as asked. Every
 * configuration created and every link added goes into the journal before it is written, so a later
 * failure (another zone's, a forced transfer's) undoes them. A wait that times out undoes nothing: the
 * links are right.
 */
async function zone_link(api, plans, peer, desired, io) {
    const { log, journal } = io;
    // Each zone is forced as soon as it is linked: one pass over the zones, not two.
    const force = desired.transfer === 'force';
    const linked = await (0,concurrency/* settleAll */.j)(plans, ZONES_AT_ONCE, async (plan) => {
        const outcome = await linkOne(plan);
        io.counter.add('linked');
        if (force) {
            await api.force(plan.role, plan.zone.id);
            io.counter.add('forced');
        }
        return outcome;
    });
    async function linkOne(plan) {
        if (plan.operation !== 'linked')
            return outcomeOf(plan, plan.config);
        const { zone, role } = plan;
        // Read again right before the write: the whole peer list is sent back, so a peer another run linked
        // since the lookup must be in it. The rules are checked again against what is there now.
        const config = plan.createsConfig ? undefined : await api.transfer(role, zone.id);
        if (config?.peers.includes(peer.id))
            return outcomeOf({ ...plan, operation: 'unchanged' }, config);
        if (config)
            io.recheck({ ...plan, config });
        // Recorded before the write, so a write whose answer was lost is undone too (undoing one that did
        // not happen finds nothing to do).
        const kind = config ? 'zone_link' : 'zone_config';
        journal.record({ kind, id: zone.id, name: zone.name, role, peerId: peer.id });
        if (config) {
            const current = { ...plan, config };
            await api.updateTransfer(role, zone.id, linkBody(current, peer.id, desired.autoRefreshSeconds));
            return outcomeOf(plan, await keepLinked(api, current, peer.id, desired, io));
        }
        try {
            const created = await api.createTransfer(role, zone.id, linkBody(plan, peer.id, desired.autoRefreshSeconds));
            // A new outgoing configuration starts disabled: Cloudflare would never send the zone.
            const outgoing = role === 'primary' ? String(await api.enableOutgoing(zone.id)) : undefined;
            return outcomeOf({ ...plan, createsConfig: true, outgoing }, created);
        }
        catch (error) {
            // Refused because another run created the configuration since the lookup: join it, as it is.
            const now = error instanceof errors/* CloudflareError */.Oi && !error.transient ? await api.transfer(role, zone.id) : undefined;
            if (!now)
                throw error;
            const joined = { ...plan, config: now, createsConfig: false };
            if (now.peers.includes(peer.id))
                return outcomeOf({ ...joined, operation: 'unchanged' }, now);
            await addPeer(api, joined, peer.id, desired, io);
            return outcomeOf(joined, await keepLinked(api, joined, peer.id, desired, io));
        }
    }
    const what = force ? 'Linking the zones and forcing their transfers failed' : 'Linking the zones failed';
    const outcomes = fulfilled(linked, plans.map(nameOf), what);
    if (force)
        log(`Forced a transfer for ${(0,short_list/* shortList */.pg)(plans.map(nameOf))}.`);
    if (desired.waitSeconds === 0)
        return { zones: outcomes };
    return waitForLinks(plans, outcomes, peer.id, desired, io);
}
/**
 * Reads an updated configuration back. Cloudflare replaces the whole peer list on every write and has no
 * version check, so another run writing the same zone at the same moment can drop this run's peer: then
 * it is added again to the list as it is now, a few times at most, after a random pause so that two runs
 * do not keep colliding.
 */
async function keepLinked(api, plan, peerId, desired, io) {
    const { retry } = io.connection;
    for (let attempt = 1;; attempt++) {
        const config = await api.transfer(plan.role, plan.zone.id);
        if (!config) {
            throw new Error('its transfer configuration was deleted right after this run linked the peer (another run or a person)');
        }
        if (config.peers.includes(peerId))
            return config;
        if (attempt > RELINK_ATTEMPTS) {
            throw new Error(`another writer removed this peer from its transfer configuration ${RELINK_ATTEMPTS} times after this run ` +
                'added it; run the jobs that link this zone one after another (a concurrency group)');
        }
        io.log(`Zone ${plan.zone.name}: another run's write dropped this peer from the transfer configuration; adding it ` +
            `again (${attempt} of ${RELINK_ATTEMPTS}).`);
        await retry.sleep(Math.round(250 + retry.random() * 750 * attempt));
        await addPeer(api, { ...plan, config }, peerId, desired, io);
    }
}
/** Adds the peer to the configuration as it is now, every other peer and setting kept; the rules checked again. */
async function addPeer(api, current, peerId, desired, io) {
    io.recheck(current);
    await api.updateTransfer(current.role, current.zone.id, linkBody(current, peerId, desired.autoRefreshSeconds));
}
/** Removes the peer from each zone it is linked to, every other peer and setting kept. */
async function unlink(api, plans, peerId) {
    const results = await (0,concurrency/* settleAll */.j)(plans, ZONES_AT_ONCE, async (plan) => {
        if (plan.operation !== 'unlinked')
            return outcomeOf(plan, plan.config);
        // Read again right before the write, as for linking: other runs' changes since the lookup stay.
        const config = await api.transfer(plan.role, plan.zone.id);
        if (!config?.peers.includes(peerId))
            return outcomeOf({ ...plan, operation: 'not_linked' }, config);
        decideUnlinks([{ ...plan, config }], peerId);
        const body = unlinkBody(config, plan.zone, plan.role, peerId);
        return outcomeOf(plan, await api.updateTransfer(plan.role, plan.zone.id, body));
    });
    const done = results.flatMap((result, index) => result.status === 'fulfilled' && plans[index]?.operation === 'unlinked' ? [nameOf(plans[index])] : []);
    const already = done.length > 0 ? ` (unlinked already: ${done.join(', ')}; re-run to finish)` : '';
    return {
        zones: fulfilled(results, plans.map(nameOf), `Unlinking the zones failed, and the peer was kept${already}`),
    };
}
/**
 * Waits until every zone reports a transfer after this run's change, measured against the configuration
 * as it was before the run wrote anything (a transfer that completed while a write was being retried
 * still counts). A zone the run left alone and did not force counts when it ever transferred. A
 * configuration that lost this run's peer meanwhile counts no transfer: the peer is added back once, and
 * a zone whose configuration went, or lost the peer again, fails. Polls keep the deadline: none is
 * retried past it.
 */
async function waitForLinks(plans, outcomes, peerId, desired, io) {
    const timeoutMs = desired.waitSeconds * 1000;
    const api = new ZoneApi(untilDeadline(io.connection, Date.now() + timeoutMs));
    const waiting = plans.flatMap((plan, index) => {
        const untouched = plan.operation === 'unchanged' && desired.transfer !== 'force';
        const check = peerCheck(io.verify, plan.zone.name);
        if (untouched && !check && plan.config && everTransferred(plan.config, plan.role)) {
            outcomes[index].transferred = true;
            io.counter.add('transferred');
            return [];
        }
        return [{ plan, index, check }];
    });
    const results = await waitForTransfers(waiting.map(({ plan, check }) => ({
        name: plan.zone.name,
        role: plan.role,
        baseline: plan.config ?? { peers: [] },
        read: () => api.transfer(plan.role, plan.zone.id),
        ...check,
        peerId,
        relink: async (config) => {
            io.log(`Zone ${plan.zone.name}: another writer removed this peer from the transfer configuration; adding it again.`);
            // A zone this run found linked gets a write of this run's now: recorded as such, like every write.
            if (plan.operation !== 'linked') {
                io.journal.record({ kind: 'zone_link', id: plan.zone.id, name: plan.zone.name, role: plan.role, peerId });
            }
            await addPeer(api, { ...plan, config }, peerId, desired, io);
        },
    })), {
        timeoutMs,
        sleep: io.connection.retry.sleep,
        now: Date.now,
        log: io.log,
        onTransferred: () => io.counter.add('transferred'),
    });
    const lines = [];
    const broken = [];
    results.forEach((result, n) => {
        const { index } = waiting[n];
        const outcome = { ...withConfig(outcomes[index], result.last), transferred: result.transferred };
        outcomes[index] = outcome;
        if (result.problem)
            broken.push(`- zone ${outcome.name}: ${result.problem}`);
        if (result.transferred || result.problem)
            return;
        const disabled = outcome.outgoing === 'Disabled' ? '; outgoing transfers are disabled for this zone' : '';
        const unread = result.error ? `; the last poll failed: ${result.error}` : '';
        const peer = result.peer ? `; the peer's nameserver ${result.peer}` : '';
        lines.push(`- zone ${outcome.name}: ${zone_wait_status(result.last)}${peer}${disabled}${unread}`);
    });
    const failures = [];
    if (broken.length > 0) {
        failures.push(`While waiting for transfers, ${broken.length === 1 ? 'a zone' : 'zones'} stopped being linked:\n${(0,short_list/* shortList */.pg)(broken, '\n')}`);
    }
    if (lines.length > 0) {
        failures.push(`Waited ${desired.waitSeconds} s, but not every zone reported a transfer; the links are in place and stay. ` +
            `Last status:\n${(0,short_list/* shortList */.pg)(lines, '\n')}\nCheck that the other nameserver allows transfers to and from Cloudflare's ` +
            'current transfer addresses, and that its TSIG key matches.');
    }
    return failures.length > 0 ? { zones: outcomes, failure: failures.join('\n') } : { zones: outcomes };
}
/**
 * What the wait compares with the peer's nameserver (verify_peer): for a secondary zone the serial it served
 * at the check; for a primary zone, a new question on each poll, once it answered the check at all.
 */
function peerCheck(verify, zone) {
    const check = verify?.checks.find((entry) => entry.name === zone)?.result;
    if (!verify || !check)
        return undefined;
    if (verify.role === 'secondary')
        return check.kind === 'serial' ? { peerSerial: check.serial } : undefined;
    const { query } = verify;
    if (!query || check.kind === 'no_answer')
        return undefined;
    return { askPeer: () => query(zone) };
}
/**
 * The connection for polls: no retry starts (its pause, or a 429's wait, never begins) when it would end
 * past the deadline, so the wait ends within about wait_for_transfer + request_timeout.
 */
function untilDeadline(connection, deadline) {
    return {
        ...connection,
        retry: { ...connection.retry, deadline: { at: deadline, what: 'the end of wait_for_transfer' } },
    };
}
/** Cloudflare as primary: only a transfer counts (its own serial moves with every edit of the zone). */
function everTransferred(config, role) {
    if (role === 'primary')
        return knownTime(config.last_transferred_time) !== undefined;
    return (config.soa_serial ?? 0) > 0 || knownTime(config.checked_time) !== undefined;
}
function outcomeOf(plan, config) {
    const outcome = {
        id: plan.zone.id,
        name: plan.zone.name,
        role: plan.role,
        operation: plan.operation,
        soa_serial: 0,
        name_servers: plan.zone.name_servers ?? [],
        status: plan.zone.status ?? '',
        zone_created: plan.createsZone === true,
    };
    if (plan.outgoing)
        outcome.outgoing = plan.outgoing;
    if (plan.createsConfig)
        outcome.config_created = true;
    return withConfig(outcome, config);
}
/** The outcome with the serial and transfer times of this configuration. */
function withConfig(outcome, config) {
    const { checked_time: _c, last_transferred_time: _t, ...rest } = outcome;
    const next = { ...rest, soa_serial: config?.soa_serial ?? 0 };
    const checked = knownTime(config?.checked_time);
    const transferred = knownTime(config?.last_transferred_time);
    if (checked)
        next.checked_time = checked;
    if (transferred)
        next.last_transferred_time = transferred;
    return next;
}
/** The values of settled work on zones, or one error naming every zone that failed. */
function label(target) {
    return target.by === 'name' ? target.name : target.id;
}
function nameOf(plan) {
    return plan?.zone.name ?? '';
}
/**
 * Undoes a link: this run's peer is taken out of the zone's transfer configuration again, every other
 * peer and setting kept; a configuration left with no peer goes as a whole (the run created it, or its
 * other peers went meanwhile).
 */
async function undoZone(connection, entry) {
    const api = new ZoneApi(connection);
    const role = entry.role ?? 'secondary';
    const config = await api.transfer(role, entry.id);
    if (!config || (entry.peerId !== undefined && !config.peers.includes(entry.peerId)))
        return 'gone';
    const body = unlinkBody(config, { id: entry.id, name: entry.name }, role, entry.peerId ?? '');
    if (body.peers.length > 0) {
        await api.updateTransfer(role, entry.id, body);
        return 'deleted';
    }
    try {
        await api.deleteTransfer(role, entry.id);
        return 'deleted';
    }
    catch (error) {
        if (error instanceof errors/* CloudflareError */.Oi && error.answered404)
            return 'gone';
        throw error;
    }
}


/***/ })

};
