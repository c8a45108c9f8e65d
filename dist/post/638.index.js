export const id = 638;
export const ids = [638];
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

/***/ 1638:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  tsigStep: () => (/* binding */ tsigStep)
});

// EXTERNAL MODULE: ./src/cloudflare/tsig.ts
var tsig = __webpack_require__(6526);
// EXTERNAL MODULE: ./src/names.ts
var names = __webpack_require__(6455);
// EXTERNAL MODULE: ./src/plan/peer.ts
var peer = __webpack_require__(8859);
// EXTERNAL MODULE: ./src/base64.ts
var base64 = __webpack_require__(3348);
// EXTERNAL MODULE: ./src/plan/error.ts
var error = __webpack_require__(4565);
;// CONCATENATED MODULE: ./src/plan/tsig.ts
// The TSIG key's decisions, as pure functions: given the key the user asked for and the keys that
// exist (and, to remove one, the peers that remain), what should happen? No I/O here.



/** state: present. None: create it; one: as if_exists says (update rotates algo or secret); several: fail. */
function decideKey(desired, ifExists, found) {
    const { secret } = desired;
    if (secret === undefined) {
        throw new error/* PlanError */.W('Input `tsig_secret` is required with `tsig_name` for state: present.');
    }
    const key = single(found);
    if (!key)
        return { operation: 'created', body: { name: desired.name, algo: desired.algo, secret } };
    if (ifExists === 'fail') {
        throw new error/* PlanError */.W(`A TSIG key named "${key.name}" already exists (id ${key.id}) and if_exists is fail. ` +
            'Set if_exists: update to converge it, reuse to adopt it, or remove it first.');
    }
    if (ifExists === 'reuse')
        return { operation: 'unchanged', key };
    const changes = [];
    if (!(0,names/* sameName */.q)(key.algo, desired.algo))
        changes.push({ field: 'algo', before: key.algo, after: desired.algo });
    if (!(0,base64/* sameSecret */.B)(key.secret, secret))
        changes.push({ field: 'secret' });
    // The key keeps its name as Cloudflare spells it: another spelling of one DNS name is no change.
    const body = { name: key.name, algo: desired.algo, secret };
    return changes.length === 0 ? { operation: 'unchanged', key } : { operation: 'updated', key, body, changes };
}
/** state: absent. Delete the key, unless a peer that stays still uses it; no key is not an error. */
function decideKeyRemoval(found, remaining) {
    const key = single(found);
    if (!key)
        return { operation: 'not_found', name: found.name };
    const usedBy = remaining.filter((peer) => peer.tsig_id?.toLowerCase() === key.id.toLowerCase());
    return usedBy.length > 0 ? { operation: 'kept', key, usedBy } : { operation: 'deleted', key };
}
/** The id the peer should link: known unless the key is still to be created. */
function plannedKeyId(plan) {
    return 'key' in plan ? plan.key.id : '';
}
function single(found) {
    if (found.keys.length > 1) {
        const ids = found.keys.map((key) => key.id).join(', ');
        throw new error/* PlanError */.W(`${found.keys.length} TSIG keys are named "${found.name}" (${ids}); key names compare without regard to case ` +
            'and trailing dot, and Cloudflare does not keep them unique. Delete all but one, or link one by `tsig_id` ' +
            'instead of `tsig_name`.');
    }
    return found.keys[0];
}

;// CONCATENATED MODULE: ./src/steps/tsig.ts
// The TSIG key step, for runs with tsig_name: look the key up, then carry out its plan or, in a dry
// run, only describe it. Loaded with a dynamic import, so runs without a key never load it.




const tsigStep = {
    name: 'tsig',
    lookUp: async ({ settings, connection, reveal }) => lookUpKeys(keysApi(connection, reveal), key(settings.tsig).name),
    decide: (settings, board) => {
        const found = board.found.tsig;
        if (settings.state === 'present')
            return decideKey(key(settings.tsig), settings.ifExists, found);
        // Removal comes after the peer's: a key another remaining peer uses stays.
        return decideKeyRemoval(found, (0,peer/* remainingPeers */.GO)(board.found.peer, board.plans.peer));
    },
    preview: (plan, board) => withSharing(previewKey(plan), board),
    apply: async (plan, { connection, reveal, journal, log, warn }, board) => {
        const outcome = withSharing(await applyKey(keysApi(connection, reveal), plan, board.found.tsig, journal, log), board);
        const shared = outcome.sharedWith ?? [];
        if (shared.length > 0) {
            warn(`TSIG key ${outcome.key.name} (${outcome.key.id}) was rotated, and other peers use it too: ` +
                `${shared.map((peer) => `peer ${peer.name} (${peer.id})`).join(', ')}. Their nameservers need the new ` +
                'secret as well, or their transfers fail.');
        }
        return outcome;
    },
    entries: {
        tsig: {
            describe: (entry) => `TSIG key ${entry.name} (${entry.id})`,
            byHand: (entry) => `delete TSIG key ${entry.id} ("${entry.name}")`,
            // Deleting answers with an id only: no secret to reveal.
            undo: (entry, connection) => keysApi(connection, () => { }).delete(entry.id),
        },
        // A rotation cannot be undone: the action never keeps a secret, the old one included.
        tsig_rotation: {
            describe: (entry) => `a new secret for TSIG key ${entry.name} (${entry.id})`,
            byHand: (entry) => `give the other nameserver the new secret of TSIG key ${entry.name}, or run again with the old one`,
            undo: async () => 'kept',
            kept: (entry) => `TSIG key ${entry.name} (${entry.id}) keeps its new secret: the action never keeps the old one, so it cannot ` +
                'put it back (give the other nameserver the new secret, or run again with the old one)',
        },
    },
};
/** A rotated key: the other peers that use it (their nameservers need the new secret too). */
function withSharing(outcome, board) {
    if (outcome.operation !== 'updated')
        return outcome;
    const ours = board.plans.peer && 'peer' in board.plans.peer ? board.plans.peer.peer.id : undefined;
    const listed = board.found.peer?.listed ?? [];
    const id = outcome.key.id.toLowerCase();
    const sharedWith = listed.filter((peer) => peer.tsig_id?.toLowerCase() === id && peer.id !== ours);
    return sharedWith.length > 0 ? { ...outcome, sharedWith } : outcome;
}
function key(desired) {
    if (!desired)
        throw new Error('The TSIG key step runs only with tsig_name.');
    return desired;
}
/** `reveal` masks every secret Cloudflare's answers carry, before anything else sees them. */
function keysApi(connection, reveal) {
    return new tsig/* TsigApi */.c(connection, reveal);
}
/** One List; the keys whose name is this name (see sameName in names.ts). */
async function lookUpKeys(api, name) {
    return { name, keys: (await api.list()).filter((key) => (0,names/* sameName */.q)(key.name, name)) };
}
function previewKey(plan) {
    switch (plan.operation) {
        case 'created':
            return outcome(plan, { id: '', name: plan.body.name, algo: plan.body.algo });
        case 'updated':
            return outcome(plan, { ...view(plan.key), algo: plan.body.algo });
        case 'unchanged':
        case 'deleted':
        case 'kept':
            return outcome(plan, view(plan.key));
        case 'not_found':
            return outcome(plan, { id: '', name: plan.name, algo: '' });
    }
}
/** A key this run creates goes into the journal at once, so a failure of the peer's step undoes it. */
async function applyKey(api, plan, found, journal, log) {
    switch (plan.operation) {
        case 'created': {
            const key = await api.create(plan.body, new Set(found.keys.map((existing) => existing.id)));
            journal.record({ kind: 'tsig', id: key.id, name: key.name });
            return outcome(plan, view(key));
        }
        case 'updated':
            // A new secret cannot be taken back (the old one is never kept): a failure later says so.
            if (plan.changes.some((change) => change.field === 'secret')) {
                journal.record({ kind: 'tsig_rotation', id: plan.key.id, name: plan.key.name }, { rollbackOnly: true });
            }
            return outcome(plan, view(await api.update(plan.key.id, plan.body)));
        case 'deleted':
            // Gone between lookup and delete (another run): as for the peer, this run deleted nothing.
            if ((await api.delete(plan.key.id)) === 'gone') {
                log(`TSIG key ${plan.key.id} was deleted by someone else between lookup and delete: not_found.`);
                return previewKey({ operation: 'not_found', name: plan.key.name });
            }
            return previewKey(plan);
        default:
            return previewKey(plan);
    }
}
function outcome(plan, key) {
    return {
        operation: plan.operation,
        key,
        changes: plan.operation === 'updated' ? plan.changes : [],
        usedBy: plan.operation === 'kept' ? plan.usedBy : [],
    };
}
function view(key) {
    return { id: key.id, name: key.name, algo: key.algo };
}


/***/ })

};
