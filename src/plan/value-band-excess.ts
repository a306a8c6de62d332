import type { ResolvedPolicy } from "./resolved-policy.ts";

/**
 * The soft value band's part of the objective (policy.fairness.mode "soft"), defined once for the
 * formulation, the verifier and the Solution: each available rep's value outside
 * [(1 − band) × share, (1 + band) × share] of the assigned value, and penalty × their sum. With a
 * hard band (or none) there is no such part.
 */
export interface ValueBandExcess {
  /** Per rep (plan order): value above the band's upper end or below its lower end; 0 inside it and for unavailable reps. */
  perRep: Float64Array;
  /** fairnessPenalty × Σ perRep: what the objective loses. */
  penalty: number;
}

/** True when the plan's value band is a goal with a penalty rather than a constraint. */
export function softValueBand(policy: Pick<ResolvedPolicy, "valueBand" | "fairnessMode">): policy is { valueBand: number; fairnessMode: "soft" } {
  return policy.valueBand !== null && policy.fairnessMode === "soft";
}

/**
 * `repValues[r]` is rep r's assigned value, `weights[r]` its fair-share weight (0 for an
 * unavailable rep, which has no band), `assignedValue` the value of every assigned customer.
 */
export function valueBandExcess(
  policy: Pick<ResolvedPolicy, "valueBand" | "fairnessMode" | "fairnessPenalty">,
  repValues: ArrayLike<number>,
  weights: ArrayLike<number>,
  available: ArrayLike<boolean>,
  assignedValue: number,
): ValueBandExcess {
  const perRep = new Float64Array(repValues.length);
  if (!softValueBand(policy)) return { perRep, penalty: 0 };
  let total = 0;
  for (let r = 0; r < repValues.length; r++) {
    if (available[r] !== true) continue;
    const share = (weights[r] ?? 0) * assignedValue;
    const value = repValues[r] ?? 0;
    const excess = Math.max(0, value - (1 + policy.valueBand) * share) + Math.max(0, (1 - policy.valueBand) * share - value);
    perRep[r] = excess;
    total += excess;
  }
  return { perRep, penalty: policy.fairnessPenalty * total };
}
