import { Change, type Plan } from "../models/index.ts";
import { applyChanges } from "../src/what-if/plan-changes.ts";

/**
 * The plan after the changes (each parsed as a Change first); throws with the errors when they do
 * not apply. `at` is where the changes sit in the request, for the error paths.
 */
export function changedPlan(plan: Plan, changes: readonly unknown[], at: readonly (string | number)[] = ["changes"]): Plan {
  const result = applyChanges(plan, changes.map((c) => Change.parse(c)), at);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}
