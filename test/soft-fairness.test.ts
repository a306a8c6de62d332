import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { bruteForce } from "./brute-force-optimum.ts";
import { EXACT, solveExactly } from "./exact-solve.ts";
import { planErrors } from "./plan-parsing.ts";
import { randomSmallPlan } from "./random-small-plan.ts";

/**
 * Two reps of equal weight, customers worth 100 and 300: each fair share is 200, the ±10% band
 * [180, 220]. No assignment meets it, so the hard band is infeasible. Soft, with penalty p:
 *   c1→r1, c2→r2: 910  − 160p   (r1 80 below, r2 80 above)
 *   c1→r2, c2→r1: 1005 − 160p
 *   both to r1:   1010 − 360p   (r1 180 above, r2 180 below)
 *   both to r2:   905  − 360p
 */
function twoReps(fairness: Record<string, unknown>) {
  return Plan.parse({
    customers: [
      { id: "c1", value: 100 },
      { id: "c2", value: 300 },
    ],
    reps: [{ id: "r1" }, { id: "r2" }],
    pairs: [
      { customer: "c1", rep: "r1", score: 10 },
      { customer: "c1", rep: "r2", score: 5 },
      { customer: "c2", rep: "r1", score: 1000 },
      { customer: "c2", rep: "r2", score: 900 },
    ],
    policy: { fairness },
  });
}

describe("soft fairness (policy.fairness.mode soft)", () => {
  it("keeps the hard band the default: the plan is infeasible", async () => {
    const { solution } = await solvePlan(twoReps({ valueBand: 0.1 }), EXACT);
    expect(solution.status).toBe("infeasible");
    expect(solution.reps[0]?.outsideBand).toBeUndefined();
    expect(solution.metrics.fairnessPenalty).toBeUndefined();
  });

  it("trades value against balance by the penalty, and says how far outside each rep is", async () => {
    const cheap = (await solvePlan(twoReps({ valueBand: 0.1, mode: "soft", penalty: 0.01 }), EXACT)).solution;
    expect(cheap.status).toBe("optimal");
    expect(cheap.assignments.map((a) => a.rep)).toEqual(["r1", "r1"]);
    expect(cheap.objective).toBeCloseTo(1010 - 3.6, 6);
    for (const r of cheap.reps) expect(r.outsideBand).toBeCloseTo(180, 9);

    const dear = (await solvePlan(twoReps({ valueBand: 0.1, mode: "soft", penalty: 1 }), EXACT)).solution;
    expect(dear.status).toBe("optimal");
    expect(dear.assignments.map((a) => `${a.customer}→${a.rep}`)).toEqual(["c1→r2", "c2→r1"]);
    expect(dear.objective).toBeCloseTo(845, 6);
    expect(dear.metrics.expectedValue).toBeCloseTo(1005, 6);
    expect(dear.metrics.fairnessPenalty).toBeCloseTo(160, 6);
    for (const r of dear.reps) expect(r.outsideBand).toBeCloseTo(80, 9);
    expect(dear.verification.objective).toBeCloseTo(845, 6);
  });

  it("lets the verifier accept a plan outside a soft band and charge the penalty in its objective", () => {
    const plan = twoReps({ valueBand: 0.1, mode: "soft", penalty: 2 });
    const report = verifyAssignment(plan, [
      { customer: "c1", rep: "r1" },
      { customer: "c2", rep: "r2" },
    ]);
    expect(report.passed).toBe(true);
    expect(report.objective).toBeCloseTo(910 - 320, 9);
    const hard = verifyAssignment(twoReps({ valueBand: 0.1 }), [
      { customer: "c1", rep: "r1" },
      { customer: "c2", rep: "r2" },
    ]);
    expect(hard.violations.map((v) => v.kind)).toEqual(["value-band", "value-band"]);
  });

  it("refuses a soft mode without a band, and a penalty without soft mode, naming the field", () => {
    const base = { customers: [{ id: "c", value: 1 }], reps: [{ id: "r" }] };
    expect(planErrors({ ...base, policy: { fairness: { mode: "soft" } } }).map((e) => e.path)).toEqual(["policy.fairness.mode"]);
    expect(planErrors({ ...base, policy: { fairness: { valueBand: 0.2, penalty: 3 } } }).map((e) => e.path)).toEqual(["policy.fairness.penalty"]);
  });

  it("matches the exhaustive optimum on random small plans with a soft band", async () => {
    let solved = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.double({ min: 0, max: 2, noNaN: true }), async (seed, penalty) => {
        const random = randomSmallPlan(seed, 6, 3);
        const plan = Plan.parse({ ...random, policy: { ...random.policy, fairness: { ...random.policy?.fairness, valueBand: 0.1 + (seed % 5) / 10, mode: "soft", penalty } } });
        const best = bruteForce(plan);
        const solution = await solveExactly(plan);
        if (best === null) {
          expect(solution.status).toBe("infeasible");
          return;
        }
        solved++;
        expect(solution.status).toBe("optimal");
        expect(Math.abs((solution.objective ?? NaN) - best)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(best)));
        expect(solution.metrics.fairnessPenalty).toBeGreaterThanOrEqual(0);
      }),
      { seed: 16_2027, numRuns: 80 },
    );
    expect(solved).toBeGreaterThan(30);
  });
});
