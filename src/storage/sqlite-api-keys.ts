/**
 * Managed API keys in SQLite (ApiKeyStore): a key and its audit entry in one transaction; revoking
 * sets `revoked_at` once (the schema refuses to delete a key: sqlite-migrations.ts, version 4).
 */
import type { ApiKeyStore } from "./api-key-store.ts";
import { API_KEY_COLUMNS, apiKeyInfo } from "./api-key-rows.ts";
import type { SqliteAuditLog } from "./sqlite-audit-log.ts";
import { reader, writer, type SqliteConnection } from "./sqlite-connection.ts";
import { asRow, optionalRow } from "./sqlite-row.ts";

export function sqliteApiKeys({ db, iso }: SqliteConnection, audit: SqliteAuditLog): ApiKeyStore {
  const sql = {
    insert: db.prepare("INSERT INTO api_keys (id, digest, role, label, created_at, expires_at) VALUES (@id, @digest, @role, @label, @createdAt, @expiresAt)"),
    byId: db.prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = ?`),
    byDigest: db.prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE digest = ?`),
    all: db.prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY seq DESC`),
    revoke: db.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"),
  };
  return {
    createApiKey: writer(db, (key, context) => {
      sql.insert.run({ id: key.id, digest: key.digest, role: key.role, label: key.label, createdAt: iso(), expiresAt: key.expiresAt });
      audit.record(context, "key.created", { note: `${key.id} (${key.role}) ${key.label}` });
      return apiKeyInfo(asRow(sql.byId.get(key.id)));
    }),
    findApiKey: reader((digest: string) => {
      const row = optionalRow(sql.byDigest.get(digest));
      return row === null ? null : apiKeyInfo(row);
    }),
    listApiKeys: reader(() => sql.all.all().map((row) => apiKeyInfo(asRow(row)))),
    revokeApiKey: writer(db, (id, context) => {
      if (optionalRow(sql.byId.get(id)) === null) return null;
      if (sql.revoke.run(iso(), id).changes > 0) audit.record(context, "key.revoked", { note: id });
      return apiKeyInfo(asRow(sql.byId.get(id)));
    }),
  };
}
