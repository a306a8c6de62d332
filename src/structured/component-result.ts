import { GAP_TOLERANCE, relativeGap } from "../numeric/tolerance.ts";
import type { PairChoice } from "./assignment-problem.ts";
import type { PartProgress } from "./part-progress.ts";
import { WORK_UNITS_PER_MS, type WorkBudget } from "./work-budget.ts";

/**
 * What solving one independent part of a plan gives back (component-solver.ts), and how its status
 * and `stoppedBy` are settled: `bound` is only set when proven (by the network simplex's duals, a
 * Lagrangian bound recomputed from the data, or HiGHS), and every returned choice has passed the
 * internal feasibility check. The caller still verifies the merged plan independently.
 */
export interface ComponentResult {
  /** "optimal": proven within mipGap; "timeout": no feasible choice found. */
  status: "optimal" | "feasible" | "infeasible" | "timeout";
  choice: PairChoice | null;
  objective: number | null;
  bound: number | null;
  /** Algorithms that ran, in order (e.g. ["lagrangian", "local-search", "highs"]). */
  algorithms: string[];
  /** HiGHS version when HiGHS ran. */
  highsVersion: string | null;
  nodes: number | null;
  /**
   * Why the search ended: "gap" when the proven gap reached mipGap, "complete" when every phase
   * ran to its end or its work budget out (both give the same answer on every run), "time-limit"
   * when the clock cut a phase (the answer may differ from run to run), "cancelled" when the
   * caller's stop request ended it.
   */
  stoppedBy: StoppedBy;
  /** Work done, in milliseconds of time limit (WORK_UNITS_PER_MS): what the part used of its budget. */
  workMs: number;
}

export type StoppedBy = "gap" | "complete" | "time-limit" | "cancelled";

export interface ComponentContext {
  /** performance.now() value at which every phase stops, its work done or not (the hard stop). */
  deadline: number;
  mipGap: number;
  /** The part's work budget in milliseconds of time limit: a number derived from the requested limit, never measured. */
  budgetMs: number;
  /** The caller's stop request (work-budget.ts): polled with the clock, it ends the part's search. */
  stopRequested?: () => boolean;
  /** Live reports of the part's search, in the part's own objective (part-progress.ts). */
  progress?: PartProgress;
  /**
   * Threads the part may use (default 1). With 2, a part that ends with HiGHS on its whole MIP
   * runs HiGHS on a helper thread from the start, beside the heuristics (the portfolio,
   * whole-part-mip.ts); the answer differs from one thread's only when the clock stops HiGHS.
   */
  threads?: number;
}


/** The objective at which the gap to `bound` reaches `mipGap` (searches may stop there). */
export function targetObjective(bound: number, mipGap: number): number {
  return bound - mipGap * Math.max(1, Math.abs(bound));
}

/** A result's part apart from its status and how it stopped. */
export type Outcome = Omit<ComponentResult, "status" | "stoppedBy" | "workMs">;

/** Status from the bound (optimal when proven within mipGap), and how the search stopped, from the budget. */
export function settle(result: Outcome, mipGap: number, budget: WorkBudget): ComponentResult {
  if (result.choice === null || result.objective === null) return finish({ ...result, status: "timeout" }, budget);
  const proven = result.bound !== null && relativeGap(result.bound, result.objective) <= mipGap + GAP_TOLERANCE;
  return finish({ ...result, status: proven ? "optimal" : "feasible" }, budget);
}

/** Adds `stoppedBy` and `workMs` to a result whose status is known. */
export function finish(result: Omit<ComponentResult, "stoppedBy" | "workMs">, budget: WorkBudget): ComponentResult {
  const stoppedBy: StoppedBy = budget.cancelled ? "cancelled" : budget.clockCut || budget.clockShaped ? "time-limit" : result.status === "optimal" ? "gap" : "complete";
  return { ...result, stoppedBy, workMs: budget.used / WORK_UNITS_PER_MS };
}

/**
 * How several parts stopped, together: a stop request anywhere wins, then the clock cutting any
 * part, then a part that ran its work out, then the gap.
 */
export function mergeStoppedBy(a: StoppedBy, b: StoppedBy): StoppedBy {
  const rank: Record<StoppedBy, number> = { gap: 0, complete: 1, "time-limit": 2, cancelled: 3 };
  return rank[a] >= rank[b] ? a : b;
}
