/**
 * Sessions in PostgreSQL (SessionStore), as in SQLite (sqlite-sessions.ts): every API instance
 * reads the same rows, so a session revoked through one is refused by all at their next request.
 */
import type { PostgresConnection } from "./postgres-connection.ts";
import type { SessionStore } from "./session-store.ts";
import { sessionQuery, storedSession } from "./session-rows.ts";

export function postgresSessions(connection: PostgresConnection): SessionStore {
  const { transaction, query } = connection;
  return {
    createSession: (session) =>
      transaction(async (tx) => {
        await tx.query("DELETE FROM sessions WHERE expires_at < $1", [session.createdAt]);
        await tx.query(
          "INSERT INTO sessions (digest, csrf_digest, key_id, key_source, role, label, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)",
          [session.digest, session.csrfDigest, session.keyId, session.keySource, session.role, session.label, session.createdAt, session.expiresAt],
        );
      }),
    async findSession(digest) {
      const row = (await query(sessionQuery("$1"), [digest]))[0];
      return row === undefined ? null : storedSession(row);
    },
    async touchSession(digest, at) {
      await query("UPDATE sessions SET last_seen_at = $1 WHERE digest = $2 AND last_seen_at < $1", [at, digest]);
    },
    async revokeSession(digest, at) {
      return (await query("UPDATE sessions SET revoked_at = $1 WHERE digest = $2 AND revoked_at IS NULL RETURNING digest", [at, digest])).length > 0;
    },
  };
}
