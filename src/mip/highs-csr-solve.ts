import type { CallbackEventFor, Highs, HighsCallbackMap, ModelData, ModelStatusCode } from "highs";
import type { SolverHooks, SolverStatus } from "./mip-model.ts";
import { EMPTY_ROW_TOLERANCE } from "../numeric/tolerance.ts";

/**
 * One HiGHS run on a maximised model in compressed sparse rows: the single place that builds the
 * HiGHS model, sets its options (seed, gap, time limit, MIP start), runs it, maps its status and
 * reads the solution, bound and node count. The MIP backend (highs-backend.ts) and the structured
 * path's sparse solves (highs-sparse-solve.ts) are thin entries onto it. Synchronous: HiGHS blocks
 * the calling thread, so callers run it in a worker thread. Live hooks (progress, a stop request)
 * become HiGHS callbacks for the one run, installed only when a hook is given.
 */

/** A maximised model in compressed sparse rows. Infinite bounds are given as ±Infinity. */
export interface CsrModel {
  numCols: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  /** 1 = integer column, 0 = continuous; null solves the model as an LP (integrality dropped). */
  integer: Uint8Array | null;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  /** Row r's entries are rowIndex/rowValue[rowStart[r] .. rowStart[r + 1]). */
  rowStart: Int32Array;
  rowIndex: Int32Array;
  rowValue: Float64Array;
}

export interface HighsRunOptions {
  timeLimitMs: number;
  /** Relative MIP gap at which HiGHS may stop. */
  mipGap: number;
  /** Column values handed to HiGHS as a MIP start (MIPs only); null or absent: none. */
  start?: Float64Array | null;
  /** A branch-and-bound node limit: a bound on work that, unlike the time limit, gives the same answer on any machine. */
  maxNodes?: number;
  /** Progress reports and a stop request for this run (an interrupted run ends as at its time limit). */
  hooks?: SolverHooks;
  /** Read the row duals of an optimal LP (ignored for a MIP: its duals mean nothing). */
  duals?: boolean;
  /** HiGHS's `mip_heuristic_effort` (its default, 0.05, when absent): the share of its work its primal heuristics may take. */
  heuristicEffort?: number;
}

export interface HighsRunResult {
  status: SolverStatus;
  /** Column values when HiGHS has a solution (optimal or feasible), else null. */
  values: Float64Array | null;
  objective: number | null;
  /** Proven upper bound on the objective, when HiGHS proves one. */
  bound: number | null;
  /** Branch-and-bound nodes of a MIP; null for an LP, a model without columns, or no count. */
  nodes: number | null;
  timeMs: number;
  /** What went wrong or why HiGHS stopped, for error, timeout and unbounded. */
  message?: string;
  /**
   * With `duals` on an optimal LP: per row, the derivative of the optimum with respect to the row's
   * active bound (positive at an upper bound that holds the objective back, negative at a lower one).
   */
  rowDual?: Float64Array;
}

/** Fixed seed so that the same model gives the same answer on every run. */
const RANDOM_SEED = 0;
/** Shortest time limit handed to HiGHS (seconds): it needs a moment to return what it has. */
const MIN_TIME_LIMIT_S = 0.01;
/** The wasm build reports 64-bit counters as bigint; anything outside this is not a real count. */
const MAX_NODE_COUNT = BigInt(Number.MAX_SAFE_INTEGER);

export function solveCsrWithHighs(highs: Highs, model: CsrModel, options: HighsRunOptions): HighsRunResult {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  if (model.numCols === 0) return solveWithoutColumns(model, elapsed());
  const isMip = model.integer !== null && model.integer.some((flag) => flag === 1);
  const start = options.start ?? null;
  if (start !== null && start.length !== model.numCols) {
    return failure(`invalid model: the start has ${start.length} values for ${model.numCols} columns`, elapsed());
  }

  if (options.hooks?.stopRequested?.() === true) return stoppedBeforeStart(elapsed());

  let instance: ReturnType<Highs["createModel"]> | null = null;
  try {
    instance = highs.createModel(toModelData(highs, model, isMip));
    instance.options.set({ output_flag: false, random_seed: RANDOM_SEED, mip_rel_gap: Math.max(0, options.mipGap) });
    if (Number.isFinite(options.timeLimitMs)) instance.options.set("time_limit", Math.max(MIN_TIME_LIMIT_S, options.timeLimitMs / 1000));
    if (options.maxNodes !== undefined && Number.isFinite(options.maxNodes)) instance.options.set("mip_max_nodes", Math.min(2 ** 31 - 1, Math.max(0, Math.floor(options.maxNodes))));
    if (options.heuristicEffort !== undefined && isMip) instance.options.set("mip_heuristic_effort", Math.min(1, Math.max(0, options.heuristicEffort)));
    if (start !== null && isMip) instance.setSolution({ colValue: start });

    const callbacks = runCallbacks(highs, options.hooks, isMip);
    const code = (callbacks === undefined ? instance.run() : instance.run(callbacks)).modelStatus;
    const hasSolution = Number(instance.info.get("primal_solution_status")) === highs.constants.solutionStatus.feasible;
    const mapped = mapStatus(highs, code, hasSolution);
    const result: HighsRunResult = { status: mapped.status, values: null, objective: null, bound: null, nodes: null, timeMs: 0 };
    if (mapped.message !== undefined) result.message = mapped.message;
    if (isMip) result.nodes = nodeCount(instance.info.get("mip_node_count"));
    const dualBound = isMip ? Number(instance.info.get("mip_dual_bound")) : NaN;
    if (mapped.status === "optimal" || mapped.status === "feasible") {
      const solution = instance.getSolution();
      result.values = Float64Array.from(solution.colValue);
      if (options.duals === true && !isMip && mapped.status === "optimal") result.rowDual = Float64Array.from(solution.rowDual);
      const objective = instance.getObjectiveValue() + 0; // + 0 turns -0 into 0
      result.objective = objective;
      // Under maximisation HiGHS reports the dual bound as an upper bound. A proved bound can sit a
      // hair below the incumbent from rounding; the incumbent itself is then the tighter truth. An
      // optimal LP's objective is its bound (mip_dual_bound is not set for LPs).
      if (Number.isFinite(dualBound)) result.bound = Math.max(dualBound, objective) + 0;
      else if (mapped.status === "optimal") result.bound = objective;
    } else if (mapped.status === "timeout" && Number.isFinite(dualBound)) {
      result.bound = dualBound + 0;
    }
    result.timeMs = elapsed();
    return result;
  } catch (error) {
    return failure(`HiGHS failed: ${error instanceof Error ? error.message : String(error)}`, elapsed());
  } finally {
    instance?.dispose();
  }
}

/**
 * The HiGHS callbacks for a run's hooks, or undefined when there is no hook (nothing installed, so
 * the run is exactly the plain one). A MIP reports a new incumbent from `mipImprovingSolution` and a
 * tighter bound from the `mipInterrupt` checkpoints, which also carry the stop; `mipLogging` is not
 * used because it only fires when HiGHS writes its log. An LP can only be stopped (simplex
 * checkpoints). The figures are in the model's own objective, maximised, as HiGHS reports them.
 */
function runCallbacks(highs: Highs, hooks: SolverHooks | undefined, isMip: boolean): HighsCallbackMap | undefined {
  const onProgress = hooks?.onProgress;
  const stopRequested = hooks?.stopRequested;
  if (onProgress === undefined && stopRequested === undefined) return undefined;
  const types = highs.constants.callbackType;
  if (!isMip) {
    if (stopRequested === undefined) return undefined;
    return {
      [types.simplexInterrupt]: (event: CallbackEventFor<1>) => {
        if (stopRequested()) event.interrupt();
        return undefined;
      },
    };
  }
  let primal: number | null = null;
  let dual: number | null = null;
  /** Reports only improvements: a higher incumbent or a lower bound (each once HiGHS has a finite one). */
  const report = (incumbent: number | undefined, bound: number | undefined): void => {
    if (onProgress === undefined) return;
    const nextPrimal = incumbent !== undefined && Number.isFinite(incumbent) && (primal === null || incumbent > primal) ? incumbent + 0 : primal;
    const nextDual = bound !== undefined && Number.isFinite(bound) && (dual === null || bound < dual) ? bound + 0 : dual;
    if (nextPrimal === primal && nextDual === dual) return;
    primal = nextPrimal;
    dual = nextDual;
    onProgress(primal, dual);
  };
  const interrupt = (event: CallbackEventFor<6>) => {
    report(event.data.mip_primal_bound, event.data.mip_dual_bound);
    if (stopRequested?.() === true) event.interrupt();
    return undefined;
  };
  if (onProgress === undefined) return { [types.mipInterrupt]: interrupt };
  return {
    [types.mipInterrupt]: interrupt,
    [types.mipImprovingSolution]: (event: CallbackEventFor<4>) => {
      report(event.data.objective_function_value, event.data.mip_dual_bound);
      return undefined;
    },
  };
}

function toModelData(highs: Highs, model: CsrModel, isMip: boolean): ModelData {
  const inf = highs.infinity;
  const clamp = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
  const numRows = model.rowLower.length;
  const data: ModelData = {
    numCols: model.numCols,
    numRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: model.colCost,
    colLower: model.colLower.map(clamp),
    colUpper: model.colUpper.map(clamp),
    rowLower: model.rowLower.map(clamp),
    rowUpper: model.rowUpper.map(clamp),
    matrix: { format: "csr", numRows, numCols: model.numCols, starts: model.rowStart, indices: model.rowIndex, values: model.rowValue },
  };
  if (!isMip || model.integer === null) return data;
  const { integer, continuous } = highs.constants.variableType;
  return { ...data, integrality: Int32Array.from(model.integer, (flag) => (flag === 1 ? integer : continuous)) };
}

function mapStatus(highs: Highs, status: ModelStatusCode, hasSolution: boolean): { status: SolverStatus; message?: string } {
  const codes = highs.constants.modelStatus;
  switch (status) {
    case codes.optimal:
      return hasSolution ? { status: "optimal" } : { status: "error", message: "HiGHS reported optimal without a feasible primal solution" };
    case codes.timeLimit:
    case codes.interrupted:
    case codes.iterationLimit:
    case codes.solutionLimit:
    case codes.objectiveBound:
    case codes.objectiveTarget:
      return hasSolution ? { status: "feasible" } : { status: "timeout", message: `HiGHS stopped: ${statusName(highs, status)}` };
    case codes.infeasible:
      return { status: "infeasible" };
    case codes.unbounded:
    case codes.unboundedOrInfeasible:
      return { status: "unbounded", message: `HiGHS status: ${statusName(highs, status)}` };
    default:
      return { status: "error", message: `HiGHS status: ${statusName(highs, status)}` };
  }
}

function statusName(highs: Highs, status: ModelStatusCode): string {
  const entry = Object.entries(highs.constants.modelStatus).find(([, code]) => code === status);
  return entry === undefined ? `code ${status}` : entry[0];
}

/**
 * A model without columns has nothing to decide: it is optimal with objective 0 when every row
 * admits an activity of 0, infeasible otherwise. HiGHS cannot return a solution for it ("empty").
 */
function solveWithoutColumns(model: CsrModel, timeMs: number): HighsRunResult {
  let feasible = true;
  for (let r = 0; r < model.rowLower.length; r++) {
    if ((model.rowLower[r] ?? 0) > EMPTY_ROW_TOLERANCE || (model.rowUpper[r] ?? 0) < -EMPTY_ROW_TOLERANCE) feasible = false;
  }
  return feasible
    ? { status: "optimal", values: new Float64Array(0), objective: 0, bound: 0, nodes: null, timeMs }
    : { status: "infeasible", values: null, objective: null, bound: null, nodes: null, timeMs };
}

function nodeCount(raw: number | bigint): number | null {
  if (typeof raw === "bigint") return raw >= 0n && raw <= MAX_NODE_COUNT ? Number(raw) : null;
  return Number.isSafeInteger(raw) && raw >= 0 ? raw : null;
}

/** A run whose stop was requested before HiGHS started: no answer, as at a time limit. */
function stoppedBeforeStart(timeMs: number): HighsRunResult {
  return { status: "timeout", values: null, objective: null, bound: null, nodes: null, timeMs, message: "HiGHS stopped: a stop was requested before it started" };
}

function failure(message: string, timeMs: number): HighsRunResult {
  return { status: "error", values: null, objective: null, bound: null, nodes: null, timeMs, message };
}
