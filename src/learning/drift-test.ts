import type { DriftAlert, DriftTest } from "../../models/index.ts";
import { betaQuantile } from "../numeric/beta-distribution.ts";
import { probabilityBetaBelow } from "../numeric/beta-comparison.ts";
import { formatNumber } from "../numeric/number-format.ts";
import { jeffreysRate } from "./jeffreys-interval.ts";

/**
 * Drift: is the conversion a plan assumed for a rep still credible, given the rep's deals since?
 *
 * For each rep with deals, two rates are compared:
 * - the rate the plan assumed for those deals: p̄ = expectedWins / deals, with the plan's own
 *   uncertainty — a Beta with mean p̄ and standard deviation the mean of the plan's posterior
 *   standard deviations over the deals (moment-matched);
 * - the rep's current rate, judged from its deals since the plan alone: the Jeffreys posterior
 *   Beta(wins + ½, losses + ½). Old history is left out on purpose: a drift is a change from it.
 * The rep is flagged when P(current < plan) is above 1 − α/2 (lower) or below α/2 (higher), with
 * α = (1 − L)/m, L the level asked for (default 0.9) and m the number of reps tested (Bonferroni):
 * with no change anywhere, the chance that the plan raises any alert is at most about 1 − L.
 *
 * Leaving the plan's uncertainty out (comparing the point p̄ with the current interval) would flag a
 * rep whose estimate was merely imprecise: in a simulated world with 300 past attempts per rep and
 * segment and 150 deals per rep since the plan, that raised alerts on 16 of 100 unchanged plans instead of at most 10.
 */

export interface RepEvidence {
  rep: string;
  deals: number;
  wins: number;
  /** Σ over the deals of the plan's conversion estimate. */
  expectedWins: number;
  /** Mean over the deals of the plan's posterior standard deviation; 0 = no uncertainty known. */
  planSd: number;
}

export const DEFAULT_DRIFT_CREDIBILITY = 0.9;

const percent = (x: number) => `${formatNumber(100 * x, { decimals: 1 })}%`;

export function driftTestDescription(familyCredibility: number): string {
  return (
    "A rep is flagged when its current conversion rate, judged from its deals since the plan alone (Jeffreys posterior Beta(wins + ½, losses + ½)), " +
    "is credibly different from the rate the plan assumed for those deals (expectedWins / deals, with the plan's own posterior spread): " +
    "P(current < plan) above 1 − α/2 flags it lower, below α/2 higher, with α = (1 − " +
    `${familyCredibility}) / m for m reps tested, so that with no change anywhere the chance of any alert is at most about ${percent(1 - familyCredibility)}.`
  );
}

/** The plan's assumption as a Beta: mean p, standard deviation sd (shapes kept ≥ 1 so that its density is bounded). */
function planBeta(p: number, sd: number): { a: number; b: number } {
  const mean = Math.min(1 - 1e-9, Math.max(1e-9, p));
  const variance = sd * sd;
  let strength = variance > 0 ? (mean * (1 - mean)) / variance - 1 : 1e12;
  strength = Math.min(1e12, Math.max(strength, 1 / Math.min(mean, 1 - mean)));
  return { a: mean * strength, b: (1 - mean) * strength };
}

/** `evidence` in plan order of the reps; reps without deals are not tested. */
export function driftTest(evidence: readonly RepEvidence[], familyCredibility = DEFAULT_DRIFT_CREDIBILITY): DriftTest {
  if (!(familyCredibility > 0 && familyCredibility < 1)) throw new RangeError(`credibility must be in (0, 1), got ${familyCredibility}`);
  const tested = evidence.filter((e) => e.deals > 0);
  const m = tested.length;
  const alpha = (1 - familyCredibility) / Math.max(1, m);
  const credibility = 1 - alpha;
  const alerts: DriftAlert[] = [];
  for (const e of tested) {
    const planConversion = Math.min(1, Math.max(0, e.expectedWins / e.deals));
    const aNow = e.wins + 0.5;
    const bNow = e.deals - e.wins + 0.5;
    const plan = planBeta(planConversion, e.planSd);
    const below = probabilityBetaBelow(aNow, bNow, plan.a, plan.b);
    if (below <= 1 - alpha / 2 && below >= alpha / 2) continue;
    const direction = below > 1 - alpha / 2 ? "lower" : "higher";
    const current = jeffreysRate(e.wins, e.deals, credibility);
    const planInterval: [number, number] = [betaQuantile(alpha / 2, plan.a, plan.b), betaQuantile(1 - alpha / 2, plan.a, plan.b)];
    const [lo, hi] = current.interval;
    alerts.push({
      rep: e.rep,
      direction,
      deals: e.deals,
      wins: e.wins,
      expectedWins: e.expectedWins,
      planConversion,
      planInterval,
      recentConversion: current.p,
      interval: current.interval,
      probabilityBelowPlan: below,
      evidence:
        `${e.rep} won ${e.wins} of ${e.deals} deals since the plan (${percent(e.wins / e.deals)}) where the plan expected ${formatNumber(e.expectedWins, { decimals: 1 })} (${percent(planConversion)}); ` +
        `with ${formatNumber(100 * credibility, { decimals: 2, style: "short" })}% credibility its rate is now in [${percent(lo)}, ${percent(hi)}] against the plan's [${percent(planInterval[0])}, ${percent(planInterval[1])}]: ` +
        `${direction === "lower" ? "lower" : "higher"} than the plan assumed (P(lower) = ${formatNumber(below, { decimals: 4 })}).`,
    });
  }
  return { test: driftTestDescription(familyCredibility), planSpread: tested.some((e) => e.planSd > 0), familyCredibility, credibility, repsTested: m, alerts };
}
