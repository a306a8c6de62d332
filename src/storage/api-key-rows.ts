/** The one reader of an `api_keys` row into an ApiKeyInfo, shared by the SQLite and PostgreSQL stores. */
import { ApiKeyInfo, KeyRole } from "../../models/index.ts";
import { nullableText, text, type Row } from "./sqlite-row.ts";

/** The columns every query of a key returns (never the digest). */
export const API_KEY_COLUMNS = "id, role, label, created_at, expires_at, revoked_at";

export function apiKeyInfo(row: Row): ApiKeyInfo {
  return {
    id: text(row, "id"),
    role: KeyRole.parse(text(row, "role")),
    label: text(row, "label"),
    createdAt: text(row, "created_at"),
    expiresAt: nullableText(row, "expires_at"),
    revokedAt: nullableText(row, "revoked_at"),
  };
}
