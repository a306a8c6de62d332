import { describe, expect, it } from "vitest";
import { generateBook, REALISTIC_BOOK_TRAITS } from "../data/book-generator.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { FULL_MIP_COLUMNS, MIDSIZE_MIP_COLUMNS } from "../src/structured/algorithm-choice.ts";
import { buildAssignmentProblem } from "../src/structured/assignment-problem.ts";
import { SubgradientSolver } from "../src/structured/lagrangian-bound.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";

describe("a mid-size part with value bands: the search, then HiGHS on the whole part from its plan", () => {
  it("proves a bound below the Lagrangian (LP) bound, and the plan passes the verifier", async () => {
    // A realistic book of 2,000 customers and 40 reps (value bands of ±20%, heavy-tailed values,
    // senior accounts, stale owners and a move budget): one part of about 26,000 pairs.
    const plan = generateBook({ seed: 2, customers: 2_000, reps: 40, territories: 4, ...REALISTIC_BOOK_TRAITS, policy: { fairness: { valueBand: 0.2 }, stability: { maxMoves: 300 } } });
    const policy = resolvePolicy(plan.policy);
    const problem = buildAssignmentProblem(plan, buildPairTable(plan, policy), policy);
    expect(problem.pairCount).toBeGreaterThan(FULL_MIP_COLUMNS);
    expect(problem.pairCount).toBeLessThanOrEqual(MIDSIZE_MIP_COLUMNS);
    // The Lagrangian bound the search alone reports (within 0.01% of the LP's: more steps move it by less).
    const lagrangian = new SubgradientSolver(problem);
    for (let i = 0; i < 600; i++) lagrangian.step(null);

    // 30 s: HiGHS gets about 15 s, its root cuts well inside that even beside the other test files.
    const { solution } = await solvePlan(plan, { solver: "auto", timeLimitMs: 30_000, mipGap: 0 });
    expect(["feasible", "optimal"]).toContain(solution.status);
    expect(solution.verification.passed).toBe(true);
    const report = verifyAssignment(plan, solution.assignments);
    expect(report.violations).toEqual([]);
    expect(Math.abs(report.objective - (solution.objective ?? Number.NaN))).toBeLessThanOrEqual(1e-6 * Math.abs(report.objective));
    expect(solution.solver.backend).toContain("lagrangian");
    expect(solution.solver.backend).toContain("highs");
    // The head's hard stop is on the clock: the answer says so.
    expect(solution.solver.stoppedBy).toBe("time-limit");
    const bound = solution.bound ?? Number.NaN;
    expect(bound).toBeGreaterThanOrEqual(solution.objective ?? Number.POSITIVE_INFINITY);
    // HiGHS's root cuts: measured 0.055–0.06% below the Lagrangian bound on this book; at least 0.02%.
    expect(bound).toBeLessThan(lagrangian.bestBound * (1 - 0.0002));
  }, 120_000);
});
