/**
 * Storage of idempotency keys (the HTTP middleware is api/idempotency.ts). A key is scoped by the
 * caller's API-key identity, the method and the path; the first request with it claims it, runs,
 * and stores its response; later requests with the same key get that response back (same
 * fingerprint), a 422 (another fingerprint) or a 409 (the first one is still running).
 */

export interface IdempotencyScope {
  /** API-key identity ("" when authentication is off). */
  identity: string;
  key: string;
  method: string;
  path: string;
}

/** A response as stored for replay. */
export interface StoredResponse {
  status: number;
  /** Only the headers worth replaying (content type, location). */
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyClaim =
  /** The key is ours: run the request, then complete or release with this token. */
  | { kind: "claimed"; token: string }
  | { kind: "replay"; response: StoredResponse; createdAt: number }
  /** The key was used with another request (body, query). */
  | { kind: "mismatch" }
  /** The first request with this key is still running (its lease has not expired). */
  | { kind: "in-flight"; retryAfterMs: number };

export interface IdempotencyOptions {
  /**
   * How long a claim may stay unfinished before another request may take the key over (covers a
   * process that died mid-request).
   */
  leaseMs: number;
  /** How long a finished key is kept (at least 24 h); older ones are purged lazily. */
  retentionMs: number;
}

export interface IdempotencyStore {
  claimIdempotencyKey(scope: IdempotencyScope, fingerprint: string, options: IdempotencyOptions): Promise<IdempotencyClaim>;
  /** Stores the response of a claimed key (no-op when the claim was lost or released). */
  completeIdempotencyKey(scope: IdempotencyScope, token: string, response: StoredResponse): Promise<void>;
  /** Gives a claimed key up without a response (the request ended without one, or with a transient error). */
  releaseIdempotencyKey(scope: IdempotencyScope, token: string): Promise<void>;
}

/** Keys are kept at least this long. */
export const IDEMPOTENCY_MIN_RETENTION_MS = 24 * 3_600_000;
