import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { bruteForce } from "./brute-force-optimum.ts";
import { randomSmallPlan } from "./random-small-plan.ts";

describe("engine vs brute force on random small plans", () => {
  it("matches the exhaustive optimum and reports infeasibility exactly when there is no plan", async () => {
    let feasible = 0;
    let infeasible = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const plan = Plan.parse(randomSmallPlan(seed, 7, 3));
        const best = bruteForce(plan);
        const { solution } = await solvePlan(plan, { mipGap: 0, timeLimitMs: 20_000 });
        if (best === null) {
          infeasible++;
          expect(solution.status).toBe("infeasible");
          expect(solution.diagnosis?.causes.length ?? 0).toBeGreaterThan(0);
        } else {
          feasible++;
          expect(solution.status).toBe("optimal");
          expect(solution.verification.passed).toBe(true);
          expect(solution.objective).not.toBeNull();
          expect(Math.abs((solution.objective ?? 0) - best)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(best)));
        }
      }),
      { seed: 20261123, numRuns: 150 },
    );
    // The generator must exercise both outcomes, or the test proves little.
    expect(feasible).toBeGreaterThan(30);
    expect(infeasible).toBeGreaterThan(10);
  });
});
