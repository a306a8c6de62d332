import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateGapInstance } from "../data/gap-generator.ts";
import { gapToPlan } from "../src/formats/gap-instance.ts";
import { buildAssignmentProblem, type AssignmentProblem } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";
import { ejectionChainsApply, searchByEjectionChains } from "../src/structured/ejection-chain-search.ts";
import { WorkBudget } from "../src/structured/work-budget.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import type { Plan } from "../models/index.ts";
import { generateBook } from "../data/book-generator.ts";
import { gapPlan } from "./gap-fixtures.ts";
import { bruteForceProblem, feasibleStart, smallGap } from "./small-gap.ts";

function problemOf(plan: Plan): AssignmentProblem {
  const policy = resolvePolicy(plan.policy);
  return buildAssignmentProblem(plan, buildPairTable(plan, policy), policy);
}

describe("ejection-chain search", () => {
  it("returns a feasible plan no worse than its start and never better than the brute-force optimum", () => {
    let reachedOptimum = 0;
    let improved = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 3, max: 8 }), fc.boolean(), (seed, agents, jobs, fromElsewhere) => {
        const plan = gapToPlan(smallGap(seed, agents, jobs));
        const problem = problemOf(plan);
        expect(ejectionChainsApply(problem)).toBe(true);
        const start = feasibleStart(problem);
        if (start === null) return;
        runs++;
        const startObjective = new AssignmentState(problem, start).objective;
        // Also from a walk start that breaks limits: every customer on its cheapest pair.
        const cheapest = Int32Array.from({ length: problem.customerCount }, (_, c) => {
          let best = problem.customerStart[c] ?? 0;
          for (let k = best; k < (problem.customerStart[c + 1] ?? 0); k++) if ((problem.pairScore[k] ?? 0) > (problem.pairScore[best] ?? 0)) best = k;
          return best;
        });
        const result = searchByEjectionChains(problem, start, { work: new WorkBudget(2e6, Infinity), ...(fromElsewhere ? { from: cheapest } : {}) });
        const state = new AssignmentState(problem, result.choice);
        expect(state.isFeasible()).toBe(true);
        expect(state.objective).toBeCloseTo(result.objective, 9);
        expect(result.objective).toBeGreaterThanOrEqual(startObjective - 1e-9);
        expect(result.improved).toBe(result.objective > startObjective + 1e-9);
        const optimum = bruteForceProblem(problem);
        expect(result.objective).toBeLessThanOrEqual(optimum + 1e-9);
        if (Math.abs(result.objective - optimum) < 1e-9) reachedOptimum++;
        if (result.improved) improved++;
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

  it("improves a type D plan, repeats byte for byte and stops by its work or its patience", () => {
    const problem = problemOf(gapToPlan(generateGapInstance({ type: "D", agents: 5, jobs: 40, seed: 3 })));
    const start = feasibleStart(problem);
    expect(start).not.toBeNull();
    if (start === null) return;
    const run = (units: number, patience?: number) => {
      const work = new WorkBudget(units, Infinity);
      return { result: searchByEjectionChains(problem, start, { work, ...(patience === undefined ? {} : { patience }) }), used: work.used };
    };
    const a = run(3e7);
    const b = run(3e7);
    expect(Array.from(a.result.choice)).toEqual(Array.from(b.result.choice));
    expect(a.result.moves).toBe(b.result.moves);
    expect(a.result.improved).toBe(true);
    const small = run(1e5);
    expect(small.result.moves).toBeLessThan(a.result.moves);
    expect(small.result.objective).toBeLessThanOrEqual(a.result.objective + 1e-9);
    // With a patience of one restart it settles before the budget is spent.
    const patient = run(3e7, 1);
    expect(patient.used).toBeLessThan(3e7);
    expect(patient.result.localOptima).toBeLessThan(a.result.localOptima);
  });

  it("brings a greedy plan of c05100 within 0.2% of the optimum (1,931) with a small budget", () => {
    const problem = problemOf(gapPlan("c05100", {}));
    const start = feasibleStart(problem);
    expect(start).not.toBeNull();
    if (start === null) return;
    const startCost = -new AssignmentState(problem, start).objective;
    expect(startCost).toBeGreaterThan(2_000);
    const result = searchByEjectionChains(problem, start, { work: new WorkBudget(3e7, Infinity), target: -1_931 });
    expect(-result.objective).toBeLessThanOrEqual(1_935);
    expect(-result.objective).toBeGreaterThanOrEqual(1_931);
  });

  it("is not used where a band, a move budget or optional customers make the part no GAP", () => {
    const banded = generateBook({ seed: 2, customers: 60, reps: 4, territories: 1, policy: { fairness: { valueBand: 0.3 } } });
    expect(ejectionChainsApply(problemOf(banded))).toBe(false);
    const moves = generateBook({ seed: 2, customers: 60, reps: 4, territories: 1, currentOwners: 1, policy: { stability: { maxMoves: 0 } } });
    expect(ejectionChainsApply(problemOf(moves))).toBe(false);
    const optional = generateBook({ seed: 2, customers: 60, reps: 4, territories: 1, policy: { allowUnassigned: true } });
    expect(ejectionChainsApply(problemOf(optional))).toBe(false);
    expect(ejectionChainsApply(problemOf(generateBook({ seed: 2, customers: 60, reps: 4, territories: 1 })))).toBe(true);
  });
});
