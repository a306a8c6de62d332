import { solveCsrWithHighs } from "./highs-csr-solve.ts";
import { highsRuntime } from "./highs-runtime.ts";
import type { SolverHooks, SolverStatus, SparseMip } from "./mip-model.ts";

/**
 * Runs HiGHS on a `SparseMip` (restricted-mip.ts) through the one HiGHS adapter
 * (highs-csr-solve.ts), handing it `start` as a MIP start when given (neighbourhood sub-MIPs: the
 * answer is then never worse than the start). Synchronous inside: call it from a worker thread.
 */
export interface SparseSolveResult {
  status: SolverStatus;
  values: Float64Array | null;
  /** Objective of the MIP's own columns (without `fixedObjective`). */
  objective: number | null;
  /** HiGHS's proven bound on the MIP's objective (maximisation), when it has one. */
  bound: number | null;
  nodes: number | null;
  /** The HiGHS version, and nothing else. */
  version: string;
  /** What went wrong or why HiGHS stopped, for error, timeout and unbounded. */
  message?: string;
}

export interface SparseSolveOptions {
  timeLimitMs: number;
  mipGap: number;
  maxNodes?: number;
  /** Progress (in the MIP's own objective, without `fixedObjective`) and a stop request; see SolverHooks. */
  hooks?: SolverHooks;
  /** HiGHS's primal heuristics' share of its work (highs-csr-solve.ts `heuristicEffort`). */
  heuristicEffort?: number;
}

/** Throws only when the HiGHS runtime cannot be loaded; every other failure is an `error` result. */
export async function solveSparseMip(mip: SparseMip, options: SparseSolveOptions): Promise<SparseSolveResult> {
  const highs = await highsRuntime();
  const run = solveCsrWithHighs(
    highs,
    {
      numCols: mip.numCols,
      colCost: mip.colCost,
      colLower: new Float64Array(mip.numCols),
      colUpper: mip.colUpper,
      integer: mip.integer,
      rowLower: mip.rowLower,
      rowUpper: mip.rowUpper,
      rowStart: mip.rowStart,
      rowIndex: mip.rowIndex,
      rowValue: mip.rowValue,
    },
    {
      timeLimitMs: options.timeLimitMs,
      mipGap: options.mipGap,
      start: mip.start,
      ...(options.maxNodes === undefined ? {} : { maxNodes: options.maxNodes }),
      ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
      ...(options.heuristicEffort === undefined ? {} : { heuristicEffort: options.heuristicEffort }),
    },
  );
  const result: SparseSolveResult = { status: run.status, values: run.values, objective: run.objective, bound: run.bound, nodes: run.nodes, version: highs.version.string };
  if (run.message !== undefined) result.message = run.message;
  return result;
}
