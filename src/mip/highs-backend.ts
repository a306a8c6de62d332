import type { Highs } from "highs";
import { solveCsrWithHighs, type CsrModel, type HighsRunResult } from "./highs-csr-solve.ts";
import { highsRuntime } from "./highs-runtime.ts";
import type { MipModel, SolverBackend, SolverOptions, SolverResult } from "./mip-model.ts";

/**
 * HiGHS (compiled to WebAssembly, npm `highs`) behind the solver-neutral interface: the model is
 * converted to compressed sparse rows and solved by the one HiGHS adapter (highs-csr-solve.ts).
 * Solves are synchronous and block the calling thread: callers run them in a worker thread, never
 * on the event loop. The wasm runtime is shared (highs-runtime.ts).
 */

export function createHighsBackend(): SolverBackend {
  return {
    name: "highs",
    async version() {
      const highs = await highsRuntime();
      return highs.version.string;
    },
    solve: (model, options) => solveWithHighs(model, options, false),
  };
}

/**
 * Solves only the LP relaxation (integrality dropped). On success the status is "optimal" and the
 * bound equals the objective, which bounds the integer optimum from above.
 */
export function solveRelaxation(model: MipModel, options: SolverOptions): Promise<SolverResult> {
  return solveWithHighs(model, options, true);
}

/** An optimal LP relaxation with its row duals (rows in the model's order); null when it is not solved to optimality. */
export interface RelaxationDuals {
  objective: number;
  rowDual: Float64Array;
}

/** The LP relaxation's optimum and row duals (see HighsRunResult.rowDual for their sign), or null. */
export async function solveRelaxationDuals(model: MipModel, options: SolverOptions): Promise<RelaxationDuals | null> {
  let highs: Highs;
  try {
    highs = await highsRuntime();
  } catch {
    return null;
  }
  let csr: CsrModel;
  try {
    csr = toCsr(model, true);
  } catch {
    return null;
  }
  const run = solveCsrWithHighs(highs, csr, { ...options, duals: true });
  if (run.status !== "optimal" || run.objective === null || run.rowDual === undefined) return null;
  return { objective: run.objective, rowDual: run.rowDual };
}

async function solveWithHighs(model: MipModel, options: SolverOptions, relax: boolean): Promise<SolverResult> {
  let highs: Highs;
  try {
    highs = await highsRuntime();
  } catch (error) {
    return failure(`could not load HiGHS: ${describe(error)}`, 0);
  }
  // The clock starts once the runtime is loaded: loading happens once per process, not per solve.
  const started = performance.now();
  let csr: CsrModel;
  try {
    csr = toCsr(model, relax);
  } catch (error) {
    return failure(`invalid model: ${describe(error)}`, performance.now() - started);
  }
  const run = solveCsrWithHighs(highs, csr, options);
  return toSolverResult(run, performance.now() - started);
}

function toSolverResult(run: HighsRunResult, timeMs: number): SolverResult {
  const out: SolverResult = { status: run.status, values: run.values, objective: run.objective, bound: run.bound, timeMs };
  if (run.nodes !== null) out.nodes = run.nodes;
  if (run.message !== undefined) out.message = run.message;
  return out;
}

/**
 * The neutral model in compressed sparse rows: duplicate column entries in a row are summed and
 * zeros dropped; a relaxation carries no integrality. Throws on arrays of the wrong length and on
 * rows that name a missing column.
 */
function toCsr(model: MipModel, relax: boolean): CsrModel {
  const n = model.numCols;
  if (model.colCost.length !== n || model.colLower.length !== n || model.colUpper.length !== n || model.integer.length !== n) {
    throw new Error(`column arrays must all have length numCols = ${n}`);
  }
  const numRows = model.rows.length;
  const rowStart = new Int32Array(numRows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower = new Float64Array(numRows);
  const rowUpper = new Float64Array(numRows);
  const merged = new Map<number, number>();
  model.rows.forEach((row, r) => {
    if (row.indices.length !== row.values.length) {
      throw new Error(`row ${r} (${row.kind}) has ${row.indices.length} indices but ${row.values.length} values`);
    }
    merged.clear();
    row.indices.forEach((col, k) => {
      if (!Number.isInteger(col) || col < 0 || col >= n) throw new Error(`row ${r} (${row.kind}) refers to column ${col}`);
      merged.set(col, (merged.get(col) ?? 0) + (row.values[k] ?? 0));
    });
    for (const [col, value] of merged) {
      if (value === 0) continue;
      indices.push(col);
      values.push(value);
    }
    rowStart[r + 1] = indices.length;
    rowLower[r] = row.lower;
    rowUpper[r] = row.upper;
  });
  return {
    numCols: n,
    colCost: model.colCost,
    colLower: model.colLower,
    colUpper: model.colUpper,
    integer: relax ? null : model.integer,
    rowLower,
    rowUpper,
    rowStart,
    rowIndex: Int32Array.from(indices),
    rowValue: Float64Array.from(values),
  };
}

function failure(message: string, timeMs: number): SolverResult {
  return { status: "error", values: null, objective: null, bound: null, timeMs, message };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
