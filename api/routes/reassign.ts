import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { fieldErrors, ReassignRequest, type FieldError } from "../../models/index.ts";
import { isRecord } from "../../src/numeric/is-record.ts";
import type { PoolSolveOutcome, SolvePool } from "../../src/runtime/solve-pool.ts";
import { frontierSolveCount } from "../../src/what-if/move-frontier.ts";
import { prepareReassignment, runReassignment, type ReassignmentResult } from "../../src/what-if/reassignment-run.ts";
import type { ServiceConfig } from "../config.ts";
import { effectiveTimeLimitMs } from "../plan-input.ts";
import { answerPoolError, clientGone } from "../pool-refusal.ts";
import { sendProblem } from "../problem-details.ts";
import { appendJsonField } from "../raw-json.ts";
import { serverTiming } from "../server-timing.ts";
import { batchSizeProblems, maxScenarios, problemsDetail, readNestedPlan } from "../what-if-input.ts";

const ReassignOptions = ReassignRequest.omit({ plan: true });

/**
 * POST /v1/reassign: apply the events to the plan (validated like scenario changes, paths
 * `events[i]…`), solve it on the pool with the move budget asked for, and answer the Solution with
 * every move and its reason; with `frontier: true`, also the best objective for a grid of budgets
 * (solved in parallel, at most one solve per worker thread at a time for the grid). The workflow is
 * src/what-if/reassignment-run.ts.
 */
export function reassignRoute(deps: { config: ServiceConfig; pool: SolvePool; logger: Logger }): RequestHandler {
  const { config, pool, logger } = deps;
  return async (req, res) => {
    const start = performance.now();
    const body: unknown = req.body;
    if (!isRecord(body)) {
      sendProblem(req, res, "invalid-plan", "The request must be an object with a plan.", { errors: [{ path: "", message: "expected an object" }] });
      return;
    }
    const input = readNestedPlan(body, "plan", config.limits);
    const options = ReassignOptions.safeParse(Object.fromEntries(Object.entries(body).filter(([key]) => key !== "plan")));
    const errors: FieldError[] = [...(input.ok ? [] : input.errors), ...(options.success ? [] : fieldErrors(options.error))];
    if (!input.ok || !options.success) {
      sendProblem(req, res, !input.ok && input.kind === "plan-too-large" ? "plan-too-large" : "invalid-plan", problemsDetail(errors), { errors });
      return;
    }
    const { events, maxMoves, movePenalty, frontier } = options.data;
    const prepared = prepareReassignment(input.plan, { events, maxMoves, movePenalty });
    if (!prepared.ok) {
      sendProblem(req, res, "invalid-plan", problemsDetail(prepared.errors), { errors: prepared.errors });
      return;
    }
    const { plan } = prepared;
    const tooLarge = events === undefined ? [] : batchSizeProblems([plan], config.limits, "events");
    if (frontier === true) {
      const solves = frontierSolveCount(plan, prepared.maxMoves);
      const most = maxScenarios(config);
      if (solves > most) tooLarge.push({ path: "frontier", message: `the frontier of this plan needs ${solves} solves, more than the ${most} this server makes for one request (ALLOT_MAX_SCENARIOS)` });
    }
    if (tooLarge.length > 0) {
      sendProblem(req, res, "plan-too-large", problemsDetail(tooLarge), { errors: tooLarge });
      return;
    }
    const parseMs = performance.now() - start;

    const timeLimitMs = effectiveTimeLimitMs(plan, config.limits);
    let result: ReassignmentResult<PoolSolveOutcome>;
    try {
      result = await runReassignment(plan, {
        frontier: frontier === true,
        solve: (p, summaryOnly, signal) => pool.solve(p, { timeLimitMs, signal, job: { kind: "reassign", summaryOnly } }),
        concurrency: pool.stats().size,
        signal: clientGone(res),
      });
    } catch (error) {
      if (!answerPoolError(req, res, error)) throw error;
      return;
    }

    const { main, frontier: points } = result;
    const json = points === null ? result.resultJson : appendJsonField(result.resultJson, "frontier", JSON.stringify(points));
    logger.info(
      {
        requestId: res.locals.requestId,
        customers: plan.customers.length,
        reps: plan.reps.length,
        events: events?.length ?? 0,
        maxMoves: prepared.maxMoves,
        frontierPoints: points?.length ?? 0,
        status: main.status,
        deadlineHit: main.deadlineHit,
        wallMs: Math.round(performance.now() - start),
      },
      "reassign",
    );
    res.setHeader("Server-Timing", serverTiming({ parse: parseMs, queue: main.timings.queueMs, run: main.timings.runMs, total: performance.now() - start }));
    res.status(200).type("application/json").send(json);
  };
}
