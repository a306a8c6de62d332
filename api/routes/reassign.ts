import type { RequestHandler } from "express";
import type { Logger } from "pino";
import type { SolvePool } from "../../src/runtime/solve-pool.ts";
import type { ServiceConfig } from "../config.ts";
import type { ServiceMetrics } from "../metrics.ts";
import { readReassignWork } from "../work-input.ts";
import { workRoute } from "./work-route.ts";

/**
 * POST /v1/reassign: apply the events to the plan (validated like scenario changes, paths
 * `events[i]…`), solve it on the pool with the move budget asked for, and answer the Solution with
 * every move and its reason; with `frontier: true`, also the best objective for a grid of budgets
 * (solved in parallel, at most one solve per worker thread at a time for the grid). The workflow is
 * src/what-if/reassignment-run.ts.
 */
export function reassignRoute(deps: { config: ServiceConfig; pool: SolvePool; logger: Logger; metrics: ServiceMetrics }): RequestHandler {
  return workRoute("reassign", (req, config) => readReassignWork(req.body, config), deps);
}
