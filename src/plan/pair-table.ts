import type { Plan } from "../../models/index.ts";
import { buildCandidateReps } from "./candidate-reps.ts";
import { buildConversionModel } from "./conversion-model.ts";
import { buildEligibilityRules, pairExclusion, type EligibilityRules } from "./eligibility.ts";
import { buildPairScoreIndex, scorePair, type ScoringContext } from "./expected-value.ts";
import type { ResolvedPolicy } from "./resolved-policy.ts";

/**
 * The eligible (customer, rep) pairs of a plan, in a flat columnar layout: pair k joins customer
 * `customer[k]` and rep `rep[k]` (indices into plan.customers / plan.reps). Pairs are ordered by
 * customer, then by rep index, so the layout (and every model built from it) is deterministic.
 *
 * The same pairs are indexed twice in compressed sparse rows (typed arrays, a few bytes per pair):
 * by customer (`customerStart`: the pairs of customer c are k = customerStart[c] … customerStart[c+1]−1)
 * and by rep (`repPairs[repStart[r] … repStart[r+1]−1]`, in customer order). `byCustomer` and
 * `byRep` are the same lists as plain arrays, for callers that prefer them.
 */
export interface PairTable {
  count: number;
  customer: Int32Array;
  rep: Int32Array;
  /** Objective term of the pair: expected value (or external score) minus penalties. */
  score: Float64Array;
  /** Workload the pair puts on the rep. */
  workload: Float64Array;
  /** Length customers + 1. */
  customerStart: Int32Array;
  /** Length reps + 1. */
  repStart: Int32Array;
  /** Pair indices grouped by rep. */
  repPairs: Int32Array;
  /** Pair indices per customer. */
  byCustomer: number[][];
  /** Pair indices per rep. */
  byRep: number[][];
  /** Per customer: the pair index of its lock, or -1. */
  lockedPair: Int32Array;
  /** Per customer: the pair index with its current rep when that pair is eligible, or -1. */
  currentPair: Int32Array;
  rules: EligibilityRules;
  scoring: ScoringContext;
}

export interface PairTableOptions {
  /**
   * performance.now() value after which building gives up with a `TimeLimitError` (checked every
   * few hundred customers), so that a time limit holds even while pairs are being scored.
   */
  deadline?: number;
  /** The caller's stop request, polled with the deadline: once true, building gives up with a `StopRequestedError`. */
  stopRequested?: () => boolean;
}

/** Thrown by `buildPairTable` when its deadline passes before every pair is scored. */
export class TimeLimitError extends Error {
  override readonly name = "TimeLimitError";
  constructor(readonly phase: string) {
    super(`the time limit ended during ${phase}`);
  }
}

/** Thrown by `buildPairTable` when the caller asks it to stop before every pair is scored. */
export class StopRequestedError extends Error {
  override readonly name = "StopRequestedError";
  constructor(readonly phase: string) {
    super(`a stop was requested during ${phase}`);
  }
}

const DEADLINE_CHECK_CUSTOMERS = 256;

/** A typed array that doubles when full. */
class GrowingInt32 {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

class GrowingFloat64 {
  data: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  done(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** Compressed rows by rep of pairs given by their rep: a stable counting sort (pair order kept within a rep). */
export function indexByRep(pairRep: Int32Array, repCount: number): { repStart: Int32Array; repPairs: Int32Array } {
  const repStart = new Int32Array(repCount + 1);
  for (let k = 0; k < pairRep.length; k++) {
    const slot = (pairRep[k] ?? 0) + 1;
    repStart[slot] = (repStart[slot] ?? 0) + 1;
  }
  for (let r = 0; r < repCount; r++) repStart[r + 1] = (repStart[r + 1] ?? 0) + (repStart[r] ?? 0);
  const fill = repStart.slice(0, repCount);
  const repPairs = new Int32Array(pairRep.length);
  for (let k = 0; k < pairRep.length; k++) {
    const r = pairRep[k] ?? 0;
    repPairs[fill[r] ?? 0] = k;
    fill[r] = (fill[r] ?? 0) + 1;
  }
  return { repStart, repPairs };
}

export function buildPairTable(plan: Plan, policy: ResolvedPolicy, options: PairTableOptions = {}): PairTable {
  const rules = buildEligibilityRules(plan, policy);
  const scoring: ScoringContext = {
    policy,
    conversion: buildConversionModel(plan.history),
    pairScores: buildPairScoreIndex(plan.pairs),
  };
  const candidates = buildCandidateReps(plan, policy);
  const nC = plan.customers.length;
  const nR = plan.reps.length;
  const guess = Math.min(nC * nR, nC * 8);
  const reps = new GrowingInt32(guess);
  const scores = new GrowingFloat64(guess);
  const workloads = new GrowingFloat64(guess);
  const customerStart = new Int32Array(nC + 1);
  const lockedPair = new Int32Array(nC).fill(-1);
  const currentPair = new Int32Array(nC).fill(-1);
  const deadline = options.deadline ?? Infinity;
  const stopRequested = options.stopRequested;

  for (let c = 0; c < nC; c++) {
    if (c % DEADLINE_CHECK_CUSTOMERS === 0) {
      if (stopRequested?.() === true) throw new StopRequestedError("scoring the eligible pairs");
      if (deadline !== Infinity && performance.now() > deadline) throw new TimeLimitError("scoring the eligible pairs");
    }
    const customer = plan.customers[c];
    if (customer === undefined) continue;
    customerStart[c] = reps.length;
    const lock = rules.lockOf.get(customer.id);
    const own = scoring.pairScores?.get(customer.id);
    for (const r of candidates.of(customer)) {
      const rep = plan.reps[r];
      if (rep === undefined || pairExclusion(rules, customer, rep) !== null) continue;
      const k = reps.length;
      reps.push(r);
      scores.push(scorePair(scoring, customer, rep).expectedValue);
      workloads.push(own?.get(rep.id)?.workload ?? customer.workload ?? 1);
      if (lock === rep.id) lockedPair[c] = k;
      if (customer.currentRep === rep.id) currentPair[c] = k;
    }
  }
  const count = reps.length;
  customerStart[nC] = count;

  const customer = new Int32Array(count);
  for (let c = 0; c < nC; c++) customer.fill(c, customerStart[c] ?? 0, customerStart[c + 1] ?? 0);
  const rep = reps.done();

  const { repStart, repPairs } = indexByRep(rep, nR);

  const byCustomer: number[][] = new Array<number[]>(nC);
  for (let c = 0; c < nC; c++) {
    const from = customerStart[c] ?? 0;
    const to = customerStart[c + 1] ?? 0;
    const list = new Array<number>(to - from);
    for (let k = from; k < to; k++) list[k - from] = k;
    byCustomer[c] = list;
  }
  const byRep: number[][] = new Array<number[]>(nR);
  for (let r = 0; r < nR; r++) byRep[r] = Array.from(repPairs.subarray(repStart[r] ?? 0, repStart[r + 1] ?? 0));

  return {
    count,
    customer,
    rep,
    score: scores.done(),
    workload: workloads.done(),
    customerStart,
    repStart,
    repPairs,
    byCustomer,
    byRep,
    lockedPair,
    currentPair,
    rules,
    scoring,
  };
}
