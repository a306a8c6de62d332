import type { Calibration, CalibrationBin } from "../../models/index.ts";
import { jeffreysRate } from "./jeffreys-interval.ts";

/**
 * How well predicted conversion rates matched what happened: the Brier score (mean squared error
 * of p against won = 1 / lost = 0), the Brier score of predicting the overall win rate for every
 * deal (the reference a model must beat to tell deals apart), and a reliability diagram: deals
 * binned by predicted rate into tenths of [0, 1] ([0, 0.1), …, [0.9, 1]), each bin's mean
 * prediction against its observed win rate with a 90% Jeffreys interval.
 */

export interface Prediction {
  /** The predicted probability of winning the deal. */
  p: number;
  won: boolean;
}

export const CALIBRATION_BINS = 10;
/** The level of each bin's interval. */
export const BIN_INTERVAL_LEVEL = 0.9;

function binOf(p: number): number {
  return Math.min(CALIBRATION_BINS - 1, Math.max(0, Math.floor(p * CALIBRATION_BINS)));
}

/** null without predictions. */
export function calibrate(predictions: readonly Prediction[]): Calibration | null {
  const n = predictions.length;
  if (n === 0) return null;
  const count = new Array<number>(CALIBRATION_BINS).fill(0);
  const wins = new Array<number>(CALIBRATION_BINS).fill(0);
  const sumP = new Array<number>(CALIBRATION_BINS).fill(0);
  let squares = 0;
  let totalWins = 0;
  for (const { p, won } of predictions) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`a predicted rate must be in [0, 1], got ${p}`);
    const y = won ? 1 : 0;
    squares += (p - y) ** 2;
    totalWins += y;
    const b = binOf(p);
    count[b] = (count[b] ?? 0) + 1;
    wins[b] = (wins[b] ?? 0) + y;
    sumP[b] = (sumP[b] ?? 0) + p;
  }
  const bins: CalibrationBin[] = [];
  let ece = 0;
  for (let b = 0; b < CALIBRATION_BINS; b++) {
    const deals = count[b] ?? 0;
    if (deals === 0) continue;
    const w = wins[b] ?? 0;
    const meanPredicted = (sumP[b] ?? 0) / deals;
    const observedRate = w / deals;
    ece += (deals / n) * Math.abs(meanPredicted - observedRate);
    bins.push({ from: b / CALIBRATION_BINS, to: (b + 1) / CALIBRATION_BINS, deals, meanPredicted, observedRate, interval: jeffreysRate(w, deals, BIN_INTERVAL_LEVEL).interval });
  }
  const rate = totalWins / n;
  const reference = rate * (1 - rate);
  const brierScore = squares / n;
  return {
    deals: n,
    wins: totalWins,
    brierScore,
    referenceBrierScore: reference,
    brierSkill: reference > 0 ? 1 - brierScore / reference : null,
    expectedCalibrationError: ece,
    bins,
  };
}
