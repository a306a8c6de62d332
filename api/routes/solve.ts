import type { RequestHandler } from "express";
import type { Logger } from "pino";
import type { SolvePool } from "../../src/runtime/solve-pool.ts";
import { readCompareQuery } from "../compare-query.ts";
import type { ServiceConfig } from "../config.ts";
import { effectiveTimeLimitMs, readPlan } from "../plan-input.ts";
import { answerPoolError, clientGone } from "../pool-refusal.ts";
import { sendProblem } from "../problem-details.ts";
import { serverTiming } from "../server-timing.ts";
import { readUncertaintyQuery } from "../uncertainty-query.ts";

/**
 * POST /v1/solve: validate on the event loop, solve on the pool, send the worker's JSON as is
 * (200 for every solver outcome). Timings go to Server-Timing so the body stays deterministic.
 * With `?compare=…` the worker also applies the classic methods to the plan and the Solution
 * carries `comparison` (absent from a deadline answer: the worker was stopped); with
 * `?uncertainty=true`, `uncertainty` (the spread of each rep's won value) likewise.
 */
export function solveRoute(deps: { config: ServiceConfig; pool: SolvePool; logger: Logger }): RequestHandler {
  const { config, pool, logger } = deps;
  return async (req, res) => {
    const start = performance.now();
    const compare = readCompareQuery(req.originalUrl);
    const uncertainty = readUncertaintyQuery(req.originalUrl);
    if (!compare.ok || !uncertainty.ok) {
      const errors = [...(compare.ok ? [] : compare.errors), ...(uncertainty.ok ? [] : uncertainty.errors)];
      sendProblem(req, res, "invalid-query", `The ${errors.length === 1 ? "query parameter has a problem" : "query parameters have problems"}; see errors.`, { errors });
      return;
    }
    const methods = compare.methods === null || compare.methods.length === 0 ? null : compare.methods;
    const input = readPlan(req.body, config.limits);
    if (!input.ok) {
      sendProblem(req, res, input.kind, input.detail, { errors: input.errors });
      return;
    }
    const parseMs = performance.now() - start;
    const timeLimitMs = effectiveTimeLimitMs(input.plan, config.limits);
    try {
      const outcome = await pool.solve(
        input.plan,
        uncertainty.options !== null
          ? { timeLimitMs, signal: clientGone(res), job: { kind: "uncertainty", options: uncertainty.options, ...(methods === null ? {} : { methods }) }, extraDeadlineMs: config.pool.deadlineMarginMs }
          : methods === null
            ? { timeLimitMs, signal: clientGone(res) }
            : { timeLimitMs, signal: clientGone(res), job: { kind: "compare", methods }, extraDeadlineMs: config.pool.deadlineMarginMs },
      );
      const { timings } = outcome;
      logger.info(
        {
          requestId: res.locals.requestId,
          customers: input.plan.customers.length,
          reps: input.plan.reps.length,
          timeLimitMs,
          status: outcome.status,
          deadlineHit: outcome.deadlineHit,
          queueMs: Math.round(timings.queueMs),
          runMs: Math.round(timings.runMs),
        },
        "solve",
      );
      res.setHeader(
        "Server-Timing",
        serverTiming({ parse: parseMs, queue: timings.queueMs, run: timings.runMs, engine: timings.engineMs, solver: timings.solverMs }),
      );
      res.status(200).type("application/json").send(outcome.solutionJson);
    } catch (error) {
      if (!answerPoolError(req, res, error)) throw error;
    }
  };
}
