import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { buildAssignmentProblem, type AssignmentProblem } from "../src/structured/assignment-problem.ts";
import { SubgradientSolver, lagrangianBound, zeroMultipliers, type Multipliers } from "../src/structured/lagrangian-bound.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { bruteForce } from "./brute-force-optimum.ts";
import { randomSmallPlan } from "./random-small-plan.ts";

function problemOf(plan: Plan): AssignmentProblem {
  const policy = resolvePolicy(plan.policy);
  return buildAssignmentProblem(plan, buildPairTable(plan, policy), policy);
}

/** Multipliers drawn from a seed: any non-negative multipliers give a valid bound. */
function randomMultipliers(repCount: number, values: readonly number[]): Multipliers {
  const m = zeroMultipliers(repCount);
  let i = 0;
  const next = () => values[i++ % values.length] ?? 0;
  for (let r = 0; r < repCount; r++) {
    m.accountsUpper[r] = next() * 1000;
    m.accountsLower[r] = next() * 1000;
    m.workload[r] = next() * 500;
    m.valueUpper[r] = next() * 0.5;
    m.valueLower[r] = next() * 0.5;
    m.countUpper[r] = next() * 1000;
    m.countLower[r] = next() * 1000;
  }
  m.stays = next() * 5000;
  return m;
}

describe("Lagrangian bound", () => {
  it("is never below the true optimum (brute force) on random small plans, for any multipliers and after subgradient steps", () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }), (seed, values) => {
        const plan = Plan.parse(randomSmallPlan(seed, 6, 3));
        const optimum = bruteForce(plan);
        if (optimum === null) return;
        checked++;
        const problem = problemOf(plan);
        const tolerance = 1e-6 * Math.max(1, Math.abs(optimum));
        expect(lagrangianBound(problem, zeroMultipliers(problem.repCount))).toBeGreaterThanOrEqual(optimum - tolerance);
        expect(lagrangianBound(problem, randomMultipliers(problem.repCount, values))).toBeGreaterThanOrEqual(optimum - tolerance);
        const solver = new SubgradientSolver(problem);
        for (let i = 0; i < 60; i++) {
          const bound = solver.step(i % 2 === 0 ? null : optimum);
          expect(bound).toBeGreaterThanOrEqual(optimum - tolerance);
        }
        expect(solver.bestBound).toBeGreaterThanOrEqual(optimum - tolerance);
      }),
      { seed: 5150, numRuns: 200 },
    );
    expect(checked).toBeGreaterThan(60);
  });

  it("closes on the optimum of a hand-computed capacity problem", () => {
    // Both customers prefer r1 (10 and 8 vs 6 and 1 with r2) and r1 takes one account:
    // a→r2, b→r1 gives 6 + 8 = 14, better than a→r1, b→r2 (10 + 1 = 11). The LP is integral
    // here (a transportation problem), so the dual reaches 14.
    const plan = Plan.parse({
      customers: [
        { id: "a", value: 0 },
        { id: "b", value: 0 },
      ],
      reps: [{ id: "r1", maxAccounts: 1 }, { id: "r2" }],
      pairs: [
        { customer: "a", rep: "r1", score: 10 },
        { customer: "a", rep: "r2", score: 6 },
        { customer: "b", rep: "r1", score: 8 },
        { customer: "b", rep: "r2", score: 1 },
      ],
      policy: { specialtyBonus: 0 },
    });
    expect(bruteForce(plan)).toBe(14);
    const solver = new SubgradientSolver(problemOf(plan));
    for (let i = 0; i < 200; i++) solver.step(14);
    expect(solver.bestBound).toBeGreaterThanOrEqual(14 - 1e-9);
    expect(solver.bestBound).toBeLessThanOrEqual(14 + 1e-3);
  });
});
