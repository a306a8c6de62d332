/**
 * Sessions of the workspace page (the `sessions` table): a key exchanged for a session id, kept
 * only as the sha256 of the id and of its CSRF token, with its key's identity, role and label, an
 * absolute end and the time of its last use. Every instance sharing the store sees the same
 * sessions, so signing out (revoking) is cluster-wide. Whether a session may be used at a given
 * time is the caller's decision (api/), from these times and its key's state, read in the same
 * query: a managed key revoked or expired ends its sessions with it.
 */
import type { KeyRole } from "../../models/index.ts";

/** Where the session's key lives: the store's `api_keys`, or the service's ALLOT_API_KEYS. */
export type SessionKeySource = "managed" | "bootstrap";

export interface NewSessionRow {
  /** sha256 of the session id, hex. */
  digest: string;
  /** sha256 of the session's CSRF token, hex. */
  csrfDigest: string;
  /** The key's identity (first 12 hex digits of its sha256). */
  keyId: string;
  keySource: SessionKeySource;
  role: KeyRole;
  label: string;
  /** ISO 8601; also the first `lastSeenAt`. */
  createdAt: string;
  /** The absolute end, ISO 8601. */
  expiresAt: string;
}

export interface StoredSession {
  csrfDigest: string;
  keyId: string;
  keySource: SessionKeySource;
  role: KeyRole;
  label: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  revokedAt: string | null;
  /** The managed key's state now; null for a bootstrap key, or a managed key the store does not hold. */
  key: { expiresAt: string | null; revokedAt: string | null } | null;
}

export interface SessionStore {
  /** Stores a session; drops the sessions whose absolute end is before its creation (they can never be used again). */
  createSession(session: NewSessionRow): Promise<void>;
  /** The session whose id has sha256 `digest`, with its key's state; null when none. */
  findSession(digest: string): Promise<StoredSession | null>;
  /** Records a use of the session at `at` (ISO 8601; never moves it back). */
  touchSession(digest: string, at: string): Promise<void>;
  /** Revokes the session at `at` (once: revoking again keeps the first time); false when none was live to revoke. */
  revokeSession(digest: string, at: string): Promise<boolean>;
}
