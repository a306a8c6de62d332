import type { Highs, ModelData, ModelStatusCode } from "highs";
import { highsRuntime } from "./highs-runtime.ts";
import type { MipModel, SolverBackend, SolverOptions, SolverResult, SolverStatus } from "./mip-model.ts";

/**
 * HiGHS (compiled to WebAssembly, npm `highs`) behind the solver-neutral interface. Solves are
 * synchronous and block the calling thread: callers run them in a worker thread, never on the
 * event loop. The wasm runtime is shared (highs-runtime.ts).
 */

/** Fixed seed so that the same model gives the same answer on every run. */
const RANDOM_SEED = 0;
/** The wasm build reports 64-bit counters as bigint; anything outside this is not a real count. */
const MAX_NODE_COUNT = BigInt(Number.MAX_SAFE_INTEGER);

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

async function solveWithHighs(model: MipModel, options: SolverOptions, relax: boolean): Promise<SolverResult> {
  let highs: Highs;
  try {
    highs = await highsRuntime();
  } catch (error) {
    return failure(`could not load HiGHS: ${describe(error)}`, 0);
  }
  // The clock starts once the runtime is loaded: loading happens once per process, not per solve.
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  if (model.numCols === 0) return solveWithoutColumns(model, elapsed());

  const isMip = !relax && model.integer.some((flag) => flag === 1);
  let data: ModelData;
  try {
    data = toHighsModel(highs, model, isMip);
  } catch (error) {
    return failure(`invalid model: ${describe(error)}`, elapsed());
  }

  let instance: ReturnType<Highs["createModel"]> | null = null;
  try {
    instance = highs.createModel(data);
    instance.options.set({
      output_flag: false,
      random_seed: RANDOM_SEED,
      mip_rel_gap: Math.max(0, options.mipGap),
    });
    if (Number.isFinite(options.timeLimitMs) && options.timeLimitMs > 0) {
      instance.options.set("time_limit", options.timeLimitMs / 1000);
    }
    const status = instance.run().modelStatus;
    const hasSolution = Number(instance.info.get("primal_solution_status")) === highs.constants.solutionStatus.feasible;
    const mapped = mapStatus(highs, status, hasSolution);
    const base: SolverResult = {
      status: mapped.status,
      values: null,
      objective: null,
      bound: null,
      timeMs: 0,
    };
    if (mapped.message !== undefined) base.message = mapped.message;
    if (isMip) {
      const nodes = nodeCount(instance.info.get("mip_node_count"));
      if (nodes !== null) base.nodes = nodes;
    }
    if (mapped.status === "optimal" || mapped.status === "feasible") {
      base.values = Float64Array.from(instance.getSolution().colValue);
      const objective = instance.getObjectiveValue() + 0; // + 0 turns -0 into 0
      base.objective = objective;
      if (isMip) {
        const dualBound = Number(instance.info.get("mip_dual_bound"));
        // Under maximisation HiGHS reports the dual bound as an upper bound. A proved bound can sit
        // a hair below the incumbent from rounding; the incumbent itself is then the tighter truth.
        base.bound = Number.isFinite(dualBound) ? Math.max(dualBound, objective) + 0 : null;
        if (mapped.status === "optimal" && base.bound === null) base.bound = objective;
      } else if (mapped.status === "optimal") {
        // An optimal LP: its objective is the proved bound (mip_dual_bound is not set for LPs).
        base.bound = objective;
      }
    } else if (mapped.status === "timeout" && isMip) {
      const dualBound = Number(instance.info.get("mip_dual_bound"));
      if (Number.isFinite(dualBound)) base.bound = dualBound + 0;
    }
    base.timeMs = elapsed();
    return base;
  } catch (error) {
    return failure(`HiGHS failed: ${describe(error)}`, elapsed());
  } finally {
    instance?.dispose();
  }
}

function mapStatus(
  highs: Highs,
  status: ModelStatusCode,
  hasSolution: boolean,
): { status: SolverStatus; message?: string } {
  const codes = highs.constants.modelStatus;
  switch (status) {
    case codes.optimal:
      return hasSolution
        ? { status: "optimal" }
        : { status: "error", message: "HiGHS reported optimal without a feasible primal solution" };
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
 * Converts the neutral model to HiGHS input: maximise, CSR rows (duplicate column entries in a row
 * are summed, zeros dropped), infinite bounds as HiGHS infinity.
 */
function toHighsModel(highs: Highs, model: MipModel, isMip: boolean): ModelData {
  const n = model.numCols;
  if (model.colCost.length !== n || model.colLower.length !== n || model.colUpper.length !== n || model.integer.length !== n) {
    throw new Error(`column arrays must all have length numCols = ${n}`);
  }
  const inf = highs.infinity;
  const clamp = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
  const numRows = model.rows.length;
  const starts = new Int32Array(numRows + 1);
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
    starts[r + 1] = indices.length;
    rowLower[r] = clamp(row.lower);
    rowUpper[r] = clamp(row.upper);
  });
  const data: ModelData = {
    numCols: n,
    numRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: model.colCost,
    colLower: model.colLower.map(clamp),
    colUpper: model.colUpper.map(clamp),
    rowLower,
    rowUpper,
    matrix: {
      format: "csr",
      numRows,
      numCols: n,
      starts,
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
  };
  if (!isMip) return data;
  const { integer, continuous } = highs.constants.variableType;
  return { ...data, integrality: Int32Array.from(model.integer, (flag) => (flag === 1 ? integer : continuous)) };
}

/**
 * A model without columns has nothing to decide: it is optimal with objective 0 when every row
 * admits an activity of 0, infeasible otherwise. HiGHS cannot return a solution for it ("empty").
 */
function solveWithoutColumns(model: MipModel, timeMs: number): SolverResult {
  const feasible = model.rows.every((row) => row.lower <= 0 && row.upper >= 0);
  return feasible
    ? { status: "optimal", values: new Float64Array(0), objective: 0, bound: 0, timeMs }
    : { status: "infeasible", values: null, objective: null, bound: null, timeMs };
}

function nodeCount(raw: number | bigint): number | null {
  if (typeof raw === "bigint") return raw >= 0n && raw <= MAX_NODE_COUNT ? Number(raw) : null;
  return Number.isSafeInteger(raw) && raw >= 0 ? raw : null;
}

function failure(message: string, timeMs: number): SolverResult {
  return { status: "error", values: null, objective: null, bound: null, timeMs, message };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
