import type { RequestHandler } from "express";
import type { SolvePool } from "../../src/runtime/solve-pool.ts";
import type { ServiceConfig } from "../config.ts";
import { readPlan } from "../plan-input.ts";
import { answerPoolError, clientGone } from "../pool-refusal.ts";
import { sendProblem } from "../problem-details.ts";
import { serverTiming } from "../server-timing.ts";

/**
 * POST /v1/validate: the contract checks of /v1/solve, then the plan report (statistics and cheap
 * infeasibility causes), computed on the pool because it builds every eligible pair.
 */
export function validateRoute(deps: { config: ServiceConfig; pool: SolvePool }): RequestHandler {
  const { config, pool } = deps;
  return async (req, res) => {
    const start = performance.now();
    const input = readPlan(req.body, config.limits);
    if (!input.ok) {
      sendProblem(req, res, input.kind, input.detail, { errors: input.errors });
      return;
    }
    const parseMs = performance.now() - start;
    try {
      const deadlineMs = config.limits.maxTimeLimitMs + config.pool.deadlineMarginMs;
      const outcome = await pool.report(input.plan, { deadlineMs, signal: clientGone(res) });
      res.setHeader("Server-Timing", serverTiming({ parse: parseMs, queue: outcome.timings.queueMs, run: outcome.timings.runMs, engine: outcome.timings.engineMs }));
      res.status(200).type("application/json").send(outcome.reportJson);
    } catch (error) {
      if (!answerPoolError(req, res, error)) throw error;
    }
  };
}
