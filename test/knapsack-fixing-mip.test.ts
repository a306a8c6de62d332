import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AssignmentProblem } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";
import { diveByKnapsackFixing, diveRepeatedly } from "../src/structured/knapsack-fixing-mip.ts";
import { knapsackLagrangianBound } from "../src/structured/knapsack-lagrangian-bound.ts";
import { WorkBudget } from "../src/structured/work-budget.ts";
import { gapOptimum, gapPlan } from "./gap-fixtures.ts";
import { bruteForceProblem, choiceVerified as verified, feasibleStart, problemOf, smallGapCase } from "./small-gap.ts";

/** The knapsack bound aimed below its value (no plan, `target` null) or at `target`, from each customer's best score. */
function knapsacks(problem: AssignmentProblem, iterations: number, target: number | null = null): ReturnType<typeof knapsackLagrangianBound> {
  const start = new Float64Array(problem.customerCount).fill(-Infinity);
  for (let k = 0; k < problem.pairCount; k++) {
    const c = problem.pairCustomer[k] ?? 0;
    start[c] = Math.max(start[c] ?? -Infinity, problem.pairScore[k] ?? 0);
  }
  return knapsackLagrangianBound(problem, { work: new WorkBudget(Infinity, Infinity), maxIterations: iterations, target, start });
}

describe("Lagrangian fixing dive", () => {
  it("returns a feasible plan no worse than the incumbent and never better than the brute-force optimum", async () => {
    let dives = 0;
    let improved = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 4, max: 8 }), async (seed, agents, jobs) => {
        const small = smallGapCase(seed, agents, jobs);
        if (small === null) return;
        const { plan, problem, incumbent } = small;
        const bound = knapsacks(problem, 100);
        let timeLimited = false;
        const result = await diveByKnapsackFixing(problem, bound.takenCount, bound.choice, { work: new WorkBudget(Infinity, Infinity), maxMs: 30_000, onTimeLimit: () => (timeLimited = true), incumbent });
        expect(timeLimited).toBe(false);
        if (result === null) {
          // Only when every customer was taken by exactly one knapsack (nothing to free).
          expect(Array.from(bound.takenCount).every((n) => n === 1)).toBe(true);
          return;
        }
        dives++;
        const state = new AssignmentState(problem, result.choice);
        expect(state.isFeasible()).toBe(true);
        expect(state.objective).toBeCloseTo(result.objective, 9);
        expect(result.objective).toBeGreaterThanOrEqual(incumbent.objective - 1e-9);
        expect(result.objective).toBeLessThanOrEqual(bruteForceProblem(problem) + 1e-9);
        expect(result.free).toBe(Array.from(bound.takenCount).filter((n) => n !== 1).length);
        if (result.improved) {
          improved++;
          // The customers one knapsack took keep that knapsack's pair.
          for (let c = 0; c < problem.customerCount; c++) if (bound.takenCount[c] === 1) expect(result.choice[c]).toBe(bound.choice[c]);
        }
        expect(verified(plan, problem, result.choice)).toBe(true);
      }),
      { seed: 20261130, numRuns: 40 },
    );
    // Not vacuous: dives ran and most improved the weak start.
    expect(dives).toBeGreaterThan(15);
    expect(improved).toBeGreaterThan(dives / 2);
  });

  it("on d10100, from the knapsacks alone, gets within 1% of the optimum (a plan from scratch) and passes the verifier", async () => {
    const plan = gapPlan("d10100", {});
    const problem = problemOf(plan);
    const bound = knapsacks(problem, 450);
    const free = Array.from(bound.takenCount).filter((n) => n !== 1).length;
    expect(free).toBeGreaterThan(0);
    expect(free).toBeLessThan(problem.customerCount / 2);
    // Any feasible plan as the incumbent: the dive's MIP does not start from it.
    const start = feasibleStart(problem) ?? new Int32Array(0);
    const weak = { choice: start, objective: new AssignmentState(problem, start).objective };
    const result = await diveByKnapsackFixing(problem, bound.takenCount, bound.choice, { work: new WorkBudget(Infinity, Infinity), maxMs: 60_000, onTimeLimit: () => undefined, incumbent: weak });
    expect(result?.improved).toBe(true);
    const cost = -(result?.objective ?? 0);
    // The optimum is 6,347 (22 customers left free here: 4 s); the greedy start is far off.
    expect(-weak.objective).toBeGreaterThan(6_500);
    expect(cost).toBeLessThanOrEqual(6_347 * 1.01);
    expect(cost).toBeGreaterThanOrEqual(gapOptimum("d10100").minOptimum);
    expect(verified(plan, problem, result?.choice ?? new Int32Array(0))).toBe(true);
  });

  it("reports a stop by its own time limit without ending the part's work", async () => {
    const plan = gapPlan("d10100", {});
    const problem = problemOf(plan);
    const bound = knapsacks(problem, 300);
    const start = feasibleStart(problem);
    expect(start).not.toBeNull();
    const choice = start ?? new Int32Array(0);
    const budget = new WorkBudget(Infinity, performance.now() + 60_000);
    let timeLimited = 0;
    const result = await diveByKnapsackFixing(problem, bound.takenCount, bound.choice, { work: budget.until(1), maxMs: 1, onTimeLimit: () => timeLimited++, incumbent: { choice, objective: new AssignmentState(problem, choice).objective } });
    expect(result).not.toBeNull();
    expect(timeLimited).toBe(1);
    expect(budget.clockCut).toBe(false);
    expect(budget.exhausted()).toBe(false);
    expect(new AssignmentState(problem, result?.choice ?? choice).isFeasible()).toBe(true);
    // Its own limit first, though the hard stop is near once it has run (800 ms away as it starts,
    // a 500 ms limit): still its own limit, and the part's other phases go on.
    const near = new WorkBudget(Infinity, performance.now() + 800);
    let nearLimited = 0;
    await diveByKnapsackFixing(problem, bound.takenCount, bound.choice, { work: near.until(1), maxMs: 500, onTimeLimit: () => nearLimited++, incumbent: { choice, objective: new AssignmentState(problem, choice).objective } });
    expect(nearLimited).toBe(1);
    expect(near.clockCut).toBe(false);
  });
  it("dives again at knapsacks aimed at each better plan, and stops at the first dive that finds none", async () => {
    let chained = 0;
    let stoppedByAim = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 5, max: 9 }), async (seed, agents, jobs) => {
        const small = smallGapCase(seed, agents, jobs);
        if (small === null) return;
        const { plan, problem, incumbent } = small;
        const better: number[] = [];
        const asked: number[] = [];
        const limits = [30_000, 30_000, 30_000, 30_000, 30_000, 30_000];
        const result = await diveRepeatedly(problem, {
          work: new WorkBudget(Infinity, Infinity),
          maxMs: limits,
          knapsacks: [],
          aimedAt: (objective) => {
            asked.push(objective);
            return knapsacks(problem, 100, objective);
          },
          onTimeLimit: () => undefined,
          incumbent,
          done: () => false,
          onImproved: (p) => better.push(p.objective),
        });
        // Every dive was aimed at the plan as it stood: the start, then each better plan in turn.
        expect(result.aims).toEqual(asked);
        expect(result.dives).toBe(asked.length);
        expect(asked).toEqual([incumbent.objective, ...better].slice(0, result.dives));
        for (let i = 1; i < asked.length; i++) expect(asked[i] ?? 0).toBeGreaterThan(asked[i - 1] ?? 0);
        if (result.dives < limits.length) {
          // Stopped early: only because the last dive found nothing better (its aim would repeat).
          expect(better.length).toBe(result.dives - 1);
          stoppedByAim++;
        }
        if (better.length >= 2) chained++;
        expect(result.improved).toBe(better.length > 0);
        expect(result.objective).toBe(better.length > 0 ? better[better.length - 1] : incumbent.objective);
        const state = new AssignmentState(problem, result.choice);
        expect(state.isFeasible()).toBe(true);
        expect(state.objective).toBeCloseTo(result.objective, 9);
        expect(result.objective).toBeLessThanOrEqual(bruteForceProblem(problem) + 1e-9);
        expect(verified(plan, problem, result.choice)).toBe(true);
      }),
      { seed: 20261201, numRuns: 40 },
    );
    // Not vacuous: some dives aimed at a dive's plan improved it again, and sequences ended by the rule.
    expect(chained).toBeGreaterThan(0);
    expect(stoppedByAim).toBeGreaterThan(10);
  });
});
