/**
 * The session cookie of the workspace page: `allot_session`, HttpOnly (scripts never read it),
 * SameSite=Strict (never sent by another site's request), Path=/, Max-Age = the session's
 * absolute lifetime, and Secure when the request came over TLS (`req.secure`, which follows
 * ALLOT_TRUST_PROXY for a TLS-terminating proxy in front).
 */
import type { Request, Response } from "express";

export const SESSION_COOKIE = "allot_session";

/** The value of the session cookie the request carries (the first one), or null. */
export function sessionCookieOf(req: Request): string | null {
  const header = req.get("cookie");
  if (header === undefined) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return value === "" ? null : value;
  }
  return null;
}

function attributes(req: Request, maxAgeS: number): string {
  return `Path=/; Max-Age=${maxAgeS}; HttpOnly; SameSite=Strict${req.secure ? "; Secure" : ""}`;
}

/** Sets the cookie to a session id for `maxAgeS` seconds. */
export function setSessionCookie(req: Request, res: Response, id: string, maxAgeS: number): void {
  res.append("Set-Cookie", `${SESSION_COOKIE}=${id}; ${attributes(req, Math.max(0, Math.floor(maxAgeS)))}`);
}

/** Tells the browser to drop the cookie. */
export function clearSessionCookie(req: Request, res: Response): void {
  res.append("Set-Cookie", `${SESSION_COOKIE}=; ${attributes(req, 0)}`);
}
