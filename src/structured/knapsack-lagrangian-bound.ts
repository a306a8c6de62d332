import { solverSlack } from "../numeric/tolerance.ts";
import type { AssignmentProblem } from "./assignment-problem.ts";
import { indexAt } from "./checked-read.ts";
import type { WorkMeter } from "./work-budget.ts";
import { ZeroOneKnapsack } from "./zero-one-knapsack.ts";

/**
 * The other Lagrangian relaxation of a part shaped like the generalized assignment problem: the
 * customer rows (each customer exactly once) are priced by multipliers u_c of any sign and moved
 * into the objective, which leaves one 0–1 knapsack per rep over its workload limit:
 *
 *   L(u) = Σ_c u_c + Σ_rep max { Σ_k (score_k − u_c(k)) x_k : Σ_k workload_k x_k ≤ workloadUpper }.
 *
 * For every u, L(u) is an upper bound on the best plan (weak duality), and its minimum is at least
 * as tight as the LP bound of lagrangian-bound.ts (the knapsacks are solved as integer problems);
 * on the Chu & Beasley type D instances it is much tighter (d20100: cost 6,176 against the LP's
 * 6,143, the optimum 6,185). The knapsacks are solved exactly by dynamic programming over integer
 * weights: when workloads are not small integers they are scaled down and rounded down, and the
 * capacity too, which only relaxes each knapsack further (Σ ⌊s·w⌋x ≤ ⌊s·W⌋ holds whenever Σ w·x ≤ W),
 * so the bound stays valid. Account limits are dropped (a further relaxation). The multipliers
 * follow subgradient steps towards the plan's objective (Held & Karp's step).
 *
 * When every score is an integer and every customer must be assigned, every plan's objective is an
 * integer and the bound is rounded down to one.
 *
 * Each knapsack is solved by zero-one-knapsack.ts: the items its LP relaxation decides are fixed
 * first (with the rep's solution of the step before as the solution in hand), and the dynamic
 * program runs over the rest, about a seventh of the items on type D (d20200: 300 steps in 0.47 s
 * against 1.75 s for the program over every item; docs/scale.md).
 *
 * Deterministic: items in pair order, ties keep the item out. Work: CELL_WORK per knapsack cell the
 * dynamic programs fill (core items × capacity) and PAIR_WORK per pair priced and reduced.
 */
export interface KnapsackBoundOptions {
  work: WorkMeter;
  /** Cap on subgradient steps. */
  maxIterations: number;
  /** Objective of the best known plan (the step aims at it); null: the bound less 1%. */
  target: number | null;
  /** Starting multipliers (one per customer), e.g. each customer's best reduced score under the LP prices. */
  start: Float64Array;
}

export interface KnapsackBoundResult {
  /** Best (least) bound met; Infinity when no step ran. */
  bound: number;
  /** Multipliers of the best bound. */
  multipliers: Float64Array;
  /**
   * The knapsacks' choice at the best multipliers, per customer: the pair of the best score among the
   * reps whose knapsack took it, or -1 when none did (a start for the searches, not a plan).
   */
  choice: Int32Array;
  /** Per customer: how many knapsacks took it at the best multipliers. */
  takenCount: Int32Array;
  iterations: number;
}

/**
 * Work of one knapsack cell, in units of work-budget.ts: measured on the Chu & Beasley instances, a
 * cell costs about a quarter of a pair priced by a subgradient step (270,000 cells against 80,000
 * pairs a millisecond).
 */
const CELL_WORK = 0.25;
/**
 * Work of one pair a step: pricing it and the reduction's pass over it (zero-one-knapsack.ts).
 * Measured on Chu & Beasley C, D and E: with it a step's work runs at 40,000–57,000 units a
 * millisecond (before the reduction, one unit a pair: 26,000–56,000).
 */
const PAIR_WORK = 6;
/** Largest knapsack capacity solved as is; larger ones are scaled down to it. */
const MAX_CAPACITY = 2_048;
/** Subgradient step: starting factor, halved after this many steps without a better bound. */
const STEP_START = 1;
const STEP_PATIENCE = 15;
const STEP_MIN = 1e-4;

/** True when the part has only mandatory customers and per-rep workload (and account) limits. */
export function knapsackBoundApplies(p: AssignmentProblem): boolean {
  if (p.valueShare !== null || p.countShare !== null || p.minStays > 0) return false;
  for (let c = 0; c < p.customerCount; c++) if ((p.optional[c] ?? 0) === 1) return false;
  for (let r = 0; r < p.repCount; r++) {
    if ((p.accountsLower[r] ?? 0) > 0) return false;
    if (Number.isFinite(p.valueLower[r] ?? -Infinity) || Number.isFinite(p.valueUpper[r] ?? Infinity)) return false;
  }
  return true;
}

/** True when every plan's objective is an integer (integer scores, every customer assigned). */
export function integerObjective(p: AssignmentProblem): boolean {
  for (let c = 0; c < p.customerCount; c++) if ((p.optional[c] ?? 0) === 1) return false;
  for (let k = 0; k < p.pairCount; k++) if (!Number.isInteger(p.pairScore[k] ?? 0.5)) return false;
  return true;
}

/** An upper bound on an integer objective from a real one (a little margin for rounding errors of the sums). */
export function roundBoundDown(bound: number): number {
  return Math.floor(bound + 1e-6 * Math.max(1, Math.abs(bound)));
}

/** Work of one subgradient step at most (every pair a positive item of its rep's knapsack). */
export function knapsackStepWork(p: AssignmentProblem): number {
  let cells = 0;
  for (const k of knapsacks(p)) cells += k.pairs.length * (k.capacity + 1);
  return p.pairCount * PAIR_WORK + cells * CELL_WORK;
}

/** One rep's knapsack: its pairs, their workloads as integers (scaled down when needed), its capacity. */
export interface RepKnapsack {
  pairs: Int32Array;
  weights: Int32Array;
  capacity: number;
}

/** Every rep's knapsack (a rep without a workload limit has capacity 0 and all-zero weights: see `workloadUpper`). */
export function knapsacks(p: AssignmentProblem): RepKnapsack[] {
  const out: RepKnapsack[] = [];
  for (let r = 0; r < p.repCount; r++) {
    const from = indexAt(p.repStart, r);
    const to = indexAt(p.repStart, r + 1);
    const pairs = p.repPairs.slice(from, to);
    const limit = p.workloadUpper[r] ?? Infinity;
    const weights = new Int32Array(pairs.length);
    if (!Number.isFinite(limit)) {
      out.push({ pairs, weights, capacity: 0 });
      continue;
    }
    const cap = limit + solverSlack(limit);
    let integral = cap <= MAX_CAPACITY;
    for (const k of pairs) if (!Number.isInteger(p.pairWorkload[k] ?? 0.5)) integral = false;
    const scale = integral ? 1 : MAX_CAPACITY / Math.max(cap, 1e-12);
    for (let i = 0; i < pairs.length; i++) weights[i] = Math.floor((p.pairWorkload[indexAt(pairs, i)] ?? 0) * scale);
    out.push({ pairs, weights, capacity: Math.max(0, Math.floor(cap * scale)) });
  }
  return out;
}

export function knapsackLagrangianBound(problem: AssignmentProblem, options: KnapsackBoundOptions): KnapsackBoundResult {
  const p = problem;
  const C = p.customerCount;
  const integer = integerObjective(p);
  const reps = knapsacks(p);
  const unlimited = reps.map((k, r) => !Number.isFinite(p.workloadUpper[r] ?? Infinity) || k.pairs.length === 0);
  const u = options.start.slice();
  let best = Infinity;
  let bestU = u.slice();
  const count = new Int32Array(C);
  const taken = new Int32Array(C).fill(-1);
  let bestTaken = taken.slice();
  let bestCount = count.slice();
  const take = (c: number, k: number): void => {
    count[c] = (count[c] ?? 0) + 1;
    const was = taken[c] ?? -1;
    if (was < 0 || (p.pairScore[k] ?? 0) > (p.pairScore[was] ?? 0)) taken[c] = k;
  };
  let factor = STEP_START;
  let sinceBetter = 0;
  let iterations = 0;
  const target = options.target;
  const maxCap = reps.reduce((m, k) => Math.max(m, k.capacity), 0);
  const maxItems = reps.reduce((m, k) => Math.max(m, k.pairs.length), 0);
  const solver = new ZeroOneKnapsack(maxItems, maxCap);
  const profit = new Float64Array(maxItems);
  const chosen = new Uint8Array(maxItems);
  const hints = new Uint8Array(p.pairCount);
  let hinted = false;
  for (; iterations < options.maxIterations; iterations++) {
    if (options.work.exhausted()) break;
    count.fill(0);
    taken.fill(-1);
    let value = 0;
    for (let c = 0; c < C; c++) value += u[c] ?? 0;
    let cells = 0;
    for (let r = 0; r < reps.length; r++) {
      const rk = reps[r];
      if (rk === undefined) continue;
      const n = rk.pairs.length;
      for (let i = 0; i < n; i++) {
        const k = indexAt(rk.pairs, i);
        profit[i] = (p.pairScore[k] ?? 0) - (u[indexAt(p.pairCustomer, k)] ?? 0);
      }
      if (unlimited[r] === true) {
        for (let i = 0; i < n; i++) {
          const gain = profit[i] ?? 0;
          if (gain > 0) {
            value += gain;
            const k = indexAt(rk.pairs, i);
            take(indexAt(p.pairCustomer, k), k);
          }
        }
        continue;
      }
      const hint = hints.subarray(indexAt(p.repStart, r), indexAt(p.repStart, r) + n);
      value += solver.solve(profit, rk.weights, n, rk.capacity, chosen, true, hinted ? hint : undefined);
      hint.set(chosen.subarray(0, n));
      cells += solver.cells;
      for (let i = 0; i < n; i++) {
        if ((chosen[i] ?? 0) === 1) {
          const k = indexAt(rk.pairs, i);
          take(indexAt(p.pairCustomer, k), k);
        }
      }
    }
    hinted = true;
    options.work.spend(p.pairCount * PAIR_WORK + cells * CELL_WORK);
    if (value < best) {
      best = value;
      bestU = u.slice();
      bestTaken = taken.slice();
      bestCount = count.slice();
      sinceBetter = 0;
    } else if (++sinceBetter >= STEP_PATIENCE) {
      factor /= 2;
      sinceBetter = 0;
    }
    if (factor < STEP_MIN) break;
    const bounded = integer ? roundBoundDown(best) : best;
    const goal = target ?? value - 0.01 * Math.max(1, Math.abs(value));
    if (target !== null && bounded <= target) break;
    // Subgradient of L at u: 1 − (times the customer was taken); L falls along −g.
    let norm = 0;
    for (let c = 0; c < C; c++) {
      const g = 1 - (count[c] ?? 0);
      norm += g * g;
    }
    if (norm === 0) break;
    const t = (factor * Math.max(value - goal, 1e-9 * Math.max(1, Math.abs(value)))) / norm;
    for (let c = 0; c < C; c++) u[c] = (u[c] ?? 0) - t * (1 - (count[c] ?? 0));
  }
  return { bound: integer && Number.isFinite(best) ? roundBoundDown(best) : best, multipliers: bestU, choice: bestTaken, takenCount: bestCount, iterations };
}

