import { solverSlack } from "../numeric/tolerance.ts";
import type { Plan } from "../../models/index.ts";
import { fairShareWeights } from "../plan/fair-share.ts";
import { indexByRep, type PairTable } from "../plan/pair-table.ts";
import type { ResolvedPolicy } from "../plan/resolved-policy.ts";
import { indexAt } from "./checked-read.ts";

/**
 * The optimisation problem of design 3.3 in numbers only, for the structure-specific algorithms:
 * customers, reps and eligible pairs by index (typed arrays, compressed rows by customer and by
 * rep), and every constraint as per-rep bounds or one global row. A problem can be the whole plan
 * or one independent part of it (see plan-components.ts); `customerIndex`, `repIndex` and
 * `pairIndex` map its local indices back to the plan and the pair table.
 *
 * Rows (x = 1 when the pair is chosen):
 * - each customer at most once, exactly once unless `optional[c]`;
 * - per rep: accountsLower ≤ Σ x ≤ accountsUpper (maxAccounts, minAccounts and, when the assigned
 *   total is constant, the count band), Σ workload·x ≤ workloadUpper, and valueLower ≤ Σ value·x ≤
 *   valueUpper (the value band around a constant total);
 * - when unassigned customers are allowed, bands are shares of the assigned total instead:
 *   Σ_{rep} a·x − coef·Σ_{all} a·x ≤ 0 (upper) / ≥ 0 (lower), for a = value (`valueShare`) or 1;
 * - the move budget: Σ x over the customers' current pairs ≥ minStays.
 */
export interface AssignmentProblem {
  customerCount: number;
  repCount: number;
  pairCount: number;
  customerStart: Int32Array;
  pairCustomer: Int32Array;
  pairRep: Int32Array;
  pairScore: Float64Array;
  pairWorkload: Float64Array;
  repStart: Int32Array;
  repPairs: Int32Array;
  customerValue: Float64Array;
  /** 1 when the customer may stay unassigned. */
  optional: Uint8Array;
  /** Per customer: the local pair with its current rep when eligible, else -1. */
  stayPair: Int32Array;
  accountsLower: Float64Array;
  accountsUpper: Float64Array;
  workloadUpper: Float64Array;
  valueLower: Float64Array;
  valueUpper: Float64Array;
  valueShare: ShareBand | null;
  countShare: ShareBand | null;
  /** Least number of customers that must stay with their current rep; ≤ 0 when the budget does not bind. */
  minStays: number;
  customerIndex: Int32Array;
  repIndex: Int32Array;
  pairIndex: Int32Array;
}

/** A band around a share of the assigned total: coefficients (1 ± band) × the rep's weight. */
export interface ShareBand {
  lowerCoef: Float64Array;
  upperCoef: Float64Array;
}

/** coef × total for a share band, where an infinite coefficient (a rep without a band) stays infinite even at total 0. */
export function shareOf(coef: number | undefined, total: number): number {
  return coef === undefined || coef === Infinity ? Infinity : coef * total;
}

/** The whole plan as one problem. */
export function buildAssignmentProblem(plan: Plan, table: PairTable, policy: ResolvedPolicy): AssignmentProblem {
  const nC = plan.customers.length;
  const nR = plan.reps.length;
  const n = table.count;
  const customerValue = new Float64Array(nC);
  const optional = new Uint8Array(nC);
  const stayPair = new Int32Array(nC);
  let stays = 0;
  for (let c = 0; c < nC; c++) {
    customerValue[c] = plan.customers[c]?.value ?? 0;
    // A locked customer must sit with its rep (when that pair is not eligible it has no pair at
    // all, and the problem no feasible assignment).
    const locked = table.rules.lockOf.has(plan.customers[c]?.id ?? "");
    optional[c] = policy.allowUnassigned && !locked ? 1 : 0;
    const k = table.currentPair[c] ?? -1;
    stayPair[c] = k;
    if (k >= 0) stays++;
  }
  const accountsLower = new Float64Array(nR);
  const accountsUpper = new Float64Array(nR).fill(Infinity);
  const workloadUpper = new Float64Array(nR).fill(Infinity);
  const valueLower = new Float64Array(nR).fill(-Infinity);
  const valueUpper = new Float64Array(nR).fill(Infinity);
  const weights = fairShareWeights(plan.reps);
  const totalValue = plan.customers.reduce((s, c) => s + c.value, 0);
  let valueShare: ShareBand | null = null;
  let countShare: ShareBand | null = null;
  if (policy.allowUnassigned) {
    const share = (band: number): ShareBand => ({
      lowerCoef: Float64Array.from(plan.reps, (rep, r) => (rep.available === false ? 0 : (1 - band) * (weights[r] ?? 0))),
      upperCoef: Float64Array.from(plan.reps, (rep, r) => (rep.available === false ? Infinity : (1 + band) * (weights[r] ?? 0))),
    });
    if (policy.valueBand !== null) valueShare = share(policy.valueBand);
    if (policy.countBand !== null) countShare = share(policy.countBand);
  }
  plan.reps.forEach((rep, r) => {
    const available = rep.available !== false;
    accountsLower[r] = available ? (rep.minAccounts ?? 0) : 0;
    if (rep.maxAccounts !== undefined) accountsUpper[r] = rep.maxAccounts;
    if (rep.maxWorkload !== undefined) workloadUpper[r] = rep.maxWorkload;
    if (!available || policy.allowUnassigned) return;
    const w = weights[r] ?? 0;
    if (policy.countBand !== null) {
      const lo = (1 - policy.countBand) * w * nC;
      const hi = (1 + policy.countBand) * w * nC;
      accountsLower[r] = Math.max(accountsLower[r] ?? 0, Math.ceil(lo - solverSlack(lo)));
      accountsUpper[r] = Math.min(accountsUpper[r] ?? Infinity, Math.floor(hi + solverSlack(hi)));
    }
    if (policy.valueBand !== null) {
      valueLower[r] = (1 - policy.valueBand) * w * totalValue;
      valueUpper[r] = (1 + policy.valueBand) * w * totalValue;
    }
  });
  return {
    customerCount: nC,
    repCount: nR,
    pairCount: n,
    customerStart: table.customerStart,
    pairCustomer: table.customer,
    pairRep: table.rep,
    pairScore: table.score,
    pairWorkload: table.workload,
    repStart: table.repStart,
    repPairs: table.repPairs,
    customerValue,
    optional,
    stayPair,
    accountsLower,
    accountsUpper,
    workloadUpper,
    valueLower,
    valueUpper,
    valueShare,
    countShare,
    minStays: policy.maxMoves === null ? 0 : stays - policy.maxMoves,
    customerIndex: Int32Array.from({ length: nC }, (_, c) => c),
    repIndex: Int32Array.from({ length: nR }, (_, r) => r),
    pairIndex: Int32Array.from({ length: n }, (_, k) => k),
  };
}

/**
 * The sub-problem on the given customers and reps (sorted local indices of `problem`). Pairs whose
 * rep is not in `reps` are dropped; global rows are kept as they are, so only call this for parts
 * that no global row couples (see plan-components.ts).
 */
export function subProblem(problem: AssignmentProblem, customers: Int32Array, reps: Int32Array): AssignmentProblem {
  const repLocal = new Int32Array(problem.repCount).fill(-1);
  reps.forEach((r, i) => (repLocal[r] = i));
  const nC = customers.length;
  let n = 0;
  for (const c of customers) {
    for (let k = problem.customerStart[c] ?? 0; k < (problem.customerStart[c + 1] ?? 0); k++) if ((repLocal[problem.pairRep[k] ?? 0] ?? -1) >= 0) n++;
  }
  const customerStart = new Int32Array(nC + 1);
  const pairCustomer = new Int32Array(n);
  const pairRep = new Int32Array(n);
  const pairScore = new Float64Array(n);
  const pairWorkload = new Float64Array(n);
  const pairIndex = new Int32Array(n);
  const stayPair = new Int32Array(nC).fill(-1);
  let stays = 0;
  let next = 0;
  customers.forEach((c, i) => {
    customerStart[i] = next;
    for (let k = problem.customerStart[c] ?? 0; k < (problem.customerStart[c + 1] ?? 0); k++) {
      const r = repLocal[problem.pairRep[k] ?? 0] ?? -1;
      if (r < 0) continue;
      if (problem.stayPair[c] === k) {
        stayPair[i] = next;
        stays++;
      }
      pairCustomer[next] = i;
      pairRep[next] = r;
      pairScore[next] = problem.pairScore[k] ?? 0;
      pairWorkload[next] = problem.pairWorkload[k] ?? 0;
      pairIndex[next] = problem.pairIndex[k] ?? 0;
      next++;
    }
  });
  customerStart[nC] = n;
  const { repStart, repPairs } = indexByRep(pairRep, reps.length);
  const pickReps = (a: Float64Array) => Float64Array.from(reps, (r) => a[r] ?? 0);
  const pickShare = (s: ShareBand | null): ShareBand | null => (s === null ? null : { lowerCoef: pickReps(s.lowerCoef), upperCoef: pickReps(s.upperCoef) });
  const lostStays = countStays(problem) - stays;
  return {
    customerCount: nC,
    repCount: reps.length,
    pairCount: n,
    customerStart,
    pairCustomer,
    pairRep,
    pairScore,
    pairWorkload,
    repStart,
    repPairs,
    customerValue: Float64Array.from(customers, (c) => problem.customerValue[c] ?? 0),
    optional: Uint8Array.from(customers, (c) => problem.optional[c] ?? 0),
    stayPair,
    accountsLower: pickReps(problem.accountsLower),
    accountsUpper: pickReps(problem.accountsUpper),
    workloadUpper: pickReps(problem.workloadUpper),
    valueLower: pickReps(problem.valueLower),
    valueUpper: pickReps(problem.valueUpper),
    valueShare: pickShare(problem.valueShare),
    countShare: pickShare(problem.countShare),
    minStays: problem.minStays - lostStays,
    customerIndex: Int32Array.from(customers, (c) => problem.customerIndex[c] ?? 0),
    repIndex: Int32Array.from(reps, (r) => problem.repIndex[r] ?? 0),
    pairIndex,
  };
}

function countStays(problem: AssignmentProblem): number {
  let stays = 0;
  for (let c = 0; c < problem.customerCount; c++) if ((problem.stayPair[c] ?? -1) >= 0) stays++;
  return stays;
}

/** True when only count capacities apply: a transportation problem (network flow, integral LP). */
export function isTransportation(problem: AssignmentProblem): boolean {
  if (problem.minStays > 0 || problem.valueShare !== null || problem.countShare !== null) return false;
  for (let r = 0; r < problem.repCount; r++) {
    if ((problem.workloadUpper[r] ?? Infinity) !== Infinity) return false;
    if ((problem.valueLower[r] ?? -Infinity) !== -Infinity || (problem.valueUpper[r] ?? Infinity) !== Infinity) return false;
  }
  return true;
}

/** An assignment in problem terms: per customer, the chosen local pair or -1 (unassigned). */
export type PairChoice = Int32Array;

/** Σ score of the chosen pairs. */
export function choiceObjective(problem: AssignmentProblem, choice: PairChoice): number {
  let total = 0;
  for (let c = 0; c < problem.customerCount; c++) {
    const k = choice[c] ?? -1;
    if (k >= 0) total += problem.pairScore[k] ?? 0;
  }
  return total;
}

/** The customer's pair with rep r, or -1: its pairs are sorted by rep. */
export function pairOf(p: AssignmentProblem, c: number, r: number): number {
  let lo = indexAt(p.customerStart, c);
  let hi = indexAt(p.customerStart, c + 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const rm = indexAt(p.pairRep, mid);
    if (rm === r) return mid;
    if (rm < r) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
