// RFC 1982 serial number arithmetic (32 bits): a serial that wrapped past 2^32 is still newer.

const HALF = 2 ** 31;

/** True when current is target or newer than it. Two serials exactly 2^31 apart are not comparable: false. */
export function reached(current: number, target: number): boolean {
  return current === target || newer(current, target);
}

/**
 * Whether the copy of a zone has reached its source: with Cloudflare as the secondary the copy is
 * Cloudflare's serial; as the primary it is the peer's.
 */
export function inSync(role: 'secondary' | 'primary', cloudflare: number, peer: number): boolean {
  return role === 'primary' ? reached(peer, cloudflare) : reached(cloudflare, peer);
}

/** True when a is newer than b (RFC 1982 §3.2). */
export function newer(a: number, b: number): boolean {
  return (a < b && b - a > HALF) || (a > b && a - b < HALF);
}
