/**
 * `Idempotency-Key` on POST endpoints. A key is scoped by the caller's API-key identity, the method
 * and the path; the request it was first used with is fingerprinted (sha256 of the query string and
 * the canonical JSON of the body, so key order does not matter).
 *
 * - First use: the key is claimed, the request runs, and its response is stored before it is sent.
 * - Same key, same request, first one finished: the stored response is sent again, with
 *   `Idempotency-Replayed: true` (the endpoint does not run again).
 * - Same key, another request: 422 `idempotency-key-reused`.
 * - Same key while the first request is still running: 409 `idempotency-in-flight` with Retry-After.
 *
 * Responses 2xx and 4xx are stored, except 408, 409 and 429 (their cause may pass); for those, for
 * 5xx, and when the client goes away before an answer, the key is released so that a retry runs
 * afresh. Keys are kept 24 hours (purged lazily). A claim whose process died is taken over once its
 * lease has run out. Without the header, the middleware does nothing.
 */
import { createHash } from "node:crypto";
import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { canonicalJson } from "../src/numeric/input-hash.ts";
import { IDEMPOTENCY_MIN_RETENTION_MS, type IdempotencyScope, type IdempotencyStore } from "../src/storage/idempotency-store.ts";
import { STARTUP_ALLOWANCE_MS } from "../src/runtime/solve-pool.ts";
import type { ServiceConfig } from "./config.ts";
import { requestIdOf, sendProblem } from "./problem-details.ts";

export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
export const IDEMPOTENCY_REPLAYED_HEADER = "Idempotency-Replayed";

/** Printable ASCII (space allowed inside), 1–255 characters. */
const KEY_PATTERN = /^[\x21-\x7e](?:[\x20-\x7e]{0,253}[\x21-\x7e])?$/;
const UNSTORED = new Set([408, 409, 425, 429]);
/** Headers of a stored response that are replayed with it. */
const REPLAYED_HEADERS = ["content-type", "location"] as const;
const MAX_IN_FLIGHT_RETRY_S = 5;

export interface IdempotencyOptions {
  store: IdempotencyStore;
  logger: Logger;
  /** How long a claim may stay unfinished before a retry may take it over (a crashed process). */
  leaseMs: number;
  /** Default 24 h (the minimum). */
  retentionMs?: number;
}

export function isStoredStatus(status: number): boolean {
  return status >= 200 && status < 500 && !UNSTORED.has(status);
}

export function idempotency(options: IdempotencyOptions): RequestHandler {
  const { store, logger, leaseMs } = options;
  const retentionMs = Math.max(IDEMPOTENCY_MIN_RETENTION_MS, options.retentionMs ?? IDEMPOTENCY_MIN_RETENTION_MS);
  return async (req, res, next) => {
    const key = req.get(IDEMPOTENCY_KEY_HEADER);
    if (key === undefined) {
      next();
      return;
    }
    if (!KEY_PATTERN.test(key)) {
      sendProblem(req, res, "invalid-idempotency-key", "The Idempotency-Key header must be 1–255 printable ASCII characters (no leading or trailing space).");
      return;
    }
    const keyId: unknown = res.locals.keyId;
    const [path = "", query = ""] = req.originalUrl.split(/\?(.*)/s);
    const scope: IdempotencyScope = { identity: typeof keyId === "string" ? keyId : "", key, method: req.method, path };
    const body: unknown = req.body;
    const fingerprint = createHash("sha256")
      .update(`${query}\n${body === undefined ? "" : canonicalJson(body)}`, "utf8")
      .digest("hex");

    const claim = await store.claimIdempotencyKey(scope, fingerprint, { leaseMs, retentionMs });
    if (claim.kind === "replay") {
      for (const [name, value] of Object.entries(claim.response.headers)) res.setHeader(name, value);
      res.setHeader(IDEMPOTENCY_REPLAYED_HEADER, "true");
      res.status(claim.response.status).send(claim.response.body);
      return;
    }
    if (claim.kind === "mismatch") {
      sendProblem(req, res, "idempotency-key-reused", `The Idempotency-Key was already used with a different request to ${req.method} ${path}; use a new key for a new request.`);
      return;
    }
    if (claim.kind === "in-flight") {
      sendProblem(req, res, "idempotency-in-flight", "The first request with this Idempotency-Key is still running; retry to get its response.", {
        retryAfterSeconds: Math.min(MAX_IN_FLIGHT_RETRY_S, Math.max(1, claim.retryAfterMs / 1000)),
      });
      return;
    }

    const { token } = claim;
    let settled = false;
    const fail = (what: string) => (error: unknown) => logger.error({ err: error, requestId: requestIdOf(res) }, what);
    const send = res.send.bind(res);
    res.send = (payload?: unknown) => {
      // res.json() comes back here with a string; only text and bytes are final.
      if (settled || (typeof payload !== "string" && !Buffer.isBuffer(payload))) return send(payload);
      settled = true;
      const status = res.statusCode;
      const text = typeof payload === "string" ? payload : payload.toString("utf8");
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = res.getHeader(name);
        if (typeof value === "string") headers[name] = value;
      }
      // Stored before it is sent: a client that received an answer can always get it again.
      const recorded = isStoredStatus(status) ? store.completeIdempotencyKey(scope, token, { status, headers, body: text }) : store.releaseIdempotencyKey(scope, token);
      recorded.then(
        () => send(payload),
        (error: unknown) => {
          fail("could not record an idempotent response")(error);
          send(payload);
        },
      );
      return res;
    };
    res.once("close", () => {
      if (settled) return;
      settled = true;
      store.releaseIdempotencyKey(scope, token).catch(fail("could not release an idempotency key"));
    });
    next();
  };
}

/** Lease of a routing or activation call: they finish in milliseconds. */
export const ROUTE_LEASE_MS = 30_000;

/**
 * Lease of a call that solves on the pool: long enough for the longest wait in a full queue plus
 * the longest solve (each task at most time limit + margin, plus a thread's start-up allowance).
 */
export function solveLeaseMs(config: ServiceConfig): number {
  const perTask = config.limits.maxTimeLimitMs + config.pool.deadlineMarginMs;
  const waves = 1 + Math.ceil(config.pool.queueLength / Math.max(1, config.pool.size));
  return perTask * waves + STARTUP_ALLOWANCE_MS;
}
