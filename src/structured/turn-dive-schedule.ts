/**
 * What the next dive by agreement of the turns gets (lagrangian-search.ts, on one thread and side by
 * side), from how the last one ended:
 * - it improved the plan: the base time limit again, the same candidates;
 * - its time limit stopped it with nothing better: the next gets DIVE_GROWTH times the time (the
 *   neighbourhood may hold a better plan HiGHS did not reach in time);
 * - HiGHS proved nothing better in it: the neighbourhood is exhausted, so the next frees the same
 *   customers on one more candidate pair each (up to MAX_TURN_CANDIDATES), with DIVE_GROWTH times
 *   the time (a wider MIP's root takes longer); past that, no more dives.
 * Measured on the realistic 10k × 200 book at 60 s (docs/scale.md): the dives on two candidates
 * level off at 0.107% after about 25 s, where one on three still finds better plans.
 */
export interface TurnDive {
  /** Best pairs by reduced score each free customer may take (its pair in the plan besides). */
  candidates: number;
  /** Time limit of the dive's MIP, in ms. */
  maxMs: number;
}

export interface DiveOutcome {
  improved: boolean;
  /** Its time limit (or the hard stop) ended HiGHS before it proved its answer optimal. */
  cut: boolean;
}

/** Growth of the next dive's time limit after one that found nothing in its time. */
export const DIVE_GROWTH = 1.5;
/** Most candidate pairs per free customer: beyond, HiGHS's root alone outlasts the dives' time on the realistic books. */
export const MAX_TURN_CANDIDATES = 4;

/** The next dive after `last` ended with `outcome`, or null when the dives end. */
export function nextTurnDive(last: TurnDive, outcome: DiveOutcome, baseMs: number): TurnDive | null {
  if (outcome.improved) return { candidates: last.candidates, maxMs: baseMs };
  if (outcome.cut) return { candidates: last.candidates, maxMs: last.maxMs * DIVE_GROWTH };
  if (last.candidates >= MAX_TURN_CANDIDATES) return null;
  return { candidates: last.candidates + 1, maxMs: last.maxMs * DIVE_GROWTH };
}
