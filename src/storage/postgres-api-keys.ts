/**
 * Managed API keys in PostgreSQL (ApiKeyStore), as in SQLite (sqlite-api-keys.ts): a key and its
 * audit entry in one transaction; revoking sets `revoked_at` once, so every instance refuses the
 * key at its next lookup.
 */
import type { ApiKeyStore } from "./api-key-store.ts";
import { API_KEY_COLUMNS, apiKeyInfo } from "./api-key-rows.ts";
import type { PostgresAuditLog } from "./postgres-audit-log.ts";
import type { PostgresConnection } from "./postgres-connection.ts";

export function postgresApiKeys(connection: PostgresConnection, audit: PostgresAuditLog): ApiKeyStore {
  const { transaction, query, iso } = connection;
  return {
    createApiKey: (key, context) =>
      transaction(async (tx) => {
        const rows = await tx.query(
          `INSERT INTO api_keys (id, digest, role, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${API_KEY_COLUMNS}`,
          [key.id, key.digest, key.role, key.label, iso(), key.expiresAt],
        );
        await audit.record(tx, context, "key.created", { note: `${key.id} (${key.role}) ${key.label}` });
        const row = rows[0];
        if (row === undefined) throw new Error("api key insert returned no row");
        return apiKeyInfo(row);
      }),
    async findApiKey(digest) {
      const row = (await query(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE digest = $1`, [digest]))[0];
      return row === undefined ? null : apiKeyInfo(row);
    },
    listApiKeys: async () => (await query(`SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY seq DESC`)).map(apiKeyInfo),
    revokeApiKey: (id, context) =>
      transaction(async (tx) => {
        const revoked = await tx.query(`UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING ${API_KEY_COLUMNS}`, [iso(), id]);
        const row = revoked[0];
        if (row !== undefined) {
          await audit.record(tx, context, "key.revoked", { note: id });
          return apiKeyInfo(row);
        }
        const existing = (await tx.query(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = $1`, [id]))[0];
        return existing === undefined ? null : apiKeyInfo(existing);
      }),
  };
}
