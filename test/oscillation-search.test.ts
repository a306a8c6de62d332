import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateGapInstance } from "../data/gap-generator.ts";
import { gapToPlan, type GapInstance } from "../src/formats/gap-instance.ts";
import { buildAssignmentProblem, type AssignmentProblem, type PairChoice } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";
import { oscillationApplies, searchByOscillation } from "../src/structured/oscillation-search.ts";
import { WorkBudget } from "../src/structured/work-budget.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { generateBook } from "../data/book-generator.ts";
import type { Plan } from "../models/index.ts";

function problemOf(plan: Plan): AssignmentProblem {
  const policy = resolvePolicy(plan.policy);
  return buildAssignmentProblem(plan, buildPairTable(plan, policy), policy);
}

/** A small GAP with random integer costs, resources and capacities. */
function smallGap(seed: number, agents: number, jobs: number): GapInstance {
  let s = seed >>> 0;
  const next = (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const cost = Array.from({ length: agents }, () => Array.from({ length: jobs }, () => 1 + next(30)));
  const resource = Array.from({ length: agents }, () => Array.from({ length: jobs }, () => 1 + next(20)));
  const capacity = resource.map((row) => Math.floor((0.9 * row.reduce((a, b) => a + b, 0)) / agents) + 5);
  return { agents, jobs, cost, resource, capacity };
}

/** Every assignment of jobs to agents: the best feasible objective (maximised: minus the cost), or -Infinity. */
function bruteForce(problem: AssignmentProblem): number {
  let best = -Infinity;
  const choice = new Int32Array(problem.customerCount);
  const walk = (c: number): void => {
    if (c === problem.customerCount) {
      const state = new AssignmentState(problem, choice);
      if (state.isFeasible()) best = Math.max(best, state.objective);
      return;
    }
    for (let k = problem.customerStart[c] ?? 0; k < (problem.customerStart[c + 1] ?? 0); k++) {
      choice[c] = k;
      walk(c + 1);
    }
  };
  walk(0);
  return best;
}

/** A feasible start: the greedy by least resource that fits (small GAPs here always have one). */
function feasibleStart(problem: AssignmentProblem): PairChoice | null {
  const load = new Float64Array(problem.repCount);
  const choice = new Int32Array(problem.customerCount).fill(-1);
  for (let c = 0; c < problem.customerCount; c++) {
    let pick = -1;
    for (let k = problem.customerStart[c] ?? 0; k < (problem.customerStart[c + 1] ?? 0); k++) {
      const r = problem.pairRep[k] ?? 0;
      if ((load[r] ?? 0) + (problem.pairWorkload[k] ?? 0) > (problem.workloadUpper[r] ?? Infinity)) continue;
      if (pick < 0 || (problem.pairWorkload[k] ?? 0) < (problem.pairWorkload[pick] ?? 0)) pick = k;
    }
    if (pick < 0) return null;
    choice[c] = pick;
    load[problem.pairRep[pick] ?? 0] = (load[problem.pairRep[pick] ?? 0] ?? 0) + (problem.pairWorkload[pick] ?? 0);
  }
  return choice;
}

describe("tabu search with strategic oscillation", () => {
  it("returns a feasible plan no worse than its start and never better than the brute-force optimum", () => {
    let reachedOptimum = 0;
    let improved = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 3, max: 8 }), (seed, agents, jobs) => {
        const plan = gapToPlan(smallGap(seed, agents, jobs));
        const problem = problemOf(plan);
        expect(oscillationApplies(problem)).toBe(true);
        const start = feasibleStart(problem);
        if (start === null) return;
        runs++;
        const startObjective = new AssignmentState(problem, start).objective;
        const result = searchByOscillation(problem, start, { work: WorkBudget.clockOnly(), maxSteps: 300 });
        const state = new AssignmentState(problem, result.choice);
        expect(state.isFeasible()).toBe(true);
        expect(state.objective).toBeCloseTo(result.objective, 9);
        expect(result.objective).toBeGreaterThanOrEqual(startObjective - 1e-9);
        expect(result.improved).toBe(result.objective > startObjective + 1e-9);
        const optimum = bruteForce(problem);
        expect(result.objective).toBeLessThanOrEqual(optimum + 1e-9);
        if (Math.abs(result.objective - optimum) < 1e-9) reachedOptimum++;
        if (result.improved) improved++;
        // The independent verifier agrees.
        const assignments = Array.from(result.choice, (k, c) => ({ customer: plan.customers[c]?.id ?? "", rep: plan.reps[problem.pairRep[k] ?? 0]?.id ?? "" }));
        expect(verifyAssignment(plan, assignments).passed).toBe(true);
      }),
      { seed: 20261130, numRuns: 60 },
    );
    // Not vacuous: most starts were improved, and the search found most optima.
    expect(runs).toBeGreaterThan(40);
    expect(improved).toBeGreaterThan(runs / 2);
    expect(reachedOptimum).toBeGreaterThan(0.8 * runs);
  });

  it("improves a type D instance's plan, repeats byte for byte and stops by its work or patience", () => {
    const plan = gapToPlan(generateGapInstance({ type: "D", agents: 5, jobs: 40, seed: 3 }));
    const problem = problemOf(plan);
    const start = feasibleStart(problem);
    expect(start).not.toBeNull();
    if (start === null) return;
    const run = (work: number) => searchByOscillation(problem, start, { work: new WorkBudget(work, Infinity), maxSteps: 100_000, patience: 500 });
    const a = run(5e7);
    const b = run(5e7);
    expect(Array.from(a.choice)).toEqual(Array.from(b.choice));
    expect(a.steps).toBe(b.steps);
    expect(a.improved).toBe(true);
    // A smaller budget stops earlier, never later.
    const small = run(1e5);
    expect(small.steps).toBeLessThan(a.steps);
    expect(small.objective).toBeLessThanOrEqual(a.objective + 1e-9);
  });

  it("is not used where a band, a move budget or optional customers make the part no GAP", () => {
    const banded = generateBook({ seed: 2, customers: 60, reps: 4, territories: 1, policy: { fairness: { valueBand: 0.3 } } });
    expect(oscillationApplies(problemOf(banded))).toBe(false);
    const moves = generateBook({ seed: 2, customers: 60, reps: 4, territories: 1, currentOwners: 1, policy: { stability: { maxMoves: 0 } } });
    expect(oscillationApplies(problemOf(moves))).toBe(false);
    const optional = generateBook({ seed: 2, customers: 60, reps: 4, territories: 1, policy: { allowUnassigned: true } });
    expect(oscillationApplies(problemOf(optional))).toBe(false);
    expect(oscillationApplies(problemOf(generateBook({ seed: 2, customers: 60, reps: 4, territories: 1 })))).toBe(true);
  });
});
