import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createHighsBackend } from "../src/mip/highs-backend.ts";
import type { MipModel, SparseMip } from "../src/mip/mip-model.ts";
import { solveSparseMip } from "../src/mip/highs-sparse-solve.ts";

const UNHURRIED = { timeLimitMs: 60_000, mipGap: 0 };

/** Knapsack: weights 4 3 2 5 1, capacity 9, values 10 7 4 12 3; optimum 22 ({0, 3} or {1, 3, 4}). */
function knapsack(start: number[] | null): SparseMip {
  return {
    numCols: 5,
    colCost: Float64Array.from([10, 7, 4, 12, 3]),
    colUpper: Float64Array.from([1, 1, 1, 1, 1]),
    integer: Uint8Array.from([1, 1, 1, 1, 1]),
    rowLower: Float64Array.from([-Infinity]),
    rowUpper: Float64Array.from([9]),
    rowStart: Int32Array.from([0, 5]),
    rowIndex: Int32Array.from([0, 1, 2, 3, 4]),
    rowValue: Float64Array.from([4, 3, 2, 5, 1]),
    columnPair: Int32Array.from([0, 1, 2, 3, 4]),
    fixedObjective: 0,
    start: start === null ? null : Float64Array.from(start),
  };
}

/** The same model as the solver-neutral MipModel the MIP backend takes (binary columns). */
function asMipModel(mip: SparseMip): MipModel {
  const rows: MipModel["rows"] = [];
  for (let r = 0; r < mip.rowLower.length; r++) {
    const from = mip.rowStart[r] ?? 0;
    const to = mip.rowStart[r + 1] ?? 0;
    rows.push({ kind: "test", ref: r, lower: mip.rowLower[r] ?? 0, upper: mip.rowUpper[r] ?? 0, indices: Array.from(mip.rowIndex.subarray(from, to)), values: Array.from(mip.rowValue.subarray(from, to)) });
  }
  return { numCols: mip.numCols, colCost: mip.colCost, colLower: new Float64Array(mip.numCols), colUpper: mip.colUpper, integer: mip.integer, rows };
}

describe("solveSparseMip: the structured path's entry onto the one HiGHS adapter", () => {
  it("solves the knapsack to its hand-computed optimum with a proved bound and a plain version", async () => {
    const result = await solveSparseMip(knapsack(null), UNHURRIED);
    expect(result.status).toBe("optimal");
    expect(result.objective).toBeCloseTo(22, 9);
    expect(result.bound).toBeCloseTo(22, 9);
    expect(result.nodes).toBeGreaterThanOrEqual(0);
    expect(result.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(result.message).toBeUndefined();
  });

  it("hands HiGHS the MIP start: under a loose gap it stops at the start rather than at its own first find", async () => {
    // Premise: without a start, a 1000% gap lets HiGHS stop at a plan worth less than 21.
    const own = await solveSparseMip(knapsack(null), { timeLimitMs: 60_000, mipGap: 10 });
    expect(own.objective ?? Infinity).toBeLessThan(21);
    // {0, 1, 2} weighs 9 and is worth 21: given as the start, it is what comes back.
    const started = await solveSparseMip(knapsack([1, 1, 1, 0, 0]), { timeLimitMs: 60_000, mipGap: 10 });
    expect(started.status).toBe("optimal");
    expect(started.objective).toBeCloseTo(21, 9);
    expect(Array.from(started.values ?? [], (v) => Math.round(v) || 0)).toEqual([1, 1, 1, 0, 0]);
  });

  it("reports a malformed model in `message`, never in `version`", async () => {
    const broken = { ...knapsack(null), rowIndex: Int32Array.from([0, 1, 2, 3, 7]) };
    const result = await solveSparseMip(broken, UNHURRIED);
    expect(result.status).toBe("error");
    expect(result.values).toBeNull();
    expect(result.message).toMatch(/HiGHS failed/);
    expect(result.version).toMatch(/^\d+\.\d+\.\d+$/);

    const badStart = await solveSparseMip(knapsack([1, 0, 0]), UNHURRIED);
    expect(badStart.status).toBe("error");
    expect(badStart.message).toBe("invalid model: the start has 3 values for 5 columns");
    expect(badStart.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("decides a model without columns from its rows (activity 0), without running HiGHS", async () => {
    const empty = (lower: number, upper: number): SparseMip => ({
      ...knapsack(null),
      numCols: 0,
      colCost: new Float64Array(0),
      colUpper: new Float64Array(0),
      integer: new Uint8Array(0),
      rowLower: Float64Array.from([lower]),
      rowUpper: Float64Array.from([upper]),
      rowStart: Int32Array.from([0, 0]),
      rowIndex: new Int32Array(0),
      rowValue: new Float64Array(0),
      columnPair: new Int32Array(0),
    });
    expect(await solveSparseMip(empty(-1, 1), UNHURRIED)).toMatchObject({ status: "optimal", objective: 0, bound: 0 });
    expect(await solveSparseMip(empty(1, 2), UNHURRIED)).toMatchObject({ status: "infeasible", objective: null, values: null });
  });

  it("agrees with the MIP backend on random binary models (same status, objective and bound)", async () => {
    const backend = createHighsBackend();
    const randomMip = fc.integer({ min: 1, max: 7 }).chain((n) =>
      fc.record({
        cost: fc.array(fc.integer({ min: -10, max: 10 }), { minLength: n, maxLength: n }),
        rows: fc.array(
          fc.record({
            coefs: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: n, maxLength: n }),
            lower: fc.option(fc.integer({ min: -8, max: 8 }), { nil: null }),
            upper: fc.option(fc.integer({ min: -4, max: 15 }), { nil: null }),
          }),
          { maxLength: 4 },
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(randomMip, async ({ cost, rows }) => {
        const rowStart = [0];
        const rowIndex: number[] = [];
        const rowValue: number[] = [];
        for (const row of rows) {
          row.coefs.forEach((c, j) => {
            if (c === 0) return;
            rowIndex.push(j);
            rowValue.push(c);
          });
          rowStart.push(rowIndex.length);
        }
        const mip: SparseMip = {
          numCols: cost.length,
          colCost: Float64Array.from(cost),
          colUpper: Float64Array.from(cost, () => 1),
          integer: Uint8Array.from(cost, () => 1),
          rowLower: Float64Array.from(rows, (r) => r.lower ?? -Infinity),
          rowUpper: Float64Array.from(rows, (r) => r.upper ?? Infinity),
          rowStart: Int32Array.from(rowStart),
          rowIndex: Int32Array.from(rowIndex),
          rowValue: Float64Array.from(rowValue),
          columnPair: Int32Array.from(cost, (_, j) => j),
          fixedObjective: 0,
          start: null,
        };
        const sparse = await solveSparseMip(mip, UNHURRIED);
        const whole = await backend.solve(asMipModel(mip), UNHURRIED);
        expect(["optimal", "infeasible"]).toContain(sparse.status);
        expect(sparse.status).toBe(whole.status);
        expect(sparse.objective).toBe(whole.objective);
        expect(sparse.bound).toBe(whole.bound);
      }),
      { seed: 20250117, numRuns: 40 },
    );
  });
});
