/**
 * Live routing of one new customer against the active plan, without a solver (a CRM's
 * inbound lead): the decision is pure and split in two so that only the second half runs inside the
 * storage transaction.
 *
 * 1. `rankCandidates` (outside the transaction, from the immutable plan): every rep of the plan is
 *    checked with the engine's own eligibility rules (`pairExclusion`: availability, forbid,
 *    pairs list, territory when hard, required specialties, seniority, distance, planner rules) and
 *    each eligible rep is scored with the engine's expected value (`scorePair`: value × conversion
 *    × fit − travel − penalties, or the external score, or `policy.score`).
 * 2. `chooseRep` (inside the transaction, with the current loads) keeps the reps with room —
 *    accounts + 1 ≤ maxAccounts and workload + w ≤ maxWorkload, both hard — and picks by, in order:
 *    a. fairness, as a soft preference, only when the plan sets fairness bands: a rep that stays
 *       within the upper limit of its value band, (1 + valueBand) × share × (assigned value + this
 *       customer's value), and of its count band, (1 + countBand) × share × (assigned accounts + 1),
 *       is preferred to one that would go above it; when no rep with room stays within its bands,
 *       the best of the others still gets the customer (a band never leaves a customer unassigned).
 *       `share` is the rep's fair share (fair-share.ts: proportional to capacity); the totals are
 *       over every rep of the active plan, routed customers included. Lower limits play no part:
 *       adding a customer can only raise a rep's load.
 *    b. the highest expected value;
 *    c. on a tie in expected value (within 1e-9 relative), the fewest accounts relative to the fair
 *       share ((accounts + 1) / share), so equal reps take turns;
 *    d. the smaller rep id.
 *    The runner-up is the best of the remaining reps with room under the same order. Reps that
 *    score higher than the chosen one but were full or above their bands are reported as passed
 *    over. With no rep with room, the customer is unassigned and the reason says why.
 */
import type {
  Customer,
  PairScore,
  PassedOverRep,
  Plan,
  Rep,
  RouteCounts,
  RoutePairScore,
  RunnerUp,
  ScoreComponents,
} from "../../models/index.ts";
import { formatNumber } from "../numeric/number-format.ts";
import { buildConversionModel } from "../plan/conversion-model.ts";
import { buildEligibilityRules, pairExclusion, type EligibilityRules, type ExclusionRule } from "../plan/eligibility.ts";
import { buildPairScoreIndex, scorePair, type ScoringContext } from "../plan/expected-value.ts";
import { fairShareWeights } from "../plan/fair-share.ts";
import type { LoadTotals, RepLoadState, RouteEffect } from "../storage/plan-store.ts";
import { resolvePolicy } from "../plan/resolved-policy.ts";
import { atMost, EV_TIE_TOLERANCE, nearlyEqual, SOLVER_SLACK } from "../numeric/tolerance.ts";

/** What routing needs from the active plan, built once per plan version (they are immutable). */
export interface RoutingContext {
  planId: string;
  plan: Plan;
  rules: EligibilityRules;
  scoring: ScoringContext;
  /** rep id → fair-share weight (0 for an unavailable rep). */
  shares: ReadonlyMap<string, number>;
  valueBand: number | null;
  countBand: number | null;
  repIds: ReadonlySet<string>;
  /** True when the plan lists `pairs`: a routed customer then needs its own scores. */
  externalScores: boolean;
}

export function buildRoutingContext(planId: string, plan: Plan): RoutingContext {
  const policy = resolvePolicy(plan.policy);
  const weights = fairShareWeights(plan.reps);
  const shares = new Map<string, number>();
  plan.reps.forEach((r, i) => shares.set(r.id, weights[i] ?? 0));
  return {
    planId,
    plan,
    rules: buildEligibilityRules(plan, policy),
    scoring: { policy, conversion: buildConversionModel(plan.history), pairScores: buildPairScoreIndex(plan.pairs) },
    shares,
    valueBand: policy.valueBand,
    countBand: policy.countBand,
    repIds: new Set(plan.reps.map((r) => r.id)),
    externalScores: plan.pairs !== undefined,
  };
}

/** Problems of a routing request against the plan, with paths into the request body. */
export function routeRequestProblems(ctx: RoutingContext, customer: Customer, pairs: readonly RoutePairScore[] | undefined): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (customer.currentRep !== undefined && !ctx.repIds.has(customer.currentRep)) {
    out.push({ path: "customer.currentRep", message: `unknown rep "${customer.currentRep}" (not in the active plan)` });
  }
  if (pairs !== undefined && !ctx.externalScores) {
    out.push({ path: "pairs", message: "the active plan does not list pairs: expected values come from the plan's model, so send no pairs" });
  }
  const seen = new Map<string, number>();
  pairs?.forEach((p, i) => {
    if (!ctx.repIds.has(p.rep)) out.push({ path: `pairs[${i}].rep`, message: `unknown rep "${p.rep}" (not in the active plan)` });
    const first = seen.get(p.rep);
    if (first !== undefined) out.push({ path: `pairs[${i}].rep`, message: `duplicate rep "${p.rep}" (first at pairs[${first}])` });
    else seen.set(p.rep, i);
  });
  return out;
}

export interface Candidate {
  rep: Rep;
  expectedValue: number;
  components: ScoreComponents;
  /** What the customer adds to the rep's workload. */
  workload: number;
  share: number;
}

export interface CandidateRanking {
  customer: Customer;
  /** Eligible reps, in the plan's rep order. */
  candidates: Candidate[];
  /** Ineligible reps by the rule that excluded them. */
  excluded: Partial<Record<ExclusionRule, number>>;
  reps: number;
  externalScores: boolean;
}

/** Eligibility and expected value of the customer with every rep of the plan (no loads needed). */
export function rankCandidates(ctx: RoutingContext, customer: Customer, pairs?: readonly RoutePairScore[]): CandidateRanking {
  let rules = ctx.rules;
  let scoring = ctx.scoring;
  const own = new Map<string, PairScore>();
  if (ctx.externalScores) {
    // Only the pairs sent with the request are eligible for the new customer, scored as sent.
    for (const p of pairs ?? []) {
      own.set(p.rep, { customer: customer.id, rep: p.rep, score: p.score, ...(p.workload === undefined ? {} : { workload: p.workload }) });
    }
    rules = { ...rules, listed: new Map([[customer.id, new Set(own.keys())]]) };
    scoring = { ...scoring, pairScores: new Map([[customer.id, own]]) };
  }
  const candidates: Candidate[] = [];
  const excluded: Partial<Record<ExclusionRule, number>> = {};
  for (const rep of ctx.plan.reps) {
    const rule = pairExclusion(rules, customer, rep);
    if (rule !== null) {
      excluded[rule] = (excluded[rule] ?? 0) + 1;
      continue;
    }
    const { expectedValue, components } = scorePair(scoring, customer, rep);
    candidates.push({
      rep,
      expectedValue,
      components,
      workload: own.get(rep.id)?.workload ?? customer.workload ?? 1,
      share: ctx.shares.get(rep.id) ?? 0,
    });
  }
  return { customer, candidates, excluded, reps: ctx.plan.reps.length, externalScores: ctx.externalScores };
}

export interface RouteDecision extends RouteEffect {
  runnerUp: RunnerUp | null;
  passedOver: PassedOverRep[];
  counts: RouteCounts;
  /** The chosen rep's limits, to report its load. */
  limits: { maxAccounts: number | null; maxWorkload: number | null } | null;
}

/** Expected values tied up to rounding; limits are checked with the solvers' slack, as a solve would. */
const close = (a: number, b: number) => nearlyEqual(a, b, EV_TIE_TOLERANCE);
const MAX_PASSED_OVER = 5;

interface Option {
  candidate: Candidate;
  load: RepLoadState;
  /** The band the rep would go above, or null when it stays within its bands. */
  breach: "valueBand" | "countBand" | null;
}

const EMPTY_LOAD: RepLoadState = { accounts: 0, workload: 0, value: 0, expectedValue: 0 };

function turnRatio(o: Option): number {
  return o.candidate.share > 0 ? (o.load.accounts + 1) / o.candidate.share : Infinity;
}

/** True when `a` goes before `b` (see the order in the file comment). */
function better(a: Option, b: Option): boolean {
  if ((a.breach === null) !== (b.breach === null)) return a.breach === null;
  if (!close(a.candidate.expectedValue, b.candidate.expectedValue)) return a.candidate.expectedValue > b.candidate.expectedValue;
  const ra = turnRatio(a);
  const rb = turnRatio(b);
  if (ra !== rb) return ra < rb;
  return a.candidate.rep.id < b.candidate.rep.id;
}

function bestOf(options: readonly Option[], skip: Option | null): Option | null {
  let best: Option | null = null;
  for (const o of options) if (o !== skip && (best === null || better(o, best))) best = o;
  return best;
}

const fmt = (x: number) => formatNumber(x, { style: "short" });

const RULE_WORDS: Record<ExclusionRule, string> = {
  unavailable: "unavailable",
  forbidden: "forbidden",
  "not-in-pairs": "not in pairs",
  "locked-elsewhere": "locked elsewhere",
  territory: "territory",
  requires: "required specialties",
  seniority: "seniority",
  distance: "distance",
  rule: "planner rule",
};

const BECAUSE_WORDS: Record<PassedOverRep["because"], string> = {
  maxAccounts: "is at maxAccounts",
  maxWorkload: "has no workload room (maxWorkload)",
  valueBand: "would go above its value band",
  countBand: "would go above its count band",
};

const RULE_ORDER: readonly ExclusionRule[] = ["unavailable", "forbidden", "not-in-pairs", "locked-elsewhere", "territory", "requires", "seniority", "distance", "rule"];

function exclusionSummary(excluded: CandidateRanking["excluded"]): string {
  return RULE_ORDER.flatMap((rule) => {
    const n = excluded[rule];
    return n === undefined || n === 0 ? [] : [`${n} by ${RULE_WORDS[rule]}`];
  }).join(", ");
}

/**
 * The decision under the current loads (pure). `loads` holds the candidates' loads (a missing rep
 * counts as empty); `totals` are over every rep of the plan.
 */
export function chooseRep(ctx: RoutingContext, ranking: CandidateRanking, loads: ReadonlyMap<string, RepLoadState>, totals: LoadTotals): RouteDecision {
  const { customer } = ranking;
  const full: { candidate: Candidate; because: "maxAccounts" | "maxWorkload" }[] = [];
  const options: Option[] = [];
  for (const candidate of ranking.candidates) {
    const load = loads.get(candidate.rep.id) ?? EMPTY_LOAD;
    const { maxAccounts, maxWorkload } = candidate.rep;
    if (maxAccounts !== undefined && load.accounts + 1 > maxAccounts) {
      full.push({ candidate, because: "maxAccounts" });
      continue;
    }
    if (maxWorkload !== undefined && !atMost(load.workload + candidate.workload, maxWorkload, SOLVER_SLACK)) {
      full.push({ candidate, because: "maxWorkload" });
      continue;
    }
    let breach: Option["breach"] = null;
    if (ctx.valueBand !== null) {
      const limit = (1 + ctx.valueBand) * candidate.share * (totals.value + customer.value);
      if (!atMost(load.value + customer.value, limit, SOLVER_SLACK)) breach = "valueBand";
    }
    if (breach === null && ctx.countBand !== null) {
      const limit = (1 + ctx.countBand) * candidate.share * (totals.accounts + 1);
      if (!atMost(load.accounts + 1, limit, SOLVER_SLACK)) breach = "countBand";
    }
    options.push({ candidate, load, breach });
  }

  const chosen = bestOf(options, null);
  const second = bestOf(options, chosen);
  const counts: RouteCounts = {
    reps: ranking.reps,
    eligible: ranking.candidates.length,
    withRoom: options.length,
    withinFairness: options.filter((o) => o.breach === null).length,
    excluded: { ...ranking.excluded },
  };

  if (chosen === null) {
    let reason: string;
    if (ranking.candidates.length === 0) {
      const why = exclusionSummary(ranking.excluded);
      reason = `No rep of the active plan is eligible for this customer (${why === "" ? "the plan has no reps" : why}).`;
      if (ranking.externalScores) reason += " The active plan scores pairs externally: send `pairs` with the customer's eligible reps and scores.";
    } else {
      const byAccounts = full.filter((f) => f.because === "maxAccounts").length;
      const byWorkload = full.length - byAccounts;
      reason = `All ${ranking.candidates.length} eligible reps are at capacity (${byAccounts} at maxAccounts, ${byWorkload} without workload room): the customer is recorded as unassigned.`;
    }
    return { rep: null, workload: 0, value: 0, expectedValue: null, components: null, reason, runnerUp: null, passedOver: [], counts, limits: null };
  }

  const ev = chosen.candidate.expectedValue;
  const passedOver: PassedOverRep[] = [
    ...full.map((f) => ({ rep: f.candidate.rep.id, expectedValue: f.candidate.expectedValue, because: f.because })),
    ...options.flatMap((o) => (o.breach === null || o === chosen ? [] : [{ rep: o.candidate.rep.id, expectedValue: o.candidate.expectedValue, because: o.breach }])),
  ]
    .filter((p) => p.expectedValue > ev && !close(p.expectedValue, ev))
    .sort((a, b) => b.expectedValue - a.expectedValue || (a.rep < b.rep ? -1 : 1))
    .slice(0, MAX_PASSED_OVER);

  const id = chosen.candidate.rep.id;
  const parts: string[] = [];
  if (chosen.breach === null) {
    parts.push(
      `${id} has the highest expected value (${fmt(ev)}) among the ${counts.withinFairness} eligible reps with room` +
        (ctx.valueBand !== null || ctx.countBand !== null ? " that stay within their fairness bands." : "."),
    );
  } else {
    parts.push(`No eligible rep with room stays within its fairness bands; ${id} has the highest expected value (${fmt(ev)}) among the ${counts.withRoom} with room.`);
  }
  if (second !== null && (second.breach === null) === (chosen.breach === null) && close(second.candidate.expectedValue, ev)) {
    parts.push(
      turnRatio(second) === turnRatio(chosen)
        ? `Tied with ${second.candidate.rep.id} on expected value and load; ${id} comes first by id.`
        : `Tied with ${second.candidate.rep.id} on expected value; ${id} has fewer accounts relative to its fair share.`,
    );
  } else if (second !== null) {
    parts.push(`Runner-up: ${second.candidate.rep.id} (${fmt(second.candidate.expectedValue)}).`);
  } else {
    parts.push("No other eligible rep has room.");
  }
  if (passedOver.length > 0) {
    parts.push(`Higher-scoring reps passed over: ${passedOver.map((p) => `${p.rep} (${fmt(p.expectedValue)}) ${BECAUSE_WORDS[p.because]}`).join("; ")}.`);
  }

  return {
    rep: id,
    workload: chosen.candidate.workload,
    value: customer.value,
    expectedValue: ev,
    components: chosen.candidate.components,
    reason: parts.join(" "),
    runnerUp: second === null ? null : { rep: second.candidate.rep.id, expectedValue: second.candidate.expectedValue },
    passedOver,
    counts,
    limits: { maxAccounts: chosen.candidate.rep.maxAccounts ?? null, maxWorkload: chosen.candidate.rep.maxWorkload ?? null },
  };
}
