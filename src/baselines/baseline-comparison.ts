import type { BaselineComparison, BaselineMethod, BaselineResult, Plan, Solution } from "../../models/index.ts";
import type { AssignmentPair } from "../verify/verify-assignment.ts";
import { checkAssignment } from "./constraint-breaks.ts";
import { firstMatch } from "./first-match.ts";
import { leastLoaded } from "./least-loaded.ts";
import { roundRobin } from "./round-robin.ts";
import { valueTiers } from "./value-tiers.ts";

/** Each classic method, as defined in docs/what-if.md (and in its own file). */
export const BASELINES: Readonly<Record<BaselineMethod, (plan: Plan) => AssignmentPair[]>> = {
  "round-robin": roundRobin,
  "least-loaded": leastLoaded,
  "value-tiers": valueTiers,
  "first-match": firstMatch,
};

/** One method applied to the plan: its expected value (same scoring as the optimizer), breaks and moves. */
export function evaluateBaseline(plan: Plan, method: BaselineMethod, optimizer: number | null): BaselineResult {
  const pairs = BASELINES[method](plan);
  const { breaks, expectedValue } = checkAssignment(plan, pairs);
  const repOf = new Map(pairs.map((p) => [p.customer, p.rep] as const));
  let moves = 0;
  for (const c of plan.customers) if (c.currentRep !== undefined && repOf.get(c.id) !== c.currentRep) moves += 1;
  const uplift = optimizer === null ? null : optimizer - expectedValue;
  return {
    method,
    expectedValue,
    assigned: repOf.size,
    unassigned: plan.customers.length - repOf.size,
    moves,
    breaks,
    uplift,
    upliftPercent: uplift === null || expectedValue === 0 ? null : (uplift / Math.abs(expectedValue)) * 100,
  };
}

/** The classic methods against the optimizer's solution of the same plan, in the order asked. */
export function compareWithBaselines(plan: Plan, solution: Solution, methods: readonly BaselineMethod[]): BaselineComparison {
  return { optimizer: solution.objective, baselines: methods.map((m) => evaluateBaseline(plan, m, solution.objective)) };
}
