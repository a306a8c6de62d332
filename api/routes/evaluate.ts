import type { RequestHandler } from "express";
import { EvaluateRequest, fieldErrors, Solution, type Evaluation, type FieldError } from "../../models/index.ts";
import { evaluateChanges, loadBase, type LoadedBase } from "../../src/evaluate/changes-over-base.ts";
import { LoadedBaseCache, planKeyOf } from "../../src/evaluate/loaded-base-cache.ts";
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
 *
 * The plan, loaded with its `base`, is kept in a small LRU (ALLOT_EVALUATE_CACHE) under its
 * `planKey` (the SHA-256 of plan and base); a request naming the key instead of the plan costs its
 * changes, not the book. A key this process does not hold is a 409: the client sends the plan again.
 */
export function evaluateRoute(deps: { config: ServiceConfig; pool: SolvePool }): RequestHandler {
  const { config, pool } = deps;
  const cache = new LoadedBaseCache(config.evaluateCache);
  return async (req, res) => {
    const start = performance.now();
    const body: unknown = req.body;
    if (!isRecord(body)) {
      sendProblem(req, res, "invalid-plan", "The request must be an object with a plan and an assignment.", { errors: [{ path: "", message: "expected an object" }] });
      return;
    }
    const options = EvaluateOptions.safeParse(Object.fromEntries(Object.entries(body).filter(([k]) => k !== "plan")));
    const byKey = body.plan === undefined && body.planKey !== undefined;
    if (byKey) {
      const errors: FieldError[] = options.success ? [] : fieldErrors(options.error);
      if (options.success && options.data.base !== undefined) errors.push({ path: "base", message: "a base goes with a plan; a planKey already names its plan's base" });
      if (!options.success || errors.length > 0) {
        sendProblem(req, res, "invalid-request", problemsDetail(errors), { errors });
        return;
      }
    }
    let key: string;
    let loaded: LoadedBase;
    if (byKey) {
      key = options.data?.planKey ?? "";
      const held = cache.get(key);
      if (held === undefined) {
        sendProblem(req, res, "evaluation-plan-unknown", "This server does not hold the plan of this planKey (evicted, or loaded by another instance): send the plan (and base) again.");
        return;
      }
      loaded = held;
    } else {
      const input = readNestedPlan(body, "plan", config.limits);
      const errors: FieldError[] = [...(input.ok ? [] : input.errors), ...(options.success ? [] : fieldErrors(options.error))];
      if (options.success && options.data.planKey !== undefined) errors.push({ path: "planKey", message: "send either a plan or a planKey, not both" });
      if (!input.ok || !options.success || errors.length > 0) {
        sendProblem(req, res, !input.ok && input.kind === "plan-too-large" ? "plan-too-large" : "invalid-plan", problemsDetail(errors), { errors });
        return;
      }
      const base = options.data.base ?? [];
      key = planKeyOf(input.plan, base);
      const held = cache.get(key);
      if (held !== undefined) loaded = held;
      else {
        let fresh: ReturnType<typeof loadBase>;
        try {
          fresh = loadBase(input.plan, base);
        } catch (error) {
          if (!(error instanceof PlanExpressionError)) throw error;
          sendProblem(req, res, "invalid-plan", "A rule or score expression of the plan cannot be used for some pair.", { errors: error.errors });
          return;
        }
        if (!fresh.ok) {
          sendProblem(req, res, "invalid-request", problemsDetail(fresh.errors), { errors: fresh.errors });
          return;
        }
        loaded = fresh.base;
        cache.set(key, loaded);
      }
    }
    const changes = options.data?.assignment ?? [];
    const loadMs = performance.now() - start;
    const timing: Record<string, number> = { load: loadMs };
    let optimum: SolvedAssignment | undefined;
    if (options.data?.optimum === true) {
      // Checked before the solve, so a bad change is not paid for with one.
      const checked = evaluateChanges(loaded, changes);
      if (!checked.ok) {
        sendProblem(req, res, "invalid-request", problemsDetail(checked.errors), { errors: checked.errors });
        return;
      }
      try {
        const outcome = await pool.solve(loaded.plan, { timeLimitMs: effectiveTimeLimitMs(loaded.plan, config.limits), signal: clientGone(res) });
        const solution = Solution.parse(JSON.parse(outcome.solutionJson));
        optimum = { status: solution.status, objective: solution.objective, bound: solution.bound, assignments: solution.assignments };
        timing.queue = outcome.timings.queueMs;
        timing.run = outcome.timings.runMs;
      } catch (error) {
        if (!answerPoolError(req, res, error)) throw error;
        return;
      }
    }
    const evaluateStart = performance.now();
    const result = evaluateChanges(loaded, changes, optimum);
    if (!result.ok) {
      sendProblem(req, res, "invalid-request", problemsDetail(result.errors), { errors: result.errors });
      return;
    }
    timing.evaluate = performance.now() - evaluateStart;
    timing.total = performance.now() - start;
    const evaluation: Evaluation = { planKey: key, ...result.evaluation };
    res.setHeader("Server-Timing", serverTiming(timing));
    res.status(200).json(evaluation);
  };
}
