// Loopback hosts are the only ones the action reaches in plain http, and never through a proxy.
import { isIP } from 'node:net';

/** A URL hostname (IPv6 in brackets, as URL gives it) that stays on this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || (isIP(hostname) === 4 && hostname.startsWith('127.'));
}
