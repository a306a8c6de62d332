import { describe, expect, it } from "vitest";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { gapInstances, gapOptimum, loadGapPlan } from "./gap-fixtures.ts";

describe("OR-Library GAP, Cattrysse & Van Wassenhove sets gap1–gap12", () => {
  it.each(gapInstances("cattrysse1994"))("%s reaches its proven minimum-cost optimum", async (name) => {
    const { solution } = await solvePlan(loadGapPlan("cattrysse1994", name), { mipGap: 0, timeLimitMs: 60_000 });
    expect(solution.status).toBe("optimal");
    expect(solution.verification.passed).toBe(true);
    expect(solution.assignments).toHaveLength(loadGapPlan("cattrysse1994", name).customers.length);
    expect(-(solution.objective ?? Number.NaN)).toBeCloseTo(gapOptimum(name).minOptimum, 6);
  });

  it.each(gapInstances("cattrysse1994").filter((n) => n.endsWith("-0")))("%s as maximisation reaches OR-Library's max optimum", async (name) => {
    const { solution } = await solvePlan(loadGapPlan("cattrysse1994", name, true), { mipGap: 0, timeLimitMs: 60_000 });
    expect(solution.status).toBe("optimal");
    expect(solution.objective).toBeCloseTo(gapOptimum(name).maxOptimum ?? Number.NaN, 6);
  });
});
