import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { indexByRep } from "../src/plan/pair-table.ts";
import type { AssignmentProblem } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";
import { BandExchangeSearch } from "../src/structured/band-exchange-search.ts";
import { BudgetTradeSearch } from "../src/structured/budget-trade-search.ts";
import { ChainSearch } from "../src/structured/chain-search.ts";

/**
 * Four reps, two customers, a move budget spent to the last move. c0 sits with its current rep 0
 * (score 0) and would score 10 with rep 1; c1 was moved from its current rep 2 (score `home`) to
 * rep 3 (score 5). One customer must stay (c0 does). Moving c0 alone breaks the budget; sending
 * c1 home first loses 5 - `home`. Together (c0 to rep 1, c1 home to rep 2) they keep the budget
 * and gain 10 - (5 - home).
 */
function tradeProblem(home: number): AssignmentProblem {
  // Pairs by customer, reps in increasing order: (c0,r0) (c0,r1) (c1,r2) (c1,r3).
  const pairCustomer = Int32Array.from([0, 0, 1, 1]);
  const pairRep = Int32Array.from([0, 1, 2, 3]);
  const { repStart, repPairs } = indexByRep(pairRep, 4);
  return {
    customerCount: 2,
    repCount: 4,
    pairCount: 4,
    customerStart: Int32Array.from([0, 2, 4]),
    pairCustomer,
    pairRep,
    pairScore: Float64Array.from([0, 10, home, 5]),
    pairWorkload: Float64Array.from([1, 1, 1, 1]),
    repStart,
    repPairs,
    customerValue: Float64Array.from([1, 1]),
    optional: new Uint8Array(2),
    stayPair: Int32Array.from([0, 2]),
    accountsLower: new Float64Array(4),
    accountsUpper: new Float64Array(4).fill(Infinity),
    workloadUpper: new Float64Array(4).fill(Infinity),
    valueLower: new Float64Array(4).fill(-Infinity),
    valueUpper: new Float64Array(4).fill(Infinity),
    valueShare: null,
    countShare: null,
    minStays: 1,
    customerIndex: Int32Array.from([0, 1]),
    repIndex: Int32Array.from([0, 1, 2, 3]),
    pairIndex: Int32Array.from([0, 1, 2, 3]),
  };
}

interface RandomSpec {
  reps: number;
  customers: { reps: number[]; scores: number[]; value: number }[];
  caps: number[];
  spend: number;
  band: boolean;
}

/**
 * A small random problem: each customer on two or three reps (the first its current rep), integer
 * scores, account caps no lower than the current reps' counts, a move budget of `spend` moves,
 * and (with `band`) value bands of ±1.5 around each rep's current value.
 */
function randomProblem(spec: RandomSpec): AssignmentProblem {
  const R = spec.reps;
  const customerStart = [0];
  const pairCustomer: number[] = [];
  const pairRep: number[] = [];
  const pairScore: number[] = [];
  const stayPair: number[] = [];
  const homeCount = new Array<number>(R).fill(0);
  const homeValue = new Array<number>(R).fill(0);
  spec.customers.forEach((customer, c) => {
    const reps = [...new Set(customer.reps.map((r) => r % R))];
    const home = reps[0] ?? 0;
    homeCount[home] = (homeCount[home] ?? 0) + 1;
    homeValue[home] = (homeValue[home] ?? 0) + customer.value;
    for (const r of [...reps].sort((a, b) => a - b)) {
      if (r === home) stayPair[c] = pairCustomer.length;
      pairCustomer.push(c);
      pairRep.push(r);
      pairScore.push(customer.scores[reps.indexOf(r)] ?? 0);
    }
    customerStart.push(pairCustomer.length);
  });
  const C = spec.customers.length;
  const pairRepArray = Int32Array.from(pairRep);
  const { repStart, repPairs } = indexByRep(pairRepArray, R);
  return {
    customerCount: C,
    repCount: R,
    pairCount: pairCustomer.length,
    customerStart: Int32Array.from(customerStart),
    pairCustomer: Int32Array.from(pairCustomer),
    pairRep: pairRepArray,
    pairScore: Float64Array.from(pairScore),
    pairWorkload: new Float64Array(pairCustomer.length).fill(1),
    repStart,
    repPairs,
    customerValue: Float64Array.from(spec.customers, (c) => c.value),
    optional: new Uint8Array(C),
    stayPair: Int32Array.from(stayPair),
    accountsLower: new Float64Array(R),
    accountsUpper: Float64Array.from({ length: R }, (_, r) => Math.max(homeCount[r] ?? 0, spec.caps[r] ?? 0)),
    workloadUpper: new Float64Array(R).fill(Infinity),
    valueLower: Float64Array.from({ length: R }, (_, r) => (spec.band ? (homeValue[r] ?? 0) - 1.5 : -Infinity)),
    valueUpper: Float64Array.from({ length: R }, (_, r) => (spec.band ? (homeValue[r] ?? 0) + 1.5 : Infinity)),
    valueShare: null,
    countShare: null,
    minStays: C - spec.spend,
    customerIndex: Int32Array.from({ length: C }, (_, c) => c),
    repIndex: Int32Array.from({ length: R }, (_, r) => r),
    pairIndex: Int32Array.from({ length: pairCustomer.length }, (_, k) => k),
  };
}

describe("trades of the move budget", () => {
  it("pairs a move that spends the budget with one that gives it back, where no single search moves (hand-computed)", () => {
    const problem = tradeProblem(1);
    const start = Int32Array.from([0, 3]);
    const before = new AssignmentState(problem, start);
    expect(before.isFeasible()).toBe(true);
    expect(before.objective).toBe(5);
    // The other searches stop here: every gaining move spends the budget.
    const band = new BandExchangeSearch(problem, start);
    expect(band.run()).toBe(0);
    const chain = new ChainSearch(problem, start);
    chain.run({ maxSweeps: 50 });
    expect(chain.state.objective).toBe(5);
    const trade = new BudgetTradeSearch(problem, start);
    expect(trade.run()).toBe(1);
    expect(Array.from(trade.state.choice)).toEqual([1, 2]);
    expect(trade.state.objective).toBe(11);
    expect(trade.state.stays).toBe(1);
    expect(trade.state.isFeasible()).toBe(true);
  });

  it("makes no trade that loses: going home costs more than the move gains", () => {
    const problem = tradeProblem(-6);
    const trade = new BudgetTradeSearch(problem, Int32Array.from([0, 3]));
    expect(trade.run()).toBe(0);
    expect(Array.from(trade.state.choice)).toEqual([0, 3]);
  });

  it("moves alone where the budget has room, and not at all without a budget", () => {
    const roomy = { ...tradeProblem(-6), minStays: 0 };
    // No budget: nothing to trade (the other searches make such moves).
    expect(new BudgetTradeSearch(roomy, Int32Array.from([0, 3])).run()).toBe(0);
    // One stay to spare (both at home; c1 scores more there): c0 moves alone, c1 stays.
    const spare = tradeProblem(6);
    const trade = new BudgetTradeSearch(spare, Int32Array.from([0, 2]));
    expect(trade.run()).toBe(1);
    expect(Array.from(trade.state.choice)).toEqual([1, 2]);
  });

  it("ends where no move that spends the budget and one that gives it back, on four other reps, gain together; keeps every row (brute force)", () => {
    let traded = 0;
    const arbitrary = fc.record({
      reps: fc.integer({ min: 4, max: 6 }),
      customers: fc.array(
        fc.record({ reps: fc.uniqueArray(fc.nat(5), { minLength: 2, maxLength: 3 }), scores: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 3, maxLength: 3 }), value: fc.integer({ min: 1, max: 5 }) }),
        { minLength: 4, maxLength: 8 },
      ),
      caps: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 6, maxLength: 6 }),
      spend: fc.integer({ min: 0, max: 3 }),
      band: fc.boolean(),
    });
    fc.assert(
      fc.property(arbitrary, (spec) => {
        const problem = randomProblem(spec);
        // Everyone with their current rep: the start keeps every row.
        const start = Int32Array.from(problem.stayPair);
        const before = new AssignmentState(problem, start);
        if (!before.isFeasible()) return;
        const search = new BudgetTradeSearch(problem, start);
        const made = search.run({ maxSweeps: 100 });
        const state = search.state;
        expect(state.isFeasible()).toBe(true);
        expect(state.objective).toBeGreaterThanOrEqual(before.objective);
        if (made > 0) {
          expect(state.objective).toBeGreaterThan(before.objective);
          traded++;
        } else expect(Array.from(state.choice)).toEqual(Array.from(start));
        // The oracle: every move alone and every spending-and-giving pair of moves on four reps.
        const check = new AssignmentState(problem, state.choice);
        const moves: { c: number; k: number; from: number; to: number; gain: number; stays: number }[] = [];
        for (let c = 0; c < problem.customerCount; c++) {
          const old = state.choice[c] ?? -1;
          for (let k = problem.customerStart[c] ?? 0; k < (problem.customerStart[c + 1] ?? 0); k++) {
            if (k === old) continue;
            const stay = problem.stayPair[c] ?? -1;
            const stays = (k === stay ? 1 : 0) - (old === stay ? 1 : 0);
            moves.push({ c, k, from: problem.pairRep[old] ?? -1, to: problem.pairRep[k] ?? -1, gain: (problem.pairScore[k] ?? 0) - (problem.pairScore[old] ?? 0), stays });
          }
        }
        for (const m of moves) {
          if (m.stays >= 0) continue;
          for (const n of moves) {
            if (n.stays <= 0 || m.gain + n.gain <= 0) continue;
            if (new Set([m.from, m.to, n.from, n.to]).size < 4) continue;
            check.move(m.c, m.k);
            const nOld = check.choice[n.c] ?? -1;
            check.move(n.c, n.k);
            const together = check.isFeasible();
            check.move(n.c, nOld);
            check.move(m.c, state.choice[m.c] ?? -1);
            expect(together, `moves ${JSON.stringify(m)} and ${JSON.stringify(n)} gain together`).toBe(false);
          }
        }
        // Deterministic.
        const again = new BudgetTradeSearch(problem, start);
        again.run({ maxSweeps: 100 });
        expect(Array.from(again.state.choice)).toEqual(Array.from(state.choice));
      }),
      { seed: 20261203, numRuns: 300 },
    );
    expect(traded).toBeGreaterThan(10);
  });
});
