import type { OverrideCost, Plan, Solution } from "../../models/index.ts";
import { solvePlan, type SolveOptions } from "../solve/solve-plan.ts";

export interface OverrideCostOptions {
  /** performance.now() after which no re-solve starts. */
  deadline: number;
  solve: SolveOptions;
}

/**
 * What each of the planner's overrides costs on a solved plan, by re-solve: the plan solved again
 * without that override (every other one kept), cost = that objective − the plan's. It is usually
 * ≥ 0, but not always: an override is a lock, which also makes a pair outside the rules eligible
 * and makes the customer's move forced, so that it does not use the move budget; then the cost can
 * be negative (the override frees value). The proven bracket is
 * [re-solve objective − plan bound, re-solve bound − plan objective], exact within the gap when
 * both solves are optimal. One re-solve per override, in policy order, within the advice's
 * time; those not reached keep null figures (`cut`).
 */
export async function overrideCosts(plan: Plan, solution: Solution, options: OverrideCostOptions): Promise<{ costs: OverrideCost[]; cut: boolean }> {
  const overrides = plan.policy?.overrides ?? [];
  const currentRep = new Map(plan.customers.map((c) => [c.id, c.currentRep]));
  const costs: OverrideCost[] = [];
  let cut = false;
  for (const [i, o] of overrides.entries()) {
    const entry: OverrideCost = {
      customer: o.customer,
      rep: o.rep,
      by: o.by,
      reason: o.reason,
      kind: currentRep.get(o.customer) === o.rep ? "stay" : "move",
      method: "re-solve",
      status: null,
      cost: null,
      costAtLeast: null,
      costAtMost: null,
    };
    costs.push(entry);
    const left = options.deadline - performance.now();
    if (left <= 0) {
      cut = true;
      continue;
    }
    const policy = { ...plan.policy, overrides: overrides.filter((_, j) => j !== i) };
    const timeLimitMs = Math.max(1, Math.floor(Math.min(left, options.solve.timeLimitMs ?? left)));
    const { solution: without } = await solvePlan({ ...plan, policy }, { ...options.solve, timeLimitMs });
    entry.status = without.status;
    const hasPlan = without.status === "optimal" || without.status === "feasible";
    const withObjective = solution.objective;
    if (hasPlan && without.objective !== null && withObjective !== null) entry.cost = without.objective - withObjective;
    if (hasPlan && without.objective !== null && solution.bound !== null) entry.costAtLeast = without.objective - solution.bound;
    if (without.bound !== null && withObjective !== null) entry.costAtMost = without.bound - withObjective;
  }
  return { costs, cut };
}
