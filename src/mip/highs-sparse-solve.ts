import type { Highs, ModelData } from "highs";
import { highsRuntime } from "./highs-runtime.ts";
import type { SolverStatus, SparseMip } from "./mip-model.ts";

/**
 * Runs HiGHS on a `SparseMip` (restricted-mip.ts), handing it `start` as a MIP start when given
 * (neighbourhood sub-MIPs: the answer is then never worse than the start).
 * Synchronous inside: call it from a worker thread. The wasm runtime is the one the MIP backend
 * uses (highs-runtime.ts).
 */
export interface SparseSolveResult {
  status: SolverStatus;
  values: Float64Array | null;
  /** Objective of the MIP's own columns (without `fixedObjective`). */
  objective: number | null;
  /** HiGHS's proven bound on the MIP's objective (maximisation), when it has one. */
  bound: number | null;
  nodes: number | null;
  version: string;
}

const RANDOM_SEED = 0;

/** `maxNodes`: a branch-and-bound node limit (a bound on work that, unlike the time limit, gives the same answer on any machine). */
export async function solveSparseMip(mip: SparseMip, options: { timeLimitMs: number; mipGap: number; maxNodes?: number }): Promise<SparseSolveResult> {
  const highs = await highsRuntime();
  const version = highs.version.string;
  const fail = (message: string): SparseSolveResult => ({ status: "error", values: null, objective: null, bound: null, nodes: null, version: `${version} (${message})` });
  if (mip.numCols === 0) {
    let ok = true;
    for (let i = 0; i < mip.rowLower.length; i++) if ((mip.rowLower[i] ?? 0) > 1e-9 || (mip.rowUpper[i] ?? 0) < -1e-9) ok = false;
    return ok
      ? { status: "optimal", values: new Float64Array(0), objective: 0, bound: 0, nodes: 0, version }
      : { status: "infeasible", values: null, objective: null, bound: null, nodes: 0, version };
  }
  const inf = highs.infinity;
  const clamp = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
  const numRows = mip.rowLower.length;
  const { integer: integerType, continuous } = highs.constants.variableType;
  const data: ModelData = {
    numCols: mip.numCols,
    numRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: mip.colCost,
    colLower: new Float64Array(mip.numCols),
    colUpper: mip.colUpper.map(clamp),
    rowLower: mip.rowLower.map(clamp),
    rowUpper: mip.rowUpper.map(clamp),
    matrix: { format: "csr", numRows, numCols: mip.numCols, starts: mip.rowStart, indices: mip.rowIndex, values: mip.rowValue },
    integrality: Int32Array.from(mip.integer, (flag) => (flag === 1 ? integerType : continuous)),
  };
  let instance: ReturnType<Highs["createModel"]> | null = null;
  try {
    instance = highs.createModel(data);
    instance.options.set({ output_flag: false, random_seed: RANDOM_SEED, mip_rel_gap: Math.max(0, options.mipGap) });
    if (Number.isFinite(options.timeLimitMs)) instance.options.set("time_limit", Math.max(0.01, options.timeLimitMs / 1000));
    if (options.maxNodes !== undefined && Number.isFinite(options.maxNodes)) instance.options.set("mip_max_nodes", Math.min(2 ** 31 - 1, Math.max(0, Math.floor(options.maxNodes))));
    if (mip.start !== null) instance.setSolution({ colValue: mip.start });
    const status = instance.run().modelStatus;
    const codes = highs.constants.modelStatus;
    const hasSolution = Number(instance.info.get("primal_solution_status")) === highs.constants.solutionStatus.feasible;
    const dual = Number(instance.info.get("mip_dual_bound"));
    const nodesRaw = instance.info.get("mip_node_count");
    const nodes = typeof nodesRaw === "bigint" ? Number(nodesRaw) : Number.isFinite(nodesRaw) ? nodesRaw : null;
    let mapped: SolverStatus;
    if (status === codes.optimal) mapped = hasSolution ? "optimal" : "error";
    else if (status === codes.infeasible) mapped = "infeasible";
    else if (status === codes.timeLimit || status === codes.interrupted || status === codes.iterationLimit || status === codes.solutionLimit) mapped = hasSolution ? "feasible" : "timeout";
    else mapped = "error";
    if (mapped !== "optimal" && mapped !== "feasible") {
      return { status: mapped, values: null, objective: null, bound: mapped === "timeout" && Number.isFinite(dual) ? dual : null, nodes, version };
    }
    const values = Float64Array.from(instance.getSolution().colValue);
    const objective = instance.getObjectiveValue() + 0;
    const bound = Number.isFinite(dual) ? Math.max(dual, objective) : mapped === "optimal" ? objective : null;
    return { status: mapped, values, objective, bound, nodes, version };
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  } finally {
    instance?.dispose();
  }
}
