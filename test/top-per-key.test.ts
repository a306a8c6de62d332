import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { topPerKey } from "../src/structured/top-per-key.ts";

/** The definition: every entry sorted by (key ↑, gain ↓, tie ↑), each key's first `keep`. */
function bySorting(keys: number[], gains: number[], ties: number[], keep: number): Map<number, number[]> {
  const order = keys.map((_, i) => i);
  order.sort((x, y) => (keys[x] ?? 0) - (keys[y] ?? 0) || (gains[y] ?? 0) - (gains[x] ?? 0) || (ties[x] ?? 0) - (ties[y] ?? 0));
  const out = new Map<number, number[]>();
  for (const i of order) {
    const key = keys[i] ?? 0;
    const list = out.get(key) ?? [];
    if (list.length < keep) list.push(ties[i] ?? 0);
    out.set(key, list);
  }
  return out;
}

function asMap(result: ReturnType<typeof topPerKey>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  result.keys.forEach((key, i) => out.set(key, Array.from(result.items.subarray(result.start[i] ?? 0, result.start[i + 1] ?? 0))));
  return out;
}

describe("topPerKey", () => {
  it("keeps each key's best by gain, ties to the lower tie-breaker, keys ascending (hand-computed)", () => {
    const keys = Int32Array.from([5, 2, 5, 5, 2, 5]);
    const gains = Float64Array.from([1, 7, 3, 3, -2, 0.5]);
    const ties = Int32Array.from([10, 11, 14, 12, 13, 15]);
    const top = topPerKey(6, keys, gains, ties, 9, 2);
    expect(Array.from(top.keys)).toEqual([2, 5]);
    expect(asMap(top)).toEqual(new Map([[2, [11, 13]], [5, [12, 14]]]));
  });

  it("agrees with sorting every entry, on random entries (keys up to 40², gains with ties)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.record({ key: fc.nat(), gain: fc.integer({ min: -5, max: 5 }) }), { maxLength: 300 }),
        (reps, keep, entries) => {
          const keyCount = reps * reps;
          const keys = entries.map((e) => e.key % keyCount);
          const gains = entries.map((e) => e.gain / 2);
          // Distinct tie-breakers (as pairs are), in a shuffled order.
          const ties = entries.map((_, i) => (i * 7919) % 100_003);
          const top = topPerKey(entries.length, Int32Array.from(keys), Float64Array.from(gains), Int32Array.from(ties), keyCount, keep);
          const expected = bySorting(keys, gains, ties, keep);
          expect(asMap(top)).toEqual(expected);
          expect(Array.from(top.keys)).toEqual([...expected.keys()].sort((a, b) => a - b));
        },
      ),
      { seed: 18, numRuns: 300 },
    );
  });
});
