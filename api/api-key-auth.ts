import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { sendProblem } from "./problem-details.ts";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** The identity of a key that may appear in logs: the first 12 hex digits of its sha256. */
export function keyIdentity(key: string): string {
  return sha256(key).toString("hex").slice(0, 12);
}

/**
 * Requires `Authorization: Bearer <key>` with one of `keys` (comparing sha256 digests in constant
 * time, every key every time). Sets `res.locals.keyId` for the logs. With no keys, lets all through.
 */
export function apiKeyAuth(keys: readonly string[]): RequestHandler {
  const digests = keys.map(sha256);
  return (req, res, next) => {
    if (digests.length === 0) {
      next();
      return;
    }
    const match = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(req.get("authorization") ?? "");
    const presented = match?.[1];
    let valid = false;
    if (presented !== undefined) {
      const digest = sha256(presented);
      for (const known of digests) valid = timingSafeEqual(digest, known) || valid;
    }
    if (!valid || presented === undefined) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="allot"');
      sendProblem(req, res, "unauthorized", presented === undefined ? "Send an API key as `Authorization: Bearer <key>`." : "The API key is not valid.");
      return;
    }
    res.locals.keyId = keyIdentity(presented);
    next();
  };
}
