import { createHash, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import type { BootstrapKey } from "./config.ts";
import { changesState, CSRF_HEADER, csrfMatches } from "./csrf-token.ts";
import { sendProblem } from "./problem-details.ts";
import { isRole, type Role } from "./roles.ts";
import { clearSessionCookie, sessionCookieOf } from "./session-cookie.ts";
import type { SessionHolder, SessionLookup } from "./sessions.ts";

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

/** A presented key found valid, and where it lives (a session records it, to know when the key ends). */
export interface ResolvedKey extends KeyHolder {
  source: "bootstrap" | "managed";
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

/** The session that authenticated this request, or null (a key header, or authentication off). */
export function sessionOf(res: Response): SessionHolder | null {
  const session: unknown = res.locals.session;
  return typeof session === "object" && session !== null && "digest" in session ? (session as SessionHolder) : null;
}

/**
 * Finds who holds a presented key: one of the bootstrap keys (comparing sha256 digests in constant
 * time, every key every time) or a key `lookup` knows; null when neither.
 */
export function keyResolver(bootstrap: readonly BootstrapKey[], lookup?: KeyLookup): (presented: string) => Promise<ResolvedKey | null> {
  const digests = bootstrap.map((k) => ({ digest: sha256(k.key), role: k.role }));
  return async (presented) => {
    const digest = sha256(presented);
    let role: Role | null = null;
    for (const known of digests) if (timingSafeEqual(digest, known.digest) && role === null) role = known.role;
    if (role !== null) return { keyId: keyIdentity(presented), role, label: BOOTSTRAP_LABEL, source: "bootstrap" };
    const holder = lookup === undefined ? null : await lookup(presented);
    return holder === null ? null : { ...holder, source: "managed" };
  };
}

function unauthorized(req: Request, res: Response, detail: string): void {
  res.setHeader("WWW-Authenticate", 'Bearer realm="allot"');
  sendProblem(req, res, "unauthorized", detail);
}

/**
 * Requires `Authorization: Bearer <key>` with a bootstrap key or a key `lookup` knows, or else
 * (no such header) the session cookie of a live session (`sessions`), which must bring the
 * session's `X-CSRF-Token` on every state-changing request (403 `csrf` otherwise). Sets
 * `res.locals.keyId`, `role` and `keyLabel` (a session's are its key's), and `session` for a
 * session. With `enabled` false, lets all through (authentication off).
 */
export function apiKeyAuth(bootstrap: readonly BootstrapKey[], options: { enabled: boolean; lookup?: KeyLookup; sessions?: SessionLookup }): RequestHandler {
  const resolve = keyResolver(bootstrap, options.lookup);
  return async (req, res, next) => {
    if (!options.enabled) {
      next();
      return;
    }
    const header = req.get("authorization");
    const match = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(header ?? "");
    const presented = match?.[1];
    const sessionId = header === undefined && options.sessions !== undefined ? sessionCookieOf(req) : null;
    let holder: KeyHolder | null = null;
    let session: SessionHolder | null = null;
    try {
      if (presented !== undefined) holder = await resolve(presented);
      else if (sessionId !== null && options.sessions !== undefined) holder = session = await options.sessions(sessionId);
    } catch (error) {
      next(error);
      return;
    }
    if (holder === null) {
      if (sessionId !== null) {
        clearSessionCookie(req, res);
        unauthorized(req, res, "The session has ended (signed out, expired, or its key revoked); sign in again.");
      } else unauthorized(req, res, presented === undefined ? "Send an API key as `Authorization: Bearer <key>`, or sign in (POST /v1/sessions)." : "The API key is not valid.");
      return;
    }
    if (session !== null && changesState(req.method) && !csrfMatches(req.get(CSRF_HEADER), session.csrfDigest)) {
      sendProblem(req, res, "csrf", "A request that changes state with the session cookie must carry the session's `X-CSRF-Token` header.");
      return;
    }
    res.locals.keyId = holder.keyId;
    res.locals.role = holder.role;
    res.locals.keyLabel = holder.label;
    if (session !== null) res.locals.session = session;
    next();
  };
}
