/**
 * The database cannot be reached (refused, cut, timed out, shutting down). A store throws this
 * instead of the driver's error so that callers can tell "try again shortly" from a bug: the API
 * answers 503 `database-unavailable` with Retry-After, and readiness fails until it comes back.
 * An operation that fails this way did not take effect, except when the connection was lost while
 * committing: then its outcome is unknown, and a retry with the same Idempotency-Key settles it.
 */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
