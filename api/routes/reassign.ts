import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { fieldErrors, ReassignRequest, Solution, type FieldError, type FrontierPoint, type Plan } from "../../models/index.ts";
import { isRecord } from "../../src/numeric/is-record.ts";
import { computeFrontier, FrontierSample, frontierSolveCount } from "../../src/what-if/move-frontier.ts";
import { applyChanges } from "../../src/what-if/plan-changes.ts";
import { capacityCuts, reportMoves, solverMoveBudget, withMoveBudget, withStability } from "../../src/what-if/reassignment.ts";
import type { PoolSolveOutcome, SolvePool } from "../../src/runtime/solve-pool.ts";
import type { ServiceConfig } from "../config.ts";
import { effectiveTimeLimitMs } from "../plan-input.ts";
import { answerPoolError, clientGone } from "../pool-refusal.ts";
import { sendProblem } from "../problem-details.ts";
import { appendJsonField } from "../raw-json.ts";
import { serverTiming } from "../server-timing.ts";
import { batchSizeProblems, maxScenarios, problemsDetail, readNestedPlan } from "../what-if-input.ts";

const ReassignOptions = ReassignRequest.omit({ plan: true });

/** The sample a frontier solve reported, or a no-plan sample for a deadline answer. */
function sampleOf(outcome: PoolSolveOutcome, budget: number | null): FrontierSample {
  const parsed = FrontierSample.safeParse(outcome.extra);
  if (parsed.success) return parsed.data;
  return { maxMoves: budget, status: outcome.status, objective: null, chosenMoves: 0, forcedMoves: 0 };
}

/** The ReassignResult text for the main solve: the worker's, or built here around a deadline answer (no assignments). */
function resultJson(outcome: PoolSolveOutcome, plan: Plan): string {
  if (!outcome.deadlineHit && outcome.solutionJson !== "") return outcome.solutionJson;
  const solution = Solution.parse(JSON.parse(outcome.solutionJson));
  const cuts = capacityCuts(plan);
  const solverPlan = withMoveBudget(plan, solverMoveBudget(plan, cuts));
  const { moves, summary } = reportMoves(solverPlan, solution, cuts, plan.policy?.stability?.maxMoves ?? null);
  return JSON.stringify({ ...solution, moves, moveSummary: summary });
}

/**
 * POST /v1/reassign: apply the events to the plan (validated like scenario changes, paths
 * `events[i]…`), solve it on the pool with the move budget asked for, and answer the Solution with
 * every move and its reason; with `frontier: true`, also the best objective for a grid of budgets
 * (solved in parallel, at most one solve per worker thread at a time for the grid).
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
    const applied = applyChanges(input.plan, events ?? [], ["events"]);
    if (!applied.ok) {
      sendProblem(req, res, "invalid-plan", problemsDetail(applied.errors), { errors: applied.errors });
      return;
    }
    const plan = withStability(applied.plan, { maxMoves, movePenalty });
    const tooLarge = events === undefined ? [] : batchSizeProblems([plan], config.limits, "events");
    const requested = plan.policy?.stability?.maxMoves ?? null;
    if (frontier === true) {
      const solves = frontierSolveCount(plan, requested);
      const most = maxScenarios(config);
      if (solves > most) tooLarge.push({ path: "frontier", message: `the frontier of this plan needs ${solves} solves, more than the ${most} this server makes for one request (ALLOT_MAX_SCENARIOS)` });
    }
    if (tooLarge.length > 0) {
      sendProblem(req, res, "plan-too-large", problemsDetail(tooLarge), { errors: tooLarge });
      return;
    }
    const parseMs = performance.now() - start;

    const timeLimitMs = effectiveTimeLimitMs(plan, config.limits);
    const controller = new AbortController();
    clientGone(res).addEventListener("abort", () => controller.abort(), { once: true });
    const solve = (p: Plan, summaryOnly: boolean) => pool.solve(p, { timeLimitMs, signal: controller.signal, job: { kind: "reassign", summaryOnly } });
    let main: PoolSolveOutcome;
    let points: FrontierPoint[] | null = null;
    try {
      const mainSolve = solve(plan, false);
      const frontierSolve =
        frontier === true
          ? computeFrontier(
              plan,
              requested,
              async (budget) => sampleOf(budget === requested ? await mainSolve : await solve(withMoveBudget(plan, budget), true), budget),
              pool.stats().size,
            )
          : Promise.resolve(null);
      [main, points] = await Promise.all([mainSolve, frontierSolve]);
    } catch (error) {
      controller.abort();
      if (!answerPoolError(req, res, error)) throw error;
      return;
    }

    let json = resultJson(main, plan);
    if (points !== null) json = appendJsonField(json, "frontier", JSON.stringify(points));
    logger.info(
      {
        requestId: res.locals.requestId,
        customers: plan.customers.length,
        reps: plan.reps.length,
        events: events?.length ?? 0,
        maxMoves: requested,
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
