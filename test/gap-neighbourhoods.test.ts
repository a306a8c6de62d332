/**
 * HiGHS, then the neighbourhoods: on a part small enough for HiGHS whose tree does not close the
 * gap, the neighbourhood search takes the rest of the work from HiGHS's plan (lagrangian-search.ts
 * `HIGHS_SHARE`). Without a clock (work only) HiGHS ends by its node limit, so the run repeats.
 */
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { buildAssignmentProblem } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";
import { solveByLagrangianSearch } from "../src/structured/lagrangian-search.ts";
import { WorkBudget } from "../src/structured/work-budget.ts";
import { gapOptimum, gapPlan } from "./gap-fixtures.ts";

describe("HiGHS, then the neighbourhoods", () => {
  it("improves HiGHS's plan of a type E instance by re-packing reps, the plan feasible and no better than the optimum", { timeout: 240_000 }, async () => {
    const plan = Plan.parse(gapPlan("e10200", { timeLimitMs: 10_000, mipGap: 0 }));
    const policy = resolvePolicy(plan.policy);
    const problem = buildAssignmentProblem(plan, buildPairTable(plan, policy), policy);
    // The work of a third of a second's time limit, no clock: HiGHS stops at its node limit (about
    // 120 nodes), the neighbourhoods improve its plan (to 23,320, in 8 s on the bench's machine).
    const answer = await solveByLagrangianSearch(problem, 0, new WorkBudget(2e7, Infinity));
    expect(answer.choice).not.toBeNull();
    expect(answer.algorithms).toContain("highs");
    // Pushed only when the neighbourhoods improved on HiGHS's plan.
    expect(answer.algorithms.at(-1)).toBe("neighbourhood-mip");
    expect(answer.stoppedBy).toBe("complete");
    const state = new AssignmentState(problem, answer.choice ?? new Int32Array());
    expect(state.isFeasible()).toBe(true);
    expect(state.objective).toBeCloseTo(answer.objective ?? NaN, 6);
    // Costs, minimised: never below the optimum, and within 0.5% of the best known (23,307).
    expect(-state.objective).toBeGreaterThanOrEqual(gapOptimum("e10200").minOptimum - 1e-6);
    expect(-state.objective).toBeLessThan(23_307 * 1.005);
  });
});
