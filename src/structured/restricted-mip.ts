import type { SparseMip } from "../mip/mip-model.ts";
import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { flagAt, indexAt } from "./checked-read.ts";

/**
 * A MIP over part of an assignment problem: the `free` customers choose among their `allowed`
 * pairs (or nothing, when they may stay unassigned); every other customer keeps its pair in
 * `fixed`, and the rows get the room the fixed customers leave. With every customer free and every
 * pair allowed this is the whole problem; otherwise it is a neighbourhood of the
 * incumbent for large-neighbourhood search, and `start` (the incumbent on the free customers) is
 * a feasible point of it.
 *
 * The model is compressed rows in typed arrays, maximised; column j is pair `columnPair[j]`.
 */

export interface RestrictionInput {
  /** Customers that may change (local indices), ascending. */
  free: Int32Array;
  /** Allowed pairs per free customer: allowedStart[i] … allowedStart[i+1]−1 index `allowed`. */
  allowedStart: Int32Array;
  allowed: Int32Array;
  /** The pair of every customer (used for the fixed ones, and as the start of the free ones). */
  fixed: PairChoice;
}

/** Every customer free with every pair: the whole problem. */
export function wholeProblem(problem: AssignmentProblem, incumbent: PairChoice): RestrictionInput {
  const C = problem.customerCount;
  return {
    free: Int32Array.from({ length: C }, (_, c) => c),
    allowedStart: problem.customerStart,
    allowed: Int32Array.from({ length: problem.pairCount }, (_, k) => k),
    fixed: incumbent,
  };
}

class RowBuilder {
  lower: number[] = [];
  upper: number[] = [];
  start: number[] = [0];
  index: number[] = [];
  value: number[] = [];
  /** Adds lower ≤ Σ v·x ≤ upper, every number divided by `scale` (keeps coefficients near 1). */
  add(lower: number, upper: number, entries: readonly (readonly [number, number])[], scale = 1): void {
    for (const [j, v] of entries) {
      if (v === 0) continue;
      this.index.push(j);
      this.value.push(v / scale);
    }
    this.lower.push(lower / scale);
    this.upper.push(upper / scale);
    this.start.push(this.index.length);
  }
}

export function buildRestrictedMip(problem: AssignmentProblem, input: RestrictionInput): SparseMip {
  const p = problem;
  const R = p.repCount;
  const isFree = new Uint8Array(p.customerCount);
  for (const c of input.free) isFree[c] = 1;

  // Loads of the fixed customers.
  const fixedAccounts = new Float64Array(R);
  const fixedWorkload = new Float64Array(R);
  const fixedValue = new Float64Array(R);
  let fixedTotalValue = 0;
  let fixedAssigned = 0;
  let fixedStays = 0;
  let fixedObjective = 0;
  for (let c = 0; c < p.customerCount; c++) {
    if (flagAt(isFree, c) === 1) continue;
    const k = indexAt(input.fixed, c);
    if (k < 0) continue;
    const r = indexAt(p.pairRep, k);
    const v = p.customerValue[c] ?? 0;
    fixedAccounts[r] = (fixedAccounts[r] ?? 0) + 1;
    fixedWorkload[r] = (fixedWorkload[r] ?? 0) + (p.pairWorkload[k] ?? 0);
    fixedValue[r] = (fixedValue[r] ?? 0) + v;
    fixedTotalValue += v;
    fixedAssigned++;
    if (k === indexAt(p.stayPair, c)) fixedStays++;
    fixedObjective += p.pairScore[k] ?? 0;
  }

  // Columns: the allowed pairs of the free customers.
  const columnPair: number[] = [];
  const byRep: [number, number][][] = Array.from({ length: R }, () => []);
  const rows = new RowBuilder();
  const assignRows: { lower: number; entries: [number, number][] }[] = [];
  let anyOptionalFree = false;
  input.free.forEach((c, i) => {
    const entries: [number, number][] = [];
    for (let a = indexAt(input.allowedStart, i); a < indexAt(input.allowedStart, i + 1); a++) {
      const k = indexAt(input.allowed, a);
      const j = columnPair.length;
      columnPair.push(k);
      entries.push([j, 1]);
      byRep[indexAt(p.pairRep, k)]?.push([j, k]);
    }
    const optional = flagAt(p.optional, c) === 1;
    if (optional) anyOptionalFree = true;
    assignRows.push({ lower: optional ? 0 : 1, entries });
  });
  for (const row of assignRows) rows.add(row.lower, 1, row.entries);

  const valueOf = (k: number) => p.customerValue[indexAt(p.pairCustomer, k)] ?? 0;
  // Rows keep their coefficients as given (integral workloads let HiGHS derive stronger cuts);
  // value rows are divided by the mean customer value, which keeps them near 1.
  let valueSum = 0;
  for (let c = 0; c < p.customerCount; c++) valueSum += p.customerValue[c] ?? 0;
  const valueScale = valueSum > 0 ? valueSum / p.customerCount : 1;
  const workloadScale = 1;
  // With a share band and optional free customers the assigned totals vary: they get a column each.
  const shareTotals = (p.valueShare !== null || p.countShare !== null) && anyOptionalFree;
  const pairColumns = columnPair.length;
  const totalValueColumn = shareTotals && p.valueShare !== null ? columnPair.push(-1) - 1 : -1;
  const totalCountColumn = shareTotals && p.countShare !== null ? columnPair.push(-1) - 1 : -1;
  // Every column is known now: pair per column (-1 for a total), read checked from here on.
  const columns = Int32Array.from(columnPair);
  if (totalValueColumn >= 0) {
    const entries: [number, number][] = [];
    for (let j = 0; j < pairColumns; j++) entries.push([j, valueOf(indexAt(columns, j))]);
    entries.push([totalValueColumn, -1]);
    rows.add(-fixedTotalValue, -fixedTotalValue, entries, valueScale);
  }
  if (totalCountColumn >= 0) {
    const entries: [number, number][] = [];
    for (let j = 0; j < pairColumns; j++) entries.push([j, 1]);
    entries.push([totalCountColumn, -1]);
    rows.add(-fixedAssigned, -fixedAssigned, entries);
  }

  for (let r = 0; r < R; r++) {
    const cols = byRep[r] ?? [];
    const needsShareRow = shareTotals;
    if (cols.length === 0 && !needsShareRow) continue;
    const ones = cols.map(([j]) => [j, 1] as [number, number]);
    const au = p.accountsUpper[r] ?? Infinity;
    const al = p.accountsLower[r] ?? 0;
    if (cols.length > 0 && (au !== Infinity || al > 0)) rows.add(al > 0 ? al - (fixedAccounts[r] ?? 0) : -Infinity, au - (fixedAccounts[r] ?? 0), ones);
    const wu = p.workloadUpper[r] ?? Infinity;
    if (cols.length > 0 && wu !== Infinity) rows.add(-Infinity, wu - (fixedWorkload[r] ?? 0), cols.map(([j, k]) => [j, p.pairWorkload[k] ?? 0] as [number, number]), workloadScale);
    const values = cols.map(([j, k]) => [j, valueOf(k)] as [number, number]);
    if (p.valueShare !== null) {
      const up = p.valueShare.upperCoef[r] ?? Infinity;
      const lo = p.valueShare.lowerCoef[r] ?? 0;
      const fv = fixedValue[r] ?? 0;
      if (totalValueColumn >= 0) {
        if (up !== Infinity) rows.add(-Infinity, -fv, [...values, [totalValueColumn, -up]], valueScale);
        rows.add(-fv, Infinity, [...values, [totalValueColumn, -lo]], valueScale);
      } else if (cols.length > 0) {
        // The assigned total is constant: the share rows are plain bounds.
        if (up !== Infinity) rows.add(-Infinity, up * fixedTotalValueWithFree(p, input, isFree, fixedTotalValue) - fv, values, valueScale);
        rows.add(lo * fixedTotalValueWithFree(p, input, isFree, fixedTotalValue) - fv, Infinity, values, valueScale);
      }
    } else if (cols.length > 0) {
      const vu = p.valueUpper[r] ?? Infinity;
      const vl = p.valueLower[r] ?? -Infinity;
      if (vu !== Infinity || vl !== -Infinity) rows.add(vl === -Infinity ? -Infinity : vl - (fixedValue[r] ?? 0), vu === Infinity ? Infinity : vu - (fixedValue[r] ?? 0), values, valueScale);
    }
    if (p.countShare !== null) {
      const up = p.countShare.upperCoef[r] ?? Infinity;
      const lo = p.countShare.lowerCoef[r] ?? 0;
      const fa = fixedAccounts[r] ?? 0;
      if (totalCountColumn >= 0) {
        if (up !== Infinity) rows.add(-Infinity, -fa, [...ones, [totalCountColumn, -up]]);
        rows.add(-fa, Infinity, [...ones, [totalCountColumn, -lo]]);
      } else if (cols.length > 0) {
        const assigned = fixedAssigned + input.free.length;
        if (up !== Infinity) rows.add(-Infinity, up * assigned - fa, ones);
        rows.add(lo * assigned - fa, Infinity, ones);
      }
    }
  }

  if (p.minStays > 0) {
    const entries: [number, number][] = [];
    columns.forEach((k, j) => {
      if (k >= 0 && indexAt(p.stayPair, indexAt(p.pairCustomer, k)) === k) entries.push([j, 1]);
    });
    const need = p.minStays - fixedStays;
    if (need > 0) rows.add(need, Infinity, entries);
  }

  const numCols = columns.length;
  const colCost = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(1);
  const integer = new Uint8Array(numCols);
  for (let j = 0; j < numCols; j++) {
    const k = indexAt(columns, j);
    if (k >= 0) {
      colCost[j] = p.pairScore[k] ?? 0;
      integer[j] = 1;
    } else {
      colUpper[j] = Infinity;
    }
  }

  // The start: the incumbent's pairs on the free customers (and its totals).
  let start: Float64Array | null = new Float64Array(numCols);
  const columnOf = new Map<number, number>();
  columns.forEach((k, j) => {
    if (k >= 0) columnOf.set(k, j);
  });
  let startValue = fixedTotalValue;
  let startCount = fixedAssigned;
  for (const c of input.free) {
    if (start === null) break;
    const k = indexAt(input.fixed, c);
    if (k < 0) {
      if (flagAt(p.optional, c) !== 1) start = null;
      continue;
    }
    const j = columnOf.get(k);
    if (j === undefined) {
      start = null;
      break;
    }
    start[j] = 1;
    startValue += p.customerValue[c] ?? 0;
    startCount++;
  }
  if (start !== null && totalValueColumn >= 0) start[totalValueColumn] = startValue;
  if (start !== null && totalCountColumn >= 0) start[totalCountColumn] = startCount;

  return {
    numCols,
    colCost,
    colUpper,
    integer,
    rowLower: Float64Array.from(rows.lower),
    rowUpper: Float64Array.from(rows.upper),
    rowStart: Int32Array.from(rows.start),
    rowIndex: Int32Array.from(rows.index),
    rowValue: Float64Array.from(rows.value),
    columnPair: columns,
    fixedObjective,
    start,
  };
}

/**
 * The assigned total when no free customer may stay unassigned: the fixed total plus every free
 * customer's value.
 */
function fixedTotalValueWithFree(p: AssignmentProblem, input: RestrictionInput, isFree: Uint8Array, fixedTotalValue: number): number {
  let total = fixedTotalValue;
  for (const c of input.free) if (flagAt(isFree, c) === 1) total += p.customerValue[c] ?? 0;
  return total;
}

/** Reads a MIP solution back into a full choice: fixed customers keep their pair. */
export function decodeRestricted(problem: AssignmentProblem, input: RestrictionInput, mip: SparseMip, values: Float64Array): PairChoice {
  const choice = input.fixed.slice();
  for (const c of input.free) choice[c] = -1;
  for (let j = 0; j < mip.numCols; j++) {
    const k = indexAt(mip.columnPair, j);
    if (k >= 0 && (values[j] ?? 0) > 0.5) choice[indexAt(problem.pairCustomer, k)] = k;
  }
  return choice;
}
