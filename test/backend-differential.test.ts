import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { randomSmallPlan } from "./random-small-plan.ts";

describe("highs and jslp agree on small plans", () => {
  it("whenever jslp's answer passes verification, its objective equals HiGHS's", async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const plan = Plan.parse(randomSmallPlan(seed, 8, 3));
        const highs = (await solvePlan(plan, { solver: "highs", mipGap: 0 })).solution;
        const jslp = (await solvePlan(plan, { solver: "jslp", mipGap: 0 })).solution;
        // Infeasibility is decided the same way (a jslp "infeasible" is confirmed by HiGHS).
        expect(jslp.status === "infeasible").toBe(highs.status === "infeasible");
        if (jslp.solver.backend !== "jslp" || jslp.status === "infeasible") return;
        compared++;
        expect(jslp.verification.passed).toBe(true);
        expect(jslp.objective).not.toBeNull();
        expect(Math.abs((jslp.objective ?? 0) - (highs.objective ?? 0))).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(highs.objective ?? 0)));
      }),
      { seed: 77, numRuns: 120 },
    );
    expect(compared).toBeGreaterThan(30);
  });
});
