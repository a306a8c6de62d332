import type { SparseSolveResult } from "../mip/highs-sparse-solve.ts";
import type { SparseMip } from "../mip/mip-model.ts";
import { allowance, IMPROVEMENT_TOLERANCE, SOLVER_ANSWER_TOLERANCE } from "../numeric/tolerance.ts";
import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { AssignmentState } from "./assignment-state.ts";
import { solveBounded } from "./bounded-mip-solve.ts";
import { indexAt } from "./checked-read.ts";
import { buildRestrictedMip, decodeRestricted, type RestrictionInput } from "./restricted-mip.ts";
import { WORK_UNITS_PER_MS, type WorkMeter } from "./work-budget.ts";

/**
 * A Lagrangian fixing dive for parts shaped like the generalized assignment problem: at the
 * multipliers of the knapsack bound (knapsack-lagrangian-bound.ts) each rep's knapsack takes a set
 * of customers; a customer taken by exactly one knapsack is fixed to that rep (together they fit
 * it: each knapsack keeps its rep's limit), and HiGHS solves the MIP of the others (taken by none or
 * by several), free to go to any of their reps in the room the fixed ones leave. On the hard type D
 * instances the knapsacks agree on 70–85% of the customers, the MIP of the rest has a few hundred
 * columns, and its plan is better than the ejection chains' (docs/scale.md).
 *
 * HiGHS's time on such a MIP is mostly its root, which a node limit does not bound: the MIP gets a
 * share of the part's time limit as a time limit (`maxMs`), and when that stops it `onTimeLimit`
 * is called (the caller records that the answer depends on the clock: the Solution says
 * `stoppedBy: time-limit`). The work counted is the share's, fixed, so the phases after it get the
 * same work whatever HiGHS took.
 */
export interface FixingDiveOptions {
  work: WorkMeter;
  /** Time limit of the MIP, in ms (HiGHS also stops at the meter's hard stop). */
  maxMs: number;
  /** Called when the time limit `maxMs` (not the hard stop) stopped HiGHS: the answer depends on the clock. */
  onTimeLimit: () => void;
  /** The plan so far: the answer counts only when better. */
  incumbent: { choice: PairChoice; objective: number };
  /** HiGHS's primal heuristics' share of its work (its default when absent). */
  heuristicEffort?: number;
}

export interface FixingDiveResult {
  choice: PairChoice;
  objective: number;
  improved: boolean;
  /** Customers left free (not taken by exactly one knapsack). */
  free: number;
}

/** Most free customers for the MIP (beyond that HiGHS's root alone outlasts the time). */
const MAX_FREE = 60;
/** Time HiGHS may run past its limit (presolve, the last node), kept back from the hard stop. */
const MARGIN_MS = 15;

export async function diveByKnapsackFixing(problem: AssignmentProblem, takenCount: Int32Array, taken: Int32Array, options: FixingDiveOptions): Promise<FixingDiveResult | null> {
  const p = problem;
  const C = p.customerCount;
  const free: number[] = [];
  const fixed = options.incumbent.choice.slice();
  for (let c = 0; c < C; c++) {
    if ((takenCount[c] ?? 0) === 1) fixed[c] = indexAt(taken, c);
    else free.push(c);
  }
  if (free.length === 0 || free.length > MAX_FREE) return null;
  const allowedStart = new Int32Array(free.length + 1);
  const allowed: number[] = [];
  free.forEach((c, i) => {
    for (let k = indexAt(p.customerStart, c); k < indexAt(p.customerStart, c + 1); k++) allowed.push(k);
    allowedStart[i + 1] = allowed.length;
  });
  const input: RestrictionInput = { free: Int32Array.from(free), allowedStart, allowed: Int32Array.from(allowed), fixed };
  return diveOnRestriction(problem, input, options);
}

/**
 * The MIP of a dive: the customers of `input.free` on their allowed pairs, the others fixed, solved
 * by HiGHS under the time limit `maxMs` (or the hard stop, whichever comes first; only the hard
 * stop ends the part's other phases). The work counted is `maxMs`'s. The answer counts only when
 * it is better than the incumbent and feasible.
 */
export async function diveOnRestriction(problem: AssignmentProblem, input: RestrictionInput, options: FixingDiveOptions): Promise<FixingDiveResult> {
  const p = problem;
  const mip = buildRestrictedMip(p, input);
  // HiGHS stops at `maxMs` or at the hard stop, whichever comes first (known now, before it
  // starts); only the hard stop ends the part's other phases.
  const hardStopFirst = options.work.msLeft() <= options.maxMs + MARGIN_MS;
  const capped: WorkMeter = {
    spend: (units) => options.work.spend(units),
    exhausted: () => options.work.exhausted(),
    left: () => options.work.left(),
    msLeft: () => Math.min(options.work.msLeft(), options.maxMs + MARGIN_MS),
    cutByClock: () => (hardStopFirst ? options.work.cutByClock() : options.onTimeLimit()),
    stopHook: () => options.work.stopHook(),
  };
  const result = await solveBounded(mip, { work: capped, mipGap: 0, maxNodes: Number.MAX_SAFE_INTEGER, marginMs: MARGIN_MS, ...(options.heuristicEffort === undefined ? {} : { heuristicEffort: options.heuristicEffort }) });
  options.work.spend(options.maxMs * WORK_UNITS_PER_MS);
  return diveAnswer(p, input, mip, result, options.incumbent);
}

/**
 * A dive MIP's answer as a plan: decoded and verified (every row, by AssignmentState); it counts
 * only when feasible and better than `incumbent` (otherwise the incumbent, `improved` false).
 */
export function diveAnswer(problem: AssignmentProblem, input: RestrictionInput, mip: SparseMip, result: SparseSolveResult | null, incumbent: { choice: PairChoice; objective: number }): FixingDiveResult {
  const none = { choice: incumbent.choice, objective: incumbent.objective, improved: false, free: input.free.length };
  if (result === null || result.values === null || result.objective === null) return none;
  const objective = incumbent.objective;
  if (result.objective + mip.fixedObjective <= objective + allowance(objective, IMPROVEMENT_TOLERANCE)) return none;
  const next = decodeRestricted(problem, input, mip, result.values);
  const state = new AssignmentState(problem, next);
  if (!state.isFeasible(SOLVER_ANSWER_TOLERANCE) || state.objective <= objective + allowance(objective, IMPROVEMENT_TOLERANCE)) return none;
  return { choice: next, objective: state.objective, improved: true, free: input.free.length };
}

/** What a dive fixes by: the customers each knapsack took (knapsack-lagrangian-bound.ts). */
export interface FixingKnapsacks {
  takenCount: Int32Array;
  choice: Int32Array;
}

export interface DiveSequenceOptions {
  work: WorkMeter;
  /** Time limits of the dives' MIPs, in ms, in order: the list's length caps the dives. */
  maxMs: readonly number[];
  /** The knapsacks of the first dives, in order. */
  knapsacks: readonly FixingKnapsacks[];
  /** The knapsacks of each later dive, at multipliers aimed at the plan so far (its objective). */
  aimedAt: (objective: number) => FixingKnapsacks;
  onTimeLimit: () => void;
  incumbent: { choice: PairChoice; objective: number };
  /** True when the plan is close enough to the bound for no more dives. */
  done: () => boolean;
  /** Hears each better plan (before the next dive). */
  onImproved?: (plan: { choice: PairChoice; objective: number }) => void;
}

export interface DiveSequenceResult {
  choice: PairChoice;
  objective: number;
  improved: boolean;
  /** Dives run. */
  dives: number;
  /** The objectives the later dives' knapsacks were aimed at, in order. */
  aims: number[];
}

/**
 * Dives one after another: by the given knapsacks, then by knapsacks aimed at the plan so far, as
 * long as the dive before improved it (the same aim gives the same multipliers, hence the same
 * dive: measured, a dive aimed at the plan the first two reached takes d20100 at 10 s from 6,236
 * to 6,214, docs/scale.md). Each dive's MIP gets its own time limit (`maxMs`); the sequence stops
 * when the plan is `done`, when the work runs out, or when the limits are used.
 */
export async function diveRepeatedly(problem: AssignmentProblem, options: DiveSequenceOptions): Promise<DiveSequenceResult> {
  let best = options.incumbent;
  let improved = false;
  let dives = 0;
  const aims: number[] = [];
  for (const [i, maxMs] of options.maxMs.entries()) {
    if (options.done() || options.work.exhausted()) break;
    let knapsacks = options.knapsacks[i];
    if (knapsacks === undefined) {
      if (aims.length > 0 && aims[aims.length - 1] === best.objective) break;
      aims.push(best.objective);
      knapsacks = options.aimedAt(best.objective);
      if (options.work.exhausted()) break;
    }
    dives++;
    const dive = await diveByKnapsackFixing(problem, knapsacks.takenCount, knapsacks.choice, { work: options.work, maxMs, onTimeLimit: options.onTimeLimit, incumbent: best });
    if (dive !== null && dive.improved) {
      best = { choice: dive.choice, objective: dive.objective };
      improved = true;
      options.onImproved?.(best);
    }
  }
  return { choice: best.choice, objective: best.objective, improved, dives, aims };
}
