import { describe, expect, it } from "vitest";
import { generateBook } from "../data/book-generator.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";

/**
 * A 20,000-customer book with workloads, a value band and a tight move budget: far too large to
 * be solved to a proven 0.01% in a few seconds. The margin for the wall-clock checks is generous
 * (a loaded test machine), the status and the proof are checked strictly.
 */
const book = generateBook({
  seed: 11,
  customers: 20_000,
  reps: 400,
  territories: 20,
  policy: { fairness: { valueBand: 0.2 }, stability: { maxMoves: 2_000 } },
});
const MARGIN_MS = 1_500;

describe("time budget", () => {
  it("returns a verified plan (or none) by the time limit when optimality cannot be proven in time", async () => {
    const limit = 4_000;
    const started = performance.now();
    const { solution, timings } = await solvePlan(book, { timeLimitMs: limit, mipGap: 1e-4 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThanOrEqual(limit + MARGIN_MS);
    expect(timings.totalMs).toBeLessThanOrEqual(limit + MARGIN_MS);
    expect(["feasible", "timeout"]).toContain(solution.status);
    if (solution.status === "feasible") {
      expect(solution.verification.passed).toBe(true);
      expect(solution.assignments).toHaveLength(book.customers.length);
      expect(solution.bound).not.toBeNull();
      expect(solution.bound ?? Number.NaN).toBeGreaterThanOrEqual(solution.objective ?? Number.NaN);
      expect(solution.gap ?? Number.NaN).toBeGreaterThan(1e-4);
      expect(solution.diagnosis?.causes[0]?.kind).toBe("time-limit");
    } else {
      expect(solution.assignments).toEqual([]);
    }
  });

  it("stops while scoring the pairs when the limit is shorter than that, with a timeout and no plan", async () => {
    const limit = 50;
    const started = performance.now();
    const { solution } = await solvePlan(book, { timeLimitMs: limit });
    expect(performance.now() - started).toBeLessThanOrEqual(limit + MARGIN_MS);
    expect(solution.status).toBe("timeout");
    expect(solution.assignments).toEqual([]);
    expect(solution.objective).toBeNull();
    expect(solution.diagnosis?.causes[0]?.kind).toBe("time-limit");
  });
});
