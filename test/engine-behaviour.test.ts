import { describe, expect, it } from "vitest";
import type { Policy } from "../models/index.ts";
import { repByCustomer } from "./assignment-pairs.ts";
import { solveExactly } from "./exact-solve.ts";

describe("hand-computed optimal plans", () => {
  it("trades specialty fit against capacity (fit = 1 + bonus × share of needs covered)", async () => {
    // c1 (100) and c2 (80) both need erp; only r1 has it and r1 takes one account; bonus 0.5.
    // c1→r1, c2→r2: 150 + 80 = 230   vs   c2→r1, c1→r2: 120 + 100 = 220.
    const solution = await solveExactly({
      customers: [
        { id: "c1", value: 100, needs: ["erp"] },
        { id: "c2", value: 80, needs: ["erp"] },
      ],
      reps: [
        { id: "r1", specialties: ["erp"], maxAccounts: 1 },
        { id: "r2", specialties: [] },
      ],
      policy: { specialtyBonus: 0.5 },
    });
    expect(solution.status).toBe("optimal");
    expect(solution.objective).toBeCloseTo(230, 9);
    expect(repByCustomer(solution.assignments)).toEqual({ c1: "r1", c2: "r2" });
    expect(solution.assignments[0]?.components.fit).toBeCloseTo(1.5, 12);
    expect(solution.bound).toBeCloseTo(230, 6);
    expect(solution.gap).toBeCloseTo(0, 9);
  });

  it("keeps each rep's value within the fairness band around its fair share", async () => {
    // Values 60, 30, 10; two equal reps → fair share 50 each; band 0.25 → [37.5, 62.5].
    // The only splits inside the band give one rep {60} and the other {30, 10}.
    const solution = await solveExactly({
      customers: [
        { id: "a", value: 60 },
        { id: "b", value: 30 },
        { id: "c", value: 10 },
      ],
      reps: [{ id: "r1" }, { id: "r2" }],
      policy: { fairness: { valueBand: 0.25 } },
    });
    expect(solution.status).toBe("optimal");
    expect(solution.reps.map((r) => r.value).sort((x, y) => x - y)).toEqual([40, 60]);
    expect(solution.reps.map((r) => r.fairShare)).toEqual([50, 50]);
    expect(solution.metrics.maxValueOverFairShare).toBeCloseTo(1.2, 12);
  });

  it("a count band proportional to capacity: maxAccounts 3 and 1 → shares 3 and 1 of 4", async () => {
    const solution = await solveExactly({
      customers: ["a", "b", "c", "d"].map((id) => ({ id, value: 10, needs: ["x"] })),
      reps: [
        { id: "big", maxAccounts: 3 },
        { id: "small", maxAccounts: 1, specialties: ["x"] },
      ],
      policy: { fairness: { countBand: 0 }, specialtyBonus: 1 },
    });
    expect(solution.status).toBe("optimal");
    expect(solution.reps.map((r) => r.accounts)).toEqual([3, 1]);
    expect(solution.objective).toBeCloseTo(3 * 10 + 20, 9);
  });

  const movers = (policy: Policy) => ({
    customers: ["a", "b", "c"].map((id) => ({ id, value: 10, needs: ["erp"], currentRep: "old" })),
    reps: [{ id: "old" }, { id: "new", specialties: ["erp"] }],
    policy: { specialtyBonus: 1, ...policy },
  });

  it("moves at most maxMoves customers that could stay", async () => {
    // Each customer is worth 20 with "new" (fit 2) and 10 with "old"; a budget of one move.
    const solution = await solveExactly(movers({ stability: { maxMoves: 1 } }));
    expect(solution.objective).toBeCloseTo(40, 9);
    expect(solution.metrics.moves).toBe(1);
    expect(solution.metrics.forcedMoves).toBe(0);
    const unlimited = await solveExactly(movers({}));
    expect(unlimited.objective).toBeCloseTo(60, 9);
    expect(unlimited.metrics.moves).toBe(3);
  });

  it("charges the move penalty on each move", async () => {
    // 20 − 15 = 5 < 10: moving no longer pays.
    expect((await solveExactly(movers({ stability: { movePenalty: 15 } }))).objective).toBeCloseTo(30, 9);
    // 20 − 5 = 15 > 10: everyone moves.
    expect((await solveExactly(movers({ stability: { movePenalty: 5 } }))).objective).toBeCloseTo(45, 9);
  });

  it("a rep who leaves forces moves that do not use the budget", async () => {
    const plan = movers({ stability: { maxMoves: 0 } });
    plan.reps[0] = { id: "old", available: false } as (typeof plan.reps)[number];
    const solution = await solveExactly(plan);
    expect(solution.status).toBe("optimal");
    expect(solution.metrics.moves).toBe(3);
    expect(solution.metrics.forcedMoves).toBe(3);
  });

  it("prices a soft territory breach with the territory penalty", async () => {
    // c is in "north"; r1 covers only "south" but fits better: 100 × 1.5 − penalty vs 100 with r2.
    const plan = (territoryPenalty: number) => ({
      customers: [{ id: "c", value: 100, territory: "north", needs: ["erp"] }],
      reps: [
        { id: "r1", territories: ["south"], specialties: ["erp"] },
        { id: "r2", territories: ["north"] },
      ],
      policy: { territory: "soft" as const, territoryPenalty, specialtyBonus: 0.5 },
    });
    expect(repByCustomer((await solveExactly(plan(40))).assignments)).toEqual({ c: "r1" });
    expect(repByCustomer((await solveExactly(plan(60))).assignments)).toEqual({ c: "r2" });
    const hard = await solveExactly({ ...plan(0), policy: { territory: "hard", specialtyBonus: 0.5 } });
    expect(repByCustomer(hard.assignments)).toEqual({ c: "r2" });
  });

  it("subtracts travel cost per km (haversine)", async () => {
    // Paris customer; r1 in Paris, r2 in London (~343.5 km). 2 per km makes London cost ~687.
    const solution = await solveExactly({
      customers: [{ id: "c", value: 1000, needs: ["x"], location: { lat: 48.8566, lon: 2.3522 } }],
      reps: [
        { id: "paris", location: { lat: 48.8566, lon: 2.3522 } },
        { id: "london", specialties: ["x"], location: { lat: 51.5074, lon: -0.1278 } },
      ],
      policy: { travelCostPerKm: 2, specialtyBonus: 0.5 },
    });
    // London: 1500 − ~687 = ~813 < Paris 1000.
    expect(repByCustomer(solution.assignments)).toEqual({ c: "paris" });
    expect(solution.objective).toBeCloseTo(1000, 9);
  });

  it("locks override the territory rule and are reported as locked", async () => {
    const solution = await solveExactly({
      customers: [{ id: "c", value: 100, territory: "north" }],
      reps: [
        { id: "south-rep", territories: ["south"] },
        { id: "north-rep", territories: ["north"] },
      ],
      policy: { locks: [{ customer: "c", rep: "south-rep" }] },
    });
    expect(repByCustomer(solution.assignments)).toEqual({ c: "south-rep" });
    expect(solution.assignments[0]?.locked).toBe(true);
  });

  it("leaves the least valuable customers unassigned when allowed, with a reason", async () => {
    const solution = await solveExactly({
      customers: [
        { id: "big", value: 100 },
        { id: "small", value: 5 },
      ],
      reps: [{ id: "r", maxAccounts: 1 }],
      policy: { allowUnassigned: true },
    });
    expect(solution.status).toBe("optimal");
    expect(repByCustomer(solution.assignments)).toEqual({ big: "r" });
    expect(solution.unassigned.map((u) => u.customer)).toEqual(["small"]);
    expect(solution.unassigned[0]?.reason.length).toBeGreaterThan(10);
  });

  it("with unassigned customers allowed, the value band is a share of the assigned total", async () => {
    // r1 and r2 equal; values 90, 10, 10. Band 0 → both reps must hold equal value: only {10} vs {10}.
    const solution = await solveExactly({
      customers: [
        { id: "a", value: 90 },
        { id: "b", value: 10 },
        { id: "c", value: 10 },
      ],
      reps: [{ id: "r1" }, { id: "r2" }],
      policy: { allowUnassigned: true, fairness: { valueBand: 0 } },
    });
    expect(solution.status).toBe("optimal");
    expect(solution.objective).toBeCloseTo(20, 9);
    expect(solution.unassigned.map((u) => u.customer)).toEqual(["a"]);
  });

  it("uses external pair scores and pair workloads instead of the built-in expected value", async () => {
    const solution = await solveExactly({
      customers: [
        { id: "a", value: 1 },
        { id: "b", value: 1 },
      ],
      reps: [
        { id: "r1", maxWorkload: 5 },
        { id: "r2", maxWorkload: 5 },
      ],
      pairs: [
        { customer: "a", rep: "r1", score: 10, workload: 4 },
        { customer: "a", rep: "r2", score: 7, workload: 2 },
        { customer: "b", rep: "r1", score: 9, workload: 3 },
        { customer: "b", rep: "r2", score: 1, workload: 4 },
      ],
    });
    // a→r1 (4) + b→r1 (3) exceeds 5; best feasible: a→r2 (7) + b→r1 (9) = 16 vs a→r1 + b→r2 = 11.
    expect(repByCustomer(solution.assignments)).toEqual({ a: "r2", b: "r1" });
    expect(solution.objective).toBeCloseTo(16, 9);
    expect(solution.assignments[0]?.components.source).toBe("pairs");
  });
});

describe("determinism", () => {
  it("the same plan gives the same bytes", async () => {
    const plan = {
      customers: Array.from({ length: 30 }, (_, i) => ({ id: `c${i}`, value: 1000 + ((i * 7919) % 500), territory: i % 2 ? "n" : "s", currentRep: `r${i % 4}` })),
      reps: Array.from({ length: 4 }, (_, r) => ({ id: `r${r}`, territories: [r < 2 ? "n" : "s"], maxAccounts: 10 })),
      history: [
        { rep: "r0", wins: 3, attempts: 10 },
        { rep: "r1", wins: 8, attempts: 12 },
      ],
      policy: { fairness: { valueBand: 0.3 }, stability: { movePenalty: 50 } },
    };
    const first = JSON.stringify(await solveExactly(plan));
    const second = JSON.stringify(await solveExactly(plan));
    expect(second).toBe(first);
  });
});
