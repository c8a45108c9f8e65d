// Undoing what a run did to a zone: this run's peer is taken out of the zone's transfer configuration
// again, every other peer and setting kept; a configuration left with no peer goes as a whole (the run
// created it, or its other peers went meanwhile). Loaded only when the journal holds zone entries.
import type { Connection } from './cloudflare/collection.js';
import { CloudflareError } from './cloudflare/errors.js';
import { ZonesApi } from './cloudflare/zones.js';
import { unlinkBody } from './plan/zone.js';
import type { Created } from './undo.js';

export async function undoZone(connection: Connection, entry: Created): Promise<'deleted' | 'gone'> {
  const api = new ZonesApi(connection);
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
