import { DetailedError } from '../short-list.js';

/**
 * A situation the user must resolve (several objects share a name, one exists with if_exists: fail…); the
 * message says how. `detail`, when given, is the whole message where the message names only a few items.
 */
export class PlanError extends DetailedError {
  override name = 'PlanError';

  constructor(message: string, detail = message) {
    super(message, detail);
  }
}
