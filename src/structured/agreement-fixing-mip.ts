import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { indexAt } from "./checked-read.ts";
import { diveOnRestriction, type FixingDiveOptions, type FixingDiveResult } from "./knapsack-fixing-mip.ts";
import type { RestrictionInput } from "./restricted-mip.ts";

/**
 * A Lagrangian fixing dive for large parts with value bands (the realistic books), where the
 * knapsack dives of knapsack-fixing-mip.ts do not apply: at the multipliers of the rep rows each
 * customer has a best pair by reduced score. A customer whose pair in the plan is that best pair
 * is fixed there; the others (a few percent of the customers: 346 of 10,000 on the realistic
 * 10k × 200 book) are free on their `candidates` best pairs and their pair in the plan, and HiGHS
 * solves the MIP of them in the room the fixed ones leave, every rep row (bands, workloads, the
 * move budget) kept. The plan and the relaxation disagree where the bands bind, which is where the
 * exchange searches stall; the MIP moves those customers together across all reps at once.
 */
export interface AgreementFixingOptions extends FixingDiveOptions {
  /** Reduced score of every pair at the multipliers (lagrangian-bound.ts `reducedScores`). */
  reducedScores: Float64Array;
  /** Best pairs by reduced score each free customer may take (its pair in the plan besides). */
  candidates: number;
  /** Most free customers: beyond that the dive is not tried (HiGHS's root would outlast it). */
  maxFree: number;
  /**
   * Also free the agreeing customers whose best pair beats their second by less than this share of
   * the best pair's score (0: none).
   */
  margin?: number;
}

/**
 * The agreeing customers whose best pair by reduced score beats their second best by less than
 * `margin` × |the best pair's score|: where the relaxation hesitates, a plan may gain by moving
 * them with the disagreeing ones.
 */
export function hesitating(problem: AssignmentProblem, reducedScores: Float64Array, margin: number, except: ReadonlySet<number>): number[] {
  const out: number[] = [];
  if (margin <= 0) return out;
  for (let c = 0; c < problem.customerCount; c++) {
    if (except.has(c)) continue;
    const { best, first, second } = bestPairs(problem, reducedScores, c);
    if (best >= 0 && first - second < margin * Math.abs(problem.pairScore[best] ?? 0)) out.push(c);
  }
  return out;
}

/** The customers whose pair in `choice` is not their best by reduced score. */
export function disagreeing(problem: AssignmentProblem, choice: PairChoice, reducedScores: Float64Array): number[] {
  const out: number[] = [];
  for (let c = 0; c < problem.customerCount; c++) {
    const { best, first } = bestPairs(problem, reducedScores, c);
    const k = indexAt(choice, c);
    if (k !== best && (reducedScores[k] ?? -Infinity) < first) out.push(c);
  }
  return out;
}

/** Customer c's best pair by reduced score (the first of equals), its score and the second-best score (-Infinity for none). */
function bestPairs(problem: AssignmentProblem, reducedScores: Float64Array, c: number): { best: number; first: number; second: number } {
  let best = -1;
  let first = -Infinity;
  let second = -Infinity;
  for (let k = indexAt(problem.customerStart, c); k < indexAt(problem.customerStart, c + 1); k++) {
    const score = reducedScores[k] ?? -Infinity;
    if (score > first) {
      second = first;
      first = score;
      best = k;
    } else if (score > second) {
      second = score;
    }
  }
  return { best, first, second };
}

/**
 * The customers a dive frees, ascending: those disagreeing with the relaxation and, with a
 * `margin`, the hesitating ones; none when none disagrees.
 */
export function freeByAgreement(problem: AssignmentProblem, choice: PairChoice, reducedScores: Float64Array, margin: number): number[] {
  const split = disagreeing(problem, choice, reducedScores);
  if (split.length === 0) return split;
  return [...split, ...hesitating(problem, reducedScores, margin, new Set(split))].sort((a, b) => a - b);
}

/** The dive; null when nothing is free or too much is (see `maxFree`). */
export async function diveByAgreement(problem: AssignmentProblem, options: AgreementFixingOptions): Promise<FixingDiveResult | null> {
  const input = agreementRestriction(problem, options.incumbent.choice, options);
  return input === null ? null : diveOnRestriction(problem, input, options);
}

/** The dive's MIP from `choice` (its free customers on their allowed pairs); null when nothing is free or too much is. */
export function agreementRestriction(problem: AssignmentProblem, choice: PairChoice, options: Pick<AgreementFixingOptions, "reducedScores" | "candidates" | "maxFree" | "margin">): RestrictionInput | null {
  const free = freeByAgreement(problem, choice, options.reducedScores, options.margin ?? 0);
  if (free.length === 0 || free.length > options.maxFree) return null;
  const allowedStart = new Int32Array(free.length + 1);
  const allowed: number[] = [];
  const pairs: number[] = [];
  free.forEach((c, i) => {
    pairs.length = 0;
    for (let k = indexAt(problem.customerStart, c); k < indexAt(problem.customerStart, c + 1); k++) pairs.push(k);
    // Best first, ties by pair index (the same plan and multipliers give the same MIP).
    pairs.sort((a, b) => (options.reducedScores[b] ?? 0) - (options.reducedScores[a] ?? 0) || a - b);
    const kept = pairs.slice(0, options.candidates);
    const own = indexAt(choice, c);
    if (!kept.includes(own)) kept.push(own);
    kept.sort((a, b) => a - b);
    allowed.push(...kept);
    allowedStart[i + 1] = allowed.length;
  });
  return { free: Int32Array.from(free), allowedStart, allowed: Int32Array.from(allowed), fixed: choice };
}
