import type { RequestHandler } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import { sendProblem } from "./problem-details.ts";

const WINDOW_MS = 60_000;

/**
 * At most `perMinute` requests per client per minute (a client is its API key when keys are on,
 * else its address, /56 for IPv6); over that, 429 with `Retry-After`. 0 turns it off.
 */
export function rateLimitPerMinute(perMinute: number): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const keyId: unknown = res.locals.keyId;
      return typeof keyId === "string" ? `key:${keyId}` : `ip:${ipKeyGenerator(req.ip ?? "unknown")}`;
    },
    handler: (req, res) => {
      const retryAfter = Number(res.getHeader("Retry-After"));
      sendProblem(req, res, "rate-limited", `More than ${perMinute} requests in a minute.`, {
        retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : WINDOW_MS / 1000,
      });
    },
  });
}
