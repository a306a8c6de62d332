import type { RequestHandler } from "express";
import { z } from "zod";
import type { SolvePool } from "../../src/runtime/solve-pool.ts";
import type { StoreHealth } from "../../src/storage/store-health.ts";
import { DATABASE_RETRY_S, sendProblem } from "../problem-details.ts";
import type { ServiceState } from "../service-state.ts";

export const ReadinessStatus = z.strictObject({
  status: z.literal("ready"),
  pool: z.strictObject({
    size: z.int(),
    running: z.int(),
    queued: z.int(),
    maxQueue: z.int(),
  }),
});
export type ReadinessStatus = z.infer<typeof ReadinessStatus>;

/** How long readiness waits for the database to answer `SELECT 1`. */
export const READINESS_DATABASE_TIMEOUT_MS = 2_000;

/** GET /readyz: 200 with the pool's load while taking work, 503 once shutting down or while the database cannot be reached. */
export function readyzRoute(deps: { pool: SolvePool; state: ServiceState; store: StoreHealth }): RequestHandler {
  return async (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const stats = deps.pool.stats();
    if (deps.state.shuttingDown || stats.closed) {
      sendProblem(req, res, "shutting-down", "The server is shutting down.", { retryAfterSeconds: 5 });
      return;
    }
    try {
      await deps.store.checkHealth(READINESS_DATABASE_TIMEOUT_MS);
    } catch {
      sendProblem(req, res, "database-unavailable", "The database cannot be reached.", { retryAfterSeconds: DATABASE_RETRY_S });
      return;
    }
    const body: ReadinessStatus = { status: "ready", pool: { size: stats.size, running: stats.running, queued: stats.queued, maxQueue: stats.maxQueue } };
    res.json(body);
  };
}
