import { betaQuantile, lnBeta, regularizedIncompleteBeta } from "./beta-distribution.ts";

/**
 * P(X < Y) for independent X ~ Beta(a1, b1) and Y ~ Beta(a2, b2): ∫ F_X(y) f_Y(y) dy, by composite
 * Simpson over Y's range between its 1e-12 and 1 − 1e-12 quantiles (the mass left out is below
 * 2e-12). Y's density must be bounded there (a2, b2 ≥ 1); X may be any Beta, its CDF is evaluated
 * exactly. Accurate to about 1e-6 for the shapes the drift test meets (Y with a2 + b2 up to 10^6).
 */

const TAIL = 1e-12;
/** Simpson intervals (even). */
const INTERVALS = 512;

export function probabilityBetaBelow(a1: number, b1: number, a2: number, b2: number): number {
  if (!(a2 >= 1 && b2 >= 1)) throw new RangeError(`Y's shapes must be ≥ 1 for a bounded density, got a=${a2}, b=${b2}`);
  const lo = betaQuantile(TAIL, a2, b2);
  const hi = betaQuantile(1 - TAIL, a2, b2);
  if (!(hi > lo)) return regularizedIncompleteBeta(lo, a1, b1);
  const lnNorm = lnBeta(a2, b2);
  const density = (y: number) => (y <= 0 || y >= 1 ? 0 : Math.exp((a2 - 1) * Math.log(y) + (b2 - 1) * Math.log1p(-y) - lnNorm));
  const h = (hi - lo) / INTERVALS;
  let sum = 0;
  for (let i = 0; i <= INTERVALS; i++) {
    const y = lo + i * h;
    const weight = i === 0 || i === INTERVALS ? 1 : i % 2 === 1 ? 4 : 2;
    sum += weight * regularizedIncompleteBeta(y, a1, b1) * density(y);
  }
  // What lies below lo counts fully if X < Y there is likely; the mass above hi is negligible.
  return Math.min(1, Math.max(0, (sum * h) / 3));
}
