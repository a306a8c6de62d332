/**
 * GET /v1/plans/{id}/performance: a saved plan against the outcomes recorded since it was active
 * (src/learning/plan-performance.ts): per rep expected against actual, the calibration of the
 * plan's conversion estimates, and drift alerts; `?credibility=` sets the drift test's level.
 */
import type { Request, RequestHandler, Response } from "express";
import { Plan, type FieldError } from "../../models/index.ts";
import { DEFAULT_DRIFT_CREDIBILITY } from "../../src/learning/drift-test.ts";
import { planPerformance } from "../../src/learning/plan-performance.ts";
import type { OutcomeStore } from "../../src/storage/outcome-store.ts";
import type { PlanStore } from "../../src/storage/plan-store.ts";
import { queryOf } from "../page-query.ts";
import { sendProblem } from "../problem-details.ts";

export const CREDIBILITY_PARAMETER = "credibility";
/** The drift test's level: from 0.5 to 0.999. */
export const MIN_CREDIBILITY = 0.5;
export const MAX_CREDIBILITY = 0.999;

export type CredibilityQuery = { ok: true; credibility: number } | { ok: false; errors: FieldError[] };

export function readCredibility(req: Request): CredibilityQuery {
  const raw = queryOf(req).get(CREDIBILITY_PARAMETER);
  if (raw === null || raw === "") return { ok: true, credibility: DEFAULT_DRIFT_CREDIBILITY };
  const value = /^\d*\.?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= MIN_CREDIBILITY && value <= MAX_CREDIBILITY)) {
    return { ok: false, errors: [{ path: CREDIBILITY_PARAMETER, message: `must be a number from ${MIN_CREDIBILITY} to ${MAX_CREDIBILITY} (e.g. 0.9)` }] };
  }
  return { ok: true, credibility: value };
}

function planIdOf(req: Request): string {
  const value: unknown = req.params.id;
  return typeof value === "string" ? value : "";
}

const notFound = (req: Request, res: Response, id: string) => sendProblem(req, res, "plan-not-found", `There is no saved plan with id ${JSON.stringify(id)}.`);

/** What the performance of a saved plan is computed from, or null for an unknown plan. */
export async function loadPerformanceInput(store: PlanStore & OutcomeStore, id: string) {
  const [json, placements, overview, outcomes] = await Promise.all([store.getPlanInput(id), store.getPlacements(id), store.getSolutionOverview(id), store.planOutcomes(id)]);
  if (json === null || placements === null || overview === null || outcomes === null) return null;
  const plan = Plan.parse(JSON.parse(json));
  return { planId: id, plan, placements, overview, outcomes, repExpectedValue: new Map(overview.reps.map((r) => [r.id, r.expectedValue] as const)) };
}

export function performanceRoute(deps: { store: PlanStore & OutcomeStore }): RequestHandler {
  return async (req, res) => {
    const query = readCredibility(req);
    if (!query.ok) {
      sendProblem(req, res, "invalid-query", "See errors.", { errors: query.errors });
      return;
    }
    const id = planIdOf(req);
    const input = await loadPerformanceInput(deps.store, id);
    if (input === null) {
      notFound(req, res, id);
      return;
    }
    const body = planPerformance({ ...input, credibility: query.credibility });
    res.status(200).type("application/json").send(JSON.stringify(body));
  };
}
