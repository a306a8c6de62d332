import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SeededRandom } from "../data/seeded-random.ts";

const FC = { seed: 20240601, numRuns: 100 };
const M32 = (1n << 32n) - 1n;

/** Independent reference: splitmix32 seeding + sfc32, in BigInt arithmetic mod 2^32. */
function referenceStream(seed: number, count: number): number[] {
  const low = BigInt(seed >>> 0);
  const high = BigInt(Math.floor(seed / 2 ** 32) >>> 0);
  let state = (low ^ ((high * 0x9e3779b9n) & M32)) & M32;
  const splitmix = (): bigint => {
    state = (state + 0x9e3779b9n) & M32;
    let z = state;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & M32;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & M32;
    return (z ^ (z >> 16n)) & M32;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const step = (): bigint => {
    const t = (a + b + d) & M32;
    d = (d + 1n) & M32;
    a = b ^ (b >> 9n);
    b = (c + (c << 3n)) & M32;
    c = ((c << 21n) | (c >> 11n)) & M32;
    c = (c + t) & M32;
    return t;
  };
  for (let i = 0; i < 12; i++) step();
  return Array.from({ length: count }, () => Number(step()));
}

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

describe("SeededRandom", () => {
  it("matches an independent BigInt implementation of splitmix32-seeded sfc32", () => {
    for (const seed of [0, 1, 42, -7, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
      const rng = new SeededRandom(seed);
      const ours = Array.from({ length: 50 }, () => rng.nextUint32());
      expect(ours).toEqual(referenceStream(seed, 50));
    }
  });

  it("is deterministic in the seed, and different seeds give different streams", () => {
    const a = new SeededRandom(123);
    const b = new SeededRandom(123);
    const c = new SeededRandom(124);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
    // The high half of a large seed matters.
    expect(new SeededRandom(5).nextUint32()).not.toBe(new SeededRandom(2 ** 32 + 5).nextUint32());
  });

  it("rejects seeds that are not safe integers", () => {
    expect(() => new SeededRandom(1.5)).toThrow(RangeError);
    expect(() => new SeededRandom(Number.NaN)).toThrow(RangeError);
    expect(() => new SeededRandom(2 ** 60)).toThrow(RangeError);
  });

  it("next() stays in [0, 1) with mean ≈ 1/2", () => {
    const rng = new SeededRandom(9);
    const xs = Array.from({ length: 50_000 }, () => rng.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 2);
  });

  it("integer(min, max) stays inside the inclusive range and hits both ends", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 6 }), fc.integer(), (min, width, seed) => {
        const rng = new SeededRandom(seed);
        const seen = new Set<number>();
        for (let i = 0; i < 400; i++) seen.add(rng.integer(min, min + width));
        expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: width + 1 }, (_, k) => min + k));
      }),
      FC,
    );
    expect(() => new SeededRandom(1).integer(3, 2)).toThrow(RangeError);
  });

  it("integer(0, 9) is close to uniform (chi-square, 9 degrees of freedom)", () => {
    const rng = new SeededRandom(77);
    const counts = new Array<number>(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = rng.integer(0, 9);
      counts[x] = (counts[x] ?? 0) + 1;
    }
    const chi2 = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9); // 99.9th percentile of χ²(9)
  });

  it("normal(mean, sd) has the requested mean and standard deviation", () => {
    const rng = new SeededRandom(3);
    const xs = Array.from({ length: 100_000 }, () => rng.normal(10, 2));
    const m = mean(xs);
    const sd = Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
    expect(m).toBeGreaterThan(9.97);
    expect(m).toBeLessThan(10.03);
    expect(sd).toBeGreaterThan(1.97);
    expect(sd).toBeLessThan(2.03);
    // About 95.45% within two standard deviations.
    const within = xs.filter((x) => Math.abs(x - 10) < 4).length / xs.length;
    expect(within).toBeGreaterThan(0.95);
    expect(within).toBeLessThan(0.959);
  });

  it("lognormal(median, sigma) has the requested median and is positive", () => {
    const rng = new SeededRandom(4);
    const xs = Array.from({ length: 50_001 }, () => rng.lognormal(50_000, 1.2)).sort((a, b) => a - b);
    expect(xs[0]).toBeGreaterThan(0);
    const median = xs[25_000] ?? 0;
    expect(median).toBeGreaterThan(48_000);
    expect(median).toBeLessThan(52_000);
  });

  it("binomial(n, p) has mean n·p and never exceeds n", () => {
    const rng = new SeededRandom(5);
    const xs = Array.from({ length: 5_000 }, () => rng.binomial(40, 0.25));
    expect(Math.max(...xs)).toBeLessThanOrEqual(40);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(mean(xs)).toBeGreaterThan(9.8);
    expect(mean(xs)).toBeLessThan(10.2);
    expect(rng.binomial(0, 0.5)).toBe(0);
  });

  it("weightedIndex follows the weights and never picks a zero weight", () => {
    const rng = new SeededRandom(6);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) {
      const k = rng.weightedIndex([1, 0, 3, 4]);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(counts[1]).toBe(0);
    expect((counts[0] ?? 0) / 40_000).toBeCloseTo(0.125, 1);
    expect((counts[2] ?? 0) / 40_000).toBeCloseTo(0.375, 1);
    expect((counts[3] ?? 0) / 40_000).toBeCloseTo(0.5, 1);
    expect(() => rng.weightedIndex([0, 0])).toThrow(RangeError);
  });

  it("shuffle returns a permutation and sample returns distinct elements", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 50 }), fc.integer(), fc.nat(60), (items, seed, k) => {
        const rng = new SeededRandom(seed);
        const shuffled = rng.shuffle(items.slice());
        expect(shuffled.slice().sort((a, b) => a - b)).toEqual(items.slice().sort((a, b) => a - b));
        const indices = items.map((_, i) => i);
        const picked = rng.sample(indices, k);
        expect(picked.length).toBe(Math.min(k, items.length));
        expect(new Set(picked).size).toBe(picked.length);
        for (const i of picked) expect(indices).toContain(i);
      }),
      FC,
    );
  });

  it("choice picks every element of the array eventually and rejects an empty one", () => {
    const rng = new SeededRandom(8);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(rng.choice(["a", "b", "c"]));
    expect([...seen].sort()).toEqual(["a", "b", "c"]);
    expect(() => rng.choice([])).toThrow(RangeError);
  });
});
