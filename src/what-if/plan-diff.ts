/**
 * The diff of two saved plan versions (GET /v1/plans/{id}/diff/{otherId}): the one diff of two
 * solved plans (solved-plan-diff.ts) between the two Solutions as saved, with each version's
 * reference. Pure: saved versions are immutable, so their diff never changes.
 *
 * A Solution lists every customer of its plan exactly once, in `assignments` or in `unassigned`,
 * and every rep in `reps`; the diff relies on that and on nothing else of the plans.
 */
import type { PlanVersionDiff, Solution, SolutionOverview } from "../../models/index.ts";
import type { CustomerPlacement } from "../storage/plan-store.ts";
import { diffSolvedPlans, type SolvedPlanSide } from "./solved-plan-diff.ts";

export interface DiffSide {
  ref: PlanVersionDiff["from"];
  /** The solution's summary figures and per-rep loads. */
  solution: SolutionOverview;
  /** Every customer of the plan with its rep (null = unassigned) and expected value. */
  placements: readonly CustomerPlacement[];
}

/** A diff side straight from a Solution. */
export function diffSideFromSolution(ref: PlanVersionDiff["from"], solution: Solution): DiffSide {
  const placements: CustomerPlacement[] = solution.assignments.map((a) => ({ customer: a.customer, rep: a.rep, expectedValue: a.expectedValue }));
  for (const u of solution.unassigned) placements.push({ customer: u.customer, rep: null, expectedValue: null });
  return { ref, solution, placements };
}

/** A saved side as the diff reads it: customers in the order saved. */
function solvedSide({ solution, placements }: DiffSide): SolvedPlanSide {
  const at = (i: number): CustomerPlacement => {
    const p = placements[i];
    if (p === undefined) throw new RangeError(`no placement at ${i}`);
    return p;
  };
  return {
    customers: placements.length,
    customerAt: (i) => at(i).customer,
    placementAt: at,
    objective: solution.objective,
    metrics: solution.metrics,
    reps: solution.reps,
  };
}

/** What changes when going from plan `from` to plan `to`. */
export function diffPlanVersions(from: DiffSide, to: DiffSide): PlanVersionDiff {
  return { from: from.ref, to: to.ref, ...diffSolvedPlans(solvedSide(from), solvedSide(to)) };
}
