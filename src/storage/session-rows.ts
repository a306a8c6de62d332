/** The one reader of a `sessions` row (joined with its managed key) into a StoredSession, shared by the SQLite and PostgreSQL stores. */
import { KeyRole } from "../../models/index.ts";
import type { SessionKeySource, StoredSession } from "./session-store.ts";
import { nullableText, RowShapeError, text, type Row } from "./sqlite-row.ts";

/** The query of one session by digest, with its managed key's expiry and revocation (`$1` or `?` for the digest). */
export function sessionQuery(placeholder: string): string {
  return `SELECT s.csrf_digest, s.key_id, s.key_source, s.role, s.label, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at,
    k.id AS managed_key_id, k.expires_at AS key_expires_at, k.revoked_at AS key_revoked_at
  FROM sessions s LEFT JOIN api_keys k ON s.key_source = 'managed' AND k.id = s.key_id
  WHERE s.digest = ${placeholder}`;
}

function keySource(value: string): SessionKeySource {
  if (value === "managed" || value === "bootstrap") return value;
  throw new RowShapeError(`column key_source: unknown source ${value}`);
}

export function storedSession(row: Row): StoredSession {
  return {
    csrfDigest: text(row, "csrf_digest"),
    keyId: text(row, "key_id"),
    keySource: keySource(text(row, "key_source")),
    role: KeyRole.parse(text(row, "role")),
    label: text(row, "label"),
    createdAt: text(row, "created_at"),
    lastSeenAt: text(row, "last_seen_at"),
    expiresAt: text(row, "expires_at"),
    revokedAt: nullableText(row, "revoked_at"),
    key: nullableText(row, "managed_key_id") === null ? null : { expiresAt: nullableText(row, "key_expires_at"), revokedAt: nullableText(row, "key_revoked_at") },
  };
}
