// Undoing what a run did to a zone: a transfer configuration it created is deleted; a link it added to a
// configuration that existed is removed again, every other peer and setting kept. Loaded only when the
// journal holds zone entries.
import type { Connection } from './cloudflare/collection.js';
import { CloudflareError } from './cloudflare/errors.js';
import { ZonesApi } from './cloudflare/zones.js';
import { unlinkBody } from './plan/zone.js';
import type { Created } from './undo.js';

export async function undoZone(connection: Connection, entry: Created): Promise<'deleted' | 'gone'> {
  const api = new ZonesApi(connection);
  const role = entry.role ?? 'secondary';
  const config = await api.transfer(role, entry.id);
  if (!config) return 'gone';
  if (entry.kind === 'zone_link') {
    const peerId = entry.peerId ?? '';
    if (!config.peers.includes(peerId)) return 'gone';
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
  } catch (error) {
    if (error instanceof CloudflareError && error.answered404) return 'gone';
    throw error;
  }
}
