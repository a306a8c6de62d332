/**
 * A solver-neutral mixed-integer model, maximised. Columns and rows are plain indices: caller ids
 * never reach a solver. Built by the formulation, consumed by the backends.
 */
export interface MipRow {
  /** What the row encodes, for diagnosis (e.g. "assign", "maxWorkload"). Never sent to a solver. */
  kind: string;
  /** Index of the customer or rep the row belongs to, or -1 for global rows. */
  ref: number;
  lower: number; // -Infinity when absent
  upper: number; // +Infinity when absent
  indices: number[];
  values: number[];
}

export interface MipModel {
  numCols: number;
  /** Objective coefficient per column (maximised). */
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  /** 1 = integer column, 0 = continuous. */
  integer: Uint8Array;
  rows: MipRow[];
}

export interface SolverOptions {
  timeLimitMs: number;
  /** Relative MIP gap at which the solver may stop. */
  mipGap: number;
  /** Live hooks of this solve; absent, the solver runs exactly as without them (nothing is installed). */
  hooks?: SolverHooks;
}

/**
 * A caller's live view of one solver run. Hooks observe and may stop the search; they never change
 * its path, so a run that is not stopped gives the same answer with and without them.
 */
export interface SolverHooks {
  /**
   * Called, synchronously on the solving thread, when the incumbent or the proven bound improves:
   * the incumbent's objective and the bound in the model's own objective (maximised), null while
   * there is none.
   */
  onProgress?: (primal: number | null, dual: number | null) => void;
  /**
   * Polled at the solver's checkpoints; once true the search stops as at its time limit and the
   * run returns what it has (status feasible with the incumbent, or timeout without one).
   */
  stopRequested?: () => boolean;
}

export type SolverStatus = "optimal" | "feasible" | "infeasible" | "timeout" | "unbounded" | "error";

export interface SolverResult {
  status: SolverStatus;
  /** Column values when the solver has a solution (optimal or feasible), else null. */
  values: Float64Array | null;
  objective: number | null;
  /** Proven upper bound on the objective (maximisation), when the solver proves one. */
  bound: number | null;
  nodes?: number;
  timeMs: number;
  message?: string;
}

export interface SolverBackend {
  readonly name: "highs" | "jslp";
  version(): Promise<string>;
  solve(model: MipModel, options: SolverOptions): Promise<SolverResult>;
}

/**
 * A maximised mixed-integer model in compressed sparse rows, as the structured path builds it
 * (restricted sub-MIPs): columns are pair choices or auxiliary variables, all with lower bound 0.
 */
export interface SparseMip {
  numCols: number;
  colCost: Float64Array;
  colUpper: Float64Array;
  /** 1 = binary pair column, 0 = continuous. */
  integer: Uint8Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  rowStart: Int32Array;
  rowIndex: Int32Array;
  rowValue: Float64Array;
  /** Pair of each column (-1 for an auxiliary column). */
  columnPair: Int32Array;
  /** Objective of the fixed customers, to add to the MIP's. */
  fixedObjective: number;
  /** The incumbent on the free customers, as column values (null when not given). */
  start: Float64Array | null;
}
