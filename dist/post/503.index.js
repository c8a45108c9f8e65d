export const id = 503;
export const ids = [503];
export const modules = {

/***/ 3503:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  undoZone: () => (/* binding */ undoZone)
});

// EXTERNAL MODULE: ./src/cloudflare/errors.ts
var errors = __webpack_require__(7640);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
// EXTERNAL MODULE: ./src/retry.ts
var retry = __webpack_require__(9809);
;// CONCATENATED MODULE: ./src/cloudflare/zones.ts
// A zone and its Secondary DNS transfer configuration: `incoming` when Cloudflare is secondary (the
// peer is the zone's primary), `outgoing` when Cloudflare is primary (the peer is a secondary it
// notifies). Each request is retried in the way that is safe for it; see createTransfer for the POST.



const zoneSchema = schemas/* looseObject */._H3({ id: schemas/* string */.YjP().min(1), name: schemas/* string */.YjP() });
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
const ENDPOINT = { secondary: 'incoming', primary: 'outgoing' };
class ZonesApi {
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
    get(zoneId) {
        return this.retried({ method: 'GET', path: `/zones/${zoneId}` }, zoneSchema);
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
        return (0,retry/* withRetries */.LH)(this.retry, () => this.send(req, schema));
    }
}

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
class ZoneRefusal extends (/* unused pure expression or super */ null && (Error)) {
    name = 'ZoneRefusal';
}
function decideLinks(found, peer, directory) {
    const problems = [];
    const plans = found.map((zone) => {
        const peers = zone.config?.peers ?? [];
        if (peer.id !== undefined && peers.includes(peer.id))
            return { ...zone, operation: 'unchanged', createsConfig: false };
        if (peers.length + 1 > MAX_PEERS_PER_ZONE) {
            problems.push(`Zone ${zone.zone.name}: it already has ${peers.length} peers, and Cloudflare links at most ${MAX_PEERS_PER_ZONE} ` +
                'to one zone. Remove a peer from it first.');
        }
        const mismatch = tsigMismatch(peers, peer, directory);
        if (mismatch)
            problems.push(`Zone ${zone.zone.name}: ${mismatch}`);
        return { ...zone, operation: 'linked', createsConfig: zone.config === undefined };
    });
    if (problems.length > 0)
        throw new ZoneRefusal(refusal(problems));
    return plans;
}
function decideUnlinks(found, peerId) {
    const problems = [];
    const plans = found.map((zone) => {
        const peers = zone.config?.peers ?? [];
        if (peerId === undefined || !peers.includes(peerId))
            return { ...zone, operation: 'not_linked', createsConfig: false };
        if (peers.length === 1) {
            problems.push(`Zone ${zone.zone.name}: this peer is its only peer, and removing it would stop the zone's transfers. ` +
                'Link the zone to another peer first, or remove its transfer configuration yourself if the zone is going away.');
        }
        return { ...zone, operation: 'unlinked', createsConfig: false };
    });
    if (problems.length > 0)
        throw new ZoneRefusal(refusal(problems));
    return plans;
}
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
function refusal(problems) {
    return `Nothing was written, because this is not possible as asked:\n${problems.map((p) => `- ${p}`).join('\n')}`;
}

;// CONCATENATED MODULE: ./src/zone-undo.ts



async function undoZone(connection, entry) {
    const api = new ZonesApi(connection);
    const role = entry.role ?? 'secondary';
    const config = await api.transfer(role, entry.id);
    if (!config)
        return 'gone';
    if (entry.kind === 'zone_link') {
        const peerId = entry.peerId ?? '';
        if (!config.peers.includes(peerId))
            return 'gone';
        const body = unlinkBody(config, { id: entry.id, name: entry.name }, role, peerId);
        // The others went meanwhile: an empty configuration transfers nothing, so it goes as a whole.
        if (body.peers.length > 0) {
            await api.updateTransfer(role, entry.id, body);
            return 'deleted';
        }
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
