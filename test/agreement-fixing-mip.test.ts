import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gapToPlan } from "../src/formats/gap-instance.ts";
import { disagreeing, diveByAgreement, freeByAgreement, hesitating } from "../src/structured/agreement-fixing-mip.ts";
import type { AssignmentProblem } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";
import { SubgradientSolver, pairPrices, reducedScores } from "../src/structured/lagrangian-bound.ts";
import { WorkBudget } from "../src/structured/work-budget.ts";
import { bruteForceProblem, choiceVerified, feasibleStart, problemOf, smallGap, smallGapCase } from "./small-gap.ts";

const pairsOf = (problem: AssignmentProblem, c: number): number[] => {
  const out: number[] = [];
  for (let k = problem.customerStart[c] ?? 0; k < (problem.customerStart[c + 1] ?? 0); k++) out.push(k);
  return out;
};

/**
 * Six customers, each with its first pair best by reduced score (10) and its second trailing it by
 * 0.05, 0.2, 0, 0.1, 0.01 and 0.5 of the best pair's |score|; every other pair far behind (-100).
 */
function trailingScores(): { problem: AssignmentProblem; scores: Float64Array } {
  const problem = problemOf(gapToPlan(smallGap(13, 3, 6)));
  const scores = new Float64Array(problem.pairCount).fill(-100);
  const trail = [0.05, 0.2, 0, 0.1, 0.01, 0.5];
  for (let c = 0; c < problem.customerCount; c++) {
    const first = problem.customerStart[c] ?? 0;
    scores[first] = 10;
    scores[first + 1] = 10 - (trail[c] ?? 1) * Math.abs(problem.pairScore[first] ?? 0);
  }
  return { problem, scores };
}

describe("Lagrangian fixing dive by agreement", () => {
  it("frees exactly the customers whose pair in the plan is not their best by reduced score (ties agree)", () => {
    const problem = problemOf(gapToPlan(smallGap(7, 3, 6)));
    // Scores by hand: each customer's first pair best (10), the others 1; customer 1's first two tie.
    const scores = new Float64Array(problem.pairCount).fill(1);
    for (let c = 0; c < problem.customerCount; c++) scores[problem.customerStart[c] ?? 0] = 10;
    const second = (problem.customerStart[1] ?? 0) + 1;
    scores[second] = 10;
    const choice = Int32Array.from({ length: problem.customerCount }, (_, c) => problem.customerStart[c] ?? 0);
    expect(disagreeing(problem, choice, scores)).toEqual([]);
    choice[1] = second; // a tie with the best: agrees
    choice[2] = (problem.customerStart[2] ?? 0) + 2;
    choice[4] = (problem.customerStart[4] ?? 0) + 1;
    expect(disagreeing(problem, choice, scores)).toEqual([2, 4]);
  });

  it("also frees the agreeing customers whose best pair wins by less than the margin of its score", () => {
    const { problem, scores } = trailingScores();
    expect(problem.pairScore.every((s) => s !== 0)).toBe(true);
    // Margin 0.1: 0.05, the tie and 0.01 hesitate; 0.1 itself does not (strictly less); customer 4 is excepted.
    expect(hesitating(problem, scores, 0.1, new Set([4]))).toEqual([0, 2]);
    expect(hesitating(problem, scores, 0.1, new Set())).toEqual([0, 2, 4]);
    expect(hesitating(problem, scores, 0.3, new Set())).toEqual([0, 1, 2, 3, 4]);
    expect(hesitating(problem, scores, 0, new Set())).toEqual([]);
  });

  it("returns a feasible plan no worse than the incumbent, never better than the brute-force optimum, moving only the customers it freed", async () => {
    let dives = 0;
    let improved = 0;
    let widened = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 4, max: 8 }), fc.constantFrom(0, 0.05, 0.3), async (seed, agents, jobs, margin) => {
        const small = smallGapCase(seed, agents, jobs);
        if (small === null) return;
        const { plan, problem, incumbent } = small;
        const start = incumbent.choice;
        const solver = new SubgradientSolver(problem);
        for (let i = 0; i < 100; i++) solver.step(incumbent.objective);
        const scores = reducedScores(problem, pairPrices(problem, solver.bestMultipliers));
        const split = disagreeing(problem, start, scores);
        const free = [...split, ...hesitating(problem, scores, margin, new Set(split))];
        if (split.length > 0 && free.length > split.length) widened++;
        let timeLimited = false;
        // The wide dive's setting (margin, HiGHS's heuristics at 0.3) on half the cases.
        const wide = margin > 0 ? { margin, heuristicEffort: 0.3 } : {};
        const result = await diveByAgreement(problem, { work: new WorkBudget(Infinity, Infinity), maxMs: 30_000, onTimeLimit: () => (timeLimited = true), incumbent, reducedScores: scores, candidates: 2, maxFree: 100, ...wide });
        expect(timeLimited).toBe(false);
        if (split.length === 0) {
          expect(result).toBeNull();
          return;
        }
        expect(result).not.toBeNull();
        if (result === null) return;
        dives++;
        expect(result.free).toBe(free.length);
        const state = new AssignmentState(problem, result.choice);
        expect(state.isFeasible()).toBe(true);
        expect(state.objective).toBeCloseTo(result.objective, 9);
        expect(result.objective).toBeGreaterThanOrEqual(incumbent.objective - 1e-9);
        expect(result.objective).toBeLessThanOrEqual(bruteForceProblem(problem) + 1e-9);
        for (let c = 0; c < problem.customerCount; c++) {
          const k = result.choice[c] ?? -1;
          if (!free.includes(c)) {
            expect(k).toBe(start[c]);
          } else {
            // Its two best pairs by reduced score (ties by index) or its own.
            const best = pairsOf(problem, c).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b).slice(0, 2);
            expect([...best, start[c]]).toContain(k);
          }
        }
        if (result.improved) improved++;
        expect(choiceVerified(plan, problem, result.choice)).toBe(true);
      }),
      { seed: 20261130, numRuns: 60 },
    );
    // Not vacuous: dives ran, some freed hesitating customers too, and some improved the weak start.
    expect(dives).toBeGreaterThan(10);
    expect(widened).toBeGreaterThan(3);
    expect(improved).toBeGreaterThan(0);
  });

  it("is not tried when more customers disagree than it may free", async () => {
    const problem = problemOf(gapToPlan(smallGap(11, 3, 8)));
    const start = feasibleStart(problem);
    expect(start).not.toBeNull();
    const choice = start ?? new Int32Array(0);
    const scores = new Float64Array(problem.pairCount);
    // Every customer's plan pair scored below another of its pairs: all disagree.
    for (let c = 0; c < problem.customerCount; c++) for (const k of pairsOf(problem, c)) scores[k] = k === choice[c] ? 0 : 1;
    expect(disagreeing(problem, choice, scores)).toHaveLength(problem.customerCount);
    const incumbent = { choice, objective: new AssignmentState(problem, choice).objective };
    const options = { work: new WorkBudget(Infinity, Infinity), maxMs: 30_000, onTimeLimit: () => undefined, incumbent, reducedScores: scores, candidates: 2 };
    expect(await diveByAgreement(problem, { ...options, maxFree: problem.customerCount - 1 })).toBeNull();
    expect(await diveByAgreement(problem, { ...options, maxFree: problem.customerCount })).not.toBeNull();
  });

  it("frees the disagreeing customers and, with a margin, the hesitating ones, ascending, and none when none disagrees", () => {
    const { problem, scores } = trailingScores();
    const choice = Int32Array.from({ length: problem.customerCount }, (_, c) => problem.customerStart[c] ?? 0);
    // Everyone on its best pair: nothing to free, whatever the margin.
    expect(freeByAgreement(problem, choice, scores, 0.3)).toEqual([]);
    choice[5] = (problem.customerStart[5] ?? 0) + 1; // customer 5 disagrees
    expect(freeByAgreement(problem, choice, scores, 0)).toEqual([5]);
    // Margin 0.1: customers 0, 2 and 4 hesitate (as above), merged in order with 5.
    expect(freeByAgreement(problem, choice, scores, 0.1)).toEqual([0, 2, 4, 5]);
  });
});
