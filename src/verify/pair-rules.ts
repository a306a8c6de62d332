import type { Customer, PairScore, Plan, Rep } from "../../models/index.ts";
import { haversineKm } from "../numeric/geo-distance.ts";
import { resolvePolicy, type ResolvedPolicy } from "../plan/resolved-policy.ts";

/**
 * The verifier's own reading of the per-pair rules of contract v1 (availability, forbid, the pairs
 * list, territory, required specialties, seniority, distance, planner rules). Written from the contract, not from
 * the formulation, so that a solver answer is checked by independent code.
 */

export type PairBreachKind = "unavailable" | "forbidden" | "not-in-pairs" | "territory" | "requires" | "seniority" | "distance" | "rule";

export interface PairBreach {
  kind: PairBreachKind;
  message: string;
}

/** Lookups derived once per plan; every per-pair question is answered from these. */
export interface PairRuleContext {
  policy: ResolvedPolicy;
  customerById: ReadonlyMap<string, Customer>;
  repById: ReadonlyMap<string, Rep>;
  /** Customer id → the rep it is locked to. */
  lockedRep: ReadonlyMap<string, string>;
  /** Keys (see `pairKey`) of forbidden pairs. */
  forbidden: ReadonlySet<string>;
  /** The plan's `pairs` by key, or null when the plan gives no pairs list. */
  pairs: ReadonlyMap<string, PairScore> | null;
}

/** A collision-free key for a (customer, rep) pair. */
export function pairKey(customer: string, rep: string): string {
  return JSON.stringify([customer, rep]);
}

export function buildPairRuleContext(plan: Plan): PairRuleContext {
  const policy = resolvePolicy(plan.policy);
  const customerById = new Map<string, Customer>();
  for (const c of plan.customers) if (!customerById.has(c.id)) customerById.set(c.id, c);
  const repById = new Map<string, Rep>();
  for (const r of plan.reps) if (!repById.has(r.id)) repById.set(r.id, r);
  const lockedRep = new Map<string, string>();
  for (const l of policy.locks) if (!lockedRep.has(l.customer)) lockedRep.set(l.customer, l.rep);
  const forbidden = new Set(policy.forbid.map((f) => pairKey(f.customer, f.rep)));
  let pairs: Map<string, PairScore> | null = null;
  if (plan.pairs !== undefined) {
    pairs = new Map();
    for (const p of plan.pairs) {
      const key = pairKey(p.customer, p.rep);
      if (!pairs.has(key)) pairs.set(key, p);
    }
  }
  return { policy, customerById, repById, lockedRep, forbidden, pairs };
}

/** True when (c, r) is one of the plan's locks. */
export function isLockedPair(ctx: PairRuleContext, customer: string, rep: string): boolean {
  return ctx.lockedRep.get(customer) === rep;
}

/** Effort the pair costs the rep: the pair's own workload when `pairs` gives one, else the customer's (default 1). */
export function pairWorkload(ctx: PairRuleContext, c: Customer, r: Rep): number {
  const own = ctx.pairs?.get(pairKey(c.id, r.id))?.workload;
  return own ?? c.workload ?? 1;
}

/**
 * Why (c, r) is not rule-allowed, or null when it is. Availability, forbid and the pairs list always
 * apply; a lock overrides territory, required specialties, seniority and distance.
 */
export function pairBreach(ctx: PairRuleContext, c: Customer, r: Rep): PairBreach | null {
  const pair = `customer "${c.id}" / rep "${r.id}"`;
  if (r.available === false) return { kind: "unavailable", message: `${pair}: rep "${r.id}" is unavailable` };
  const key = pairKey(c.id, r.id);
  if (ctx.forbidden.has(key)) return { kind: "forbidden", message: `${pair}: the pair is forbidden by policy.forbid` };
  if (ctx.pairs !== null && !ctx.pairs.has(key)) return { kind: "not-in-pairs", message: `${pair}: the pair is not listed in pairs` };
  if (isLockedPair(ctx, c.id, r.id)) return null;

  if (ctx.policy.territory === "hard" && c.territory !== undefined && r.territories !== undefined && !r.territories.includes(c.territory)) {
    return { kind: "territory", message: `${pair}: territory "${c.territory}" is not among the rep's territories [${r.territories.join(", ")}]` };
  }
  if (c.requires !== undefined) {
    const specialties = r.specialties ?? [];
    const missing = c.requires.filter((s) => !specialties.includes(s));
    if (missing.length > 0) {
      return { kind: "requires", message: `${pair}: rep lacks required specialt${missing.length === 1 ? "y" : "ies"} ${missing.map((s) => `"${s}"`).join(", ")}` };
    }
  }
  const seniority = r.seniority ?? 0;
  for (const rule of ctx.policy.seniority) {
    if (c.value >= rule.minValue && seniority < rule.minSeniority) {
      return {
        kind: "seniority",
        message: `${pair}: value ${c.value} ≥ ${rule.minValue} needs seniority ≥ ${rule.minSeniority}, rep has ${seniority}`,
      };
    }
  }
  if (c.location !== undefined && r.location !== undefined && r.maxDistanceKm !== undefined) {
    const km = haversineKm(c.location, r.location);
    if (km > r.maxDistanceKm) {
      return { kind: "distance", message: `${pair}: distance ${round(km)} km > maxDistanceKm ${r.maxDistanceKm}` };
    }
  }
  for (const rule of ctx.policy.expressions.rules) {
    if (rule.excludes(c, r)) return { kind: "rule", message: `${pair}: excluded by rule "${rule.name}" (policy.rules[${rule.index}])` };
  }
  return null;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
