// The zones step, for runs with `zones`: look the zones and their transfer configurations up, then
// carry out the link (or unlink) plans, force a transfer and wait for it — or, in a dry run, only
// describe it; and undo a link. Loaded with a dynamic import, so runs without zones never load it.

import type { Entry, Journal } from '../base/journal.js';
import type { Counter, Progress } from '../base/progress.js';
import type { Step } from '../base/step.js';
import type { Connection } from '../cloudflare/collection.js';
import { CloudflareError } from '../cloudflare/errors.js';
import type { Peer } from '../cloudflare/peer.js';
import {
  ENDPOINT,
  type TransferConfig,
  ZONES_PER_PAGE,
  type Zone,
  ZoneApi,
  type ZoneRole,
} from '../cloudflare/zone.js';
import { settleAll } from '../concurrency.js';
import type { DesiredZones, ZoneTarget } from '../inputs.js';
import { definedOnly } from '../objects.js';
import type { ZoneOutcome, ZonesOutcome } from '../outcome.js';
import { type Found as PeerFound, type Plan as PeerPlan, targetOf } from '../plan/peer.js';
import type { PeerReading, VerifyFound } from '../plan/verify.js';
import {
  decideLinks,
  decideUnlinks,
  directoryOf,
  linkBody,
  peerLinkOf,
  unlinkBody,
  type ZoneFound,
  type ZonePlan,
} from '../plan/zone.js';
import { shortList } from '../short-list.js';
import { createdZoneEntry, createZones, delegationWarnings, fulfilled } from './zone-create.js';
import { knownTime, status, waitForTransfers } from './zone-wait.js';

export const zoneStep: Step<'zone'> = {
  name: 'zone',
  // A peer that goes must be in no role of the zones given: state: absent reads both configurations.
  lookUp: ({ settings, connection, progress }) =>
    lookUpZones(new ZoneApi(connection), zones(settings.zones), {
      bothRoles: settings.state === 'absent',
      counter: counterOf(progress, zones(settings.zones)),
      // state: absent never creates (nor deletes) a zone.
      create: settings.state === 'present' && settings.zones?.create === true,
    }),
  decide: (settings, board) => {
    const found = board.found.zone as ZoneFound[];
    const peerFound = board.found.peer as PeerFound;
    // Removal: decided before the peer's (it goes only once no zone uses it), from the peer the lookup found.
    if (settings.state === 'absent') {
      const { peerId, gone } = unlinking(peerFound);
      return decideUnlinks(found, peerId, { gone });
    }
    const peerPlan = board.plans.peer as PeerPlan;
    // The peer uses a key this run creates only when its plan writes it (not when reuse leaves it alone).
    const linksNewKey =
      board.plans.tsig?.operation === 'created' &&
      (peerPlan.operation === 'created' || peerPlan.operation === 'updated');
    const newKey = linksNewKey ? settings.tsig?.name : undefined;
    return decideLinks(found, peerLinkOf(peerPlan, newKey), directoryOf(peerFound.listed ?? []));
  },
  preview: (plans) => ({ zones: previewZones(plans) }),
  apply: async (plans, { settings, connection, journal, log, warn, progress }, board) => {
    const api = new ZoneApi(connection);
    if (settings.state === 'absent') return unlink(api, plans, unlinking(board.found.peer as PeerFound).peerId ?? '');
    const { peer, plan } = board.outcomes.peer ?? {};
    if (!peer || !plan) throw new Error('The zones step links a peer: the peer step comes first.');
    const peerLink = peerLinkOf(plan);
    const directory = directoryOf((board.found.peer as PeerFound).listed ?? []);
    const recheck = (zone: ZoneFound) => decideLinks([zone], peerLink, directory);
    const desired = zones(settings.zones);
    const counter = counterOf(progress, desired);
    const ready = await createZones(api, plans, { log, journal, recheck, atOnce: ZONES_AT_ONCE });
    const verify = board.found.verify;
    const outcome = await link(api, ready, peer, desired, {
      log,
      recheck,
      connection,
      journal,
      counter,
      verify,
    });
    for (const line of delegationWarnings(outcome.zones, desired.waitSeconds > 0)) warn(line);
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

const STAGES = ['looked up', 'linked', 'forced', 'transferred'] as const;

/** The zones' progress counter, shared by the lookup and the writes. */
function counterOf(progress: Progress, desired: DesiredZones): Counter {
  return progress.counter('zones', desired.targets.length, STAGES);
}

/**
 * The peer id to take out of the zones: the peer the lookup found, or, by peer_id, a peer that is gone
 * already while zones may still list its id (`gone`).
 */
function unlinking(found: PeerFound): { peerId?: string; gone: boolean } {
  const target = targetOf(found);
  if (target) return { peerId: target.id, gone: false };
  return { peerId: found.by === 'id' ? found.peerId : undefined, gone: true };
}

function zones(desired: DesiredZones | undefined): DesiredZones {
  if (!desired) throw new Error('The zones step runs only with zones.');
  return desired;
}

function direction(entry: Entry): string {
  return ENDPOINT[entry.role ?? 'secondary'];
}

function removeByHand(entry: Entry): string {
  return `remove peer ${entry.peerId} from the ${direction(entry)} transfer configuration of zone ${entry.name} (${entry.id})`;
}

/** Every zone and its configuration for the role; all zones are looked up, and every problem reported at once. */
async function lookUpZones(
  api: ZoneApi,
  desired: DesiredZones,
  options: { bothRoles: boolean; counter: Counter; create: boolean },
): Promise<ZoneFound[]> {
  const otherRole: ZoneRole = desired.role === 'secondary' ? 'primary' : 'secondary';
  const listed = desired.targets.length < 2 ? undefined : new ZoneListing(api, desired.targets);
  const results = await settleAll(desired.targets, ZONES_AT_ONCE, async (target): Promise<ZoneFound> => {
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
    return definedOnly({ zone, role: desired.role, config, outgoing, other });
  });
  const found = fulfilled(results, desired.targets.map(label), 'Looking up the zones failed, so nothing was written');
  // One zone given twice (by name and by id) is one zone.
  const key = (found: ZoneFound) => found.zone.id || found.zone.name;
  return found.filter((zone, index) => found.findIndex((other) => key(other) === key(zone)) === index);
}

/**
 * The account's zones from its List, 50 a page, when that costs fewer requests than one lookup per zone:
 * a page is read only while more zones are still missing than pages were read. The pages are read in
 * the background, and each zone is handed out as soon as its page is in, so the zones' own reads start
 * before the List is done. A List cut short (or failing) leaves the rest to one lookup each.
 */
class ZoneListing {
  readonly #byKey = new Map<string, Zone>();
  readonly #wake = new Set<() => void>();
  #done = false;
  #complete = false;

  constructor(api: ZoneApi, targets: readonly ZoneTarget[]) {
    // A failing List is no error of its own: the lookups one by one say what is wrong, zone by zone.
    this.#read(api, targets)
      .catch(() => {})
      .finally(() => {
        this.#done = true;
        this.#notify();
      });
  }

  /** The zone once its page is in; `complete` when the whole List was read (then no zone means none). */
  async find(key: string): Promise<{ zone?: Zone; complete: boolean }> {
    for (;;) {
      const zone = this.#byKey.get(key);
      if (zone) return { zone, complete: true };
      if (this.#done) return { complete: this.#complete };
      await new Promise<void>((resolve) => this.#wake.add(resolve));
    }
  }

  async #read(api: ZoneApi, targets: readonly ZoneTarget[]): Promise<void> {
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

  #notify(): void {
    for (const wake of [...this.#wake]) wake();
    this.#wake.clear();
  }
}

/** The zone; undefined for a name the account lacks when `create` (create_zones) lets the run create it. */
async function resolve(
  api: ZoneApi,
  target: ZoneTarget,
  listed: ZoneListing | undefined,
  create = false,
): Promise<Zone | undefined> {
  const found = listed ? await listed.find(label(target)) : { complete: false };
  if (found.zone) return found.zone;
  const zone = found.complete
    ? undefined
    : target.by === 'name'
      ? (await api.byName(target.name))[0]
      : await api.inAccount(target.id);
  if (zone) return zone;
  if (create && target.by === 'name') return undefined;
  throw new Error(
    target.by === 'name'
      ? 'no zone of that name in this account (check the name and account_id; the token needs Zone Read; ' +
          'create_zones: true creates it as a secondary zone)'
      : 'no zone with that id in this account (check the id and account_id; the token needs Zone Read)',
  );
}

function previewZones(plans: ZonePlan[]): ZoneOutcome[] {
  return plans.map((plan) => outcomeOf(plan, plan.config));
}

/** What linking needs besides the plans: the log, the rules again, and the retry policy's sleep and random. */
interface LinkIo {
  log: (line: string) => void;
  /** Checks the rules again against a configuration read after the lookup (throws a PlanError). */
  recheck: (found: ZoneFound) => void;
  connection: Connection;
  journal: Journal;
  counter: Counter;
  /** What the check of the peer's nameserver found (verify_peer), for the wait. */
  verify?: VerifyFound;
}

/** How often a run adds its peer back after other runs' writes dropped it, before it gives up on the zone. */
const RELINK_ATTEMPTS = 3;

/**
 * Links the peer to each zone that needs it, then forces a transfer and waits for it, as asked. Every
 * configuration created and every link added goes into the journal before it is written, so a later
 * failure (another zone's, a forced transfer's) undoes them. A wait that times out undoes nothing: the
 * links are right.
 */
async function link(
  api: ZoneApi,
  plans: ZonePlan[],
  peer: Peer,
  desired: DesiredZones,
  io: LinkIo,
): Promise<ZonesOutcome> {
  const { log, journal } = io;
  // Each zone is forced as soon as it is linked: one pass over the zones, not two.
  const force = desired.transfer === 'force';
  const linked = await settleAll(plans, ZONES_AT_ONCE, async (plan) => {
    const outcome = await linkOne(plan);
    io.counter.add('linked');
    if (force) {
      await api.force(plan.role, plan.zone.id);
      io.counter.add('forced');
    }
    return outcome;
  });
  async function linkOne(plan: ZonePlan): Promise<ZoneOutcome> {
    if (plan.operation !== 'linked') return outcomeOf(plan, plan.config);
    const { zone, role } = plan;
    // Read again right before the write: the whole peer list is sent back, so a peer another run linked
    // since the lookup must be in it. The rules are checked again against what is there now.
    const config = plan.createsConfig ? undefined : await api.transfer(role, zone.id);
    if (config?.peers.includes(peer.id)) return outcomeOf({ ...plan, operation: 'unchanged' }, config);
    if (config) io.recheck({ ...plan, config });
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
    } catch (error) {
      // Refused because another run created the configuration since the lookup: join it, as it is.
      const now = error instanceof CloudflareError && !error.transient ? await api.transfer(role, zone.id) : undefined;
      if (!now) throw error;
      const joined = { ...plan, config: now, createsConfig: false };
      if (now.peers.includes(peer.id)) return outcomeOf({ ...joined, operation: 'unchanged' }, now);
      await addPeer(api, joined, peer.id, desired, io);
      return outcomeOf(joined, await keepLinked(api, joined, peer.id, desired, io));
    }
  }
  const what = force ? 'Linking the zones and forcing their transfers failed' : 'Linking the zones failed';
  const outcomes = fulfilled(linked, plans.map(nameOf), what);
  if (force) log(`Forced a transfer for ${shortList(plans.map(nameOf))}.`);
  if (desired.waitSeconds === 0) return { zones: outcomes };
  return waitForLinks(plans, outcomes, peer.id, desired, io);
}

/**
 * Reads an updated configuration back. Cloudflare replaces the whole peer list on every write and has no
 * version check, so another run writing the same zone at the same moment can drop this run's peer: then
 * it is added again to the list as it is now, a few times at most, after a random pause so that two runs
 * do not keep colliding.
 */
async function keepLinked(
  api: ZoneApi,
  plan: ZonePlan,
  peerId: string,
  desired: DesiredZones,
  io: LinkIo,
): Promise<TransferConfig> {
  const { retry } = io.connection;
  for (let attempt = 1; ; attempt++) {
    const config = await api.transfer(plan.role, plan.zone.id);
    if (!config) {
      throw new Error(
        'its transfer configuration was deleted right after this run linked the peer (another run or a person)',
      );
    }
    if (config.peers.includes(peerId)) return config;
    if (attempt > RELINK_ATTEMPTS) {
      throw new Error(
        `another writer removed this peer from its transfer configuration ${RELINK_ATTEMPTS} times after this run ` +
          'added it; run the jobs that link this zone one after another (a concurrency group)',
      );
    }
    io.log(
      `Zone ${plan.zone.name}: another run's write dropped this peer from the transfer configuration; adding it ` +
        `again (${attempt} of ${RELINK_ATTEMPTS}).`,
    );
    await retry.sleep(Math.round(250 + retry.random() * 750 * attempt));
    await addPeer(api, { ...plan, config }, peerId, desired, io);
  }
}

/** Adds the peer to the configuration as it is now, every other peer and setting kept; the rules checked again. */
async function addPeer(api: ZoneApi, current: ZonePlan, peerId: string, desired: DesiredZones, io: LinkIo) {
  io.recheck(current);
  await api.updateTransfer(current.role, current.zone.id, linkBody(current, peerId, desired.autoRefreshSeconds));
}

/** Removes the peer from each zone it is linked to, every other peer and setting kept. */
async function unlink(api: ZoneApi, plans: ZonePlan[], peerId: string): Promise<ZonesOutcome> {
  const results = await settleAll(plans, ZONES_AT_ONCE, async (plan) => {
    if (plan.operation !== 'unlinked') return outcomeOf(plan, plan.config);
    // Read again right before the write, as for linking: other runs' changes since the lookup stay.
    const config = await api.transfer(plan.role, plan.zone.id);
    if (!config?.peers.includes(peerId)) return outcomeOf({ ...plan, operation: 'not_linked' }, config);
    decideUnlinks([{ ...plan, config }], peerId);
    const body = unlinkBody(config, plan.zone, plan.role, peerId);
    return outcomeOf(plan, await api.updateTransfer(plan.role, plan.zone.id, body));
  });
  const done = results.flatMap((result, index) =>
    result.status === 'fulfilled' && plans[index]?.operation === 'unlinked' ? [nameOf(plans[index])] : [],
  );
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
async function waitForLinks(
  plans: ZonePlan[],
  outcomes: ZoneOutcome[],
  peerId: string,
  desired: DesiredZones,
  io: LinkIo,
): Promise<ZonesOutcome> {
  const timeoutMs = desired.waitSeconds * 1000;
  const api = new ZoneApi(untilDeadline(io.connection, Date.now() + timeoutMs));
  const waiting = plans.flatMap((plan, index) => {
    const untouched = plan.operation === 'unchanged' && desired.transfer !== 'force';
    const check = peerCheck(io.verify, plan.zone.name);
    if (untouched && !check && plan.config && everTransferred(plan.config, plan.role)) {
      (outcomes[index] as ZoneOutcome).transferred = true;
      io.counter.add('transferred');
      return [];
    }
    return [{ plan, index, check }];
  });
  const results = await waitForTransfers(
    waiting.map(({ plan, check }) => ({
      name: plan.zone.name,
      role: plan.role,
      baseline: plan.config ?? { peers: [] },
      read: () => api.transfer(plan.role, plan.zone.id),
      ...check,
      peerId,
      relink: async (config: TransferConfig) => {
        io.log(
          `Zone ${plan.zone.name}: another writer removed this peer from the transfer configuration; adding it again.`,
        );
        // A zone this run found linked gets a write of this run's now: recorded as such, like every write.
        if (plan.operation !== 'linked') {
          io.journal.record({ kind: 'zone_link', id: plan.zone.id, name: plan.zone.name, role: plan.role, peerId });
        }
        await addPeer(api, { ...plan, config }, peerId, desired, io);
      },
    })),
    {
      timeoutMs,
      sleep: io.connection.retry.sleep,
      now: Date.now,
      log: io.log,
      onTransferred: () => io.counter.add('transferred'),
    },
  );
  const lines: string[] = [];
  const broken: string[] = [];
  results.forEach((result, n) => {
    const { index } = waiting[n] as { index: number };
    const outcome = { ...withConfig(outcomes[index] as ZoneOutcome, result.last), transferred: result.transferred };
    outcomes[index] = outcome;
    if (result.problem) broken.push(`- zone ${outcome.name}: ${result.problem}`);
    if (result.transferred || result.problem) return;
    const disabled = outcome.outgoing === 'Disabled' ? '; outgoing transfers are disabled for this zone' : '';
    const unread = result.error ? `; the last poll failed: ${result.error}` : '';
    const peer = result.peer ? `; the peer's nameserver ${result.peer}` : '';
    lines.push(`- zone ${outcome.name}: ${status(result.last)}${peer}${disabled}${unread}`);
  });
  const failures = [];
  if (broken.length > 0) {
    failures.push(
      `While waiting for transfers, ${broken.length === 1 ? 'a zone' : 'zones'} stopped being linked:\n${shortList(broken, '\n')}`,
    );
  }
  if (lines.length > 0) {
    failures.push(
      `Waited ${desired.waitSeconds} s, but not every zone reported a transfer; the links are in place and stay. ` +
        `Last status:\n${shortList(lines, '\n')}\nCheck that the other nameserver allows transfers to and from Cloudflare's ` +
        'current transfer addresses, and that its TSIG key matches.',
    );
  }
  return failures.length > 0 ? { zones: outcomes, failure: failures.join('\n') } : { zones: outcomes };
}

/**
 * What the wait compares with the peer's nameserver (verify_peer): for a secondary zone the serial it served
 * at the check; for a primary zone, a new question on each poll, once it answered the check at all.
 */
function peerCheck(
  verify: VerifyFound | undefined,
  zone: string,
): { peerSerial: number } | { askPeer: () => Promise<PeerReading> } | undefined {
  const check = verify?.checks.find((entry) => entry.name === zone)?.result;
  if (!verify || !check) return undefined;
  if (verify.role === 'secondary') return check.kind === 'serial' ? { peerSerial: check.serial } : undefined;
  const { query } = verify;
  if (!query || check.kind === 'no_answer') return undefined;
  return { askPeer: () => query(zone) };
}

/**
 * The connection for polls: no retry starts (its pause, or a 429's wait, never begins) when it would end
 * past the deadline, so the wait ends within about wait_for_transfer + request_timeout.
 */
function untilDeadline(connection: Connection, deadline: number): Connection {
  return {
    ...connection,
    retry: { ...connection.retry, deadline: { at: deadline, what: 'the end of wait_for_transfer' } },
  };
}

/** Cloudflare as primary: only a transfer counts (its own serial moves with every edit of the zone). */
function everTransferred(config: TransferConfig, role: ZoneRole): boolean {
  if (role === 'primary') return knownTime(config.last_transferred_time) !== undefined;
  return (config.soa_serial ?? 0) > 0 || knownTime(config.checked_time) !== undefined;
}

function outcomeOf(plan: ZonePlan, config: TransferConfig | undefined): ZoneOutcome {
  const outcome: ZoneOutcome = {
    id: plan.zone.id,
    name: plan.zone.name,
    role: plan.role,
    operation: plan.operation,
    soa_serial: 0,
    name_servers: plan.zone.name_servers ?? [],
    status: plan.zone.status ?? '',
    zone_created: plan.createsZone === true,
  };
  if (plan.outgoing) outcome.outgoing = plan.outgoing;
  if (plan.createsConfig) outcome.config_created = true;
  return withConfig(outcome, config);
}

/** The outcome with the serial and transfer times of this configuration. */
function withConfig(outcome: ZoneOutcome, config: TransferConfig | undefined): ZoneOutcome {
  const { checked_time: _c, last_transferred_time: _t, ...rest } = outcome;
  const next: ZoneOutcome = { ...rest, soa_serial: config?.soa_serial ?? 0 };
  const checked = knownTime(config?.checked_time);
  const transferred = knownTime(config?.last_transferred_time);
  if (checked) next.checked_time = checked;
  if (transferred) next.last_transferred_time = transferred;
  return next;
}

/** The values of settled work on zones, or one error naming every zone that failed. */
function label(target: ZoneTarget): string {
  return target.by === 'name' ? target.name : target.id;
}

function nameOf(plan: ZonePlan | undefined): string {
  return plan?.zone.name ?? '';
}

/**
 * Undoes a link: this run's peer is taken out of the zone's transfer configuration again, every other
 * peer and setting kept; a configuration left with no peer goes as a whole (the run created it, or its
 * other peers went meanwhile).
 */
async function undoZone(connection: Connection, entry: Entry): Promise<'deleted' | 'gone'> {
  const api = new ZoneApi(connection);
  const role = entry.role ?? 'secondary';
  const config = await api.transfer(role, entry.id);
  if (!config || (entry.peerId !== undefined && !config.peers.includes(entry.peerId))) return 'gone';
  const body = unlinkBody(config, { id: entry.id, name: entry.name }, role, entry.peerId ?? '');
  if (body.peers.length > 0) {
    await api.updateTransfer(role, entry.id, body);
    return 'deleted';
  }
  try {
    await api.deleteTransfer(role, entry.id);
    return 'deleted';
  } catch (error) {
    if (error instanceof CloudflareError && error.answered404) return 'gone';
    throw error;
  }
}
