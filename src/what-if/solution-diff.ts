import { z } from "zod";
import { Diagnosis, Metrics, RepSummary, SolutionStatus, type Plan, type ScenarioDiff, type Solution } from "../../models/index.ts";
import { diffSolvedPlans, type SolvedPlanSide } from "./solved-plan-diff.ts";

/**
 * The diff of a scenario against its base, both as solved: the one diff of two solved plans
 * (solved-plan-diff.ts, the same as for two saved plans) plus the range in which the difference of
 * the two optimal objectives lies.
 *
 * It works on digests rather than Solutions: a digest is computed in the worker thread next to the
 * Solution (per customer, the index of its rep and its expected value, in typed arrays) so that the
 * event loop never parses a large Solution to diff it: the diff is one linear pass.
 */

export const SolutionDigest = z.object({
  status: SolutionStatus,
  objective: z.number().nullable(),
  bound: z.number().nullable(),
  gap: z.number().nullable(),
  metrics: Metrics,
  diagnosis: Diagnosis.optional(),
  reps: z.array(RepSummary),
  /** Per customer of the plan (plan order): index of its rep in plan.reps, or -1 when unassigned. */
  repIndex: z.instanceof(Int32Array),
  /** Per customer of the plan: the expected value of its pair (0 when unassigned). */
  expectedValue: z.instanceof(Float64Array),
});
export type SolutionDigest = z.infer<typeof SolutionDigest>;

/** True when the solution carries a plan (optimal or feasible). */
export function hasPlan(status: SolutionStatus): boolean {
  return status === "optimal" || status === "feasible";
}

export function digestSolution(plan: Plan, solution: Solution): SolutionDigest {
  const customerIndex = new Map<string, number>();
  plan.customers.forEach((c, i) => customerIndex.set(c.id, i));
  const repIndexOf = new Map<string, number>();
  plan.reps.forEach((r, i) => {
    if (!repIndexOf.has(r.id)) repIndexOf.set(r.id, i);
  });
  const repIndex = new Int32Array(plan.customers.length).fill(-1);
  const expectedValue = new Float64Array(plan.customers.length);
  for (const a of solution.assignments) {
    const i = customerIndex.get(a.customer);
    if (i === undefined) continue;
    repIndex[i] = repIndexOf.get(a.rep) ?? -1;
    expectedValue[i] = a.expectedValue;
  }
  const digest: SolutionDigest = {
    status: solution.status,
    objective: solution.objective,
    bound: solution.bound,
    gap: solution.gap,
    metrics: solution.metrics,
    reps: solution.reps,
    repIndex,
    expectedValue,
  };
  if (solution.diagnosis !== undefined) digest.diagnosis = solution.diagnosis;
  return digest;
}

export interface DiffSide {
  plan: Plan;
  digest: SolutionDigest;
}

/** A scenario side as the diff reads it: the plan's customers in plan order, placed by the digest. */
function solvedSide({ plan, digest }: DiffSide): SolvedPlanSide {
  return {
    customers: plan.customers.length,
    customerAt: (i) => plan.customers[i]?.id ?? "",
    placementAt: (i) => {
      const r = digest.repIndex[i] ?? -1;
      if (r < 0) return { rep: null, expectedValue: null };
      return { rep: plan.reps[r]?.id ?? null, expectedValue: digest.expectedValue[i] ?? 0 };
    },
    objective: digest.objective,
    metrics: digest.metrics,
    reps: digest.reps,
  };
}

/** What changes from the base to the scenario; null when either has no plan (infeasible or timeout). */
export function diffSolutions(base: DiffSide, scenario: DiffSide): ScenarioDiff | null {
  if (!hasPlan(base.digest.status) || !hasPlan(scenario.digest.status)) return null;
  const { objective, ...rest } = diffSolvedPlans(solvedSide(base), solvedSide(scenario));
  const from = base.digest;
  const to = scenario.digest;
  const optimalDelta =
    from.objective === null || to.objective === null || from.bound === null || to.bound === null
      ? null
      : { low: to.objective - from.bound, high: to.bound - from.objective };
  return { objective, optimalDelta, ...rest };
}
