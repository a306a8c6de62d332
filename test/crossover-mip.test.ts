import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AssignmentProblem, PairChoice } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";
import { crossByMip, crossoverRestriction } from "../src/structured/crossover-mip.ts";
import { startDiveOnThread } from "../src/structured/dive-on-thread.ts";
import { diveOnRestriction } from "../src/structured/knapsack-fixing-mip.ts";
import { WorkBudget } from "../src/structured/work-budget.ts";
import { choiceVerified, feasiblePlans, problemOf, smallGap } from "./small-gap.ts";
import { gapToPlan } from "../src/formats/gap-instance.ts";

// The crossover of two plans by a MIP (src/structured/crossover-mip.ts) against a brute-force
// oracle, and a dive's MIP on a helper thread (src/structured/dive-on-thread.ts) against the same
// MIP on the calling thread. Real HiGHS, real threads.

/** The best feasible mix of two plans (each customer on its pair in one of them), by enumeration. */
function bestMix(problem: AssignmentProblem, a: PairChoice, b: PairChoice): number {
  const differ = Array.from({ length: problem.customerCount }, (_, c) => c).filter((c) => a[c] !== b[c]);
  let best = -Infinity;
  for (let mask = 0; mask < 2 ** differ.length; mask++) {
    const mix = a.slice();
    differ.forEach((c, i) => {
      if ((mask >> i) & 1) mix[c] = b[c] ?? -1;
    });
    const state = new AssignmentState(problem, mix);
    if (state.isFeasible()) best = Math.max(best, state.objective);
  }
  return best;
}

const plan = (problem: AssignmentProblem, choice: PairChoice) => ({ choice, objective: new AssignmentState(problem, choice).objective });

describe("crossover of two plans by a MIP", () => {
  it("frees exactly the customers on which the plans differ, on their two pairs, and nothing when they agree", () => {
    const problem = problemOf(gapToPlan(smallGap(3, 3, 5)));
    const first = (c: number) => problem.customerStart[c] ?? 0;
    const a = Int32Array.from({ length: 5 }, (_, c) => first(c));
    const b = a.slice();
    b[1] = first(1) + 2;
    b[3] = first(3) + 1;
    const input = crossoverRestriction(problem, a, b);
    expect(Array.from(input?.free ?? [])).toEqual([1, 3]);
    expect(Array.from(input?.allowedStart ?? [])).toEqual([0, 2, 4]);
    expect(Array.from(input?.allowed ?? [])).toEqual([first(1), first(1) + 2, first(3), first(3) + 1]);
    expect(crossoverRestriction(problem, a, a.slice())).toBeNull();
  });

  it("finds the best feasible mix of the two plans (brute-force oracle), never worse than the better one, verified", async () => {
    let crossed = 0;
    let beyondBoth = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 3 }), fc.integer({ min: 4, max: 7 }), fc.nat(), fc.nat(), async (seed, agents, jobs, i, j) => {
        const gap = gapToPlan(smallGap(seed, agents, jobs));
        const problem = problemOf(gap);
        const plans = feasiblePlans(problem);
        if (plans.length < 2) return;
        const x = plan(problem, plans[i % plans.length] ?? new Int32Array());
        const y = plan(problem, plans[j % plans.length] ?? new Int32Array());
        const [better, other] = x.objective >= y.objective ? [x, y] : [y, x];
        const result = await crossByMip(problem, other.choice, { work: new WorkBudget(Infinity, Infinity), maxMs: 30_000, onTimeLimit: () => undefined, incumbent: better });
        if (Array.from(x.choice).join() === Array.from(y.choice).join()) {
          expect(result).toBeNull();
          return;
        }
        expect(result).not.toBeNull();
        if (result === null) return;
        crossed++;
        const oracle = bestMix(problem, better.choice, other.choice);
        expect(oracle).toBeGreaterThanOrEqual(better.objective - 1e-9);
        if (oracle > better.objective + 1e-6) {
          beyondBoth++;
          expect(result.improved).toBe(true);
          expect(result.objective).toBeCloseTo(oracle, 6);
        } else {
          expect(result.improved).toBe(false);
          expect(result.objective).toBe(better.objective);
        }
        // Every customer on its pair in one of the two plans, the plan verified.
        for (let c = 0; c < problem.customerCount; c++) expect([better.choice[c], other.choice[c]]).toContain(result.choice[c]);
        expect(new AssignmentState(problem, result.choice).isFeasible()).toBe(true);
        expect(choiceVerified(gap, problem, result.choice)).toBe(true);
      }),
      { seed: 20261202, numRuns: 60 },
    );
    // Not vacuous: crossovers ran, and some found a mix better than both plans.
    expect(crossed).toBeGreaterThan(30);
    expect(beyondBoth).toBeGreaterThan(5);
  });
});

describe("a dive's MIP on a helper thread", () => {
  it("answers the same plan as the same MIP on the calling thread", { timeout: 120_000 }, async () => {
    let improved = 0;
    for (const seed of [5, 11, 17, 23, 29, 31]) {
      const problem = problemOf(gapToPlan(smallGap(seed, 3, 7)));
      const plans = feasiblePlans(problem);
      const worst = plans.map((c) => plan(problem, c)).reduce((w, p) => (p.objective < w.objective ? p : w));
      const best = plans.map((c) => plan(problem, c)).reduce((w, p) => (p.objective > w.objective ? p : w));
      // The crossover's MIP between the worst and the best plan, from the worst.
      const input = crossoverRestriction(problem, worst.choice, best.choice);
      if (input === null) continue;
      const here = await diveOnRestriction(problem, input, { work: new WorkBudget(Infinity, Infinity), maxMs: 30_000, onTimeLimit: () => undefined, incumbent: worst });
      const dive = await startDiveOnThread(problem, input, 30_000, worst);
      expect(dive).not.toBeNull();
      if (dive === null) continue;
      const there = await dive.answer(() => false);
      expect(dive.finished()).toBe(true);
      expect(there.cut).toBe(false);
      expect(there.improved).toBe(here.improved);
      expect(there.objective).toBeCloseTo(here.objective, 9);
      // HiGHS proves the mix optimal: at least the best plan (which is one of the mixes).
      expect(there.objective).toBeGreaterThanOrEqual(best.objective - 1e-9);
      if (there.improved) improved++;
    }
    expect(improved).toBeGreaterThan(3);
  });

  it("gives up no plan when there is no time for the dive", async () => {
    const problem = problemOf(gapToPlan(smallGap(5, 3, 6)));
    const [a, b] = feasiblePlans(problem);
    const input = a === undefined || b === undefined ? null : crossoverRestriction(problem, a, b);
    expect(input).not.toBeNull();
    if (input === null || a === undefined) return;
    expect(await startDiveOnThread(problem, input, 10, plan(problem, a))).toBeNull();
  });
});
