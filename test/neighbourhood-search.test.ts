import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { buildAssignmentProblem, pairOf } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";
import { PenaltySearch } from "../src/structured/penalty-search.ts";
import { improveByNeighbourhoods } from "../src/structured/neighbourhood-search.ts";
import { WorkBudget } from "../src/structured/work-budget.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { assignmentOf } from "./pair-choice.ts";
import { prng, randomSmallPlan } from "./random-small-plan.ts";

/** A feasible but poor start: the penalty search from a random choice, without any guide. */
function poorStart(plan: Plan, seed: number) {
  const policy = resolvePolicy(plan.policy);
  const table = buildPairTable(plan, policy);
  const problem = buildAssignmentProblem(plan, table, policy);
  const rnd = prng(seed ^ 0x2545f491);
  const random = new Int32Array(problem.customerCount);
  for (let c = 0; c < problem.customerCount; c++) {
    const from = problem.customerStart[c] ?? 0;
    const to = problem.customerStart[c + 1] ?? 0;
    random[c] = to > from ? from + Math.floor(rnd() * (to - from)) : -1;
  }
  const search = new PenaltySearch(problem, random);
  search.run({ maxSweeps: 30, shiftsOnly: true });
  return { table, problem, start: search.best };
}

describe("neighbourhood search (exact sub-MIPs over a few reps)", () => {
  it("returns only plans the independent verifier accepts, never worse than its start nor better than the optimum", async () => {
    let runs = 0;
    let improved = 0;
    let reachedOptimum = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const plan = Plan.parse(randomSmallPlan(seed, 18, 3 + (seed % 3)));
        const { table, problem, start } = poorStart(plan, seed);
        if (start === null) return;
        runs++;
        const before = new AssignmentState(problem, start).objective;
        const result = await improveByNeighbourhoods(problem, start, { reps: 3, seed });
        const report = verifyAssignment(plan, assignmentOf(plan, table, result.choice));
        expect(report.violations).toEqual([]);
        expect(Math.abs(report.objective - result.objective)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(result.objective)));
        expect(result.objective).toBeGreaterThanOrEqual(before - 1e-9);
        if (result.objective > before + 1e-6) improved++;
        const exact = (await solvePlan(plan, { solver: "highs", mipGap: 0, timeLimitMs: 20_000 })).solution;
        expect(exact.status).toBe("optimal");
        const optimum = exact.objective ?? Number.NaN;
        expect(result.objective).toBeLessThanOrEqual(optimum + 1e-6 * Math.max(1, Math.abs(optimum)));
        // With three reps one neighbourhood is the whole plan (every customer that must be assigned is freed).
        if (problem.repCount === 3 && !problem.optional.includes(1)) {
          expect(result.objective).toBeGreaterThanOrEqual(optimum - 1e-6 * Math.max(1, Math.abs(optimum)));
          reachedOptimum++;
        }
      }),
      { seed: 4242, numRuns: 120 },
    );
    expect(runs).toBeGreaterThan(30);
    expect(improved).toBeGreaterThan(4);
    expect(reachedOptimum).toBeGreaterThan(3);
  });

  it("stops at its hard stop on the clock, and says the clock cut it", async () => {
    const plan = Plan.parse(randomSmallPlan(11, 18, 5));
    const { problem, start } = poorStart(plan, 11);
    expect(start).not.toBeNull();
    if (start === null) return;
    // Three reps: without the clock the search solves sub-MIPs (see the next test).
    expect(problem.repCount).toBe(3);
    const work = WorkBudget.clockOnly(performance.now() - 1);
    const result = await improveByNeighbourhoods(problem, start, { work });
    expect(result.solved).toBe(0);
    expect(Array.from(result.choice)).toEqual(Array.from(start));
    expect(work.clockCut).toBe(true);
  });

  it("stops when its work is spent, the same way on every run, without the clock", async () => {
    const plan = Plan.parse(randomSmallPlan(11, 18, 5));
    const { problem, start } = poorStart(plan, 11);
    expect(start).not.toBeNull();
    if (start === null) return;
    const unlimited = await improveByNeighbourhoods(problem, start, { seed: 3 });
    expect(unlimited.solved).toBeGreaterThan(1);
    // A budget that the first sub-MIP uses up: one sub-MIP, then the search stops.
    const choices: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const work = new WorkBudget(1, Infinity);
      const result = await improveByNeighbourhoods(problem, start, { seed: 3, work });
      expect(result.solved).toBe(1);
      expect(work.clockCut).toBe(false);
      choices.push(Array.from(result.choice));
    }
    expect(choices[1]).toEqual(choices[0]);
  });

  it("grows its neighbourhoods after a round without an improvement, up to growTo reps (a cycle of four moves)", async () => {
    // Four reps holding exactly one account each; each customer gains 10 by moving to the next rep
    // of the cycle A → B → C → D → A and may not go elsewhere. No move, swap or re-packing of
    // fewer than all four reps improves the plan (the rep a customer would go to is full, and its
    // own customer can only go on to a rep outside the neighbourhood); the whole cycle gains 40.
    const reps = ["A", "B", "C", "D"];
    const plan = Plan.parse({
      customers: reps.map((r) => ({ id: `c${r}`, value: 1000 })),
      reps: reps.map((id) => ({ id, minAccounts: 1, maxAccounts: 1 })),
      pairs: reps.flatMap((r, i) => [
        { customer: `c${r}`, rep: r, score: 0 },
        { customer: `c${r}`, rep: reps[(i + 1) % reps.length] ?? "", score: 10 },
      ]),
    });
    const policy = resolvePolicy(plan.policy);
    const table = buildPairTable(plan, policy);
    const problem = buildAssignmentProblem(plan, table, policy);
    const start = Int32Array.from(reps.map((_, i) => pairOf(problem, i, i)));
    expect(new AssignmentState(problem, start).isFeasible()).toBe(true);
    const fixed = await improveByNeighbourhoods(problem, start, { reps: 2, seed: 5 });
    expect(fixed.objective).toBe(0);
    expect(fixed.improved).toBe(0);
    // Two reps, then three (doubling is capped by growTo): still no neighbourhood holds the cycle.
    const toThree = await improveByNeighbourhoods(problem, start, { reps: 2, growTo: 3, seed: 5 });
    expect(toThree.objective).toBe(0);
    expect(toThree.solved).toBeGreaterThan(fixed.solved);
    const toFour = await improveByNeighbourhoods(problem, start, { reps: 2, growTo: 4, seed: 5 });
    expect(toFour.objective).toBe(40);
    expect(toFour.improved).toBe(1);
    const report = verifyAssignment(plan, assignmentOf(plan, table, toFour.choice));
    expect(report.violations).toEqual([]);
    expect(report.objective).toBe(40);
    expect(report.objective).toBe(toFour.objective);
  });
});
