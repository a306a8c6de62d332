import { probit } from "simple-statistics";

/**
 * The Beta distribution's CDF — the regularized incomplete beta function I_x(a, b) — and its
 * inverse, for the credible intervals of the conversion model. Accurate (to about 1e-13 in I and
 * far better than the model needs in x) for shape parameters from 1e-3 to 1e7 and beyond.
 *
 * I_x(a, b) = x^a (1 − x)^b / (a · B(a, b)) · 1 / (1 + d1 / (1 + d2 / (1 + …))), with
 *   d(2m+1) = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)),
 *   d(2m)   =  m (b − m) x / ((a + 2m − 1)(a + 2m)),
 * which converges fast for x < (a + 1)/(a + b + 2); above that point I_x(a, b) = 1 − I_{1−x}(b, a).
 */

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Below this argument, lnGamma shifts up by the recurrence Γ(x + 1) = x Γ(x) before Stirling. */
const STIRLING_FROM = 12;
/** Machine epsilon: the series and Newton steps below run to the last bit (this algorithm's own stopping rule). */
const EPSILON = 2.220446049250313e-16;
/** Smallest magnitude kept in the Lentz continued-fraction evaluation (avoids division by zero). */
const TINY = 1e-300;

/** The remainder of Stirling's series, lnΓ(x) − [(x − ½) ln x − x + ½ ln 2π], for x ≥ 12. */
function stirlingRemainder(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 * (1 / 1188 - r2 * (691 / 360360 - r2 / 156))))));
}

/** ln Γ(x) for x > 0 (absolute error about 1e-14 at small x, relative 1e-15 at large x). */
export function lnGamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`lnGamma needs a finite x > 0, got ${x}`);
  let shift = 1;
  let y = x;
  while (y < STIRLING_FROM) {
    shift *= y;
    y += 1;
  }
  return (y - 0.5) * Math.log(y) - y + LN_SQRT_2PI + stirlingRemainder(y) - Math.log(shift);
}

/** ln Γ(b) − ln Γ(a + b) for b ≥ 12, without the cancellation of the two large logarithms. */
function lnGammaRatio(b: number, a: number): number {
  const s = a + b;
  return -(b - 0.5) * Math.log1p(a / b) - a * Math.log(s) + a + stirlingRemainder(b) - stirlingRemainder(s);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), stable for large arguments. */
export function lnBeta(a: number, b: number): number {
  const small = Math.min(a, b);
  const large = Math.max(a, b);
  if (small >= STIRLING_FROM) {
    const s = a + b;
    return (
      LN_SQRT_2PI + (a - 0.5) * Math.log(a / s) + (b - 0.5) * Math.log(b / s) - 0.5 * Math.log(s) +
      stirlingRemainder(a) + stirlingRemainder(b) - stirlingRemainder(s)
    );
  }
  if (large >= STIRLING_FROM) return lnGamma(small) + lnGammaRatio(large, small);
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/** ln[x^a (1 − x)^b / B(a, b)] for 0 < x < 1, computed around the mean when both shapes are large. */
function lnFront(x: number, a: number, b: number): number {
  if (a >= STIRLING_FROM && b >= STIRLING_FROM) {
    // a ln(x s/a) + b ln((1 − x) s/b) + ½ ln(ab/s) − ½ ln 2π − remainders: the first two terms
    // cancel to first order in d = x − a/s, so evaluate them with log1p around the mean.
    const s = a + b;
    const d = x - a / s;
    return (
      a * Math.log1p((d * s) / a) + b * Math.log1p((-d * s) / b) + 0.5 * Math.log((a / s) * b) - LN_SQRT_2PI -
      stirlingRemainder(a) - stirlingRemainder(b) + stirlingRemainder(s)
    );
  }
  return a * Math.log(x) + b * Math.log1p(-x) - lnBeta(a, b);
}

/** The continued fraction of I_x(a, b) (modified Lentz), valid for x < (a + 1)/(a + b + 2). */
function continuedFraction(x: number, a: number, b: number): number {
  const maxTerms = 1000 + Math.ceil(20 * Math.sqrt(Math.max(a, b)));
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= maxTerms; m++) {
    const m2 = 2 * m;
    // even step
    let coef = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + coef * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coef / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // odd step
    coef = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + coef * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coef / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= EPSILON) return h;
  }
  return h;
}

function checkShapes(a: number, b: number): void {
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new RangeError(`Beta shape parameters must be finite and > 0, got a=${a}, b=${b}`);
  }
}

/** I_x(a, b) with the shapes already checked and 0 < x < 1. */
function cdf(x: number, a: number, b: number): number {
  const front = Math.exp(lnFront(x, a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * continuedFraction(x, a, b)) / a;
  return 1 - (front * continuedFraction(1 - x, b, a)) / b;
}

/** The regularized incomplete beta function I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  checkShapes(a, b);
  if (Number.isNaN(x)) throw new RangeError("x must be a number");
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return cdf(x, a, b);
}

/** Midpoint for bisection: geometric while the bracket spans orders of magnitude. */
function midpoint(lo: number, hi: number): number {
  return lo > 0 && hi > 4 * lo ? Math.sqrt(lo) * Math.sqrt(hi) : 0.5 * (lo + hi);
}

/** Below e^-690 (about 1e-300) a quantile is reported from the tail approximation directly. */
const LN_TINY_QUANTILE = -690;

/** Solves I_x(a, b) = q for q ≤ ½: Newton on ln I against ln x, safeguarded by a bracket. */
function lowerQuantile(q: number, a: number, b: number): number {
  const lnQ = Math.log(q);
  // Near 0, I_x(a, b) = x^a / (a B(a, b)) · (1 + O(x·b)): where that puts the quantile below
  // 1e-300 it is exact to double precision (and may underflow to 0).
  const lnTail = (lnQ + Math.log(a) + lnBeta(a, b)) / a;
  if (lnTail < LN_TINY_QUANTILE) return Math.exp(lnTail);
  let x = Math.exp(lnTail);
  if (a >= 1 && b >= 1) {
    // Normal approximation around the mean: a better start when the shapes are not small.
    const s = a + b;
    const mean = a / s;
    const normal = mean + probit(q) * Math.sqrt((mean * (b / s)) / (s + 1));
    if (normal > 0 && normal < 1) x = normal;
  }
  if (!(x > 0 && x < 1)) x = 0.5;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 500; i++) {
    const value = cdf(x, a, b);
    if (value === q) return x;
    if (value < q) lo = x;
    else hi = x;
    // d ln I / d ln x = x · density / I, with density = front / (x (1 − x)).
    const slope = Math.exp(lnFront(x, a, b) - Math.log1p(-x)) / value;
    let next = x * Math.exp(-(Math.log(value) - lnQ) / slope);
    if (!(next > lo && next < hi)) next = midpoint(lo, hi);
    if (Math.abs(next - x) <= 4 * EPSILON * x || hi - lo <= 4 * EPSILON * hi) return next;
    x = next;
  }
  return x;
}

/**
 * The q-quantile of Beta(a, b): the x with I_x(a, b) = q. Works in whichever tail keeps the target
 * probability ≤ ½ (I_x(a, b) = 1 − I_{1−x}(b, a)), so both tails are solved to full precision.
 */
export function betaQuantile(q: number, a: number, b: number): number {
  checkShapes(a, b);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile level must be in [0, 1], got ${q}`);
  if (q === 0) return 0;
  if (q === 1) return 1;
  if (q <= 0.5) return lowerQuantile(q, a, b);
  return 1 - lowerQuantile(1 - q, b, a);
}
