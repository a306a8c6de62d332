import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan, type KeptBy, type Solution } from "../models/index.ts";
import { assembleSolution } from "../src/solve/assemble-solution.ts";
import { buildConversionModel } from "../src/plan/conversion-model.ts";
import { buildPairScoreIndex, scorePair } from "../src/plan/expected-value.ts";
import { buildPairRuleContext, pairBreach } from "../src/verify/pair-rules.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { EXACT, solveExactly } from "./exact-solve.ts";
import { randomSmallPlan } from "./random-small-plan.ts";


const explanationOf = (solution: Solution, customer: string) => solution.assignments.find((a) => a.customer === customer)?.explanation;

/** x and y compete for p, who has one seat: the optimum gives p to y (6 + 9 = 15 beats 10 + 2). */
const seat = {
  customers: [
    { id: "x", value: 100 },
    { id: "y", value: 90 },
  ],
  reps: [
    { id: "p", maxAccounts: 1 },
    { id: "q", maxAccounts: 1 },
  ],
  pairs: [
    { customer: "x", rep: "p", score: 10 },
    { customer: "x", rep: "q", score: 6 },
    { customer: "y", rep: "p", score: 9 },
    { customer: "y", rep: "q", score: 2 },
  ],
};

describe("explanations by hand", () => {
  it("name the runner-up, the value lost by choosing it, and the capacity that kept a better rep", async () => {
    const solution = await solveExactly(seat);
    expect(solution.objective).toBe(15);
    expect(explanationOf(solution, "x")).toEqual({
      runnerUp: { rep: "p", expectedValue: 10, valueLost: -4, keptBy: ["max-accounts"] },
      betterRep: { rep: "p", expectedValue: 10, keptBy: ["max-accounts"] },
    });
    expect(explanationOf(solution, "y")).toEqual({ runnerUp: { rep: "q", expectedValue: 2, valueLost: 7, keptBy: [] }, betterRep: null });
  });

  it("name the territory when the best-scoring rep works elsewhere", async () => {
    // No history: ev = value × fit; far has the need (fit 1.25) but not the territory.
    const solution = await solveExactly({
      customers: [{ id: "c", value: 100, territory: "north", needs: ["erp"] }],
      reps: [
        { id: "near", territories: ["north"] },
        { id: "also", territories: ["north"], specialties: ["cloud"] },
        { id: "far", territories: ["south"], specialties: ["erp"] },
      ],
    });
    expect(solution.assignments[0]?.rep).toBe("near");
    expect(solution.assignments[0]?.explanation).toEqual({
      runnerUp: { rep: "also", expectedValue: 100, valueLost: 0, keptBy: [] },
      betterRep: { rep: "far", expectedValue: 125, keptBy: ["territory"] },
    });
  });

  it("name the move budget, the lock and the value band", async () => {
    const base = {
      customers: [{ id: "c", value: 100, needs: ["erp"], currentRep: "old" }],
      reps: [{ id: "old" }, { id: "good", specialties: ["erp"] }],
    };
    const budget = await solveExactly({ ...base, policy: { stability: { maxMoves: 0 } } });
    expect(budget.assignments[0]?.explanation.betterRep).toEqual({ rep: "good", expectedValue: 125, keptBy: ["move-budget"] });
    const locked = await solveExactly({ ...base, policy: { locks: [{ customer: "c", rep: "old" }] } });
    expect(locked.assignments[0]?.explanation.betterRep).toEqual({ rep: "good", expectedValue: 125, keptBy: ["lock"] });
    // Two equal reps, value band 0.5: each must carry 50–150 of the 200; giving d to "good" too would leave "old" with 0.
    const band = await solveExactly({
      customers: [
        { id: "c", value: 100, needs: ["erp"] },
        { id: "d", value: 100, needs: ["erp"] },
      ],
      reps: [{ id: "old" }, { id: "good", specialties: ["erp"] }],
      policy: { fairness: { valueBand: 0.5 } },
    });
    const toOld = band.assignments.find((a) => a.rep === "old");
    expect(toOld?.explanation.betterRep).toEqual({ rep: "good", expectedValue: 125, keptBy: ["value-band"] });
  });

  it("say solver-gap when moving the customer alone would break nothing (a plan short of optimal)", () => {
    const plan = Plan.parse(seat);
    const solution = assembleSolution({
      plan,
      assignments: [
        { customer: "x", rep: "q" },
        { customer: "y", rep: "p" },
      ],
      status: "feasible",
      bound: 15,
      backend: "test",
      version: "-",
      timeLimitMs: 1000,
      mipGap: 0,
      verification: { objective: 15, rejected: [] },
    });
    expect(explanationOf(solution, "x")?.betterRep?.keptBy).toEqual(["max-accounts"]);
    const loose = Plan.parse({ ...seat, reps: [{ id: "p", maxAccounts: 2 }, { id: "q", maxAccounts: 1 }] });
    const short = assembleSolution({
      plan: loose,
      assignments: [
        { customer: "x", rep: "q" },
        { customer: "y", rep: "p" },
      ],
      status: "feasible",
      bound: 19,
      backend: "test",
      version: "-",
      timeLimitMs: 1000,
      mipGap: 0,
      verification: { objective: 15, rejected: [] },
    });
    expect(explanationOf(short, "x")?.betterRep).toEqual({ rep: "p", expectedValue: 10, keptBy: ["solver-gap"] });
  });
});

/** The verifier's violation kind for each limit an explanation can name. */
const VIOLATION: Partial<Record<KeptBy, string>> = {
  "max-accounts": "max-accounts",
  "max-workload": "max-workload",
  "value-band": "value-band",
  "count-band": "count-band",
  "min-accounts": "min-accounts",
  "move-budget": "max-moves",
};

describe("explanations on random small plans (exact solves)", () => {
  it("give the best eligible alternative as runner-up, and limits that the verifier confirms by moving the customer alone", async () => {
    let limits = 0;
    let rules = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const plan = Plan.parse(randomSmallPlan(seed, 7, 4));
        const solution = await solveExactly(plan);
        if (solution.objective === null) return;
        const ctx = buildPairRuleContext(plan);
        const scoring = { policy: ctx.policy, conversion: buildConversionModel(plan.history), pairScores: buildPairScoreIndex(plan.pairs) };
        for (const a of solution.assignments) {
          const customer = plan.customers.find((c) => c.id === a.customer);
          if (customer === undefined) throw new Error("unknown customer");
          // Brute force: the best rule-eligible rep other than the chosen one (first listed on ties).
          let best: { rep: string; value: number } | null = null;
          for (const r of plan.reps) {
            if (r.id === a.rep || pairBreach(ctx, customer, r) !== null) continue;
            const value = scorePair(scoring, customer, r).expectedValue;
            if (best === null || value > best.value) best = { rep: r.id, value };
          }
          const runnerUp = a.explanation.runnerUp;
          expect(runnerUp === null ? null : [runnerUp.rep, runnerUp.expectedValue]).toEqual(best === null ? null : [best.rep, best.value]);
          if (runnerUp !== null) expect(runnerUp.valueLost).toBeCloseTo(a.expectedValue - runnerUp.expectedValue, 9);

          const better = a.explanation.betterRep;
          if (better === null) continue;
          expect(better.expectedValue).toBeGreaterThan(a.expectedValue);
          // An exact solve never leaves a free improvement.
          expect(better.keptBy).not.toContain("solver-gap");
          if (better.keptBy.includes("lock")) continue;
          const rep = plan.reps.find((r) => r.id === better.rep);
          if (rep === undefined) throw new Error("unknown rep");
          const breach = pairBreach(ctx, customer, rep);
          if (breach !== null) {
            rules++;
            expect(better.keptBy).toEqual([breach.kind]);
            continue;
          }
          limits++;
          const swapped = solution.assignments.map((x) => (x.customer === a.customer ? { customer: x.customer, rep: better.rep } : x));
          const kinds = [...new Set(verifyAssignment(plan, swapped).violations.map((v) => v.kind))].sort();
          expect(kinds).toEqual(better.keptBy.map((k) => VIOLATION[k] ?? k).sort());
        }
      }),
      { seed: 8080, numRuns: 200 },
    );
    expect(limits).toBeGreaterThanOrEqual(10);
    expect(rules).toBeGreaterThanOrEqual(10);
  });

  it("do not change the assignment or the objective: the verifier's objective is the solution's", async () => {
    const plan = Plan.parse(randomSmallPlan(12345, 8, 4));
    const { solution } = await solvePlan(plan, EXACT);
    const check = verifyAssignment(plan, solution.assignments);
    expect(check.passed).toBe(solution.objective !== null || solution.assignments.length === 0);
    expect(solution.metrics.expectedValue).toBeCloseTo(check.objective, 9);
  });
});
