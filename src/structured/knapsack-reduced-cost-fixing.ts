import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { indexAt } from "./checked-read.ts";
import { FORCED_TABLE_MAX_CELLS, ForcedKnapsackValues } from "./forced-knapsack-values.ts";
import { integerObjective, knapsacks } from "./knapsack-lagrangian-bound.ts";
import type { RestrictionInput } from "./restricted-mip.ts";
import type { WorkMeter } from "./work-budget.ts";

/**
 * Exact variable fixing by the knapsack Lagrangian bound (knapsack-lagrangian-bound.ts) of a part
 * shaped like the generalized assignment problem. At multipliers u the bound is
 * L(u) = Σ_c u_c + Σ_rep V_rep(u), V_rep the best value of the rep's knapsack. Forcing one pair in
 * (or out) changes only its rep's knapsack: the bound of the part with that pair forced is
 * L(u) − V_rep + V_rep(pair forced), still an upper bound on every plan that uses (or avoids) it.
 * When that bound is below the plan so far plus the least improvement (one, when every plan's
 * objective is an integer), no better plan uses (or avoids) the pair: it is fixed out (or in).
 * Each rep's forced values come from a prefix and a suffix table of its knapsack (items before and
 * after the pair; forced-knapsack-values.ts), O(items × capacity) per rep, so every pair of the part
 * is decided in about the work of three knapsack solves.
 *
 * What is fixed holds for every plan strictly better than `objective`, so a MIP over what is left
 * (its optimum, or its proof that it has no plan better than `objective`) decides the part. When a
 * customer has no pair left, or two pairs forced in, no better plan exists: `proven`.
 */
export interface ReducedCostFixing {
  /** Per pair: 1 when no plan better than the objective uses it. */
  out: Uint8Array;
  /** Per customer: the pair every better plan gives it, or -1. */
  forced: Int32Array;
  /** Pairs neither fixed out nor of a forced customer. */
  left: number;
  /** No plan is better than the objective. */
  proven: boolean;
}

/** Work of one knapsack cell (as knapsack-lagrangian-bound.ts counts it), three tables' worth. */
const CELL_WORK = 0.25;

/** Adds an item (profit g, weight w) to a 0–1 knapsack row (best value within each capacity), in place. */
function addItem(row: Float64Array, g: number, w: number): void {
  if (g <= 0) return;
  for (let b = row.length - 1; b >= w; b--) row[b] = Math.max(row[b] ?? 0, (row[b - w] ?? 0) + g);
}

/**
 * Fixes the pairs of `problem` (knapsackBoundApplies must hold) that no plan better than
 * `objective` can change, at the multipliers `u`; a rep whose table would have more than
 * `maxTableCells` cells keeps its pairs.
 */
export function fixByKnapsackReducedCosts(problem: AssignmentProblem, u: Float64Array, objective: number, work?: WorkMeter, maxTableCells = FORCED_TABLE_MAX_CELLS): ReducedCostFixing {
  const p = problem;
  const C = p.customerCount;
  const out = new Uint8Array(p.pairCount);
  const forced = new Int32Array(C).fill(-1);
  let proven = false;
  // A better plan has at least this objective; a forced bound below it rules the pair's case out.
  const scale = Math.max(1, Math.abs(objective));
  const least = integerObjective(p) ? objective + 1 - 1e-6 * scale : objective + 1e-9 * scale;
  const reps = knapsacks(p);
  // The bound at u, and every rep's knapsack value.
  let bound = 0;
  for (let c = 0; c < C; c++) bound += u[c] ?? 0;
  const profitOf = (k: number): number => (p.pairScore[k] ?? 0) - (u[indexAt(p.pairCustomer, k)] ?? 0);
  // Per pair: the bound with the pair forced in and forced out, set rep by rep below, less L(u).
  const withIn = new Float64Array(p.pairCount);
  const withOut = new Float64Array(p.pairCount);
  let cells = 0;
  const forcedValues = new ForcedKnapsackValues();
  const maxItems = reps.reduce((m, rk) => Math.max(m, rk.pairs.length), 0);
  const itemProfit = new Float64Array(maxItems);
  const itemIn = new Float64Array(maxItems);
  const itemOut = new Float64Array(maxItems);
  reps.forEach((rk, r) => {
    const n = rk.pairs.length;
    if (n === 0) return;
    if (!Number.isFinite(p.workloadUpper[r] ?? Infinity)) {
      // No limit: the knapsack takes every positive profit.
      let value = 0;
      for (const k of rk.pairs) value += Math.max(0, profitOf(k));
      bound += value;
      for (const k of rk.pairs) {
        const g = profitOf(k);
        withIn[k] = Math.min(0, g);
        withOut[k] = -Math.max(0, g);
      }
      return;
    }
    const B = rk.capacity;
    const W = B + 1;
    if ((n + 1) * W > maxTableCells) {
      // Too large a table: the rep's value alone (one row), its pairs left unfixed (a forced
      // value taken as the rep's own only overstates the bound, which keeps the fixing exact).
      const row = new Float64Array(W);
      for (let i = 0; i < n; i++) addItem(row, profitOf(indexAt(rk.pairs, i)), rk.weights[i] ?? 0);
      bound += row[B] ?? 0;
      cells += n * W;
      return;
    }
    for (let i = 0; i < n; i++) itemProfit[i] = profitOf(indexAt(rk.pairs, i));
    bound += forcedValues.solve(itemProfit, rk.weights, n, B, itemIn, itemOut);
    for (let i = 0; i < n; i++) {
      const k = indexAt(rk.pairs, i);
      withIn[k] = itemIn[i] ?? 0;
      withOut[k] = itemOut[i] ?? 0;
    }
    cells += forcedValues.cells;
  });
  work?.spend(p.pairCount + cells * CELL_WORK);
  for (let k = 0; k < p.pairCount; k++) {
    if (bound + (withIn[k] ?? 0) < least) out[k] = 1;
  }
  for (let k = 0; k < p.pairCount; k++) {
    if (!(bound + (withOut[k] ?? 0) < least)) continue;
    // Neither with it nor without it: no better plan at all.
    if (out[k] === 1) proven = true;
    const c = indexAt(p.pairCustomer, k);
    if ((forced[c] ?? -1) >= 0) proven = true;
    forced[c] = k;
  }
  let left = 0;
  for (let c = 0; c < C; c++) {
    let open = 0;
    for (let k = indexAt(p.customerStart, c); k < indexAt(p.customerStart, c + 1); k++) if (out[k] !== 1) open++;
    if (open === 0) proven = true;
    if ((forced[c] ?? -1) < 0) left += open;
  }
  return { out, forced, left, proven };
}

/**
 * The part with the fixing applied: forced customers fixed to their pair, every other customer
 * free among its pairs not fixed out; `incumbent` gives the rest of the choice (the MIP's decoding
 * starts from it). Every plan better than the fixing's objective is a plan of this restriction.
 */
export function reducedRestriction(problem: AssignmentProblem, fixing: ReducedCostFixing, incumbent: PairChoice): RestrictionInput {
  const p = problem;
  const fixed = incumbent.slice();
  const free: number[] = [];
  const allowedStart: number[] = [0];
  const allowed: number[] = [];
  for (let c = 0; c < p.customerCount; c++) {
    const f = indexAt(fixing.forced, c);
    if (f >= 0) {
      fixed[c] = f;
      continue;
    }
    free.push(c);
    for (let k = indexAt(p.customerStart, c); k < indexAt(p.customerStart, c + 1); k++) if (fixing.out[k] !== 1) allowed.push(k);
    allowedStart.push(allowed.length);
  }
  return { free: Int32Array.from(free), allowedStart: Int32Array.from(allowedStart), allowed: Int32Array.from(allowed), fixed };
}
