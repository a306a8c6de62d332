import type { Exploration } from "../../models/index.ts";
import { betaQuantile } from "../numeric/beta-distribution.ts";
import type { ConversionEstimate, ConversionModel } from "./conversion-model.ts";

/**
 * The conversion model of cold-start exploration (policy.exploration): where a rep has fewer than
 * `minAttempts` attempts of its own in a segment, its conversion there is raised from the posterior
 * mean p toward an upper quantile q of its posterior, p + weight × (q − p) — optimism in the face of
 * uncertainty, so that an optimiser gives such reps accounts to learn from. Elsewhere the estimate
 * is the model's own. Estimates without a posterior (no history at all) are left as they are.
 */

export const DEFAULT_EXPLORATION = { minAttempts: 20, quantile: 0.9, maxShare: 0.02 } as const;

export type ResolvedExploration = Required<Exploration>;

export function resolveExploration(exploration: Exploration): ResolvedExploration {
  return {
    minAttempts: exploration.minAttempts ?? DEFAULT_EXPLORATION.minAttempts,
    quantile: exploration.quantile ?? DEFAULT_EXPLORATION.quantile,
    maxShare: exploration.maxShare ?? DEFAULT_EXPLORATION.maxShare,
  };
}

/** True when the estimate is explored: modelled, and below minAttempts of the rep's own. */
export function isExplored(estimate: ConversionEstimate, settings: ResolvedExploration): boolean {
  return estimate.posterior !== undefined && estimate.attempts < settings.minAttempts;
}

/** The optimistic conversion of an explored estimate (the estimate's p otherwise). */
export function optimisticP(estimate: ConversionEstimate, settings: ResolvedExploration, weight: number): number {
  if (!isExplored(estimate, settings) || estimate.posterior === undefined) return estimate.p;
  const upper = betaQuantile(settings.quantile, estimate.posterior.alpha, estimate.posterior.beta);
  return Math.min(1, Math.max(estimate.p, estimate.p + weight * (upper - estimate.p)));
}

/** The model with explored estimates raised (memoised like the model it wraps). */
export function optimisticConversion(model: ConversionModel, settings: ResolvedExploration, weight: number): ConversionModel {
  const memo = new Map<string, ConversionEstimate>();
  return {
    globalRate: model.globalRate,
    priorStrength: model.priorStrength,
    segmentPriorStrength: model.segmentPriorStrength,
    estimate(repId, segment) {
      const key = JSON.stringify([repId, segment ?? null]);
      let hit = memo.get(key);
      if (hit === undefined) {
        const base = model.estimate(repId, segment);
        hit = isExplored(base, settings) ? { ...base, p: optimisticP(base, settings, weight) } : base;
        memo.set(key, hit);
      }
      return hit;
    },
  };
}
