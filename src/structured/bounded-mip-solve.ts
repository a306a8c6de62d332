import type { SolverHooks, SparseMip } from "../mip/mip-model.ts";
import { solveSparseMip, type SparseSolveResult } from "../mip/highs-sparse-solve.ts";
import type { WorkMeter } from "./work-budget.ts";

/**
 * HiGHS on a sub-MIP under a work limit: the branch-and-bound gets a node limit (deterministic:
 * HiGHS runs single-threaded with a fixed seed), and only the time left before the hard stop as
 * its time limit. When HiGHS ends unfinished, below its node limit, once that time is up, the clock
 * cut it: the meter records it. The caller's stop request (the meter's stop hook) is handed to HiGHS,
 * which it interrupts; a stop already requested means no solve (null), like a hard stop passed.
 */
export interface BoundedSolveOptions {
  work: WorkMeter;
  mipGap: number;
  maxNodes: number;
  /** Time kept back from the hard stop for HiGHS's overrun (presolve, the last node). */
  marginMs: number;
  /** HiGHS's incumbent and bound as they improve, in the MIP's own objective (without `fixedObjective`). */
  onProgress?: (primal: number | null, dual: number | null) => void;
  /** HiGHS's primal heuristics' share of its work (highs-csr-solve.ts `heuristicEffort`). */
  heuristicEffort?: number;
}

export async function solveBounded(mip: SparseMip, options: BoundedSolveOptions): Promise<SparseSolveResult | null> {
  const stopRequested = options.work.stopHook();
  if (stopRequested?.() === true) return null;
  const limitMs = options.work.msLeft() - options.marginMs;
  if (limitMs <= 0) {
    options.work.cutByClock();
    return null;
  }
  const hooks: SolverHooks = {};
  if (stopRequested !== undefined) hooks.stopRequested = stopRequested;
  if (options.onProgress !== undefined) hooks.onProgress = options.onProgress;
  const startedAt = performance.now();
  const result = await solveSparseMip(mip, { timeLimitMs: limitMs, mipGap: options.mipGap, maxNodes: options.maxNodes, hooks, ...(options.heuristicEffort === undefined ? {} : { heuristicEffort: options.heuristicEffort }) });
  const unfinished = result.status === "feasible" || result.status === "timeout";
  if (unfinished && (result.nodes ?? 0) < options.maxNodes && performance.now() >= startedAt + limitMs) options.work.cutByClock();
  return result;
}
