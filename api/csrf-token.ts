/**
 * The CSRF check of requests authenticated by the session cookie: a synchronizer token made with
 * the session (sessions.ts), kept hashed, and sent by the page as `X-CSRF-Token` with every
 * state-changing request. A request authenticated by an `Authorization` header needs none (another
 * site cannot make a browser send that header).
 */
import { createHash, timingSafeEqual } from "node:crypto";

export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether the method may change state (POST, PUT, PATCH, DELETE and any other but GET, HEAD, OPTIONS). */
export function changesState(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** Whether a presented token is the one whose sha256 (hex) is `digest`, compared in constant time. */
export function csrfMatches(presented: string | undefined, digest: string): boolean {
  if (presented === undefined || presented === "") return false;
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = Buffer.from(digest, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
