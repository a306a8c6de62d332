/**
 * POST /v1/plans/{id}/performance/reassign: one call from drift alerts to a reassignment. The
 * saved plan's performance is computed (routes/performance.ts), its alerts become a /v1/reassign
 * request (src/learning/drift-reassignment.ts: the book as the plan left it, the recorded outcomes
 * added to the history and the drifted reps' earlier history dropped, a budget on chosen moves), and
 * that request is solved on the pool exactly as /v1/reassign would: every move with its reason.
 */
import type { Request, RequestHandler } from "express";
import type { Logger } from "pino";
import { DriftReassignOptions, fieldErrors } from "../../models/index.ts";
import { driftReassignRequest } from "../../src/learning/drift-reassignment.ts";
import { DEFAULT_DRIFT_CREDIBILITY } from "../../src/learning/drift-test.ts";
import { planPerformance } from "../../src/learning/plan-performance.ts";
import type { SolvePool } from "../../src/runtime/solve-pool.ts";
import type { OutcomeStore } from "../../src/storage/outcome-store.ts";
import type { PlanStore } from "../../src/storage/plan-store.ts";
import { runJobWork, type JobWork } from "../../src/jobs/job-work.ts";
import type { ServiceConfig } from "../config.ts";
import { answerPoolError, clientGone } from "../pool-refusal.ts";
import { sendProblem } from "../problem-details.ts";
import { serverTiming } from "../server-timing.ts";
import { problemsDetail } from "../what-if-input.ts";
import { loadPerformanceInput } from "./performance.ts";

function planIdOf(req: Request): string {
  const value: unknown = req.params.id;
  return typeof value === "string" ? value : "";
}

export function driftReassignRoute(deps: { config: ServiceConfig; pool: SolvePool; store: PlanStore & OutcomeStore; logger: Logger }): RequestHandler {
  const { config, pool, store, logger } = deps;
  return async (req, res) => {
    const start = performance.now();
    const options = DriftReassignOptions.safeParse(req.body);
    if (!options.success) {
      const errors = fieldErrors(options.error);
      sendProblem(req, res, "invalid-request", problemsDetail(errors), { errors });
      return;
    }
    const id = planIdOf(req);
    const input = await loadPerformanceInput(store, id);
    if (input === null) {
      sendProblem(req, res, "plan-not-found", `There is no saved plan with id ${JSON.stringify(id)}.`);
      return;
    }
    const { drift } = planPerformance({ ...input, credibility: options.data.credibility ?? DEFAULT_DRIFT_CREDIBILITY });
    const request = driftReassignRequest({ ...input, drift, ...options.data });
    const head = `{"planId":${JSON.stringify(id)},"drift":${JSON.stringify(drift)},"request":${JSON.stringify(request)},"result":`;
    if (drift.alerts.length === 0) {
      res.status(200).type("application/json").send(`${head}null}`);
      return;
    }
    try {
      // The same work as POST /v1/reassign with `request` as its body: the same bytes.
      const work: JobWork = { kind: "reassign", plan: request.plan, events: request.events, maxMoves: request.maxMoves, movePenalty: request.movePenalty, frontier: false, timeLimits: config.limits };
      const result = await runJobWork(work, pool, { signal: clientGone(res) });
      logger.info({ requestId: res.locals.requestId, planId: id, alerts: drift.alerts.length, maxMoves: result.log.maxMoves, status: result.status }, "drift reassignment");
      res.setHeader("Server-Timing", serverTiming({ queue: result.timings.queueMs, run: result.timings.runMs, total: performance.now() - start }));
      res.status(200).type("application/json").send(`${head}${result.json}}`);
    } catch (error) {
      if (!answerPoolError(req, res, error)) throw error;
    }
  };
}
