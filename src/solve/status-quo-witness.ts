import type { Diagnosis, Plan, SolutionStatus } from "../../models/index.ts";
import { choiceColumns, satisfiesModel } from "../mip/formulation.ts";
import type { MipModel } from "../mip/mip-model.ts";
import { allowance, OBJECTIVE_TOLERANCE } from "../numeric/tolerance.ts";
import { formatNumber } from "../numeric/number-format.ts";
import type { PairTable } from "../plan/pair-table.ts";
import { verifyAssignment, type AssignmentPair } from "../verify/verify-assignment.ts";

/**
 * A check of a solver's claim that no plan is worth more than its bound, against the one other plan
 * that costs nothing to find: the current book (each customer with its current rep where that pair
 * is eligible, the others unassigned). The verifier checks feasibility, not a claimed optimum; a
 * wrong bound (a badly scaled model once made HiGHS "prove" the empty plan optimal) otherwise goes
 * unnoticed. When the current book keeps every row of the model the solver was given and is worth
 * more than the claimed bound, the claim is false for certain, and the current book, verified, is the
 * better answer.
 *
 * Cost: one pass over the customers; the model and the verifier only run when the current book's
 * objective already beats the claim, which a sound solver never lets happen.
 */
export interface StatusQuoWitness {
  assignments: AssignmentPair[];
  /** The verifier's objective of the current book. */
  objective: number;
  diagnosis: Diagnosis;
}

/**
 * The bound a solver's answer claims: its proven bound, or for "optimal" without one (jslp) the
 * most the optimum can be when the answer is within `mipGap` of it; null when nothing is claimed.
 */
export function claimedBound(status: SolutionStatus, bound: number | null, objective: number, mipGap: number): number | null {
  if (bound !== null) return bound;
  if (status !== "optimal" || mipGap >= 1) return null;
  // (B − O) ≤ mipGap × max(1, |B|) gives B ≤ O + mipGap × max(1, |O|) / (1 − mipGap).
  return objective + allowance(objective, mipGap) / (1 - mipGap);
}

/** The current book when it disproves `claimed`, else null. `model` is built only when needed. */
export function statusQuoWitness(plan: Plan, table: PairTable, claimed: number | null, backend: string, model: () => MipModel): StatusQuoWitness | null {
  if (claimed === null || !Number.isFinite(claimed)) return null;
  const beats = (objective: number) => objective > claimed + allowance(claimed, OBJECTIVE_TOLERANCE);
  const pairs: number[] = [];
  let objective = 0;
  table.currentPair.forEach((k) => {
    if (k < 0) return;
    pairs.push(k);
    objective += table.score[k] ?? 0;
  });
  if (pairs.length === 0 || !beats(objective)) return null;
  const mip = model();
  if (!satisfiesModel(mip, choiceColumns(mip, pairs))) return null;
  const assignments = pairs.map((k) => ({ customer: plan.customers[table.customer[k] ?? -1]?.id ?? "", rep: plan.reps[table.rep[k] ?? -1]?.id ?? "" }));
  const report = verifyAssignment(plan, assignments);
  if (!report.passed || !beats(report.objective)) return null;
  const worth = (x: number) => formatNumber(x, { style: "short", grouping: true });
  return {
    assignments,
    objective: report.objective,
    diagnosis: {
      summary: "The solver's claim that no plan is worth more than its bound was false: the current assignment is returned instead (verified, not proven optimal).",
      causes: [
        {
          kind: "solver",
          message: `${backend} claimed that no plan is worth more than ${worth(claimed)}, but keeping the customers with their current reps meets every constraint and is worth ${worth(report.objective)}.`,
        },
      ],
    },
  };
}
