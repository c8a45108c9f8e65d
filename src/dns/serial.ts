// RFC 1982 serial number arithmetic (32 bits): a serial that wrapped past 2^32 is still newer.

const HALF = 2 ** 31;

/** True when current is target or newer than it. Two serials exactly 2^31 apart are not comparable: false. */
export function reached(current: number, target: number): boolean {
  return current === target || newer(current, target);
}

/** True when a is newer than b (RFC 1982 §3.2). */
export function newer(a: number, b: number): boolean {
  return (a < b && b - a > HALF) || (a > b && a - b < HALF);
}
