// The post step runs after every job that used the action. Most runs created nothing, so it checks
// the saved state before loading anything else, to cost no more than a bare Node start.
import { STATE } from './state.js';

if (process.env[`STATE_${STATE.created}`]) {
  const { cleanUp } = await import('./cleanup.js');
  await cleanUp();
}
