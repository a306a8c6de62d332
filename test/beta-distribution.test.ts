import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { betaQuantile, lnBeta, lnGamma, regularizedIncompleteBeta } from "../src/numeric/beta-distribution.ts";

const EULER_GAMMA = 0.5772156649015329;

function lnFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
}

function binomialCoefficient(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** For integer a, b: I_x(a, b) = P(Binomial(a + b − 1, x) ≥ a). */
function binomialTail(x: number, a: number, b: number): number {
  const n = a + b - 1;
  let sum = 0;
  for (let j = a; j <= n; j++) sum += binomialCoefficient(n, j) * x ** j * (1 - x) ** (n - j);
  return sum;
}

describe("lnGamma", () => {
  it("matches factorials and Γ(½) = √π", () => {
    expect(lnGamma(1)).toBeCloseTo(0, 13);
    expect(lnGamma(2)).toBeCloseTo(0, 13);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(lnGamma(20)).toBeCloseTo(lnFactorial(19), 11);
    expect(lnGamma(171)).toBeCloseTo(lnFactorial(170), 9);
  });

  it("follows lnΓ(x) ≈ −ln x − γx + (π²/12)x² near 0", () => {
    const x = 1e-3;
    expect(lnGamma(x)).toBeCloseTo(-Math.log(x) - EULER_GAMMA * x + ((Math.PI * Math.PI) / 12) * x * x, 9);
  });

  it("satisfies lnΓ(x + 1) − lnΓ(x) = ln x, across the Stirling switch and at large x", () => {
    for (const x of [0.001, 0.3, 11.5, 12, 12.5, 1000, 1e7]) {
      expect(lnGamma(x + 1) - lnGamma(x)).toBeCloseTo(Math.log(x), x >= 1e6 ? 7 : 11);
    }
  });

  it("rejects x ≤ 0", () => {
    expect(() => lnGamma(0)).toThrow(RangeError);
    expect(() => lnGamma(-1)).toThrow(RangeError);
  });
});

describe("lnBeta", () => {
  it("matches closed forms: B(1, b) = 1/b, B(2, 3) = 1/12, B(½, ½) = π", () => {
    expect(lnBeta(1, 7)).toBeCloseTo(-Math.log(7), 13);
    expect(lnBeta(2, 3)).toBeCloseTo(-Math.log(12), 13);
    expect(lnBeta(0.5, 0.5)).toBeCloseTo(Math.log(Math.PI), 13);
  });

  it("is symmetric and agrees with lnGamma for large arguments", () => {
    expect(lnBeta(3.5, 1e6)).toBeCloseTo(lnBeta(1e6, 3.5), 12);
    // B(a, 1) = 1/a holds at any scale.
    expect(lnBeta(1e7, 1)).toBeCloseTo(-Math.log(1e7), 9);
    expect(lnBeta(40, 60)).toBeCloseTo(lnGamma(40) + lnGamma(60) - lnGamma(100), 10);
    // B(a + 1, b) = B(a, b) · a/(a + b), with both shapes large.
    const [a, b] = [2e6, 3e6];
    expect(lnBeta(a + 1, b) - lnBeta(a, b)).toBeCloseTo(Math.log(a / (a + b)), 8);
  });
});

describe("regularizedIncompleteBeta", () => {
  it("is the uniform CDF for Beta(1, 1)", () => {
    for (const x of [0.01, 0.25, 0.5, 0.9]) expect(regularizedIncompleteBeta(x, 1, 1)).toBeCloseTo(x, 14);
  });

  it("has the closed forms I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b", () => {
    for (const [x, a] of [[0.3, 2.5], [0.7, 0.01], [0.999, 1000], [0.2, 40]] as const) {
      expect(regularizedIncompleteBeta(x, a, 1)).toBeCloseTo(x ** a, 13);
      expect(regularizedIncompleteBeta(x, 1, a)).toBeCloseTo(1 - (1 - x) ** a, 13);
    }
  });

  it("is (2/π) asin √x for the arcsine distribution Beta(½, ½)", () => {
    for (const x of [0.001, 0.2, 0.5, 0.8]) {
      expect(regularizedIncompleteBeta(x, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(x)), 13);
    }
  });

  it("matches the binomial tail for integer shapes", () => {
    // I_0.3(3, 5) = P(Bin(7, 0.3) ≥ 3) = 1 − (0.7^7 + 7·0.3·0.7^6 + 21·0.09·0.7^5) = 0.3529305
    expect(regularizedIncompleteBeta(0.3, 3, 5)).toBeCloseTo(0.3529305, 7);
    for (const [x, a, b] of [[0.3, 3, 5], [0.6, 10, 4], [0.05, 2, 30], [0.5, 15, 15]] as const) {
      expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(binomialTail(x, a, b), 13);
    }
  });

  it("satisfies I_x(a, b) = 1 − I_{1−x}(b, a)", () => {
    for (const [x, a, b] of [[0.2, 0.4, 3], [0.9, 50, 2], [0.5001, 1e5, 1e5]] as const) {
      expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(1 - regularizedIncompleteBeta(1 - x, b, a), 12);
    }
  });

  it("clamps outside (0, 1) and rejects bad shapes", () => {
    expect(regularizedIncompleteBeta(-0.5, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(() => regularizedIncompleteBeta(0.5, 0, 3)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(0.5, 2, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(Number.NaN, 2, 3)).toThrow(RangeError);
  });
});

describe("betaQuantile", () => {
  it("is the identity for Beta(1, 1)", () => {
    for (const q of [0.001, 0.05, 0.5, 0.95, 0.999]) expect(betaQuantile(q, 1, 1)).toBeCloseTo(q, 13);
  });

  it("puts the median of Beta(2, 2) (and any Beta(a, a)) at ½", () => {
    expect(betaQuantile(0.5, 2, 2)).toBeCloseTo(0.5, 13);
    expect(betaQuantile(0.5, 0.01, 0.01)).toBeCloseTo(0.5, 10);
    expect(betaQuantile(0.5, 1e7, 1e7)).toBeCloseTo(0.5, 13);
  });

  it("inverts the closed forms: Q(q; a, 1) = q^(1/a), Q(q; 1, b) = 1 − (1 − q)^(1/b), arcsine", () => {
    for (const [q, a] of [[0.05, 3], [0.95, 0.2], [0.5, 1000], [0.3, 0.001]] as const) {
      expect(betaQuantile(q, a, 1)).toBeCloseTo(q ** (1 / a), 12);
      expect(betaQuantile(q, 1, a)).toBeCloseTo(1 - (1 - q) ** (1 / a), 12);
    }
    for (const q of [0.05, 0.3, 0.95]) expect(betaQuantile(q, 0.5, 0.5)).toBeCloseTo(Math.sin((Math.PI * q) / 2) ** 2, 12);
  });

  it("is symmetric: Q(q; a, b) = 1 − Q(1 − q; b, a)", () => {
    for (const [q, a, b] of [[0.05, 3, 17], [0.9, 0.02, 5], [0.3, 400, 20000]] as const) {
      expect(betaQuantile(q, a, b)).toBeCloseTo(1 - betaQuantile(1 - q, b, a), 12);
    }
  });

  it("approaches the normal quantile for huge equal shapes", () => {
    // Beta(1e7, 1e7): mean ½, sd = √(¼ / (2e7 + 1)); skewness 0, excess kurtosis ≈ −3e-7.
    const sd = Math.sqrt(0.25 / (2e7 + 1));
    const z05 = -1.6448536269514722;
    expect(betaQuantile(0.05, 1e7, 1e7)).toBeCloseTo(0.5 + z05 * sd, 11);
    expect(betaQuantile(0.95, 1e7, 1e7)).toBeCloseTo(0.5 - z05 * sd, 11);
  });

  it("handles underflowing tails of tiny shapes", () => {
    // Beta(1e-3, 10): I_x ≈ (x)^0.001 · const, so the 5% quantile is about e^-3000, i.e. 0.
    expect(betaQuantile(0.05, 1e-3, 10)).toBe(0);
    expect(betaQuantile(0.95, 10, 1e-3)).toBe(1);
    expect(betaQuantile(0.95, 1e-9, 1000)).toBeLessThan(1e-12);
  });

  it("returns the ends for q = 0 and q = 1 and rejects bad input", () => {
    expect(betaQuantile(0, 2, 3)).toBe(0);
    expect(betaQuantile(1, 2, 3)).toBe(1);
    expect(() => betaQuantile(1.5, 2, 3)).toThrow(RangeError);
    expect(() => betaQuantile(Number.NaN, 2, 3)).toThrow(RangeError);
    expect(() => betaQuantile(0.5, -1, 3)).toThrow(RangeError);
  });

  it("inverts I_x for shapes in [1e-3, 1e7] (property)", () => {
    const shape = fc.double({ min: Math.log(1e-3), max: Math.log(1e7), noNaN: true }).map(Math.exp);
    fc.assert(
      fc.property(shape, shape, fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), (a, b, q) => {
        const x = betaQuantile(q, a, b);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
        // q lies between I at the neighbours of x (tiny steps: x is as exact as doubles allow).
        const below = regularizedIncompleteBeta(x - Math.max(1e-12 * x, 1e-15), a, b);
        const above = regularizedIncompleteBeta(x + Math.max(1e-12 * (1 - x), 1e-15), a, b);
        expect(below).toBeLessThanOrEqual(q + 1e-12);
        expect(above).toBeGreaterThanOrEqual(q - 1e-12);
      }),
      { seed: 20240611, numRuns: 400 },
    );
  });

  it("is non-decreasing in q (property)", () => {
    const shape = fc.double({ min: Math.log(1e-3), max: Math.log(1e7), noNaN: true }).map(Math.exp);
    const level = fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true });
    fc.assert(
      fc.property(shape, shape, level, level, (a, b, q1, q2) => {
        const [lo, hi] = q1 <= q2 ? [q1, q2] : [q2, q1];
        expect(betaQuantile(lo, a, b)).toBeLessThanOrEqual(betaQuantile(hi, a, b));
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
