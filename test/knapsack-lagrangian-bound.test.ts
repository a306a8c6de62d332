import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gapToPlan, type GapInstance } from "../src/formats/gap-instance.ts";
import { buildAssignmentProblem, type AssignmentProblem } from "../src/structured/assignment-problem.ts";
import { integerObjective, knapsackBoundApplies, knapsackLagrangianBound, roundBoundDown } from "../src/structured/knapsack-lagrangian-bound.ts";
import { SubgradientSolver, pairPrices, reducedScores } from "../src/structured/lagrangian-bound.ts";
import { WorkBudget } from "../src/structured/work-budget.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { generateBook } from "../data/book-generator.ts";
import type { Plan } from "../models/index.ts";
import { gapOptimum, gapPlan } from "./gap-fixtures.ts";
import { bruteForceProblem, smallGap } from "./small-gap.ts";

function problemOf(plan: Plan): AssignmentProblem {
  const policy = resolvePolicy(plan.policy);
  return buildAssignmentProblem(plan, buildPairTable(plan, policy), policy);
}

/** The LP bound by subgradient steps, and each customer's best reduced score at its prices (the knapsack bound's start). */
function lpStart(problem: AssignmentProblem, steps: number): { lp: number; start: Float64Array } {
  const solver = new SubgradientSolver(problem);
  for (let i = 0; i < steps; i++) solver.step(null);
  const reduced = reducedScores(problem, pairPrices(problem, solver.bestMultipliers));
  const start = new Float64Array(problem.customerCount).fill(-Infinity);
  for (let k = 0; k < problem.pairCount; k++) {
    const c = problem.pairCustomer[k] ?? 0;
    start[c] = Math.max(start[c] ?? -Infinity, reduced[k] ?? 0);
  }
  return { lp: solver.bestBound, start };
}

/** The instance with every resource and capacity divided by 7: fractional workloads, the same plans. */
function fractional(instance: GapInstance): GapInstance {
  return { ...instance, resource: instance.resource.map((row) => row.map((x) => x / 7)), capacity: instance.capacity.map((x) => x / 7) };
}

describe("knapsack Lagrangian bound", () => {
  it("is never below the optimum (brute force) and never above the LP bound it starts from, with integer or fractional workloads", () => {
    let checked = 0;
    let tighter = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 3, max: 8 }), fc.boolean(), (seed, agents, jobs, scaled) => {
        const instance = smallGap(seed, agents, jobs);
        const problem = problemOf(gapToPlan(scaled ? fractional(instance) : instance));
        expect(knapsackBoundApplies(problem)).toBe(true);
        const optimum = bruteForceProblem(problem);
        if (optimum === -Infinity) return;
        checked++;
        const { lp, start } = lpStart(problem, 60);
        const result = knapsackLagrangianBound(problem, { work: WorkBudget.clockOnly(), maxIterations: 80, target: null, start });
        expect(result.bound).toBeGreaterThanOrEqual(optimum - 1e-6);
        expect(result.bound).toBeLessThanOrEqual(lp + 1e-6);
        expect(Number.isInteger(result.bound)).toBe(true);
        if (result.bound < roundBoundDown(lp)) tighter++;
      }),
      { seed: 20261130, numRuns: 80 },
    );
    expect(checked).toBeGreaterThan(60);
    // Not vacuous: on these tight instances the knapsacks often prove more than the LP.
    expect(tighter).toBeGreaterThan(checked / 4);
  });

  it("reaches the published knapsack bound of d20100 (6,176 against the LP's 6,143; optimum 6,185) and stops at a plan it proves optimal", () => {
    const problem = problemOf(gapPlan("d20100", {}));
    const { lp, start } = lpStart(problem, 300);
    expect(-lp).toBeLessThan(6_144);
    const result = knapsackLagrangianBound(problem, { work: WorkBudget.clockOnly(), maxIterations: 300, target: -6_300, start });
    expect(-result.bound).toBeGreaterThanOrEqual(6_175);
    expect(-result.bound).toBeLessThanOrEqual(gapOptimum("d20100").minOptimum);
    // With the optimum as the plan to beat, a bound that rounds to it ends the steps early.
    const c05100 = problemOf(gapPlan("c05100", {}));
    const proof = knapsackLagrangianBound(c05100, { work: WorkBudget.clockOnly(), maxIterations: 300, target: -1_929, start: lpStart(c05100, 300).start });
    expect(-proof.bound).toBeGreaterThanOrEqual(1_929);
    expect(proof.iterations).toBeLessThan(300);
  });

  it("draws on its work budget and repeats byte for byte", () => {
    const problem = problemOf(gapPlan("c10100", {}));
    const { start } = lpStart(problem, 100);
    const run = (units: number) => {
      const work = new WorkBudget(units, Infinity);
      const result = knapsackLagrangianBound(problem, { work, maxIterations: 1_000, target: null, start });
      return { result, used: work.used };
    };
    const a = run(2e6);
    const b = run(2e6);
    expect(a.result.bound).toBe(b.result.bound);
    expect(Array.from(a.result.multipliers)).toEqual(Array.from(b.result.multipliers));
    expect(a.result.iterations).toBe(b.result.iterations);
    const small = run(2e5);
    expect(small.result.iterations).toBeLessThan(a.result.iterations);
    expect(small.result.bound).toBeGreaterThanOrEqual(a.result.bound);
  });

  it("applies only to parts shaped like the GAP, and rounds only integer objectives", () => {
    const banded = generateBook({ seed: 2, customers: 60, reps: 4, territories: 1, policy: { fairness: { valueBand: 0.3 } } });
    expect(knapsackBoundApplies(problemOf(banded))).toBe(false);
    const optional = generateBook({ seed: 2, customers: 60, reps: 4, territories: 1, policy: { allowUnassigned: true } });
    expect(knapsackBoundApplies(problemOf(optional))).toBe(false);
    expect(integerObjective(problemOf(optional))).toBe(false);
    expect(integerObjective(problemOf(gapPlan("c05100", {})))).toBe(true);
    expect(roundBoundDown(-1929.0000000001)).toBe(-1929);
    expect(roundBoundDown(-1929.5)).toBe(-1930);
  });
});
