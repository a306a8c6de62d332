import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { buildAssignmentProblem, type AssignmentProblem } from "../src/structured/assignment-problem.ts";
import { SubgradientSolver, lagrangianBound, pairPrices, solveRelaxed, zeroMultipliers, type Multipliers, type RelaxedTally } from "../src/structured/lagrangian-bound.ts";
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
  it("tallies the rows of the relaxed choice in the same pass, as a recount from the choice gives", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }), (seed, values) => {
        const p = problemOf(Plan.parse(randomSmallPlan(seed, 8, 3)));
        const R = p.repCount;
        const tally: RelaxedTally = { accounts: new Float64Array(R).fill(7), workload: new Float64Array(R).fill(7), value: new Float64Array(R).fill(7), frequency: new Float64Array(p.pairCount), totalValue: 7, assigned: 7, stays: 7 };
        const prices = pairPrices(p, randomMultipliers(R, values));
        const { bound, choice } = solveRelaxed(p, prices, undefined, undefined, tally);
        expect(bound).toBe(solveRelaxed(p, prices).bound);
        const accounts = new Array<number>(R).fill(0);
        const workload = new Array<number>(R).fill(0);
        const value = new Array<number>(R).fill(0);
        let totalValue = 0;
        let assigned = 0;
        let stays = 0;
        choice.forEach((k, c) => {
          if (k < 0) return;
          const r = p.pairRep[k] ?? -1;
          accounts[r] = (accounts[r] ?? 0) + 1;
          workload[r] = (workload[r] ?? 0) + (p.pairWorkload[k] ?? 0);
          value[r] = (value[r] ?? 0) + (p.customerValue[c] ?? 0);
          totalValue += p.customerValue[c] ?? 0;
          assigned++;
          if (k === p.stayPair[c]) stays++;
          expect(tally.frequency?.[k]).toBe(1);
        });
        expect(Array.from(tally.accounts)).toEqual(accounts);
        expect(Array.from(tally.workload)).toEqual(workload);
        expect(Array.from(tally.value)).toEqual(value);
        expect([tally.totalValue, tally.assigned, tally.stays]).toEqual([totalValue, assigned, stays]);
        expect(Array.from(tally.frequency ?? []).reduce((a, b) => a + b, 0)).toBe(assigned);
      }),
      { numRuns: 150 },
    );
  });

  it("stops counting choices once the average is ended, and the rounding keeps reading the window as it was", () => {
    const p = problemOf(Plan.parse(randomSmallPlan(11, 8, 3)));
    const solver = new SubgradientSolver(p);
    for (let i = 0; i < 20; i++) solver.step(null);
    const counted = Array.from(solver.frequency).reduce((a, b) => a + b, 0);
    expect(counted).toBeGreaterThan(0);
    const rounded = solver.roundedAverage();
    const window = solver.windowLength;
    solver.endAverage();
    for (let i = 0; i < 20; i++) solver.step(null);
    expect(Array.from(solver.frequency).reduce((a, b) => a + b, 0)).toBe(counted);
    expect(solver.windowLength).toBe(window);
    expect(solver.roundedAverage()).toEqual(rounded);
    solver.resetAverage();
    solver.step(null);
    expect(Array.from(solver.frequency).reduce((a, b) => a + b, 0)).toBe(solver.choice.filter((k) => k >= 0).length);
  });
});
