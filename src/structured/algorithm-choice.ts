import { isTransportation, type AssignmentProblem } from "./assignment-problem.ts";

/**
 * Which algorithm solves a plan or one of its parts, by structure and size (measured on the
 * generated books and the OR-Library GAP sets with `npm run bench`; see bench/README.md).
 *
 * - Plans up to LEGACY_MAX_COLUMNS eligible pairs, or any plan with an explicit `solver`, go to the
 *   MIP backends as a whole (HiGHS, then jslp): small models are solved exactly in milliseconds.
 * - A part with only count capacities is a transportation problem: network simplex, exact.
 * - Any other part up to DIRECT_MIP_COLUMNS pairs: HiGHS on its MIP, exact.
 * - Larger parts: Lagrangian bound, rounding, repair and local search, then HiGHS on the whole
 *   part when it has at most FULL_MIP_COLUMNS pairs (the better of HiGHS's answer and the
 *   heuristics' plan is kept); larger parts continue with band-aware exchanges (when they have
 *   value bands and the plan is not yet close to the bound) and neighbourhood search instead,
 *   and parts with value bands up to MIDSIZE_MIP_COLUMNS pairs give the second half of their time
 *   to HiGHS on the whole part, from the heuristics' plan (lagrangian-search.ts).
 */
export const LEGACY_MAX_COLUMNS = 200;
export const DIRECT_MIP_COLUMNS = 200;
export const FULL_MIP_COLUMNS = 20_000;
export const MIDSIZE_MIP_COLUMNS = 50_000;

export type ComponentAlgorithm = "empty" | "network-simplex" | "highs" | "lagrangian-search";

export function chooseAlgorithm(problem: AssignmentProblem): ComponentAlgorithm {
  if (problem.pairCount === 0) return "empty";
  if (isTransportation(problem)) return "network-simplex";
  if (problem.pairCount <= DIRECT_MIP_COLUMNS) return "highs";
  return "lagrangian-search";
}
