/**
 * Managed API keys (the `api_keys` table): created with a role, a label and an optional expiry,
 * kept only as the sha256 of the key, revoked by setting `revoked_at` (a row is never deleted, so
 * the audit log's key ids keep their meaning). Whether a key is valid at a given time is the
 * caller's decision (api/), from `expiresAt` and `revokedAt`.
 */
import type { ApiKeyInfo, KeyRole } from "../../models/index.ts";
import type { AuditContext } from "./plan-store.ts";

export interface NewApiKeyRow {
  /** The key's identity (first 12 hex digits of its sha256). */
  id: string;
  /** The full sha256 of the key, hex. */
  digest: string;
  role: KeyRole;
  label: string;
  expiresAt: string | null;
}

export interface ApiKeyStore {
  /** Stores a key (and its audit entry, in one transaction). */
  createApiKey(key: NewApiKeyRow, audit: AuditContext): Promise<ApiKeyInfo>;
  /** The key whose sha256 is `digest`, revoked or expired ones included; null when none. */
  findApiKey(digest: string): Promise<ApiKeyInfo | null>;
  /** Every key, newest first. */
  listApiKeys(): Promise<ApiKeyInfo[]>;
  /** Revokes the key (once: revoking again keeps the first time); null for an unknown id. */
  revokeApiKey(id: string, audit: AuditContext): Promise<ApiKeyInfo | null>;
}
