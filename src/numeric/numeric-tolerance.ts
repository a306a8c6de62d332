/** Absolute floor and relative size of the tolerance used by capacity and band checks. */
export const CHECK_TOLERANCE = 1e-6;

/** Slack allowed when comparing a load with `bound`: 1e-6 × max(1, |bound|). */
export function toleranceFor(bound: number): number {
  return CHECK_TOLERANCE * Math.max(1, Math.abs(bound));
}
