import type { RequestHandler } from "express";
import { EvaluateRequest, fieldErrors, Solution, type FieldError } from "../../models/index.ts";
import { evaluationOf, loadAssignment } from "../../src/evaluate/evaluate-assignment.ts";
import type { SolvedAssignment } from "../../src/evaluate/value-given-up.ts";
import { PlanExpressionError } from "../../src/expressions/plan-expression-error.ts";
import { isRecord } from "../../src/numeric/is-record.ts";
import type { SolvePool } from "../../src/runtime/solve-pool.ts";
import { effectiveTimeLimitMs } from "../../src/plan/time-limit.ts";
import type { ServiceConfig } from "../config.ts";
import { answerPoolError, clientGone } from "../pool-refusal.ts";
import { sendProblem } from "../problem-details.ts";
import { serverTiming } from "../server-timing.ts";
import { problemsDetail, readNestedPlan } from "../what-if-input.ts";

const EvaluateOptions = EvaluateRequest.omit({ plan: true });

/**
 * POST /v1/evaluate: a plan and a full or partial assignment → the picture of that assignment as it
 * stands (src/evaluate/): objective, per-rep loads against capacity and bands, every broken
 * constraint with its path. It is computed on the event loop from the loads, with no solver; with
 * `optimum: true` the plan is also solved on the pool (within its time limit) and the answer says
 * what the assignment gives up against it.
 */
export function evaluateRoute(deps: { config: ServiceConfig; pool: SolvePool }): RequestHandler {
  const { config, pool } = deps;
  return async (req, res) => {
    const start = performance.now();
    const body: unknown = req.body;
    if (!isRecord(body)) {
      sendProblem(req, res, "invalid-plan", "The request must be an object with a plan and an assignment.", { errors: [{ path: "", message: "expected an object" }] });
      return;
    }
    const input = readNestedPlan(body, "plan", config.limits);
    const options = EvaluateOptions.safeParse(Object.fromEntries(Object.entries(body).filter(([k]) => k !== "plan")));
    const errors: FieldError[] = [...(input.ok ? [] : input.errors), ...(options.success ? [] : fieldErrors(options.error))];
    if (!input.ok || !options.success) {
      sendProblem(req, res, !input.ok && input.kind === "plan-too-large" ? "plan-too-large" : "invalid-plan", problemsDetail(errors), { errors });
      return;
    }
    const plan = input.plan;
    let loaded: ReturnType<typeof loadAssignment>;
    try {
      loaded = loadAssignment(plan, options.data.assignment);
    } catch (error) {
      if (!(error instanceof PlanExpressionError)) throw error;
      sendProblem(req, res, "invalid-plan", "A rule or score expression of the plan cannot be used for some pair.", { errors: error.errors });
      return;
    }
    if (!loaded.ok) {
      sendProblem(req, res, "invalid-request", problemsDetail(loaded.errors), { errors: loaded.errors });
      return;
    }
    const evaluateMs = performance.now() - start;
    let optimum: SolvedAssignment | undefined;
    const timing: Record<string, number> = { evaluate: evaluateMs };
    if (options.data.optimum === true) {
      try {
        const outcome = await pool.solve(plan, { timeLimitMs: effectiveTimeLimitMs(plan, config.limits), signal: clientGone(res) });
        const solution = Solution.parse(JSON.parse(outcome.solutionJson));
        optimum = { status: solution.status, objective: solution.objective, bound: solution.bound, assignments: solution.assignments };
        timing.queue = outcome.timings.queueMs;
        timing.run = outcome.timings.runMs;
      } catch (error) {
        if (!answerPoolError(req, res, error)) throw error;
        return;
      }
    }
    const evaluation = evaluationOf(loaded, optimum);
    timing.total = performance.now() - start;
    res.setHeader("Server-Timing", serverTiming(timing));
    res.status(200).json(evaluation);
  };
}
