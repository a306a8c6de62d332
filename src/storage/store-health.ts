/**
 * The one question readiness asks a store: can it serve a request right now? A store that cannot
 * reach its database rejects with StoreUnavailableError (store-unavailable.ts).
 */
export interface StoreHealth {
  /** Resolves when the database answers a trivial query within `timeoutMs`. */
  checkHealth(timeoutMs: number): Promise<void>;
}
