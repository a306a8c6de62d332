import type { Plan } from "../models/index.ts";
import { buildConversionModel } from "./conversion-model.ts";
import { buildEligibilityRules, pairExclusion, type EligibilityRules } from "./eligibility.ts";
import { buildPairScoreIndex, scorePair, type ScoringContext } from "./expected-value.ts";
import type { ResolvedPolicy } from "./resolved-policy.ts";

/**
 * The eligible (customer, rep) pairs of a plan, in a flat columnar layout: pair k joins customer
 * `customer[k]` and rep `rep[k]` (indices into plan.customers / plan.reps). Pairs are ordered by
 * customer, then by rep index, so the layout (and every model built from it) is deterministic.
 */
export interface PairTable {
  count: number;
  customer: Int32Array;
  rep: Int32Array;
  /** Objective term of the pair: expected value (or external score) minus penalties. */
  score: Float64Array;
  /** Workload the pair puts on the rep. */
  workload: Float64Array;
  /** Pair indices per customer. */
  byCustomer: number[][];
  /** Pair indices per rep. */
  byRep: number[][];
  /** Per customer: the pair index of its lock, or -1. */
  lockedPair: Int32Array;
  /** Per customer: the pair index with its current rep when that pair is eligible, or -1. */
  currentPair: Int32Array;
  rules: EligibilityRules;
  scoring: ScoringContext;
}

/** Reps that may serve each customer before the per-pair rules: a cheap index that avoids C×R scans. */
function candidateReps(plan: Plan, rules: EligibilityRules): (customerIndex: number) => Iterable<number> {
  const allReps = plan.reps.map((_, i) => i);
  const repIndex = new Map(plan.reps.map((r, i) => [r.id, i] as const));
  if (plan.pairs !== undefined) {
    const byCustomer = new Map<string, number[]>();
    for (const p of plan.pairs) {
      const r = repIndex.get(p.rep);
      if (r === undefined) continue;
      let list = byCustomer.get(p.customer);
      if (list === undefined) byCustomer.set(p.customer, (list = []));
      list.push(r);
    }
    for (const list of byCustomer.values()) list.sort((a, b) => a - b);
    return (c) => byCustomer.get(plan.customers[c]?.id ?? "") ?? [];
  }
  if (rules.policy.territory !== "hard") return () => allReps;
  const everywhere: number[] = [];
  const byTerritory = new Map<string, number[]>();
  plan.reps.forEach((rep, i) => {
    if (rep.territories === undefined) {
      everywhere.push(i);
      return;
    }
    for (const t of new Set(rep.territories)) {
      let list = byTerritory.get(t);
      if (list === undefined) byTerritory.set(t, (list = []));
      list.push(i);
    }
  });
  const merged = new Map<string, number[]>();
  for (const [t, list] of byTerritory) merged.set(t, [...list, ...everywhere].sort((a, b) => a - b));
  return (c) => {
    const customer = plan.customers[c];
    const lock = customer === undefined ? undefined : rules.lockOf.get(customer.id);
    if (lock !== undefined) {
      const r = repIndex.get(lock);
      return r === undefined ? [] : [r];
    }
    const t = customer?.territory;
    return t === undefined ? allReps : (merged.get(t) ?? everywhere);
  };
}

export function buildPairTable(plan: Plan, policy: ResolvedPolicy): PairTable {
  const rules = buildEligibilityRules(plan, policy);
  const scoring: ScoringContext = {
    policy,
    conversion: buildConversionModel(plan.history),
    pairScores: buildPairScoreIndex(plan.pairs),
  };
  const candidates = candidateReps(plan, rules);
  const customers: number[] = [];
  const reps: number[] = [];
  const scores: number[] = [];
  const workloads: number[] = [];
  const nC = plan.customers.length;
  const byCustomer: number[][] = Array.from({ length: nC }, () => []);
  const byRep: number[][] = plan.reps.map(() => []);
  const lockedPair = new Int32Array(nC).fill(-1);
  const currentPair = new Int32Array(nC).fill(-1);

  plan.customers.forEach((customer, c) => {
    const lock = rules.lockOf.get(customer.id);
    const own = byCustomer[c] ?? [];
    for (const r of candidates(c)) {
      const rep = plan.reps[r];
      if (rep === undefined || pairExclusion(rules, customer, rep) !== null) continue;
      const k = customers.length;
      customers.push(c);
      reps.push(r);
      scores.push(scorePair(scoring, customer, rep).expectedValue);
      const pairWorkload = scoring.pairScores?.get(customer.id)?.get(rep.id)?.workload;
      workloads.push(pairWorkload ?? customer.workload ?? 1);
      own.push(k);
      byRep[r]?.push(k);
      if (lock === rep.id) lockedPair[c] = k;
      if (customer.currentRep === rep.id) currentPair[c] = k;
    }
  });

  return {
    count: customers.length,
    customer: Int32Array.from(customers),
    rep: Int32Array.from(reps),
    score: Float64Array.from(scores),
    workload: Float64Array.from(workloads),
    byCustomer,
    byRep,
    lockedPair,
    currentPair,
    rules,
    scoring,
  };
}
