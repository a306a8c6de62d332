import { betaQuantile } from "../numeric/beta-distribution.ts";

/**
 * A rate from `wins` in `trials` with Jeffreys' prior: the posterior Beta(wins + ½, losses + ½), its
 * mean and its central credible interval at `level`. The interval has close to its nominal
 * frequentist coverage even for few trials and rates near 0 or 1 (Brown, Cai & DasGupta 2001),
 * which is why it judges observed rates here: it says what the outcomes alone say.
 */
export interface ObservedRate {
  p: number;
  interval: [number, number];
}

export function jeffreysRate(wins: number, trials: number, level: number): ObservedRate {
  if (!(trials >= 0) || !(wins >= 0) || wins > trials) throw new RangeError(`need 0 ≤ wins ≤ trials, got ${wins} of ${trials}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const a = wins + 0.5;
  const b = trials - wins + 0.5;
  const tail = (1 - level) / 2;
  return { p: a / (a + b), interval: [betaQuantile(tail, a, b), betaQuantile(1 - tail, a, b)] };
}
