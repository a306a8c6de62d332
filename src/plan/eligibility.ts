import type { Customer, Plan, Rep } from "../../models/index.ts";
import { haversineKm } from "../numeric/geo-distance.ts";
import type { CompiledRule } from "../expressions/policy-expressions.ts";
import type { ResolvedPolicy } from "./resolved-policy.ts";

/** The rule that removes a (customer, rep) pair from the model. */
export type ExclusionRule =
  | "unavailable"
  | "forbidden"
  | "not-in-pairs"
  | "locked-elsewhere"
  | "territory"
  | "requires"
  | "seniority"
  | "distance"
  | "rule";

/** Lookups for the eligibility rules (README, "What is optimised"; docs/decisions.md), built once per plan. */
export interface EligibilityRules {
  policy: ResolvedPolicy;
  /** customer id -> rep id it is locked to. */
  lockOf: ReadonlyMap<string, string>;
  /** customer id -> rep ids it may not go to. */
  forbidden: ReadonlyMap<string, ReadonlySet<string>>;
  /** customer id -> rep ids listed in `pairs`; null when the plan has no `pairs`. */
  listed: ReadonlyMap<string, ReadonlySet<string>> | null;
  /** Seniority rules sorted by minValue, for the strictest rule that applies to a value. */
  seniority: readonly { minValue: number; minSeniority: number }[];
}

function groupPairs(pairs: readonly { customer: string; rep: string }[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const p of pairs) {
    let set = out.get(p.customer);
    if (set === undefined) out.set(p.customer, (set = new Set()));
    set.add(p.rep);
  }
  return out;
}

export function buildEligibilityRules(plan: Plan, policy: ResolvedPolicy): EligibilityRules {
  const lockOf = new Map<string, string>();
  for (const l of policy.locks) lockOf.set(l.customer, l.rep);
  return {
    policy,
    lockOf,
    forbidden: groupPairs(policy.forbid),
    listed: plan.pairs === undefined ? null : groupPairs(plan.pairs),
    seniority: [...policy.seniority].sort((a, b) => a.minValue - b.minValue),
  };
}

/** The seniority a customer of this value needs (0 when no rule applies). */
export function requiredSeniority(rules: EligibilityRules, value: number): number {
  let need = 0;
  for (const rule of rules.seniority) if (value >= rule.minValue && rule.minSeniority > need) need = rule.minSeniority;
  return need;
}

/**
 * Why the pair is not eligible, or null when it is. A lock makes its own pair eligible whatever the
 * territory, specialty, seniority and distance rules say (a planner's explicit decision), but not a
 * rep who is unavailable or a pair missing from `pairs`.
 */
export function pairExclusion(rules: EligibilityRules, customer: Customer, rep: Rep): ExclusionRule | null {
  if (rep.available === false) return "unavailable";
  if (rules.forbidden.get(customer.id)?.has(rep.id) === true) return "forbidden";
  if (rules.listed !== null && rules.listed.get(customer.id)?.has(rep.id) !== true) return "not-in-pairs";
  const lock = rules.lockOf.get(customer.id);
  if (lock !== undefined) return lock === rep.id ? null : "locked-elsewhere";
  if (
    rules.policy.territory === "hard" &&
    customer.territory !== undefined &&
    rep.territories !== undefined &&
    !rep.territories.includes(customer.territory)
  ) {
    return "territory";
  }
  if (customer.requires !== undefined && customer.requires.length > 0) {
    const has = rep.specialties ?? [];
    if (!customer.requires.every((s) => has.includes(s))) return "requires";
  }
  if (rules.seniority.length > 0 && (rep.seniority ?? 0) < requiredSeniority(rules, customer.value)) return "seniority";
  if (rep.maxDistanceKm !== undefined && customer.location !== undefined && rep.location !== undefined) {
    if (haversineKm(customer.location, rep.location) > rep.maxDistanceKm) return "distance";
  }
  return excludingRule(rules, customer, rep) === null ? null : "rule";
}

/** The first planner-defined rule (policy.rules) that makes the pair ineligible, or null. */
export function excludingRule(rules: EligibilityRules, customer: Customer, rep: Rep): CompiledRule | null {
  for (const rule of rules.policy.expressions.rules) if (rule.excludes(customer, rep)) return rule;
  return null;
}
