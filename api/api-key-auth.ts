import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler, Response } from "express";
import type { BootstrapKey } from "./config.ts";
import { sendProblem } from "./problem-details.ts";
import { isRole, type Role } from "./roles.ts";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** The identity of a key that may appear in logs: the first 12 hex digits of its sha256. */
export function keyIdentity(key: string): string {
  return sha256(key).toString("hex").slice(0, 12);
}

/** Who holds a presented key: its log identity, its role, and its label (the audit log records both). */
export interface KeyHolder {
  keyId: string;
  role: Role;
  label: string;
}

/** Looks a presented key up elsewhere (the store's managed keys); null when it is not known, expired or revoked. */
export type KeyLookup = (presented: string) => Promise<KeyHolder | null>;

/** The label the audit log records for a key of ALLOT_API_KEYS. */
export const BOOTSTRAP_LABEL = "ALLOT_API_KEYS";

/** The holder the authentication found for this request, or null (authentication off or not yet run). */
export function keyHolderOf(res: Response): KeyHolder | null {
  const keyId: unknown = res.locals.keyId;
  const role: unknown = res.locals.role;
  const label: unknown = res.locals.keyLabel;
  return typeof keyId === "string" && isRole(role) && typeof label === "string" ? { keyId, role, label } : null;
}

/**
 * Requires `Authorization: Bearer <key>` with one of the bootstrap keys (comparing sha256 digests
 * in constant time, every key every time) or a key `lookup` knows. Sets `res.locals.keyId`,
 * `role` and `keyLabel`. With `enabled` false, lets all through (authentication off).
 */
export function apiKeyAuth(bootstrap: readonly BootstrapKey[], options: { enabled: boolean; lookup?: KeyLookup }): RequestHandler {
  const digests = bootstrap.map((k) => ({ digest: sha256(k.key), role: k.role }));
  return async (req, res, next) => {
    if (!options.enabled) {
      next();
      return;
    }
    const match = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(req.get("authorization") ?? "");
    const presented = match?.[1];
    let holder: KeyHolder | null = null;
    if (presented !== undefined) {
      const digest = sha256(presented);
      let role: Role | null = null;
      for (const known of digests) if (timingSafeEqual(digest, known.digest) && role === null) role = known.role;
      if (role !== null) holder = { keyId: keyIdentity(presented), role, label: BOOTSTRAP_LABEL };
      else if (options.lookup !== undefined) {
        try {
          holder = await options.lookup(presented);
        } catch (error) {
          next(error);
          return;
        }
      }
    }
    if (holder === null) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="allot"');
      sendProblem(req, res, "unauthorized", presented === undefined ? "Send an API key as `Authorization: Bearer <key>`." : "The API key is not valid.");
      return;
    }
    res.locals.keyId = holder.keyId;
    res.locals.role = holder.role;
    res.locals.keyLabel = holder.label;
    next();
  };
}
