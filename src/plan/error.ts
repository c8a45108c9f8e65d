/** A situation the user must resolve (several objects share a name, one exists with if_exists: fail…); the message says how. */
export class PlanError extends Error {
  override name = 'PlanError';
}
