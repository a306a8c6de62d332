/**
 * Sessions in SQLite (SessionStore): stored and pruned in one transaction; a use moves
 * `last_seen_at` forward only; revoking sets `revoked_at` once.
 */
import type { SessionStore } from "./session-store.ts";
import { sessionQuery, storedSession } from "./session-rows.ts";
import { reader, writer, type SqliteConnection } from "./sqlite-connection.ts";
import { optionalRow } from "./sqlite-row.ts";

export function sqliteSessions({ db }: SqliteConnection): SessionStore {
  const sql = {
    prune: db.prepare("DELETE FROM sessions WHERE expires_at < ?"),
    insert: db.prepare(
      "INSERT INTO sessions (digest, csrf_digest, key_id, key_source, role, label, created_at, last_seen_at, expires_at) VALUES (@digest, @csrfDigest, @keyId, @keySource, @role, @label, @createdAt, @createdAt, @expiresAt)",
    ),
    byDigest: db.prepare(sessionQuery("?")),
    touch: db.prepare("UPDATE sessions SET last_seen_at = ? WHERE digest = ? AND last_seen_at < ?"),
    revoke: db.prepare("UPDATE sessions SET revoked_at = ? WHERE digest = ? AND revoked_at IS NULL"),
  };
  return {
    createSession: writer(db, (session) => {
      sql.prune.run(session.createdAt);
      sql.insert.run(session);
    }),
    findSession: reader((digest: string) => {
      const row = optionalRow(sql.byDigest.get(digest));
      return row === null ? null : storedSession(row);
    }),
    touchSession: writer(db, (digest: string, at: string) => {
      sql.touch.run(at, digest, at);
    }),
    revokeSession: writer(db, (digest: string, at: string) => sql.revoke.run(at, digest).changes > 0),
  };
}
