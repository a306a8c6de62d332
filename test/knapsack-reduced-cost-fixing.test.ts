import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gapToPlan, type GapInstance } from "../src/formats/gap-instance.ts";
import type { AssignmentProblem, PairChoice } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";
import { integerObjective, knapsackLagrangianBound } from "../src/structured/knapsack-lagrangian-bound.ts";
import { fixByKnapsackReducedCosts, reducedRestriction } from "../src/structured/knapsack-reduced-cost-fixing.ts";
import { SubgradientSolver, pairPrices, reducedScores } from "../src/structured/lagrangian-bound.ts";
import { buildRestrictedMip, decodeRestricted } from "../src/structured/restricted-mip.ts";
import { solveSparseMip } from "../src/mip/highs-sparse-solve.ts";
import { WorkBudget } from "../src/structured/work-budget.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { gapOptimum, gapPlan } from "./gap-fixtures.ts";
import { feasiblePlans, problemOf, smallGap } from "./small-gap.ts";

/** Knapsack-bound multipliers after LP subgradient steps (as the search computes them), aimed at `target`. */
function multipliers(problem: AssignmentProblem, target: number | null): { u: Float64Array; bound: number } {
  const solver = new SubgradientSolver(problem);
  for (let i = 0; i < 60; i++) solver.step(null);
  const reduced = reducedScores(problem, pairPrices(problem, solver.bestMultipliers));
  const start = new Float64Array(problem.customerCount).fill(-Infinity);
  for (let k = 0; k < problem.pairCount; k++) {
    const c = problem.pairCustomer[k] ?? 0;
    start[c] = Math.max(start[c] ?? -Infinity, reduced[k] ?? 0);
  }
  const result = knapsackLagrangianBound(problem, { work: WorkBudget.clockOnly(), maxIterations: 80, target, start });
  return { u: result.multipliers, bound: result.bound };
}

/** The instance with every cost times 0.37: the same plans, objectives no longer integers. */
function fractionalCosts(instance: GapInstance): GapInstance {
  return { ...instance, cost: instance.cost.map((row) => row.map((x) => x * 0.37)) };
}

/** True when `choice` keeps every fixing: no pair fixed out, every forced customer on its pair. */
function keeps(problem: AssignmentProblem, choice: PairChoice, out: Uint8Array, forced: Int32Array): boolean {
  for (let c = 0; c < problem.customerCount; c++) {
    const k = choice[c] ?? -1;
    if (out[k] === 1) return false;
    const f = forced[c] ?? -1;
    if (f >= 0 && f !== k) return false;
  }
  return true;
}

describe("exact fixing by the knapsack bound's reduced costs", () => {
  it("keeps every plan better than the objective (brute force), and proves optimality only when none is", () => {
    let better = 0;
    let fixed = 0;
    let pairs = 0;
    let proven = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 3, max: 7 }), fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), (seed, agents, jobs, fractional, where) => {
        const instance = smallGap(seed, agents, jobs);
        const problem = problemOf(gapToPlan(fractional ? fractionalCosts(instance) : instance));
        expect(integerObjective(problem)).toBe(!fractional);
        const plans = feasiblePlans(problem);
        if (plans.length === 0) return;
        // The plan to beat: one of the feasible plans, from the best to the worst.
        const objectives = plans.map((choice) => new AssignmentState(problem, choice).objective).sort((a, b) => b - a);
        const objective = objectives[Math.min(objectives.length - 1, Math.floor(where * where * objectives.length))] ?? 0;
        const { u } = multipliers(problem, objective);
        const fixing = fixByKnapsackReducedCosts(problem, u, objective);
        const betterPlans = plans.filter((choice) => new AssignmentState(problem, choice).objective > objective + 1e-9);
        for (const choice of betterPlans) expect(keeps(problem, choice, fixing.out, fixing.forced)).toBe(true);
        if (fixing.proven) expect(betterPlans).toHaveLength(0);
        // Without the tables (reps too large for them) nothing is fixed, unless the bound alone proves the plan optimal.
        const untabled = fixByKnapsackReducedCosts(problem, u, objective, undefined, 0);
        if (untabled.proven) expect(betterPlans).toHaveLength(0);
        else expect(untabled.out.every((x) => x === 0) && untabled.forced.every((x) => x < 0)).toBe(true);
        if (untabled.proven) expect(fixing.proven).toBe(true);
        // `left` counts the pairs the reduced restriction offers.
        const input = reducedRestriction(problem, fixing, plans[0] ?? new Int32Array(problem.customerCount));
        if (!fixing.proven) expect(input.allowed.length).toBe(fixing.left);
        better += betterPlans.length;
        pairs += problem.pairCount;
        for (let k = 0; k < problem.pairCount; k++) if (fixing.out[k] === 1) fixed++;
        if (fixing.proven) proven++;
      }),
      { seed: 20261203, numRuns: 120 },
    );
    // Not vacuous: better plans were there to keep, pairs were fixed, optimality was proven.
    expect(better).toBeGreaterThan(100);
    expect(fixed).toBeGreaterThan(pairs / 5);
    expect(proven).toBeGreaterThan(5);
  });

  it("leaves a fifth to a third of c10100's pairs just above its optimum, the optimum among them (HiGHS on their MIP)", async () => {
    const problem = problemOf(gapPlan("c10100", {}));
    // Minimisation as maximisation: the optimum 1,402 is the objective −1,402.
    const { u, bound } = multipliers(problem, -1_402);
    expect(-bound).toBeLessThanOrEqual(1_402);
    const fixing = fixByKnapsackReducedCosts(problem, u, -1_403);
    expect(fixing.proven).toBe(false);
    expect(fixing.left).toBeLessThan(0.35 * problem.pairCount);
    expect(fixing.left).toBeGreaterThan(0.1 * problem.pairCount);
    // The restriction's MIP has exactly the pairs left as columns, and HiGHS finds the optimum in it.
    const input = reducedRestriction(problem, fixing, new Int32Array(problem.customerCount).fill(-1));
    const mip = buildRestrictedMip(problem, input);
    expect(mip.numCols).toBe(fixing.left);
    const result = await solveSparseMip({ ...mip, start: null }, { timeLimitMs: 60_000, mipGap: 0 });
    expect(result.status).toBe("optimal");
    const state = new AssignmentState(problem, decodeRestricted(problem, input, mip, result.values ?? new Float64Array(0)));
    expect(state.isFeasible()).toBe(true);
    expect(-state.objective).toBe(1_402);
  });

  it("hands c10100 to the branch and bound over what the fixing leaves, which proves its optimum (the Solution names it)", { timeout: 120_000 }, async () => {
    const { solution } = await solvePlan(gapPlan("c10100", { timeLimitMs: 40_000, mipGap: 0 }), { threads: 1 });
    expect(solution.solver.stoppedBy).not.toBe("time-limit");
    expect(solution.status).toBe("optimal");
    expect(-(solution.objective ?? 0)).toBe(gapOptimum("c10100").minOptimum);
    expect(solution.solver.backend.split("+")).toContain("branch-and-bound");
    expect(solution.verification.passed).toBe(true);
  });
});
