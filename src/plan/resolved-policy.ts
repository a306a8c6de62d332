import type { Policy } from "../../models/index.ts";
import { requirePolicyExpressions, type PolicyExpressions } from "../expressions/policy-expressions.ts";

/** The policy with every default of contract v1 applied. */
export interface ResolvedPolicy {
  territory: "hard" | "soft" | "ignore";
  territoryPenalty: number;
  specialtyBonus: number;
  travelCostPerKm: number;
  valueBand: number | null;
  countBand: number | null;
  /** hard: the value band is a constraint; soft: value outside it costs fairnessPenalty per unit. */
  fairnessMode: "hard" | "soft";
  fairnessPenalty: number;
  maxMoves: number | null;
  movePenalty: number;
  seniority: { minValue: number; minSeniority: number }[];
  /** policy.locks, then policy.overrides as locks. */
  locks: { customer: string; rep: string }[];
  forbid: { customer: string; rep: string }[];
  allowUnassigned: boolean;
  timeLimitMs: number;
  mipGap: number;
  solver: "auto" | "highs" | "jslp";
  /** Planner-defined rules and score, compiled once per plan. */
  expressions: PolicyExpressions;
}

export const DEFAULT_TIME_LIMIT_MS = 30_000;
/** policy.mipGap when absent: the planner's optimality setting, kept with the other defaults (the engine's own tolerances are in numeric/tolerance.ts). */
export const DEFAULT_MIP_GAP = 1e-4;
export const DEFAULT_SPECIALTY_BONUS = 0.25;
/** policy.fairness.penalty when absent: one unit of objective per unit of value outside the band. */
export const DEFAULT_FAIRNESS_PENALTY = 1;

export function resolvePolicy(policy: Policy | undefined): ResolvedPolicy {
  const p = policy ?? {};
  return {
    territory: p.territory ?? "hard",
    territoryPenalty: p.territoryPenalty ?? 0,
    specialtyBonus: p.specialtyBonus ?? DEFAULT_SPECIALTY_BONUS,
    travelCostPerKm: p.travelCostPerKm ?? 0,
    valueBand: p.fairness?.valueBand ?? null,
    countBand: p.fairness?.countBand ?? null,
    fairnessMode: p.fairness?.mode ?? "hard",
    fairnessPenalty: p.fairness?.penalty ?? DEFAULT_FAIRNESS_PENALTY,
    maxMoves: p.stability?.maxMoves ?? null,
    movePenalty: p.stability?.movePenalty ?? 0,
    seniority: p.seniority ?? [],
    // The planner's overrides are solved as locks, after policy.locks (never for the same customer: models/plan.ts).
    locks: [...(p.locks ?? []), ...(p.overrides ?? []).map((o) => ({ customer: o.customer, rep: o.rep }))],
    forbid: p.forbid ?? [],
    allowUnassigned: p.allowUnassigned ?? false,
    timeLimitMs: p.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
    mipGap: p.mipGap ?? DEFAULT_MIP_GAP,
    solver: p.solver ?? "auto",
    expressions: requirePolicyExpressions(p),
  };
}
