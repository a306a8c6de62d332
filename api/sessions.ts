/**
 * Sessions of the workspace page: a key exchanged (POST /v1/sessions) for a fresh random session
 * id and a CSRF token, 256 bits each, never one the client supplied. The store keeps only their
 * sha256 (a plain sha256 is enough for 256 random bits, as for keys), with the key's identity,
 * role and label, so every instance sharing the store knows the session and a sign-out is
 * cluster-wide. A session acts with its key's role; it ends at the first of: its absolute lifetime
 * (ALLOT_SESSION_MAX_S), its idle lifetime (ALLOT_SESSION_IDLE_S since its last use, recorded at
 * most once a minute), sign-out, or its key ending (a managed key revoked or expired, a bootstrap
 * key no longer in ALLOT_API_KEYS). The store is read at every request (no cache).
 */
import { createHash, randomBytes } from "node:crypto";
import type { ServiceConfig } from "./config.ts";
import { keyIdentity, type KeyHolder, type ResolvedKey } from "./api-key-auth.ts";
import type { SessionStore, StoredSession } from "../src/storage/session-store.ts";

const SECRET_BYTES = 32;
/** A use of a session is recorded when its last recorded use is at least this old (or a tenth of the idle lifetime, if shorter). */
export const TOUCH_INTERVAL_MS = 60_000;

const sha256Hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The sha256 of a session id or CSRF token, hex (what the store keeps). */
export function secretDigest(secret: string): string {
  return sha256Hex(secret);
}

/** A request's session: who holds it and its times. */
export interface SessionHolder extends KeyHolder {
  /** sha256 of the session id (never the id). */
  digest: string;
  csrfDigest: string;
  /** The absolute end, ISO 8601. */
  expiresAt: string;
  /** When it ends if unused, ISO 8601. */
  idleExpiresAt: string;
}

export type SessionLookup = (sessionId: string) => Promise<SessionHolder | null>;

type SessionSettings = Pick<ServiceConfig, "apiKeys" | "sessions">;

/** The bootstrap keys as the sessions table names them: `identity:role`. */
function bootstrapIdentities(config: SessionSettings): Set<string> {
  return new Set(config.apiKeys.map((k) => `${keyIdentity(k.key)}:${k.role}`));
}

const idleMsOf = (config: SessionSettings) => config.sessions.idleS * 1000;

/** Whether a stored session may be used at `now`: live, within both lifetimes, and its key still valid. */
export function sessionUsable(session: StoredSession, now: number, idleMs: number, bootstrap: ReadonlySet<string>): boolean {
  if (session.revokedAt !== null) return false;
  if (Date.parse(session.expiresAt) <= now || Date.parse(session.lastSeenAt) + idleMs <= now) return false;
  if (session.keySource === "bootstrap") return bootstrap.has(`${session.keyId}:${session.role}`);
  const key = session.key;
  return key !== null && key.revokedAt === null && (key.expiresAt === null || Date.parse(key.expiresAt) > now);
}

/** Looks a presented session id up in the store at every request, recording its use (at most once a minute). */
export function storeSessionLookup(store: SessionStore, config: SessionSettings, now: () => number): SessionLookup {
  const bootstrap = bootstrapIdentities(config);
  const idleMs = idleMsOf(config);
  const touchEvery = Math.min(TOUCH_INTERVAL_MS, idleMs / 10);
  return async (sessionId) => {
    const digest = secretDigest(sessionId);
    const session = await store.findSession(digest);
    const at = now();
    if (session === null || !sessionUsable(session, at, idleMs, bootstrap)) return null;
    let lastSeen = Date.parse(session.lastSeenAt);
    if (at - lastSeen >= touchEvery) {
      await store.touchSession(digest, new Date(at).toISOString());
      lastSeen = at;
    }
    return {
      keyId: session.keyId,
      role: session.role,
      label: session.label,
      digest,
      csrfDigest: session.csrfDigest,
      expiresAt: session.expiresAt,
      idleExpiresAt: new Date(Math.min(lastSeen + idleMs, Date.parse(session.expiresAt))).toISOString(),
    };
  };
}

export interface OpenedSession {
  /** The cookie's value; never stored, logged nor answered in a body. */
  id: string;
  /** Shown once in the answer; the store keeps its sha256. */
  csrfToken: string;
  holder: SessionHolder;
}

/** A new session for a key, stored (only its digests). */
export async function openSession(store: SessionStore, config: SessionSettings, key: ResolvedKey, now: number): Promise<OpenedSession> {
  const id = randomBytes(SECRET_BYTES).toString("base64url");
  const csrfToken = randomBytes(SECRET_BYTES).toString("base64url");
  const createdAt = new Date(now).toISOString();
  const expiresAt = new Date(now + config.sessions.maxS * 1000).toISOString();
  const digest = secretDigest(id);
  const csrfDigest = secretDigest(csrfToken);
  await store.createSession({ digest, csrfDigest, keyId: key.keyId, keySource: key.source, role: key.role, label: key.label, createdAt, expiresAt });
  const idleExpiresAt = new Date(Math.min(now + idleMsOf(config), Date.parse(expiresAt))).toISOString();
  return { id, csrfToken, holder: { keyId: key.keyId, role: key.role, label: key.label, digest, csrfDigest, expiresAt, idleExpiresAt } };
}
