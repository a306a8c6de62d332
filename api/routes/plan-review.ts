import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { fieldErrors, Plan, ReviewRequest, Solution, type FieldError, type ReviewResult } from "../../models/index.ts";
import { effectiveTimeLimitMs } from "../../src/plan/time-limit.ts";
import type { SolvePool } from "../../src/runtime/solve-pool.ts";
import type { PlanStore } from "../../src/storage/plan-store.ts";
import { reviewRound } from "../../src/what-if/review-round.ts";
import { auditContextOf } from "../audit-context.ts";
import type { ServiceConfig } from "../config.ts";
import { readPlan } from "../plan-input.ts";
import { answerPoolError, clientGone } from "../pool-refusal.ts";
import { sendProblem } from "../problem-details.ts";
import { problemsDetail } from "../what-if-input.ts";

/** Label of the version a review round saves (at most PlanLabel's 200 characters). */
function roundLabel(label: string, accepted: number, rejected: number): string {
  const suffix = ` · reviewed: ${accepted} accepted, ${rejected} rejected`;
  return `${label.slice(0, Math.max(1, 200 - suffix.length))}${suffix}`;
}

/**
 * POST /v1/plans/{id}/review: the planner accepts or rejects the moves of a saved version
 * (src/what-if/review-round.ts). Accepted moves become overrides to the proposed rep, rejected ones
 * overrides to the currentRep ("stays"), each with who and why; the plan with them is solved on the
 * pool and saved as a new draft version (audited as `plan.saved`, diffable against the reviewed one
 * with GET /v1/plans/{id}/diff/{otherId}). A round that rejects nothing changes nothing.
 */
export function reviewPlanRoute(deps: { config: ServiceConfig; pool: SolvePool; store: PlanStore; logger: Logger }): RequestHandler {
  const { config, pool, store, logger } = deps;
  return async (req, res) => {
    const id = typeof req.params.id === "string" ? req.params.id : "";
    const body = ReviewRequest.safeParse(req.body);
    if (!body.success) {
      const errors = fieldErrors(body.error);
      sendProblem(req, res, "invalid-request", problemsDetail(errors), { errors });
      return;
    }
    const [version, inputJson, placements] = await Promise.all([store.getPlan(id), store.getPlanInput(id), store.getPlacements(id)]);
    if (version === null || inputJson === null || placements === null) {
      sendProblem(req, res, "plan-not-found", `There is no saved plan with id ${JSON.stringify(id)}.`);
      return;
    }
    const plan = Plan.parse(JSON.parse(inputJson));
    const round = reviewRound(plan, placements, body.data);
    if (!round.ok) {
      sendProblem(req, res, "invalid-request", problemsDetail(round.errors), { errors: round.errors });
      return;
    }
    if (!round.changed) {
      const result: ReviewResult = { changed: false, reviewed: id, accepted: round.accepted, rejected: 0, plan: version };
      res.status(200).json(result);
      return;
    }
    const input = readPlan(round.plan, config.limits);
    if (!input.ok) {
      // A decision the contract refuses (e.g. a stay on a customer locked elsewhere): name the decision.
      const errors: FieldError[] = input.errors.map((e) => {
        const m = /^policy\.overrides\[(\d+)\]/.exec(e.path);
        const decision = m === null ? null : round.decisionOf(Number(m[1]));
        return decision === null ? e : { path: `decisions[${decision}]`, message: e.message };
      });
      sendProblem(req, res, "invalid-request", problemsDetail(errors), { errors });
      return;
    }
    try {
      const outcome = await pool.solve(input.plan, { timeLimitMs: effectiveTimeLimitMs(input.plan, config.limits), signal: clientGone(res) });
      const solution = Solution.parse(JSON.parse(outcome.solutionJson));
      const saved = await store.savePlan({ label: roundLabel(version.label, round.accepted, round.rejected), plan: input.plan, solution }, auditContextOf(res));
      logger.info({ requestId: res.locals.requestId, reviewed: id, planId: saved.id, accepted: round.accepted, rejected: round.rejected, status: saved.status }, "plan reviewed");
      const result: ReviewResult = { changed: true, reviewed: id, accepted: round.accepted, rejected: round.rejected, plan: saved };
      res.setHeader("Location", `/v1/plans/${saved.id}`);
      res.status(200).json(result);
    } catch (error) {
      if (!answerPoolError(req, res, error)) throw error;
    }
  };
}
