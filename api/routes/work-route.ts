import type { Request, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import { runJobWork } from "../../src/jobs/job-work.ts";
import type { SolvePool } from "../../src/runtime/solve-pool.ts";
import type { ServiceConfig } from "../config.ts";
import type { ServiceMetrics } from "../metrics.ts";
import { answerPoolError, clientGone } from "../pool-refusal.ts";
import { sendProblem } from "../problem-details.ts";
import { serverTiming } from "../server-timing.ts";
import type { WorkInput } from "../work-input.ts";

/**
 * A synchronous endpoint that solves: read the request into validated work on the event loop
 * (work-input.ts), run it on the pool (src/jobs/job-work.ts, as a job would), send its JSON as is
 * with 200 for every solver outcome. Timings go to Server-Timing so the body stays deterministic.
 */
export function workRoute(name: string, read: (req: Request, config: ServiceConfig) => WorkInput, deps: { config: ServiceConfig; pool: SolvePool; logger: Logger; metrics: ServiceMetrics }): RequestHandler {
  const { config, pool, logger, metrics } = deps;
  return async (req: Request, res: Response) => {
    const start = performance.now();
    const input = read(req, config);
    if (!input.ok) {
      sendProblem(req, res, input.problem.kind, input.problem.detail, { errors: input.problem.errors });
      return;
    }
    const parseMs = performance.now() - start;
    try {
      const result = await runJobWork(input.work, pool, { signal: clientGone(res), onSolved: (outcome) => metrics.observeSolve(outcome) });
      const { timings } = result;
      logger.info(
        { requestId: res.locals.requestId, ...result.log, deadlinesHit: result.deadlinesHit, queueMs: Math.round(timings.queueMs), runMs: Math.round(timings.runMs), wallMs: Math.round(performance.now() - start) },
        name,
      );
      const figures = { parse: parseMs, queue: timings.queueMs, run: timings.runMs, engine: timings.engineMs, solver: timings.solverMs, total: performance.now() - start };
      res.setHeader("Server-Timing", serverTiming(figures));
      res.status(200).type("application/json").send(result.json);
    } catch (error) {
      if (!answerPoolError(req, res, error)) throw error;
    }
  };
}
