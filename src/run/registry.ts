// The steps a run can take, in the order their objects depend on each other: the TSIG key (a peer links
// it), the peer (zones list it), its zones, and the check of the peer's nameserver for them. Each is
// loaded only when the inputs call for it, so a run without tsig_name or zones never loads that code
// (each is a chunk of its own in dist/). Adding a step means writing its module under steps/ and adding
// it here.

import type { Entry, EntryHandler, Handlers } from '../base/journal.js';
import type { AnyStep, StepName } from '../base/step.js';
import type { Settings } from '../inputs.js';
import { peerStep } from '../steps/peer.js';

interface Registered {
  name: StepName;
  /** Whether the inputs call for the step. */
  wanted: (settings: Settings) => boolean;
  load: () => Promise<AnyStep>;
  /** The kinds of journal entry the step writes. */
  kinds: readonly string[];
}

const STEPS: readonly Registered[] = [
  {
    name: 'tsig',
    wanted: (settings) => settings.tsig !== undefined,
    load: async () => (await import('../steps/tsig.js')).tsigStep,
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
    load: async () => (await import('../steps/zone.js')).zoneStep,
    kinds: ['zone', 'zone_config', 'zone_link'],
  },
  {
    // The check of the peer's nameserver (verify_peer): it reads the zones the zone step found, and the
    // zone step's wait uses what it found. It writes nothing, so it has no journal entry.
    name: 'verify',
    wanted: (settings) =>
      settings.zones !== undefined && settings.state === 'present' && settings.zones.verifyPeer !== 'false',
    load: async () => (await import('../steps/verify.js')).verifyStep,
    kinds: [],
  },
];

/** Every kind of journal entry some step writes. */
export const ENTRY_KINDS: readonly string[] = STEPS.flatMap((step) => step.kinds);

/** The steps the inputs call for, loaded, in dependency order. */
export async function stepsFor(settings: Settings): Promise<AnyStep[]> {
  return Promise.all(STEPS.filter((step) => step.wanted(settings)).map((step) => step.load()));
}

/**
 * The handlers of the given entries, from the steps that wrote them (only those are loaded), for a
 * rollback or the post step's cleanup.
 */
export async function handlersFor(entries: readonly Entry[]): Promise<Handlers> {
  const needed = STEPS.filter((step) => entries.some((entry) => step.kinds.includes(entry.kind)));
  const loaded = await Promise.all(needed.map((step) => step.load()));
  const byKind = new Map<string, EntryHandler>(loaded.flatMap((step) => Object.entries(step.entries)));
  return (entry) => {
    const handler = byKind.get(entry.kind);
    if (!handler) throw new Error(`No step undoes journal entries of kind ${entry.kind}.`);
    return handler;
  };
}
