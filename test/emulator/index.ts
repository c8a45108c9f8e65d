// Public API of the Cloudflare Secondary DNS emulator.

export type { Fault, FaultRule } from './faults.ts';
export type { RateLimitSettings } from './ratelimit.ts';
export type { RecordedRequest } from './routes.ts';
export {
  type Emulator,
  type EmulatorOptions,
  type Exchange,
  type RecordedAnswer,
  startEmulator,
} from './server.ts';
export type { Peer, Tsig } from './store.ts';
export { makeSelfSignedCert } from './tls.ts';
export type { TransferSettings } from './transfers.ts';
export type { IncomingConfig, OutgoingConfig, Zone, ZoneSeed, ZoneStatus, ZoneType } from './zone-store.ts';
export type { ZoneControls } from './zones.ts';
