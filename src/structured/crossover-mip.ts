import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { indexAt } from "./checked-read.ts";
import { diveOnRestriction, type FixingDiveOptions, type FixingDiveResult } from "./knapsack-fixing-mip.ts";
import type { RestrictionInput } from "./restricted-mip.ts";

/**
 * Crossover of two feasible plans by a MIP: every customer on which the plans agree keeps that
 * pair; the others are free on their two pairs, and HiGHS finds the best mix in the room the fixed
 * ones leave, every row kept. Each plan is a point of that MIP, so its answer is never worse than
 * the better of the two; where two searches improved the same plan in different places (a fixing
 * dive and the exchanges, side by side on two threads), it usually takes both gains, which simply
 * applying both sets of changes would not when both moved the same rep near its band.
 */
export function crossoverRestriction(problem: AssignmentProblem, a: PairChoice, b: PairChoice): RestrictionInput | null {
  const free: number[] = [];
  const allowed: number[] = [];
  const starts: number[] = [0];
  for (let c = 0; c < problem.customerCount; c++) {
    const ka = indexAt(a, c);
    const kb = indexAt(b, c);
    if (ka === kb) continue;
    free.push(c);
    // Unassigned in a plan (-1): the MIP's own "none" stands for it.
    for (const k of ka < kb ? [ka, kb] : [kb, ka]) if (k >= 0) allowed.push(k);
    starts.push(allowed.length);
  }
  if (free.length === 0) return null;
  return { free: Int32Array.from(free), allowedStart: Int32Array.from(starts), allowed: Int32Array.from(allowed), fixed: a };
}

/**
 * The crossover of `other` with the better plan `options.incumbent` (which the MIP starts from);
 * null when the plans are the same. The answer counts only when better than the incumbent.
 */
export async function crossByMip(problem: AssignmentProblem, other: PairChoice, options: FixingDiveOptions): Promise<FixingDiveResult | null> {
  const input = crossoverRestriction(problem, options.incumbent.choice, other);
  return input === null ? null : diveOnRestriction(problem, input, options);
}
