import { mean, sampleVariance } from "simple-statistics";
import type { Outcome } from "../../models/index.ts";
import { betaQuantile } from "../numeric/beta-distribution.ts";

/**
 * The conversion model (README, "What is optimised"): empirical Bayes with beta-binomial shrinkage.
 *
 *   global    p0    = Σ wins / Σ attempts
 *   segment   p_s   = (W_s + k_seg · p0) / (A_s + k_seg)
 *   rep in s  p_rs  = (w_rs + k · p_s) / (a_rs + k)
 *   rep, no segment on the customer: (w_r + k · p0) / (a_r + k), over all of the rep's outcomes
 *
 * k and k_seg are estimated by the method of moments from the spread of observed rates (reps for k,
 * segments for k_seg); see `estimatePriorStrength`.
 */

export interface ConversionEstimate {
  /** Posterior mean p(convert | rep, segment). */
  p: number;
  /** 90% credible interval: the 5% and 95% quantiles of the posterior Beta (widened to contain p). */
  interval: [number, number];
  /** The rep's own data used for this estimate. */
  wins: number;
  attempts: number;
  source: "rep-segment" | "rep" | "segment" | "global" | "none";
  /** The posterior Beta(alpha, beta) the estimate summarises; absent when conversion is not modelled (source "none"). */
  posterior?: { alpha: number; beta: number };
}

export interface ConversionModel {
  /** Memoised per (rep, segment). The returned object is frozen and shared: do not mutate it. */
  estimate(repId: string, segment: string | undefined): ConversionEstimate;
  /** Σ wins / Σ attempts; null when there is no history with attempts > 0. */
  readonly globalRate: number | null;
  /** k used for rep-level shrinkage. */
  readonly priorStrength: number;
  /** k used for segment-level shrinkage. */
  readonly segmentPriorStrength: number;
}

/** Prior strength when there are fewer than two units to measure the spread from. */
export const K_DEFAULT = 20;
/** Weakest pooling allowed: even very different units keep two pseudo-attempts of prior. */
export const K_MIN = 2;
/** Strongest pooling: used when the observed spread is no more than sampling noise. */
export const K_MAX = 1000;
/** Beta parameters are kept at least this large (a zero parameter is a degenerate Beta): a floor, not a tolerance. */
export const BETA_EPSILON = 1e-9;
/** The credible interval's quantiles: a central 90% interval. */
export const INTERVAL_LOWER_Q = 0.05;
export const INTERVAL_UPPER_Q = 0.95;

export interface WinsAttempts {
  wins: number;
  attempts: number;
}

/**
 * Beta-binomial prior strength k (= α + β of the Beta the unit rates are drawn from) by the method
 * of moments. Units with attempts > 0 have observed rates x_i/n_i; with μ = Σx/Σn the pooled rate,
 * the sample variance s² of the rates is about τ² + μ(1 − μ)·mean(1/n_i) (true spread plus
 * binomial noise), so τ² = s² − μ(1 − μ)·mean(1/n_i) and, since τ² = μ(1 − μ)/(k + 1),
 * k = μ(1 − μ)/τ² − 1, clamped to [K_MIN, K_MAX]. No detectable spread (τ² ≤ 0, including
 * μ = 0 or 1) gives K_MAX; fewer than two units gives K_DEFAULT.
 *
 * s² is the unbiased sample variance (n − 1 denominator): with few units the population variance
 * would understate the spread.
 */
export function estimatePriorStrength(units: Iterable<WinsAttempts>): number {
  const rates: number[] = [];
  const inverseAttempts: number[] = [];
  let wins = 0;
  let attempts = 0;
  for (const u of units) {
    if (u.attempts <= 0) continue;
    rates.push(u.wins / u.attempts);
    inverseAttempts.push(1 / u.attempts);
    wins += u.wins;
    attempts += u.attempts;
  }
  if (rates.length < 2) return K_DEFAULT;
  const mu = wins / attempts;
  const spread = mu * (1 - mu);
  const tau2 = sampleVariance(rates) - spread * mean(inverseAttempts);
  if (!(tau2 > 0) || spread <= 0) return K_MAX;
  const k = spread / tau2 - 1;
  return Math.min(K_MAX, Math.max(K_MIN, k));
}

function addTo(map: Map<string, WinsAttempts>, key: string, wins: number, attempts: number): void {
  const cell = map.get(key);
  if (cell === undefined) map.set(key, { wins, attempts });
  else {
    cell.wins += wins;
    cell.attempts += attempts;
  }
}

function makeEstimate(
  wins: number,
  attempts: number,
  prior: number,
  strength: number,
  source: ConversionEstimate["source"],
): ConversionEstimate {
  const alpha = Math.max(BETA_EPSILON, wins + strength * prior);
  const beta = Math.max(BETA_EPSILON, attempts - wins + strength * (1 - prior));
  const p = Math.min(1, Math.max(0, (wins + strength * prior) / (attempts + strength)));
  // A very skewed posterior (a parameter near zero) can put its mean outside its central 90%:
  // the interval is widened to contain the point estimate it explains.
  const lower = Math.min(p, betaQuantile(INTERVAL_LOWER_Q, alpha, beta));
  const upper = Math.max(p, betaQuantile(INTERVAL_UPPER_Q, alpha, beta));
  const interval: [number, number] = [lower, upper];
  Object.freeze(interval);
  return Object.freeze({ p, interval, wins, attempts, source, posterior: Object.freeze({ alpha, beta }) });
}

/**
 * Without history, conversion is unknown: every estimate is p = 1 with interval [1, 1] and source
 * "none", so conversion is neutral and the plan ranks pairs by value (and fit, travel, penalties).
 * This is deliberate: inventing a default rate would scale every pair equally at best and, at
 * worst, mislead the explanations.
 */
const NO_HISTORY_INTERVAL: [number, number] = [1, 1];
Object.freeze(NO_HISTORY_INTERVAL);
const NO_HISTORY: ConversionEstimate = Object.freeze({
  p: 1,
  interval: NO_HISTORY_INTERVAL,
  wins: 0,
  attempts: 0,
  source: "none" as const,
});

/** Builds the conversion model from past outcomes. */
export function buildConversionModel(history: readonly Outcome[] | undefined): ConversionModel {
  const byRep = new Map<string, WinsAttempts>();
  const bySegment = new Map<string, WinsAttempts>();
  const byRepSegment = new Map<string, Map<string, WinsAttempts>>();
  let totalWins = 0;
  let totalAttempts = 0;
  for (const o of history ?? []) {
    totalWins += o.wins;
    totalAttempts += o.attempts;
    addTo(byRep, o.rep, o.wins, o.attempts);
    if (o.segment === undefined) continue;
    addTo(bySegment, o.segment, o.wins, o.attempts);
    let cells = byRepSegment.get(o.rep);
    if (cells === undefined) {
      cells = new Map();
      byRepSegment.set(o.rep, cells);
    }
    addTo(cells, o.segment, o.wins, o.attempts);
  }

  if (totalAttempts <= 0) {
    return {
      estimate: () => NO_HISTORY,
      globalRate: null,
      priorStrength: K_DEFAULT,
      segmentPriorStrength: K_DEFAULT,
    };
  }

  const p0 = totalWins / totalAttempts;
  const k = estimatePriorStrength(byRep.values());
  const kSeg = estimatePriorStrength(bySegment.values());
  // A rep in a segment never seen: the segment's rate is itself uncertain around p0 (strength
  // k_seg) and the rep's around it (strength k). Matching the two moments of that mixture gives a
  // Beta with mean p0 and strength k·k_seg/(k + k_seg + 1).
  const kUnseenSegment = (k * kSeg) / (k + kSeg + 1);

  const segmentRates = new Map<string, number>();
  for (const [segment, cell] of bySegment) {
    segmentRates.set(segment, (cell.wins + kSeg * p0) / (cell.attempts + kSeg));
  }

  const memoNoSegment = new Map<string, ConversionEstimate>();
  const memoBySegment = new Map<string, Map<string, ConversionEstimate>>();

  function compute(repId: string, segment: string | undefined): ConversionEstimate {
    if (segment === undefined) {
      const rep = byRep.get(repId);
      if (rep !== undefined && rep.attempts > 0) return makeEstimate(rep.wins, rep.attempts, p0, k, "rep");
      return makeEstimate(0, 0, p0, k, "global");
    }
    const segmentRate = segmentRates.get(segment);
    const segmentCell = bySegment.get(segment);
    if (segmentRate === undefined || segmentCell === undefined || segmentCell.attempts <= 0) {
      return makeEstimate(0, 0, p0, kUnseenSegment, "global");
    }
    const cell = byRepSegment.get(repId)?.get(segment);
    if (cell !== undefined && cell.attempts > 0) {
      return makeEstimate(cell.wins, cell.attempts, segmentRate, k, "rep-segment");
    }
    return makeEstimate(0, 0, segmentRate, k, "segment");
  }

  function estimate(repId: string, segment: string | undefined): ConversionEstimate {
    if (segment === undefined) {
      let hit = memoNoSegment.get(repId);
      if (hit === undefined) {
        hit = compute(repId, undefined);
        memoNoSegment.set(repId, hit);
      }
      return hit;
    }
    let perSegment = memoBySegment.get(repId);
    if (perSegment === undefined) {
      perSegment = new Map();
      memoBySegment.set(repId, perSegment);
    }
    let hit = perSegment.get(segment);
    if (hit === undefined) {
      hit = compute(repId, segment);
      perSegment.set(segment, hit);
    }
    return hit;
  }

  return { estimate, globalRate: p0, priorStrength: k, segmentPriorStrength: kSeg };
}
