import type { RequestHandler } from "express";
import type { Logger } from "pino";
import type { SolvePool } from "../../src/runtime/solve-pool.ts";
import type { ServiceConfig } from "../config.ts";
import type { ServiceMetrics } from "../metrics.ts";
import { readScenariosWork } from "../work-input.ts";
import { workRoute } from "./work-route.ts";

/**
 * POST /v1/scenarios: validate the base and every scenario's changes on the event loop (a change
 * naming an unknown id is a 422 with its path), then run the batch (src/what-if/scenario-batch.ts)
 * on the pool, at most one solve per worker thread at a time for this request, and answer each
 * scenario's figures and its diff against the base.
 */
export function scenariosRoute(deps: { config: ServiceConfig; pool: SolvePool; logger: Logger; metrics: ServiceMetrics }): RequestHandler {
  return workRoute("scenarios", (req, config) => readScenariosWork(req.body, config), deps);
}
