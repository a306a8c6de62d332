/**
 * HiGHS, then the neighbourhoods: on a GAP-shaped part whose HiGHS tree does not close the gap in
 * its share of the time, the neighbourhood search takes the rest from HiGHS's plan
 * (lagrangian-search.ts `HIGHS_SHARE`), for time limits of 5 s and more.
 */
import { describe, expect, it } from "vitest";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { gapOptimum, gapPlan } from "./gap-fixtures.ts";

describe("HiGHS, then the neighbourhoods", () => {
  it("improves HiGHS's plan of a type E instance at 10 s by re-packing reps, the plan verified", { timeout: 60_000 }, async () => {
    const plan = gapPlan("e10200", { timeLimitMs: 10_000, mipGap: 0 });
    const { solution } = await solvePlan(plan, { threads: 1 });
    // HiGHS's tree stalls on its plan (23,333 from about 4 s on the bench's machine); the
    // neighbourhoods improve on it (23,307 there), and say so only when they did.
    expect(solution.solver.backend).toMatch(/\+highs\+neighbourhood-mip$/);
    expect(solution.solver.stoppedBy).toBe("time-limit");
    expect(solution.verification.passed).toBe(true);
    const report = verifyAssignment(plan, solution.assignments.map((a) => ({ customer: a.customer, rep: a.rep })));
    expect(report.passed).toBe(true);
    // Costs, minimised: never below the optimum, and within 0.5% of the best known (23,307).
    expect(-(solution.objective ?? 0)).toBeGreaterThanOrEqual(gapOptimum("e10200").minOptimum);
    expect(-(solution.objective ?? 0)).toBeLessThan(23_307 * 1.005);
  });

  it("leaves HiGHS all the time under a 1 s limit: no neighbourhood search after it", { timeout: 60_000 }, async () => {
    const plan = gapPlan("e10200", { timeLimitMs: 1_000, mipGap: 0 });
    const { solution } = await solvePlan(plan, { threads: 1 });
    expect(solution.solver.backend).not.toContain("neighbourhood-mip");
    expect(solution.verification.passed).toBe(true);
  });
});
