import type { CostlyChoice, OptimumComparison, SolutionStatus } from "../../models/index.ts";
import type { AssignmentEvaluator } from "./assignment-evaluator.ts";

/** The part of a Solution of the same plan the comparison reads. */
export interface SolvedAssignment {
  status: SolutionStatus;
  objective: number | null;
  bound: number | null;
  assignments: readonly { customer: string; rep: string }[];
}

/** The costliest differing choices listed. */
export const MAX_COSTLY_CHOICES = 20;

/**
 * The assignment held by `evaluator` against a solve of the same plan: the value given up (the
 * solve's objective minus the assignment's), at most given up (the solve's proven bound minus it),
 * and the choices that differ, each priced alone as the optimum's pair value minus the chosen
 * pair's (a customer-by-customer attribution: capacities and bands couple the choices, so these
 * need not add up to the total). Largest first, ties by plan order of the customers.
 */
export function compareWithOptimum(evaluator: AssignmentEvaluator, solved: SolvedAssignment): OptimumComparison {
  const totals = evaluator.totals();
  const hasPlan = solved.status === "optimal" || solved.status === "feasible";
  const optimalRep = new Int32Array(evaluator.customerCount()).fill(-1);
  if (hasPlan) {
    for (const a of solved.assignments) {
      const c = evaluator.indexOfCustomer(a.customer);
      const r = evaluator.indexOfRep(a.rep);
      if (c !== undefined && r !== undefined) optimalRep[c] = r;
    }
  }
  const differing: { c: number; choice: CostlyChoice }[] = [];
  if (hasPlan) {
    for (let c = 0; c < evaluator.customerCount(); c++) {
      const chosen = evaluator.repIndexOf(c);
      const optimal = optimalRep[c] ?? -1;
      if (chosen === optimal) continue;
      const optimalValue = optimal < 0 ? 0 : evaluator.valueWith(c, optimal);
      differing.push({
        c,
        choice: {
          customer: evaluator.plan.customers[c]?.id ?? "",
          chosen: chosen < 0 ? null : (evaluator.plan.reps[chosen]?.id ?? null),
          optimal: optimal < 0 ? null : (evaluator.plan.reps[optimal]?.id ?? null),
          valueGivenUp: optimalValue - evaluator.pairValueOf(c),
        },
      });
    }
  }
  differing.sort((a, b) => b.choice.valueGivenUp - a.choice.valueGivenUp || a.c - b.c);
  const objective = hasPlan ? solved.objective : null;
  return {
    status: solved.status,
    objective,
    bound: solved.bound,
    valueGivenUp: objective === null ? null : objective - totals.objective,
    valueGivenUpAtMost: solved.bound === null ? null : solved.bound - totals.objective,
    differingChoices: differing.length,
    costliest: differing.slice(0, MAX_COSTLY_CHOICES).map((d) => d.choice),
  };
}
