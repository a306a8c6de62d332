import { describe, expect, it } from "vitest";
import { formatGapInstance, generateGapInstance } from "../data/gap-generator.ts";
import { parseGapInstance } from "../src/formats/gap-instance.ts";

describe("generated GAP instances (types D and E)", () => {
  it("type D follows the recipe: r ∈ 1..100, c = 111 − r + e with e ∈ −10..10, b = ⌊0.8 Σr / m⌋", () => {
    const g = generateGapInstance({ type: "D", agents: 10, jobs: 100, seed: 3 });
    expect(g.cost).toHaveLength(10);
    let spread = new Set<number>();
    g.resource.forEach((row, i) => {
      expect(row).toHaveLength(100);
      row.forEach((r, j) => {
        expect(Number.isInteger(r) && r >= 1 && r <= 100).toBe(true);
        const e = (g.cost[i]?.[j] ?? 0) - (111 - r);
        expect(Number.isInteger(e) && e >= -10 && e <= 10).toBe(true);
        spread.add(e);
      });
      expect(g.capacity[i]).toBe(Math.floor((0.8 * row.reduce((s, x) => s + x, 0)) / 10));
    });
    // The noise covers its range.
    expect(spread.size).toBe(21);
    spread = new Set(g.resource.flat());
    expect(spread.size).toBeGreaterThan(95);
  });

  it("type E follows the recipe: r = round(1 − 10 ln u) ≥ 1 with mean ≈ 11, c ≈ 1000/r − 10e, b = ⌊0.8 Σr / m⌋", () => {
    const g = generateGapInstance({ type: "E", agents: 20, jobs: 200, seed: 5 });
    const all = g.resource.flat();
    expect(all.every((r) => Number.isInteger(r) && r >= 1)).toBe(true);
    const mean = all.reduce((s, r) => s + r, 0) / all.length;
    expect(mean).toBeGreaterThan(10);
    expect(mean).toBeLessThan(12);
    g.resource.forEach((row, i) => {
      row.forEach((r, j) => {
        const c = g.cost[i]?.[j] ?? 0;
        // round(1000/r − 10e) with e in [0, 1): within [1000/r − 10.5, 1000/r + 0.5].
        expect(c).toBeGreaterThanOrEqual(1000 / r - 10.5);
        expect(c).toBeLessThanOrEqual(1000 / r + 0.5);
      });
      expect(g.capacity[i]).toBe(Math.floor((0.8 * row.reduce((s, x) => s + x, 0)) / 20));
    });
  });

  it("is deterministic in the seed and round-trips through the OR-Library format", () => {
    const a = generateGapInstance({ type: "D", agents: 5, jobs: 100, seed: 9 });
    expect(generateGapInstance({ type: "D", agents: 5, jobs: 100, seed: 9 })).toEqual(a);
    expect(generateGapInstance({ type: "D", agents: 5, jobs: 100, seed: 10 })).not.toEqual(a);
    expect(parseGapInstance(formatGapInstance(a))).toEqual(a);
  });
});
