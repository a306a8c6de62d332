import { describe, expect, it } from "vitest";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { gapInstances, gapOptimum, loadGapPlan } from "./gap-fixtures.ts";

describe("OR-Library GAP, Chu & Beasley types A, B, C, four of type D and one of type E", () => {
  it.each(gapInstances("chu1997"))("%s returns a verified plan no better than the optimum, with a valid bound", async (name) => {
    const plan = loadGapPlan("chu1997", name);
    const { solution } = await solvePlan(plan, { timeLimitMs: 3_000, mipGap: 0 });
    expect(["optimal", "feasible"]).toContain(solution.status);
    expect(solution.verification.passed).toBe(true);
    expect(solution.assignments).toHaveLength(plan.customers.length);
    const cost = -(solution.objective ?? Number.NaN);
    const { minOptimum } = gapOptimum(name);
    // A verified plan can never cost less than the proven optimum, and a proven bound never exceeds it.
    expect(cost).toBeGreaterThanOrEqual(minOptimum - 1e-6);
    expect(-(solution.bound ?? Number.NEGATIVE_INFINITY)).toBeLessThanOrEqual(minOptimum + 1e-6);
    if (solution.status === "optimal") expect(cost).toBeCloseTo(minOptimum, 6);
  });
});
