import type { Plan } from "../../models/index.ts";
import { fairShareWeights } from "../plan/fair-share.ts";
import { SOLVER_SLACK, solverSlack } from "../numeric/tolerance.ts";
import type { MipModel, MipRow } from "./mip-model.ts";
import type { PairTable } from "../plan/pair-table.ts";
import type { ResolvedPolicy } from "../plan/resolved-policy.ts";

/**
 * Workload and band rows are widened by the solvers' relative slack (numeric/tolerance.ts): HiGHS
 * checks rows to an absolute 1e-7 or so, less than one unit in the last place of totals near 10^12,
 * so an assignment exactly on a bound — which the verifier accepts — could be refused for the
 * rounding of the bound. The slack is far inside the verifier's tolerance, so answers still pass it.
 * Account limits are whole numbers against whole counts and need none.
 */
const below = (upper: number) => upper + solverSlack(upper);
const above = (lower: number) => lower - solverSlack(lower);

/**
 * The unit the value rows count in: the power of two at or below the largest customer value (1 when
 * every value is 0). HiGHS works to absolute tolerances, drops matrix entries of 1e-9 or less and
 * refuses entries of 10^15 or more; a band row of values near 10^12 beside the assigned-total
 * column's coefficient of about 1 is scaled so badly that HiGHS cut every plan but the empty one
 * off (and "proved" it optimal). In this unit every value coefficient is at most 2 and the total
 * column is at most 2 × the number of customers, whatever the magnitude of the values; a power of
 * two divides exactly, so each row is the unscaled row to the last bit, its slack included.
 */
export function valueUnit(values: Iterable<number>): number {
  let largest = 0;
  for (const v of values) if (v > largest) largest = v;
  if (!(largest > 0 && Number.isFinite(largest))) return 1;
  const exponent = Math.floor(Math.log2(largest));
  // log2 may round up just below a power of two (up to 1024 for the largest double): keep unit ≤ largest.
  return 2 ** exponent > largest ? 2 ** (exponent - 1) : 2 ** exponent;
}

/** Constraint groups that the diagnosis may switch off to find which one makes a plan infeasible. */
export type ConstraintGroup = "valueBand" | "countBand" | "maxMoves" | "minAccounts";

/**
 * The MIP (README, "What is optimised") over the eligible pairs: column k is x[k] for pair k of the table (binary),
 * plus, when unassigned customers are allowed and a fairness band is on, one continuous column for
 * the assigned total the band is a share of. Maximises Σ score·x. Value-band rows and the assigned
 * value total are measured in `valueUnit` of the customers' values (the objective is not scaled).
 */
export function formulate(
  plan: Plan,
  table: PairTable,
  policy: ResolvedPolicy,
  drop: ReadonlySet<ConstraintGroup> = new Set(),
): MipModel {
  const rows: MipRow[] = [];
  const n = table.count;
  const auxCosts: number[] = [];
  const auxColumn = (cost = 0) => n + auxCosts.push(cost) - 1;

  // Each customer exactly once (at most once when unassigned customers are allowed).
  table.byCustomer.forEach((pairs, c) => {
    rows.push({
      kind: "assign",
      ref: c,
      lower: policy.allowUnassigned ? 0 : 1,
      upper: 1,
      indices: pairs,
      values: pairs.map(() => 1),
    });
  });

  plan.reps.forEach((rep, r) => {
    const pairs = table.byRep[r] ?? [];
    const minAccounts = rep.available === false || drop.has("minAccounts") ? 0 : (rep.minAccounts ?? 0);
    if (rep.maxAccounts !== undefined || minAccounts > 0) {
      rows.push({
        kind: "accounts",
        ref: r,
        lower: minAccounts > 0 ? minAccounts : -Infinity,
        upper: rep.maxAccounts ?? Infinity,
        indices: pairs,
        values: pairs.map(() => 1),
      });
    }
    if (rep.maxWorkload !== undefined) {
      rows.push({
        kind: "maxWorkload",
        ref: r,
        lower: -Infinity,
        upper: below(rep.maxWorkload),
        indices: pairs,
        values: pairs.map((k) => table.workload[k] ?? 0),
      });
    }
  });

  const weights = fairShareWeights(plan.reps);
  /** Rows of a band on Σ amount·x; `unit` is what amounts and the total count in (see valueUnit). */
  /**
   * With a soft value band (policy.fairness.mode "soft") each side of a rep's band gets an excess
   * column (in `unit`s of value, ≥ 0) that the objective charges fairnessPenalty × unit per unit:
   * value outside the band is allowed and paid for (plan/value-band-excess.ts defines the same).
   */
  const soft = (kind: "valueBand" | "countBand") => kind === "valueBand" && policy.fairnessMode === "soft";
  const band = (kind: "valueBand" | "countBand", b: number, amount: (k: number) => number, total: number, unit: number) => {
    const excess = () => auxColumn(-policy.fairnessPenalty * unit);
    const scaled = (k: number) => amount(k) / unit;
    let totalColumn = -1;
    if (policy.allowUnassigned) {
      // The share is of the assigned total, which is itself a variable: T = Σ amount·x (in units).
      totalColumn = auxColumn();
      const all = Array.from({ length: n }, (_, k) => k);
      rows.push({ kind: `${kind}Total`, ref: -1, lower: 0, upper: 0, indices: [...all, totalColumn], values: [...all.map(scaled), -1] });
    }
    plan.reps.forEach((rep, r) => {
      if (rep.available === false) return;
      const w = weights[r] ?? 0;
      const pairs = table.byRep[r] ?? [];
      const values = pairs.map(scaled);
      if (totalColumn < 0) {
        // The slack is taken on the unscaled bound: the tolerance stays relative to the real total.
        const lower = above((1 - b) * w * total) / unit;
        const upper = below((1 + b) * w * total) / unit;
        if (soft(kind)) {
          const over = excess();
          const under = excess();
          rows.push({ kind: `${kind}Upper`, ref: r, lower: -Infinity, upper, indices: [...pairs, over], values: [...values, -1] });
          rows.push({ kind: `${kind}Lower`, ref: r, lower, upper: Infinity, indices: [...pairs, under], values: [...values, 1] });
        } else rows.push({ kind, ref: r, lower, upper, indices: pairs, values });
      } else if (soft(kind)) {
        const over = excess();
        const under = excess();
        rows.push({ kind: `${kind}Upper`, ref: r, lower: -Infinity, upper: 0, indices: [...pairs, totalColumn, over], values: [...values, -(1 + b) * w * (1 + SOLVER_SLACK), -1] });
        rows.push({ kind: `${kind}Lower`, ref: r, lower: 0, upper: Infinity, indices: [...pairs, totalColumn, under], values: [...values, -(1 - b) * w * (1 - SOLVER_SLACK), 1] });
      } else {
        // Share of a variable total: the slack goes into the share's coefficient.
        rows.push({ kind: `${kind}Upper`, ref: r, lower: -Infinity, upper: 0, indices: [...pairs, totalColumn], values: [...values, -(1 + b) * w * (1 + SOLVER_SLACK)] });
        rows.push({ kind: `${kind}Lower`, ref: r, lower: 0, upper: Infinity, indices: [...pairs, totalColumn], values: [...values, -(1 - b) * w * (1 - SOLVER_SLACK)] });
      }
    });
  };
  if (policy.valueBand !== null && !drop.has("valueBand")) {
    const value = (k: number) => plan.customers[table.customer[k] ?? -1]?.value ?? 0;
    const total = plan.customers.reduce((s, c) => s + c.value, 0);
    band("valueBand", policy.valueBand, value, total, valueUnit(plan.customers.map((c) => c.value)));
  }
  if (policy.countBand !== null && !drop.has("countBand")) {
    band("countBand", policy.countBand, () => 1, plan.customers.length, 1);
  }

  // Move budget: voluntary moves = customers that could stay with their current rep but do not.
  if (policy.maxMoves !== null && !drop.has("maxMoves")) {
    const stays: number[] = [];
    table.currentPair.forEach((k) => {
      if (k >= 0) stays.push(k);
    });
    if (stays.length > policy.maxMoves) {
      rows.push({ kind: "maxMoves", ref: -1, lower: stays.length - policy.maxMoves, upper: Infinity, indices: stays, values: stays.map(() => 1) });
    }
  }

  const numCols = n + auxCosts.length;
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(1);
  const integer = new Uint8Array(numCols);
  integer.fill(1, 0, n);
  for (let k = n; k < numCols; k++) colUpper[k] = Infinity;
  table.lockedPair.forEach((k) => {
    if (k >= 0) colLower[k] = 1;
  });
  const colCost = new Float64Array(numCols);
  colCost.set(table.score);
  auxCosts.forEach((cost, i) => (colCost[n + i] = cost));
  return { numCols, colCost, colLower, colUpper, integer, rows };
}

/**
 * The model's column values for a choice of pairs (pair indices of the table): x = 1 on them, and
 * each auxiliary total set from the row that defines it (kind `…Total`, where it has coefficient −1).
 * Lets an assignment found elsewhere be checked against the model a solver was given.
 */
export function choiceColumns(model: MipModel, pairs: readonly number[]): Float64Array {
  const x = new Float64Array(model.numCols);
  for (const k of pairs) x[k] = 1;
  for (const row of model.rows) {
    if (!row.kind.endsWith("Total")) continue;
    let sum = 0;
    let column = -1;
    row.indices.forEach((j, i) => {
      if (model.integer[j] === 1) sum += (row.values[i] ?? 0) * (x[j] ?? 0);
      else column = j;
    });
    if (column >= 0) x[column] = sum;
  }
  return x;
}

/** True when `x` keeps every column and row bound of the model exactly (no tolerance beyond the rows' own slack). */
export function satisfiesModel(model: MipModel, x: Float64Array): boolean {
  for (let j = 0; j < model.numCols; j++) {
    const v = x[j] ?? 0;
    if (v < (model.colLower[j] ?? 0) || v > (model.colUpper[j] ?? 0)) return false;
  }
  return model.rows.every((row) => {
    let activity = 0;
    row.indices.forEach((j, i) => (activity += (row.values[i] ?? 0) * (x[j] ?? 0)));
    return row.lower <= activity && activity <= row.upper;
  });
}
