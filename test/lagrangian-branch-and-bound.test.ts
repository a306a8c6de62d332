import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gapToPlan, type GapInstance } from "../src/formats/gap-instance.ts";
import type { AssignmentProblem } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";
import { knapsackLagrangianBound } from "../src/structured/knapsack-lagrangian-bound.ts";
import { fixByKnapsackReducedCosts } from "../src/structured/knapsack-reduced-cost-fixing.ts";
import { branchAndBoundApplies, lagrangianBranchAndBound } from "../src/structured/lagrangian-branch-and-bound.ts";
import { WorkBudget } from "../src/structured/work-budget.ts";
import { gapOptimum, gapPlan } from "./gap-fixtures.ts";
import { bruteForceProblem, feasiblePlans, feasibleStart, problemOf, smallGap } from "./small-gap.ts";

/** Knapsack-bound multipliers from each customer's best score (as a start), after `steps` subgradient steps. */
function multipliers(problem: AssignmentProblem, steps: number): Float64Array {
  const start = new Float64Array(problem.customerCount).fill(-Infinity);
  for (let k = 0; k < problem.pairCount; k++) {
    const c = problem.pairCustomer[k] ?? 0;
    start[c] = Math.max(start[c] ?? -Infinity, problem.pairScore[k] ?? 0);
  }
  return knapsackLagrangianBound(problem, { work: WorkBudget.clockOnly(), maxIterations: steps, target: null, start }).multipliers;
}

/** The instance with every cost times 0.37: the same plans, objectives no longer integers. */
function fractionalCosts(instance: GapInstance): GapInstance {
  return { ...instance, cost: instance.cost.map((row) => row.map((x) => x * 0.37)) };
}

describe("the Lagrangian branch and bound (GAP-shaped parts)", () => {
  it("finds and proves the optimum of small GAPs (brute force), from any feasible plan, with or without the exact fixing and the plans of the nodes", () => {
    let improved = 0;
    let fixedRuns = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 3, max: 7 }), fc.boolean(), fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 40 }), fc.boolean(), fc.integer({ min: 1, max: 20 }), (seed, agents, jobs, fractional, fixFirst, where, steps, heuristics, nodeSteps) => {
        const instance = smallGap(seed, agents, jobs);
        const problem = problemOf(gapToPlan(fractional ? fractionalCosts(instance) : instance));
        expect(branchAndBoundApplies(problem)).toBe(true);
        const plans = feasiblePlans(problem);
        if (plans.length === 0) return;
        const optimum = bruteForceProblem(problem);
        // The plan to improve: any feasible plan, from the best to the worst; half the time one just
        // short of the optimum, where only a complete search finds the one better plan.
        const ranked = plans.map((choice) => ({ choice, objective: new AssignmentState(problem, choice).objective })).sort((a, b) => b.objective - a.objective);
        const runnerUp = ranked.find((plan) => plan.objective < optimum - 1e-9);
        const incumbent = (where < 0.5 ? runnerUp : undefined) ?? ranked[Math.min(ranked.length - 1, Math.floor(where * ranked.length))] ?? ranked[0];
        if (incumbent === undefined) return;
        const u = multipliers(problem, steps);
        const fixing = fixFirst ? fixByKnapsackReducedCosts(problem, u, incumbent.objective) : null;
        if (fixing !== null && fixing.proven) {
          expect(incumbent.objective).toBeCloseTo(optimum, 9);
          return;
        }
        if (fixing !== null) fixedRuns++;
        const result = lagrangianBranchAndBound(problem, {
          allowed: fixing === null ? null : Uint8Array.from(fixing.out, (out) => 1 - out),
          forced: fixing?.forced ?? null,
          incumbent,
          multipliers: u,
          work: WorkBudget.clockOnly(),
          heuristics,
          rootSteps: nodeSteps,
          nodeSteps,
        });
        expect(result.proven).toBe(true);
        expect(result.objective).toBeCloseTo(optimum, 9);
        expect(result.improved).toBe(result.objective > incumbent.objective + 1e-9);
        const state = new AssignmentState(problem, result.choice);
        expect(state.isFeasible()).toBe(true);
        expect(state.objective).toBeCloseTo(result.objective, 9);
        if (result.improved) improved++;
      }),
      { seed: 20261204, numRuns: 300 },
    );
    // Not vacuous: plans were improved, and through the exact fixing too.
    expect(improved).toBeGreaterThan(20);
    expect(fixedRuns).toBeGreaterThan(60);
  });

  it("stops when its work is spent: not proven, the plan feasible and no worse", () => {
    const problem = problemOf(gapPlan("c10200", {}));
    const start = feasibleStart(problem);
    expect(start).not.toBeNull();
    if (start === null) return;
    const incumbent = { choice: start, objective: new AssignmentState(problem, start).objective };
    const work = new WorkBudget(5_000_000, Infinity);
    const result = lagrangianBranchAndBound(problem, { allowed: null, forced: null, incumbent, multipliers: multipliers(problem, 100), work });
    expect(result.proven).toBe(false);
    expect(work.used).toBeGreaterThanOrEqual(5_000_000);
    expect(result.objective).toBeGreaterThanOrEqual(incumbent.objective);
    const state = new AssignmentState(problem, result.choice);
    expect(state.isFeasible()).toBe(true);
    expect(state.objective).toBe(result.objective);
  });

  it("proves c05100's optimum (1,931) from a greedy plan, over what the exact fixing leaves", () => {
    const problem = problemOf(gapPlan("c05100", {}));
    expect(branchAndBoundApplies(problem)).toBe(true);
    const start = feasibleStart(problem);
    expect(start).not.toBeNull();
    if (start === null) return;
    const incumbent = { choice: start, objective: new AssignmentState(problem, start).objective };
    const u = multipliers(problem, 300);
    const fixing = fixByKnapsackReducedCosts(problem, u, incumbent.objective);
    const result = lagrangianBranchAndBound(problem, { allowed: Uint8Array.from(fixing.out, (out) => 1 - out), forced: fixing.forced, incumbent, multipliers: u, work: WorkBudget.clockOnly() });
    expect(result.proven).toBe(true);
    expect(-result.objective).toBe(gapOptimum("c05100").minOptimum);
    expect(new AssignmentState(problem, result.choice).isFeasible()).toBe(true);
  });
});
