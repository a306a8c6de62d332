import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ZeroOneKnapsack } from "../src/structured/zero-one-knapsack.ts";

/** The best value over every subset (n ≤ 14). */
function bruteForce(profit: readonly number[], weight: readonly number[], capacity: number): number {
  let best = 0;
  for (let mask = 0; mask < 1 << profit.length; mask++) {
    let p = 0;
    let w = 0;
    for (let i = 0; i < profit.length; i++) {
      if ((mask >> i) & 1) {
        p += profit[i] ?? 0;
        w += weight[i] ?? 0;
      }
    }
    if (w <= capacity && p > best) best = p;
  }
  return best;
}

function chosenWorth(chosen: Uint8Array, profit: readonly number[], weight: readonly number[]): { p: number; w: number } {
  let p = 0;
  let w = 0;
  for (let i = 0; i < profit.length; i++) {
    if (chosen[i] === 1) {
      p += profit[i] ?? 0;
      w += weight[i] ?? 0;
    }
  }
  return { p, w };
}

const item = fc.record({
  // Integer profits in tenths with ties and non-positive ones (items the knapsack never takes).
  profit: fc.integer({ min: -20, max: 60 }).map((x) => x / 10),
  weight: fc.integer({ min: 0, max: 30 }),
});

describe("0–1 knapsack with the LP reduction", () => {
  it("reaches the brute-force optimum, with a feasible solution worth it, with or without a hint, and agrees with the plain dynamic program", () => {
    let reducedSomething = 0;
    fc.assert(
      fc.property(fc.array(item, { minLength: 0, maxLength: 14 }), fc.integer({ min: 0, max: 80 }), fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }), fc.boolean(), (items, capacity, bits, hinted) => {
        const profit = items.map((x) => x.profit);
        const weight = items.map((x) => x.weight);
        const solver = new ZeroOneKnapsack(items.length, capacity);
        const chosen = new Uint8Array(items.length);
        // A hint is any subset (one that does not fit must be ignored).
        const hint = Uint8Array.from(bits.slice(0, items.length).map((b) => (b ? 1 : 0)));
        const value = solver.solve(Float64Array.from(profit), Int32Array.from(weight), items.length, capacity, chosen, true, hinted ? hint : undefined);
        const reducedCells = solver.cells;
        const worth = chosenWorth(chosen, profit, weight);
        const best = bruteForce(profit, weight, capacity);
        expect(value).toBeCloseTo(best, 9);
        expect(worth.p).toBeCloseTo(best, 9);
        expect(worth.w).toBeLessThanOrEqual(capacity);
        const plain = new Uint8Array(items.length);
        expect(solver.solve(Float64Array.from(profit), Int32Array.from(weight), items.length, capacity, plain, false)).toBeCloseTo(best, 9);
        expect(reducedCells).toBeLessThanOrEqual(solver.cells);
        if (reducedCells < solver.cells) reducedSomething++;
      }),
      { numRuns: 600, seed: 11 },
    );
    // The reduction must actually shrink the dynamic program on some of them.
    expect(reducedSomething).toBeGreaterThan(50);
  });

  it("solves the textbook instance by hand: items (p, w) (10, 5) (40, 4) (30, 6) (50, 3), capacity 10 → 90 with items 2 and 4", () => {
    const solver = new ZeroOneKnapsack(4, 10);
    const chosen = new Uint8Array(4);
    expect(solver.solve(Float64Array.of(10, 40, 30, 50), Int32Array.of(5, 4, 6, 3), 4, 10, chosen)).toBe(90);
    expect([...chosen]).toEqual([0, 1, 0, 1]);
  });

  it("fixes the items the LP decides on a large knapsack and fills far fewer cells than the plain program", () => {
    // 200 items, efficiencies spread: the LP decides all but those near the break item.
    const n = 200;
    const profit = new Float64Array(n);
    const weight = new Int32Array(n);
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < n; i++) {
      weight[i] = 1 + Math.floor(next() * 100);
      profit[i] = (weight[i] ?? 1) * (0.2 + 2 * next());
    }
    const solver = new ZeroOneKnapsack(n, 1_000);
    const chosen = new Uint8Array(n);
    const reduced = solver.solve(profit, weight, n, 1_000, chosen);
    const cells = solver.cells;
    const plain = solver.solve(profit, weight, n, 1_000, new Uint8Array(n), false);
    expect(reduced).toBeCloseTo(plain, 6);
    expect(cells * 5).toBeLessThan(solver.cells);
    let w = 0;
    for (let i = 0; i < n; i++) if (chosen[i] === 1) w += weight[i] ?? 0;
    expect(w).toBeLessThanOrEqual(1_000);
  });
});
