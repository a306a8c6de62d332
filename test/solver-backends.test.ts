import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createHighsBackend, solveRelaxation } from "../src/mip/highs-backend.ts";
import { createJslpBackend } from "../src/mip/jslp-backend.ts";
import type { MipModel, MipRow, SolverBackend, SolverOptions, SolverResult } from "../src/mip/mip-model.ts";
import { getBackend } from "../src/mip/solver-registry.ts";

const OPTIONS: SolverOptions = { timeLimitMs: 10_000, mipGap: 0 };
const TOL = 1e-6;

interface RowSpec {
  lower?: number;
  upper?: number;
  indices: number[];
  values: number[];
}

function model(cost: number[], lower: number[], upper: number[], integer: number[], rows: RowSpec[]): MipModel {
  return {
    numCols: cost.length,
    colCost: Float64Array.from(cost),
    colLower: Float64Array.from(lower),
    colUpper: Float64Array.from(upper),
    integer: Uint8Array.from(integer),
    rows: rows.map(
      (r, i): MipRow => ({
        kind: "test",
        ref: i,
        lower: r.lower ?? -Infinity,
        upper: r.upper ?? Infinity,
        indices: r.indices,
        values: r.values,
      }),
    ),
  };
}

const binaries = (cost: number[], rows: RowSpec[]) =>
  model(cost, cost.map(() => 0), cost.map(() => 1), cost.map(() => 1), rows);

function rowActivity(row: MipRow, x: ArrayLike<number>): number {
  return row.indices.reduce((sum, col, k) => sum + (row.values[k] ?? 0) * (x[col] ?? 0), 0);
}

/** Every row and column bound holds for x (within TOL), and integer columns are integral. */
function satisfies(m: MipModel, x: ArrayLike<number>): boolean {
  for (let j = 0; j < m.numCols; j++) {
    const v = x[j] ?? NaN;
    if (v < (m.colLower[j] ?? 0) - TOL || v > (m.colUpper[j] ?? 0) + TOL) return false;
    if (m.integer[j] === 1 && Math.abs(v - Math.round(v)) > TOL) return false;
  }
  return m.rows.every((row) => {
    const a = rowActivity(row, x);
    return a >= row.lower - TOL && a <= row.upper + TOL;
  });
}

/** Column values rounded to integers (HiGHS may return -1e-12 for 0; -0 is reported as 0). */
function roundedValues(result: SolverResult): number[] {
  return Array.from(result.values ?? [], (v) => Math.round(v) || 0);
}

function objectiveOf(m: MipModel, x: ArrayLike<number>): number {
  let sum = 0;
  for (let j = 0; j < m.numCols; j++) sum += (m.colCost[j] ?? 0) * (x[j] ?? 0);
  return sum;
}

/** Optimum of a pure binary model by enumerating all 2^n points; null when no point is feasible. */
function bruteForce(m: MipModel): number | null {
  let best: number | null = null;
  const x = new Float64Array(m.numCols);
  for (let mask = 0; mask < 1 << m.numCols; mask++) {
    for (let j = 0; j < m.numCols; j++) x[j] = (mask >> j) & 1;
    if (!satisfies(m, x)) continue;
    const value = objectiveOf(m, x);
    if (best === null || value > best) best = value;
  }
  return best;
}

/** Checks shared by every answer: a reported solution is consistent with itself and the bound. */
function expectCoherent(m: MipModel, result: SolverResult): void {
  if (result.status === "optimal" || result.status === "feasible") {
    expect(result.values).not.toBeNull();
    expect(result.values?.length).toBe(m.numCols);
    expect(result.objective).toBeCloseTo(objectiveOf(m, result.values ?? []), 6);
  } else {
    expect(result.values).toBeNull();
    expect(result.objective).toBeNull();
  }
  if (result.bound !== null && result.objective !== null) {
    expect(result.bound).toBeGreaterThanOrEqual(result.objective - TOL);
  }
  expect(result.timeMs).toBeGreaterThanOrEqual(0);
}

const backends: SolverBackend[] = [createHighsBackend(), createJslpBackend()];

describe.each(backends)("$name backend on hand-computed models", (backend) => {
  it("solves a 0/1 knapsack to its brute-force optimum", async () => {
    // weights 4 3 2 5 1, capacity 9, values 10 7 4 12 3: {0, 3} and {1, 3, 4} both weigh 9 and are
    // worth 22; {0, 1, 2} weighs 9 and is worth 21. The enumeration confirms 22.
    const m = binaries([10, 7, 4, 12, 3], [{ upper: 9, indices: [0, 1, 2, 3, 4], values: [4, 3, 2, 5, 1] }]);
    expect(bruteForce(m)).toBe(22);
    const result = await backend.solve(m, OPTIONS);
    expect(result.status).toBe("optimal");
    expect(result.objective).toBeCloseTo(22, 6);
    expect(satisfies(m, result.values ?? [])).toBe(true);
    expectCoherent(m, result);
  });

  it("solves a 3x3 assignment problem with equality rows", async () => {
    // profit[i][j]; x(i,j) is column 3i + j. Best permutation: 0->2 (8), 1->0 (7), 2->1 (9) = 24.
    const profit = [
      [4, 1, 8],
      [7, 6, 2],
      [3, 9, 5],
    ];
    const rows: RowSpec[] = [];
    for (let i = 0; i < 3; i++) rows.push({ lower: 1, upper: 1, indices: [3 * i, 3 * i + 1, 3 * i + 2], values: [1, 1, 1] });
    for (let j = 0; j < 3; j++) rows.push({ lower: 1, upper: 1, indices: [j, 3 + j, 6 + j], values: [1, 1, 1] });
    const m = binaries(profit.flat(), rows);
    const result = await backend.solve(m, OPTIONS);
    expect(result.status).toBe("optimal");
    expect(result.objective).toBeCloseTo(24, 6);
    expect(roundedValues(result)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    expectCoherent(m, result);
  });

  it("handles a continuous column next to a binary one", async () => {
    // max 3x + 2y, x binary, 0 <= y <= 10 continuous, x + y <= 2.5, y - x <= 1.
    // x = 1 -> y <= min(1.5, 2) = 1.5 -> 3 + 3 = 6; x = 0 -> y <= min(2.5, 1) = 1 -> 2. Optimum 6.
    const m = model(
      [3, 2],
      [0, 0],
      [1, 10],
      [1, 0],
      [
        { upper: 2.5, indices: [0, 1], values: [1, 1] },
        { upper: 1, indices: [0, 1], values: [-1, 1] },
      ],
    );
    const result = await backend.solve(m, OPTIONS);
    expect(result.status).toBe("optimal");
    expect(result.objective).toBeCloseTo(6, 6);
    expect(result.values?.[0]).toBeCloseTo(1, 6);
    expect(result.values?.[1]).toBeCloseTo(1.5, 6);
    expectCoherent(m, result);
  });

  it("reports an infeasible model as infeasible", async () => {
    // Two binaries cannot sum to 3.
    const m = binaries([1, 1], [{ lower: 3, indices: [0, 1], values: [1, 1] }]);
    const result = await backend.solve(m, OPTIONS);
    expect(result.status).toBe("infeasible");
    expect(result.bound).toBeNull();
    expectCoherent(m, result);
  });

  it("keeps a fixed column at its value even when it costs", async () => {
    // x0 fixed to 1 (cost -3), at most 2 of 3 chosen: x0 + best of {5, 4} = -3 + 5 = 2.
    const m = model([-3, 5, 4], [1, 0, 0], [1, 1, 1], [1, 1, 1], [{ upper: 2, indices: [0, 1, 2], values: [1, 1, 1] }]);
    const result = await backend.solve(m, OPTIONS);
    expect(result.status).toBe("optimal");
    expect(result.objective).toBeCloseTo(2, 6);
    expect(roundedValues(result)).toEqual([1, 1, 0]);
    expectCoherent(m, result);
  });

  it("solves an empty model (no columns, no rows) as optimal with objective 0", async () => {
    const m = model([], [], [], [], []);
    const result = await backend.solve(m, OPTIONS);
    expect(result.status).toBe("optimal");
    expect(result.objective).toBe(0);
    expect(result.values?.length).toBe(0);
    expectCoherent(m, result);
  });

  it("solves a model with columns but no rows by taking every profitable column", async () => {
    const m = binaries([2, -1, 0.5], []);
    const result = await backend.solve(m, OPTIONS);
    expect(result.status).toBe("optimal");
    expect(result.objective).toBeCloseTo(2.5, 6);
    expect(roundedValues(result)).toEqual([1, 0, 1]);
    expectCoherent(m, result);
  });

  it("reports a row without entries that excludes 0 as infeasible", async () => {
    const m = binaries([1, 1], [{ lower: 1, indices: [], values: [] }]);
    const result = await backend.solve(m, OPTIONS);
    expect(result.status).toBe("infeasible");
  });

  it("sums duplicate column entries within a row", async () => {
    // Row "x0 + x0 + x1 <= 2" is 2 x0 + x1 <= 2: x0 and x1 cannot both be 1. max 3 x0 + 2 x1 = 3.
    const m = binaries([3, 2], [{ upper: 2, indices: [0, 0, 1], values: [1, 1, 1] }]);
    const result = await backend.solve(m, OPTIONS);
    expect(result.status).toBe("optimal");
    expect(result.objective).toBeCloseTo(3, 6);
  });

  it("handles free and negative column bounds", async () => {
    // max -y with y free and y >= -2 - x, x in [-1, 3] continuous: y = -2 - x, best at x = 3 -> y = -5 -> 5.
    const m = model([0, -1], [-1, -Infinity], [3, Infinity], [0, 0], [{ lower: -2, indices: [0, 1], values: [1, 1] }]);
    const result = await backend.solve(m, OPTIONS);
    expect(result.status).toBe("optimal");
    expect(result.objective).toBeCloseTo(5, 6);
    expect(result.values?.[1]).toBeCloseTo(-5, 6);
  });

  it("reports an unbounded LP as unbounded", async () => {
    const m = model([1], [0], [Infinity], [0], []);
    const result = await backend.solve(m, OPTIONS);
    expect(result.status).toBe("unbounded");
    expect(result.values).toBeNull();
  });

  it("reports a version string", async () => {
    expect(await backend.version()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("highs backend specifics", () => {
  const highs = createHighsBackend();

  it("reports a proved bound equal to the optimum when solved to zero gap", async () => {
    const m = binaries([10, 7, 4, 12, 3], [{ upper: 9, indices: [0, 1, 2, 3, 4], values: [4, 3, 2, 5, 1] }]);
    const result = await highs.solve(m, OPTIONS);
    expect(result.bound).toBeCloseTo(22, 6);
    expect(result.nodes).toBeGreaterThanOrEqual(0);
  });

  it("solves a pure LP with bound = objective", async () => {
    // max x + y, x + y <= 1.5, 0 <= x, y <= 1 continuous -> 1.5.
    const m = model([1, 1], [0, 0], [1, 1], [0, 0], [{ upper: 1.5, indices: [0, 1], values: [1, 1] }]);
    const result = await highs.solve(m, OPTIONS);
    expect(result.status).toBe("optimal");
    expect(result.objective).toBeCloseTo(1.5, 6);
    expect(result.bound).toBeCloseTo(1.5, 6);
    expect(result.nodes).toBeUndefined();
  });

  it("solves the LP relaxation: an upper bound on the integer optimum", async () => {
    // Knapsack above, greedy by value/weight: item 4 (3), item 0 (2.5), item 3 (2.4), item 1, item 2.
    // Capacity 9: item 4 (w 1) + item 0 (w 4) + 4/5 of item 3 (w 5) -> 3 + 10 + 9.6 = 22.6.
    const m = binaries([10, 7, 4, 12, 3], [{ upper: 9, indices: [0, 1, 2, 3, 4], values: [4, 3, 2, 5, 1] }]);
    const result = await solveRelaxation(m, OPTIONS);
    expect(result.status).toBe("optimal");
    expect(result.objective).toBeCloseTo(22.6, 6);
    expect(result.bound).toBeCloseTo(22.6, 6);
    expect(result.values?.[3]).toBeCloseTo(0.8, 6);
  });

  it("returns an error result, not an exception, for a row that names a missing column", async () => {
    const m = binaries([1], [{ upper: 1, indices: [5], values: [1] }]);
    const result = await highs.solve(m, OPTIONS);
    expect(result.status).toBe("error");
    expect(result.message).toMatch(/column 5/);
  });

  it("is deterministic: the same model gives the same answer twice", async () => {
    const m = gapLikeModel(6, 30, 0.85, 7);
    const unhurried = { timeLimitMs: 120_000, mipGap: 0 };
    const first = await highs.solve(m, unhurried);
    const second = await highs.solve(m, unhurried);
    expect(first.status).toBe("optimal");
    expect(second.objective).toBe(first.objective);
    expect(Array.from(second.values ?? [])).toEqual(Array.from(first.values ?? []));
  });
});

describe("solver registry", () => {
  it("returns one instance per backend name", () => {
    expect(getBackend("highs")).toBe(getBackend("highs"));
    expect(getBackend("jslp")).toBe(getBackend("jslp"));
    expect(getBackend("highs").name).toBe("highs");
    expect(getBackend("jslp").name).toBe("jslp");
  });
});

/** A small binary model with integer coefficients, as drawn by the property test. */
interface RandomModel {
  cost: number[];
  rows: { coefs: number[]; lower: number | null; upper: number | null }[];
}

const randomModel: fc.Arbitrary<RandomModel> = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.record({
    cost: fc.array(fc.integer({ min: -10, max: 10 }), { minLength: n, maxLength: n }),
    rows: fc.array(
      fc.record({
        coefs: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: n, maxLength: n }),
        lower: fc.option(fc.integer({ min: -8, max: 8 }), { nil: null }),
        upper: fc.option(fc.integer({ min: -4, max: 15 }), { nil: null }),
      }),
      { minLength: 0, maxLength: 4 },
    ),
  }),
);

function toMipModel(spec: RandomModel): MipModel {
  return binaries(
    spec.cost,
    spec.rows.map((row) => {
      const indices: number[] = [];
      const values: number[] = [];
      row.coefs.forEach((c, j) => {
        if (c !== 0) {
          indices.push(j);
          values.push(c);
        }
      });
      return { lower: row.lower ?? -Infinity, upper: row.upper ?? Infinity, indices, values };
    }),
  );
}

describe("differential test against brute-force enumeration", () => {
  it("HiGHS matches exactly; jslp matches whenever its answer satisfies every row", async () => {
    const highs = createHighsBackend();
    const jslp = createJslpBackend();
    await fc.assert(
      fc.asyncProperty(randomModel, async (spec) => {
        const m = toMipModel(spec);
        const optimum = bruteForce(m);

        const h = await highs.solve(m, OPTIONS);
        expectCoherent(m, h);
        if (optimum === null) {
          expect(h.status).toBe("infeasible");
        } else {
          expect(h.status).toBe("optimal");
          expect(satisfies(m, h.values ?? [])).toBe(true);
          expect(Math.abs((h.objective ?? NaN) - optimum)).toBeLessThanOrEqual(1e-6);
          expect(h.bound).not.toBeNull();
          expect(Math.abs((h.bound ?? NaN) - optimum)).toBeLessThanOrEqual(1e-6);
        }

        const j = await jslp.solve(m, OPTIONS);
        expect(j.bound).toBeNull();
        if (j.values !== null && satisfies(m, j.values)) {
          expect(optimum).not.toBeNull();
          expect(Math.abs((j.objective ?? NaN) - (optimum ?? NaN))).toBeLessThanOrEqual(1e-6);
        }
      }),
      { seed: 20240611, numRuns: 50 },
    );
  });
});

/**
 * A GAP-like binary model: `agents` x `jobs` columns (column a * jobs + j), each job assigned
 * exactly once, each agent's weighted load within `tightness` of an even split. Maximises -cost.
 */
function gapLikeModel(agents: number, jobs: number, tightness: number, seed: number): MipModel {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const n = agents * jobs;
  const cost: number[] = [];
  const weight: number[] = [];
  for (let k = 0; k < n; k++) {
    cost.push(-(10 + Math.floor(next() * 40)));
    weight.push(5 + Math.floor(next() * 20));
  }
  const rows: RowSpec[] = [];
  for (let j = 0; j < jobs; j++) {
    rows.push({ lower: 1, upper: 1, indices: Array.from({ length: agents }, (_, a) => a * jobs + j), values: Array<number>(agents).fill(1) });
  }
  for (let a = 0; a < agents; a++) {
    const indices = Array.from({ length: jobs }, (_, j) => a * jobs + j);
    const values = indices.map((k) => weight[k] ?? 0);
    const total = values.reduce((s, w) => s + w, 0);
    rows.push({ upper: Math.floor((tightness * total) / agents), indices, values });
  }
  return binaries(cost, rows);
}

describe("time limits", () => {
  it("HiGHS returns feasible or timeout (not an exception) on a GAP-like model it cannot finish", async () => {
    const m = gapLikeModel(30, 300, 0.8, 12345);
    const result = await createHighsBackend().solve(m, { timeLimitMs: 200, mipGap: 0 });
    expect(["feasible", "timeout"]).toContain(result.status);
    expectCoherent(m, result);
  });

  it("jslp returns feasible or timeout (not an exception) on a GAP-like model it cannot finish", async () => {
    // jslp only checks its clock between branch-and-bound nodes, and its root LP on 30 x 300 alone
    // takes seconds, so the instance is smaller here; it still cannot be finished in 200 ms.
    const m = gapLikeModel(10, 60, 0.8, 12345);
    const result = await createJslpBackend().solve(m, { timeLimitMs: 200, mipGap: 0 });
    expect(["feasible", "timeout"]).toContain(result.status);
    expectCoherent(m, result);
  });

  it("a HiGHS bound proved under a time limit is an upper bound on the true optimum", async () => {
    // Small enough to solve exactly, then re-solved with a short limit: any bound must still be ≥ the optimum.
    const m = gapLikeModel(6, 40, 0.85, 7);
    const exact = await createHighsBackend().solve(m, { timeLimitMs: 120_000, mipGap: 0 });
    expect(exact.status).toBe("optimal");
    const optimum = exact.objective ?? NaN;
    expect(exact.bound ?? NaN).toBeGreaterThanOrEqual(optimum - TOL);
    const limited = await createHighsBackend().solve(m, { timeLimitMs: 30, mipGap: 0 });
    expectCoherent(m, limited);
    if (limited.bound !== null) expect(limited.bound).toBeGreaterThanOrEqual(optimum - TOL);
    if (limited.objective !== null) expect(limited.objective).toBeLessThanOrEqual(optimum + TOL);
  });

  it("a mip gap lets HiGHS stop early as optimal but with a bound that still covers the optimum", async () => {
    const m = gapLikeModel(6, 40, 0.85, 7);
    const exact = await createHighsBackend().solve(m, { timeLimitMs: 120_000, mipGap: 0 });
    const loose = await createHighsBackend().solve(m, { timeLimitMs: 120_000, mipGap: 0.05 });
    expect(loose.status).toBe("optimal");
    expectCoherent(m, loose);
    const optimum = exact.objective ?? NaN;
    expect(loose.bound ?? NaN).toBeGreaterThanOrEqual(optimum - TOL);
    expect(loose.objective ?? NaN).toBeLessThanOrEqual(optimum + TOL);
  });
});
