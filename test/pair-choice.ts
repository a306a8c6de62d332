import type { Plan } from "../models/index.ts";
import type { PairTable } from "../src/plan/pair-table.ts";
import type { PairChoice } from "../src/structured/assignment-problem.ts";

/** The (customer, rep) ids of a structured-path choice (pair index per customer, −1 = unassigned), for the verifier. */
export function assignmentOf(plan: Plan, table: PairTable, choice: PairChoice): { customer: string; rep: string }[] {
  const out: { customer: string; rep: string }[] = [];
  choice.forEach((k, c) => {
    if (k >= 0) out.push({ customer: plan.customers[c]?.id ?? "", rep: plan.reps[table.rep[k] ?? 0]?.id ?? "" });
  });
  return out;
}
