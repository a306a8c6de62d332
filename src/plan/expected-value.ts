import type { Customer, PairScore, Rep, ScoreComponents } from "../../models/index.ts";
import type { ConversionModel } from "./conversion-model.ts";
import { haversineKm } from "../numeric/geo-distance.ts";
import type { ResolvedPolicy } from "./resolved-policy.ts";

/**
 * The expected value of a (customer, rep) pair (README, "What is optimised"):
 *
 *   ev = value × p(rep, segment) × fit − travelCostPerKm × km − penalty
 *
 * or, when the plan gives `pairs`, ev = score − penalty (docs/decisions.md); with `policy.score`, the
 * planner's expression replaces value × p × fit − travel and the penalties still apply. This runs once per eligible
 * pair (up to about 10^7), so it allocates nothing beyond the returned object.
 */

export interface ScoringContext {
  policy: ResolvedPolicy;
  conversion: ConversionModel;
  /** When the plan gives `pairs`: customerId -> repId -> PairScore. null otherwise. */
  pairScores: ReadonlyMap<string, ReadonlyMap<string, PairScore>> | null;
}

export interface PairValue {
  expectedValue: number;
  components: ScoreComponents;
}

/** Above this many needs × (needs + specialties) comparisons, specialtyFit switches to sets. */
const LINEAR_SCAN_LIMIT = 256;

/**
 * fit = 1 + bonus × |needs ∩ specialties| / |needs|, counting each distinct need once; 1 when the
 * customer has no needs (or the bonus is 0).
 */
export function specialtyFit(customer: Customer, rep: Rep, bonus: number): number {
  const needs = customer.needs;
  if (needs === undefined || needs.length === 0 || bonus === 0) return 1;
  const specialties = rep.specialties ?? [];
  if (needs.length * (needs.length + specialties.length) > LINEAR_SCAN_LIMIT) {
    const distinct = new Set(needs);
    const offered = new Set(specialties);
    let covered = 0;
    for (const need of distinct) if (offered.has(need)) covered++;
    return 1 + (bonus * covered) / distinct.size;
  }
  let distinct = 0;
  let covered = 0;
  for (let i = 0; i < needs.length; i++) {
    const need = needs[i];
    if (need === undefined || needs.indexOf(need) !== i) continue; // a repeat of an earlier need
    distinct++;
    if (specialties.includes(need)) covered++;
  }
  return 1 + (bonus * covered) / distinct;
}

/**
 * Soft-territory penalty (policy "soft", the customer has a territory and the rep a territory list
 * without it) plus move penalty (the customer has a current rep and it is not this one).
 */
export function pairPenalty(policy: ResolvedPolicy, customer: Customer, rep: Rep): number {
  let penalty = 0;
  if (
    policy.territory === "soft" &&
    customer.territory !== undefined &&
    rep.territories !== undefined &&
    !rep.territories.includes(customer.territory)
  ) {
    penalty += policy.territoryPenalty;
  }
  if (customer.currentRep !== undefined && customer.currentRep !== rep.id) penalty += policy.movePenalty;
  return penalty;
}

/** Indexes the plan's `pairs` as customerId -> repId -> PairScore; null when the plan has none. */
export function buildPairScoreIndex(pairs: readonly PairScore[] | undefined): Map<string, Map<string, PairScore>> | null {
  if (pairs === undefined) return null;
  const index = new Map<string, Map<string, PairScore>>();
  for (const pair of pairs) {
    let byRep = index.get(pair.customer);
    if (byRep === undefined) {
      byRep = new Map();
      index.set(pair.customer, byRep);
    }
    if (byRep.has(pair.rep)) throw new Error(`duplicate pair score for customer "${pair.customer}" and rep "${pair.rep}"`);
    byRep.set(pair.rep, pair);
  }
  return index;
}

/**
 * The pair's objective term and why. Callers only score eligible pairs: with `pairs` given, a pair
 * that is not listed is a caller bug and throws.
 */
export function scorePair(ctx: ScoringContext, customer: Customer, rep: Rep): PairValue {
  const policy = ctx.policy;
  const distanceKm =
    customer.location !== undefined && rep.location !== undefined ? haversineKm(customer.location, rep.location) : null;
  const penalty = pairPenalty(policy, customer, rep);

  if (ctx.pairScores !== null) {
    const pair = ctx.pairScores.get(customer.id)?.get(rep.id);
    if (pair === undefined) {
      throw new Error(`no pair score for customer "${customer.id}" and rep "${rep.id}" (only listed pairs are eligible)`);
    }
    return {
      expectedValue: pair.score - penalty,
      components: {
        value: customer.value,
        conversion: null,
        conversionInterval: null,
        fit: null,
        distanceKm,
        travelCost: 0,
        penalty,
        source: "pairs",
      },
    };
  }

  const estimate = ctx.conversion.estimate(rep.id, customer.segment);
  const fit = specialtyFit(customer, rep, policy.specialtyBonus);
  const travelCost = distanceKm === null ? 0 : policy.travelCostPerKm * distanceKm;
  // Without history the conversion is not modelled ([1, 1] would read as certainty).
  const conversionInterval = estimate.source === "none" ? null : estimate.interval;
  const expression = policy.expressions.score;
  if (expression !== null) {
    // policy.score replaces value × conversion × fit − travelCost; penalties still apply.
    const terms = { value: customer.value, conversion: estimate.p, fit, distanceKm: distanceKm ?? 0, travelCost };
    const score = expression.evaluate(customer, rep, terms);
    return {
      expectedValue: score - penalty,
      components: { value: customer.value, conversion: estimate.p, conversionInterval, fit, distanceKm, travelCost, penalty, source: "expression", expression: expression.text, score },
    };
  }
  return {
    expectedValue: customer.value * estimate.p * fit - travelCost - penalty,
    components: {
      value: customer.value,
      conversion: estimate.p,
      conversionInterval,
      fit,
      distanceKm,
      travelCost,
      penalty,
      source: "model",
    },
  };
}
