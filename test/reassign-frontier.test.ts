import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { computeFrontier, frontierBudgets, frontierPoints, movableCustomers, type FrontierSample } from "../src/what-if/move-frontier.ts";
import { solveReassignment, withMoveBudget, withStability } from "../src/what-if/reassignment.ts";
import { EXACT } from "./exact-solve.ts";
import { randomSmallPlan } from "./random-small-plan.ts";
import { smallBook } from "./what-if-fixtures.ts";

/** The in-process twin of the route's frontier solve. */
function solverFor(plan: Plan, calls: (number | null)[] = []) {
  return async (maxMoves: number | null): Promise<FrontierSample> => {
    calls.push(maxMoves);
    const { result } = await solveReassignment(withMoveBudget(plan, maxMoves), EXACT);
    return { maxMoves, status: result.status, objective: result.objective, chosenMoves: result.moveSummary.chosen, forcedMoves: result.moveSummary.forced };
  };
}

const sample = (maxMoves: number | null, objective: number | null, chosenMoves = 0): FrontierSample => ({
  maxMoves,
  status: objective === null ? "infeasible" : "optimal",
  objective,
  chosenMoves,
  forcedMoves: 0,
});

describe("the budget grid", () => {
  it("is every budget up to 8, then powers of two, below the number of customers that could move, plus the budget asked for", () => {
    expect(frontierBudgets(0, null)).toEqual([]);
    expect(frontierBudgets(5, null)).toEqual([0, 1, 2, 3, 4]);
    expect(frontierBudgets(100, null)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 64]);
    expect(frontierBudgets(100, 50)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 50, 64]);
    expect(frontierBudgets(100, 4)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 64]);
    expect(frontierBudgets(100, 100)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 64]);
  });

  it("counts the customers that could stay with their current rep", () => {
    expect(movableCustomers(smallBook)).toBe(7);
    expect(movableCustomers({ ...smallBook, reps: smallBook.reps.map((r) => (r.id === "r1" ? { ...r, available: false } : r)) })).toBe(4);
  });
});

describe("frontier points", () => {
  it("are non-decreasing by construction: a dip reports the previous budget's plan", () => {
    const points = frontierPoints([sample(0, 10), sample(1, 12, 1), sample(2, 11.5, 2), sample(3, 12.5, 3), sample(null, 13, 5)]);
    expect(points.map((p) => [p.maxMoves, p.objective, p.carriedFrom, p.status, p.chosenMoves])).toEqual([
      [0, 10, null, "optimal", 0],
      [1, 12, null, "optimal", 1],
      [2, 12, 1, "feasible", 1],
      [3, 12.5, null, "optimal", 3],
      [null, 13, null, "optimal", 5],
    ]);
    expect(points.map((p) => p.gain)).toEqual([null, 2, 0, 0.5, 0.5]);
    expect(points.map((p) => p.gainPerMove)).toEqual([null, 2, 0, 0.5, null]);
  });

  it("start with no plan where small budgets are infeasible, and carry a plan over a later timeout", () => {
    const points = frontierPoints([sample(0, null), sample(1, 5, 1), { ...sample(2, null), status: "timeout" }, sample(null, 7, 3)]);
    expect(points.map((p) => [p.objective, p.carriedFrom, p.status])).toEqual([
      [null, null, "infeasible"],
      [5, null, "optimal"],
      [5, 1, "feasible"],
      [7, null, "optimal"],
    ]);
  });
});

describe("the frontier of a plan (exact solves)", () => {
  it("gives, for each budget, the best objective with at most that many chosen moves, up to the unconstrained optimum", async () => {
    const plan = withStability(smallBook, { movePenalty: 0 });
    const calls: (number | null)[] = [];
    const points = await computeFrontier(plan, null, solverFor(plan, calls), 2);
    const unconstrained = (await solveReassignment(withMoveBudget(plan, null), EXACT)).result;
    const last = points.at(-1);
    expect(last?.maxMoves).toBeNull();
    expect(last?.objective).toBeCloseTo(unconstrained.objective ?? NaN, 6);
    expect(last?.chosenMoves).toBe(unconstrained.moveSummary.chosen);
    const finite = points.slice(0, -1);
    // Every budget below the unconstrained plan's own number of moves, and none at or above it.
    expect(finite.map((p) => p.maxMoves)).toEqual(Array.from({ length: unconstrained.moveSummary.chosen }, (_, b) => b));
    for (const p of finite) {
      const own = (await solveReassignment(withMoveBudget(plan, p.maxMoves), EXACT)).result;
      if (own.objective === null) {
        // The value band cannot be met without moving enough customers.
        expect([p.objective, p.status]).toEqual([null, own.status]);
        continue;
      }
      expect(p.objective).toBeCloseTo(own.objective, 6);
      expect(p.chosenMoves ?? Infinity).toBeLessThanOrEqual(p.maxMoves ?? -1);
    }
    const values = points.flatMap((p) => (p.objective === null ? [] : [p.objective]));
    for (let i = 1; i < values.length; i++) expect(values[i] ?? -Infinity).toBeGreaterThanOrEqual(values[i - 1] ?? Infinity);
    expect(values.length).toBeGreaterThanOrEqual(3);
    expect(values[0] ?? Infinity).toBeLessThan(last?.objective ?? -Infinity);
    // The unconstrained plan is solved first.
    expect(calls[0]).toBeNull();
  });

  it("is non-decreasing on random small plans, each point within its budget", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const plan = Plan.parse(randomSmallPlan(seed, 7, 3));
        const points = await computeFrontier(plan, 1, solverFor(plan), 2);
        expect(points.at(-1)?.maxMoves).toBeNull();
        let previous = -Infinity;
        for (const p of points) {
          if (p.objective === null) {
            expect(previous).toBe(-Infinity);
            continue;
          }
          expect(p.objective).toBeGreaterThanOrEqual(previous);
          previous = p.objective;
          if (p.maxMoves !== null) expect(p.chosenMoves ?? Infinity).toBeLessThanOrEqual(p.maxMoves);
        }
      }),
      { seed: 31, numRuns: 25 },
    );
  });
});
