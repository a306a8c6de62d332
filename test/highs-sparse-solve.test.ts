import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateGapInstance } from "../data/gap-generator.ts";
import { Plan } from "../models/index.ts";
import { gapToPlan } from "../src/formats/gap-instance.ts";
import { formulate } from "../src/mip/formulation.ts";
import { createHighsBackend } from "../src/mip/highs-backend.ts";
import type { MipModel, SparseMip } from "../src/mip/mip-model.ts";
import { solveSparseMip } from "../src/mip/highs-sparse-solve.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";

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

  it("takes HiGHS's primal heuristics' share of its work as an option HiGHS accepts (a name it did not know would end as an error)", async () => {
    for (const heuristicEffort of [0, 0.3, 1]) {
      const result = await solveSparseMip(knapsack(null), { ...UNHURRIED, heuristicEffort });
      expect(result.status).toBe("optimal");
      expect(result.objective).toBeCloseTo(22, 9);
    }
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

/** The whole-plan MIP of a generated GAP instance (type D or E): HiGHS branches on these. */
function gapModel(type: "D" | "E", agents: number, jobs: number, seed: number): MipModel {
  const plan = Plan.parse(gapToPlan(generateGapInstance({ type, agents, jobs, seed })));
  const policy = resolvePolicy(plan.policy);
  return formulate(plan, buildPairTable(plan, policy), policy);
}

describe("live hooks of a HiGHS run (progress callbacks and a stop request)", () => {
  it("give the same answer as a run without them, and report a rising incumbent and a falling bound", async () => {
    const backend = createHighsBackend();
    // Solved at the root, by branching (7 to 20 nodes), and one proved infeasible.
    const models = [gapModel("E", 5, 30, 1), gapModel("D", 4, 12, 2), gapModel("D", 3, 10, 1), gapModel("D", 3, 10, 2), gapModel("D", 3, 10, 3)];
    let reported = 0;
    let branched = 0;
    for (const model of models) {
      const plain = await backend.solve(model, UNHURRIED);
      const reports: [number | null, number | null][] = [];
      let polls = 0;
      const hooked = await backend.solve(model, {
        ...UNHURRIED,
        hooks: {
          onProgress: (primal, dual) => reports.push([primal, dual]),
          stopRequested: () => {
            polls++;
            return false;
          },
        },
      });
      expect(["optimal", "infeasible"]).toContain(plain.status);
      if ((plain.nodes ?? 0) > 1) branched++;
      expect(hooked.status).toBe(plain.status);
      expect(hooked.objective).toBe(plain.objective);
      expect(hooked.bound).toBe(plain.bound);
      expect(hooked.nodes).toBe(plain.nodes);
      expect(Array.from(hooked.values ?? [])).toEqual(Array.from(plain.values ?? []));
      expect(polls).toBeGreaterThan(0);
      reports.forEach(([primal, dual], i) => {
        const [p0, d0] = reports[i - 1] ?? [null, null];
        if (p0 !== null) expect(primal ?? -Infinity).toBeGreaterThanOrEqual(p0);
        if (d0 !== null) expect(dual ?? Infinity).toBeLessThanOrEqual(d0);
        expect(primal !== p0 || dual !== d0).toBe(true);
        // Scores are minus costs: HiGHS's figures come in the model's sign, never flipped.
        if (primal !== null) expect(primal).toBeLessThanOrEqual((plain.bound ?? Infinity) + 1e-6);
        if (dual !== null) expect(dual).toBeGreaterThanOrEqual((plain.objective ?? -Infinity) - 1e-6);
      });
      const last = reports.at(-1);
      if (last !== undefined && last[0] !== null) expect(last[0]).toBeCloseTo(plain.objective ?? Number.NaN, 6);
      reported += reports.length;
    }
    expect(reported).toBeGreaterThan(models.length);
    expect(branched).toBeGreaterThanOrEqual(2);
  });

  it("stops before starting when the stop is already requested (whole MIP and sparse entry alike)", async () => {
    const stopped = await createHighsBackend().solve(gapModel("E", 5, 30, 2), { ...UNHURRIED, hooks: { stopRequested: () => true } });
    expect(stopped).toMatchObject({ status: "timeout", values: null, objective: null, bound: null });
    expect(stopped.message).toMatch(/stop was requested/);
    const sparse = await solveSparseMip(knapsack(null), { ...UNHURRIED, hooks: { stopRequested: () => true } });
    expect(sparse).toMatchObject({ status: "timeout", values: null });
  });

  it("is interrupted at its next checkpoint once the stop is requested, and returns its incumbent", { timeout: 15_000 }, async () => {
    // Type D, 5 agents × 40 jobs: proving the optimum takes HiGHS far longer than this test's timeout.
    let first: number | null = null;
    const result = await createHighsBackend().solve(gapModel("D", 5, 40, 1), {
      timeLimitMs: 60_000,
      mipGap: 0,
      hooks: {
        onProgress: (primal) => {
          if (first === null && primal !== null) first = primal;
        },
        stopRequested: () => first !== null,
      },
    });
    expect(first).not.toBeNull();
    expect(result.status).toBe("feasible");
    expect(result.values).not.toBeNull();
    expect(result.objective ?? -Infinity).toBeGreaterThanOrEqual(first ?? Infinity);
    // Unproven: the gap to the bound is still open.
    expect((result.bound ?? Infinity) - (result.objective ?? -Infinity)).toBeGreaterThan(1e-6);
  });
});
