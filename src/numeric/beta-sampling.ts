import type { RandomStream } from "./random-stream.ts";

/**
 * Draws from the Gamma and Beta distributions with a RandomStream: Gamma(a) by Marsaglia and
 * Tsang's squeeze method (2000) for a ≥ 1, and for a < 1 as Gamma(a + 1) · U^(1/a); Beta(a, b) as
 * X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). The normal deviates come from Box–Muller.
 */

function standardNormal(rng: RandomStream): number {
  return Math.sqrt(-2 * Math.log(rng.nextPositive())) * Math.cos(2 * Math.PI * rng.next());
}

/** Gamma(shape, 1) for shape > 0. */
export function sampleGamma(rng: RandomStream, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`gamma shape must be finite and > 0, got ${shape}`);
  if (shape < 1) return sampleGamma(rng, shape + 1) * Math.pow(rng.nextPositive(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.nextPositive();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) for a, b > 0. When both gamma draws underflow to 0 (tiny shapes), the mean a / (a + b). */
export function sampleBeta(rng: RandomStream, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  const sum = x + y;
  return sum > 0 ? x / sum : a / (a + b);
}
