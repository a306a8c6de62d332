import type { RequestHandler } from "express";
import { z } from "zod";
import type { SolvePool } from "../../src/runtime/solve-pool.ts";
import { sendProblem } from "../problem-details.ts";
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

/** GET /readyz: 200 with the pool's load while taking work, 503 once shutting down. */
export function readyzRoute(deps: { pool: SolvePool; state: ServiceState }): RequestHandler {
  return (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const stats = deps.pool.stats();
    if (deps.state.shuttingDown || stats.closed) {
      sendProblem(req, res, "shutting-down", "The server is shutting down.", { retryAfterSeconds: 5 });
      return;
    }
    const body: ReadinessStatus = { status: "ready", pool: { size: stats.size, running: stats.running, queued: stats.queued, maxQueue: stats.maxQueue } };
    res.json(body);
  };
}
