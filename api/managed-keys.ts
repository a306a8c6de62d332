/**
 * Keys managed in the store: a new key is 32 random bytes (256 bits, base64url, prefixed `allot_`),
 * shown once; the store keeps its sha256 only. A plain sha256 (no salt, no slow hash) is enough
 * here because the keys are random and long: a slow hash defends guessable passwords, and no one
 * can enumerate 2^256 keys. The lookup reads the store at every request (no cache), so a key
 * revoked or expired is refused by every instance at its next request.
 */
import { createHash, randomBytes } from "node:crypto";
import type { ApiKeyStore, NewApiKeyRow } from "../src/storage/api-key-store.ts";
import type { ApiKeyInfo, KeyRole } from "../models/index.ts";
import { keyIdentity, type KeyLookup } from "./api-key-auth.ts";

export const MANAGED_KEY_PREFIX = "allot_";
const KEY_BYTES = 32;

/** The sha256 of a key, hex (what the store keeps). */
export function keyDigest(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** A fresh key and the row that stores it. */
export function freshKey(role: KeyRole, label: string, expiresAt: string | null): { key: string; row: NewApiKeyRow } {
  const key = MANAGED_KEY_PREFIX + randomBytes(KEY_BYTES).toString("base64url");
  return { key, row: { id: keyIdentity(key), digest: keyDigest(key), role, label, expiresAt } };
}

/** Whether a stored key may be used at `now` (ms since the epoch): not revoked, not expired. */
export function isUsable(info: ApiKeyInfo, now: number): boolean {
  return info.revokedAt === null && (info.expiresAt === null || Date.parse(info.expiresAt) > now);
}

/** The lookup of presented keys in the store, for api-key-auth.ts. */
export function storeKeyLookup(store: ApiKeyStore, now: () => number = Date.now): KeyLookup {
  return async (presented) => {
    if (!presented.startsWith(MANAGED_KEY_PREFIX)) return null;
    const info = await store.findApiKey(keyDigest(presented));
    return info !== null && isUsable(info, now()) ? { keyId: info.id, role: info.role, label: info.label } : null;
  };
}
