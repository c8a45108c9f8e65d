// Public API of the Cloudflare Secondary DNS emulator.
export { startEmulator, type Emulator, type EmulatorOptions } from './server.ts';
export type { Peer, Tsig } from './store.ts';
export type { RecordedRequest } from './routes.ts';
export type { Fault, FaultRule } from './faults.ts';
export { makeSelfSignedCert } from './tls.ts';
