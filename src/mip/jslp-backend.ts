import { createRequire } from "node:module";
import jslpEntry from "javascript-lp-solver";
import type { ConstraintBound, Model as JslpModel, SolveResult } from "javascript-lp-solver";
import type { MipModel, SolverBackend, SolverOptions, SolverResult } from "./mip-model.ts";
import { EMPTY_ROW_TOLERANCE } from "../numeric/tolerance.ts";

/**
 * javascript-lp-solver (pure JS) behind the solver-neutral interface, for small models. It proves
 * no bound we trust, so `bound` is always null, and its answers are returned as given: the engine's
 * verifier re-checks them (it is known to return row-violating "feasible" answers on capacity
 * models). Its time limit is only checked between branch-and-bound nodes, so the root LP of a large
 * model can overrun `timeLimitMs`. Of the live hooks it honours only a stop requested before it starts.
 */

type JslpSolver = typeof jslpEntry.default;

/**
 * The package's declarations are CommonJS-shaped (the solver sits under `.default`), while Node's
 * ESM import of the package yields the solver itself. Accept both shapes.
 */
function jslpSolver(): JslpSolver {
  const entry: unknown = jslpEntry;
  if (typeof entry === "object" && entry !== null && "Solve" in entry && typeof entry.Solve === "function") {
    return entry as JslpSolver;
  }
  return jslpEntry.default;
}

const OBJECTIVE = "objective";
const colName = (j: number) => `x${j}`;
const rowName = (i: number) => `r${i}`;
const lowerName = (j: number) => `lb${j}`;
const upperName = (j: number) => `ub${j}`;
const boundName = (j: number) => `fix${j}`;

let cachedVersion: string | null = null;

export function createJslpBackend(): SolverBackend {
  return {
    name: "jslp",
    version: () => Promise.resolve(jslpVersion()),
    solve: (model, options) => Promise.resolve(solveWithJslp(model, options)),
  };
}

function jslpVersion(): string {
  if (cachedVersion === null) {
    const require = createRequire(import.meta.url);
    const manifest: unknown = require("javascript-lp-solver/package.json");
    const version =
      typeof manifest === "object" && manifest !== null && "version" in manifest && typeof manifest.version === "string"
        ? manifest.version
        : "unknown";
    cachedVersion = version;
  }
  return cachedVersion;
}

/** Builds the solver's JSON model: index-based names, column bounds as extra rows, maximise. */
function toJslpModel(model: MipModel, options: SolverOptions): JslpModel | "infeasible" {
  const n = model.numCols;
  const variables: Record<string, Record<string, number>> = {};
  const constraints: Record<string, ConstraintBound> = {};
  const ints: Record<string, 1> = {};
  const unrestricted: Record<string, 1> = {};
  const coefficients: Record<string, number>[] = [];
  for (let j = 0; j < n; j++) {
    const entry: Record<string, number> = { [OBJECTIVE]: model.colCost[j] ?? 0 };
    coefficients.push(entry);
    variables[colName(j)] = entry;
    if (model.integer[j] === 1) ints[colName(j)] = 1;
    const lower = model.colLower[j] ?? 0;
    const upper = model.colUpper[j] ?? Infinity;
    if (lower < 0) unrestricted[colName(j)] = 1;
    if (lower === upper) {
      constraints[boundName(j)] = { equal: lower };
      entry[boundName(j)] = 1;
      continue;
    }
    if (lower !== 0 && Number.isFinite(lower)) {
      constraints[lowerName(j)] = { min: lower };
      entry[lowerName(j)] = 1;
    }
    if (Number.isFinite(upper)) {
      constraints[upperName(j)] = { max: upper };
      entry[upperName(j)] = 1;
    }
  }
  for (const [i, row] of model.rows.entries()) {
    const name = rowName(i);
    const merged = new Map<number, number>();
    row.indices.forEach((col, k) => merged.set(col, (merged.get(col) ?? 0) + (row.values[k] ?? 0)));
    let nonzeros = 0;
    for (const [col, value] of merged) {
      const entry = coefficients[col];
      if (entry === undefined) throw new Error(`row ${i} (${row.kind}) refers to column ${col}`);
      if (value === 0) continue;
      entry[name] = value;
      nonzeros++;
    }
    if (nonzeros === 0) {
      // The solver never sees a row without entries; its activity is 0.
      if (row.lower > EMPTY_ROW_TOLERANCE || row.upper < -EMPTY_ROW_TOLERANCE) return "infeasible";
      continue;
    }
    const bound: ConstraintBound = {};
    if (row.lower === row.upper) bound.equal = row.lower;
    else {
      if (Number.isFinite(row.lower)) bound.min = row.lower;
      if (Number.isFinite(row.upper)) bound.max = row.upper;
    }
    if (bound.equal !== undefined || bound.min !== undefined || bound.max !== undefined) constraints[name] = bound;
  }
  const jslpOptions: JslpModel["options"] = { tolerance: Math.max(0, options.mipGap) };
  if (Number.isFinite(options.timeLimitMs) && options.timeLimitMs > 0) jslpOptions.timeout = options.timeLimitMs;
  return {
    optimize: OBJECTIVE,
    opType: "max",
    constraints,
    variables,
    ints,
    unrestricted,
    options: jslpOptions,
  };
}

function solveWithJslp(model: MipModel, options: SolverOptions): SolverResult {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const empty = { values: null, objective: null, bound: null };
  // The solver has no checkpoints to poll nor progress to report: a stop is honoured before it starts.
  if (options.hooks?.stopRequested?.() === true) return { status: "timeout", ...empty, timeMs: elapsed(), message: "javascript-lp-solver not started: a stop was requested" };
  let json: JslpModel | "infeasible";
  try {
    json = toJslpModel(model, options);
  } catch (error) {
    return { status: "error", ...empty, timeMs: elapsed(), message: `invalid model: ${describe(error)}` };
  }
  if (json === "infeasible") return { status: "infeasible", ...empty, timeMs: elapsed() };

  let raw: unknown;
  const solver = jslpSolver();
  try {
    raw = solver.Solve(json);
  } catch (error) {
    return { status: "error", ...empty, timeMs: elapsed(), message: `javascript-lp-solver failed: ${describe(error)}` };
  } finally {
    // The solver keeps its last model (a dense tableau) alive; let it go.
    solver.lastSolvedModel = null;
  }
  const timeMs = elapsed();
  if (!isSolveResult(raw)) {
    return { status: "error", ...empty, timeMs, message: "javascript-lp-solver returned an unexpected result" };
  }
  const hasIntegers = model.integer.some((flag) => flag === 1);
  // The solver does not say whether it stopped on its clock; running past the limit means it may have.
  const outOfTime = Number.isFinite(options.timeLimitMs) && options.timeLimitMs > 0 && timeMs >= options.timeLimitMs;
  // Integer models: only an integral incumbent counts as a solution (after a timeout the tableau may
  // hold a fractional node, and an exhausted search without one means infeasible).
  const hasSolution = raw.feasible && (!hasIntegers || raw.isIntegral === true);
  if (raw.bounded === false && raw.feasible) {
    return { status: "unbounded", ...empty, timeMs, message: "javascript-lp-solver reported an unbounded model" };
  }
  if (!hasSolution) return { status: outOfTime ? "timeout" : "infeasible", ...empty, timeMs };

  const values = new Float64Array(model.numCols);
  let objective = 0;
  for (let j = 0; j < model.numCols; j++) {
    const value = raw[colName(j)];
    const x = typeof value === "number" ? value : 0;
    values[j] = x;
    objective += (model.colCost[j] ?? 0) * x;
  }
  return { status: outOfTime ? "feasible" : "optimal", values, objective, bound: null, timeMs };
}

function isSolveResult(raw: unknown): raw is SolveResult {
  return (
    typeof raw === "object" &&
    raw !== null &&
    "feasible" in raw &&
    typeof raw.feasible === "boolean" &&
    "result" in raw &&
    typeof raw.result === "number"
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
