/**
 * Every numeric tolerance of the engine, named for what it tolerates, and the helpers that apply
 * them. Tolerances are relative — scaled by max(1, |reference|) — unless their name says absolute:
 * totals reach 10^12, where one unit in the last place is about 1e-4 and an absolute 1e-9 is none.
 *
 * "Does this total fit this bound" (capacity, fairness band) has two tiers of one measure:
 * - FIT_TOLERANCE judges: the verifier accepts a total within it, presolve refuses a plan only when
 *   a total misses a bound by more than it (so presolve never refuses what the verifier accepts);
 * - SOLVER_SLACK is what the engine's own solvers allow themselves (MIP rows, the structured path,
 *   live routing): wide enough for the rounding of long sums, so an assignment exactly on a bound is
 *   found, and far inside FIT_TOLERANCE, so what they build passes the verifier.
 */

/** A total fits a bound the verifier checks when it passes it by at most this much (relative). */
export const FIT_TOLERANCE = 1e-6;

/** Relative slack the engine's solvers keep around every bound: above the rounding of 10^6-term sums, 1000× inside FIT_TOLERANCE. */
export const SOLVER_SLACK = 1e-9;

/** A HiGHS answer is taken when its rows hold to this (relative): HiGHS checks scaled rows to its own absolute 1e-6/1e-7, still inside FIT_TOLERANCE. */
export const SOLVER_ANSWER_TOLERANCE = 1e-7;

/** A claimed objective may differ from the verifier's recomputation by this (relative): the solver's sums round differently. */
export const OBJECTIVE_TOLERANCE = 1e-6;

/**
 * Relative gap below which a bound proves optimality whatever `mipGap` asks: the bound and the
 * objective are sums over every customer, and their rounding differs by about this much on 100k
 * customers (an exact network-simplex answer otherwise reads as "feasible, gap 0.000000%"). It is
 * also the least gap a Lagrangian step aims at, for the same reason.
 */
export const GAP_TOLERANCE = 1e-9;

/** A search move or sub-MIP answer counts as better only by more than this (relative): smaller gains are rounding, and chasing them cycles. */
export const IMPROVEMENT_TOLERANCE = 1e-9;

/** Two candidates' expected values, computed the same way, are tied when this close (relative): only rounding separates them. */
export const EV_TIE_TOLERANCE = 1e-9;

/** The Lagrangian bound has converged when it improved by less than this (relative) over a window of iterations. */
export const BOUND_CONVERGENCE = 1e-7;

/** Numbers this far apart (relative) compare the same under mathjs's tolerant comparison (relTol 1e-12) as exactly. */
export const EXPRESSION_COMPARISON_MARGIN = 1e-9;

/** Absolute: a row without entries has activity exactly 0, so only its bounds' own noise is forgiven. */
export const EMPTY_ROW_TOLERANCE = 1e-9;

/** Absolute: a flow network's supplies (whole customers and capacities) must sum to 0 up to this. */
export const FLOW_SUPPLY_TOLERANCE = 1e-9;

/** tolerance × max(1, |reference|): the slack a relative tolerance allows around `reference`. */
export function allowance(reference: number, tolerance: number): number {
  return tolerance * Math.max(1, Math.abs(reference));
}

/** The verifier's slack around `bound` (FIT_TOLERANCE). */
export function fitAllowance(bound: number): number {
  return allowance(bound, FIT_TOLERANCE);
}

/** The engine's solvers' slack around `bound` (SOLVER_SLACK). */
export function solverSlack(bound: number): number {
  return allowance(bound, SOLVER_SLACK);
}

/** x ≤ upper up to the relative `tolerance` (FIT_TOLERANCE by default); always true for upper = +∞. */
export function atMost(x: number, upper: number, tolerance: number = FIT_TOLERANCE): boolean {
  return x <= upper + allowance(upper, tolerance);
}

/** x ≥ lower up to the relative `tolerance` (FIT_TOLERANCE by default); always true for lower = −∞. */
export function atLeast(x: number, lower: number, tolerance: number = FIT_TOLERANCE): boolean {
  return x >= lower - allowance(lower, tolerance);
}

/** |a − b| ≤ tolerance × max(1, |a|, |b|). */
export function nearlyEqual(a: number, b: number, tolerance: number): boolean {
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}

/** (bound − objective) / max(1, |bound|): how far a maximisation's objective may still be from its optimum. */
export function relativeGap(bound: number, objective: number): number {
  return (bound - objective) / Math.max(1, Math.abs(bound));
}

/**
 * Reduced costs of a network simplex below −this are improving: at least an absolute 1e-9, and
 * above the rounding (a few units in the last place, ~32 × 4e-16 relative) of potentials as large
 * as `artificialCost`, and 1e-12 of the largest arc cost.
 */
export function reducedCostTolerance(artificialCost: number, maxCost: number): number {
  return Math.max(1e-9, artificialCost * 4e-16 * 8, maxCost * 1e-12);
}
