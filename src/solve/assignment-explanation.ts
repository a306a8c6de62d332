import type { AssignmentExplanation, AssignmentBetterRep, Customer, KeptBy, Plan, Rep, AssignmentRunnerUp } from "../../models/index.ts";
import { buildCandidateReps } from "../plan/candidate-reps.ts";
import { buildEligibilityRules, pairExclusion, type ExclusionRule } from "../plan/eligibility.ts";
import { scorePair, type ScoringContext } from "../plan/expected-value.ts";
import { softValueBand } from "../plan/value-band-excess.ts";
import { classifyMove } from "../verify/move-classification.ts";
import { allowance, atLeast, atMost, OBJECTIVE_TOLERANCE } from "../numeric/tolerance.ts";
import { pairWorkload, type PairRuleContext } from "../verify/pair-rules.ts";
import type { RepLoad } from "../verify/rep-loads.ts";

/**
 * Explanations of a verified assignment, computed after the solve from the plan and the loads it
 * gives (they never change the assignment or the objective):
 *
 * - the runner-up: the best-scoring eligible rep other than the chosen one, and the expected value
 *   lost by giving it the customer instead;
 * - the better rep: the best-scoring rep (eligible, or excluded by a rule) whose expected value beats
 *   the chosen rep's, and what kept it from getting the customer: the rule that excludes the pair,
 *   the customer's lock, or each limit that moving this customer alone to it would break.
 *
 * Cost: at most one eligibility check and one score per candidate pair. Candidates are every rep
 * when the plan has at most EXPLAIN_FULL_SCAN_MAX customer × rep combinations (so reps of other
 * territories count too), else the reps that can be eligible at all (the plan's candidate-rep index,
 * candidate-reps.ts, without locks: listed pairs, or the customer's territory under hard
 * territories): O(pairs). With the built-in score, candidates are visited by
 * decreasing conversion rate and the scan stops once no remaining rep can matter: a pair's expected
 * value is at most value × p × (1 + specialtyBonus) (fit ≤ 1 + bonus, costs ≥ 0). Ties go to the rep
 * listed first.
 */

/** Up to this many customer × rep combinations every rep is a candidate, eligible or not. */
export const EXPLAIN_FULL_SCAN_MAX = 1_000_000;

export interface ExplanationInput {
  plan: Plan;
  ctx: PairRuleContext;
  scoring: ScoringContext;
  /** The assignment in plan order, with each pair's expected value. */
  chosen: readonly { customer: Customer; rep: Rep; expectedValue: number }[];
  /** Per rep, indexed like plan.reps. */
  loads: readonly RepLoad[];
  /** Fair-share weights, indexed like plan.reps. */
  fairShare: Float64Array;
  assignedValue: number;
  assignedCount: number;
  /** Voluntary moves of the whole assignment (they count against policy.stability.maxMoves). */
  voluntaryMoves: number;
}

/** Rules whose exclusion is reported as what kept a rep (unavailable reps and unlisted pairs are not candidates). */
const REPORTED_RULES: Partial<Record<ExclusionRule, KeptBy>> = {
  forbidden: "forbidden",
  territory: "territory",
  requires: "requires",
  seniority: "seniority",
  distance: "distance",
  rule: "rule",
};

export function explainAssignments(input: ExplanationInput): AssignmentExplanation[] {
  const { plan, ctx, scoring, loads, fairShare } = input;
  const policy = ctx.policy;
  // Alternatives are judged by the rules alone; a lock is reported as such.
  const rules = buildEligibilityRules(plan, { ...policy, locks: [] });
  const index = buildCandidateReps(plan, { territory: policy.territory, locks: [] });
  const fullScan = plan.customers.length * plan.reps.length <= EXPLAIN_FULL_SCAN_MAX;
  const candidates = (c: Customer): readonly number[] => (fullScan ? index.all : index.of(c));
  // With the built-in score, visit candidates by decreasing p (ties in plan order) to stop early.
  const bounded = scoring.pairScores === null && policy.expressions.score === null;
  const rates = new Map<string, Float64Array>();
  const rateOf = (segment: string | undefined): Float64Array => {
    const key = segment ?? "";
    let p = rates.get(key);
    if (p === undefined) {
      p = Float64Array.from(plan.reps, (r) => scoring.conversion.estimate(r.id, segment).p);
      rates.set(key, p);
    }
    return p;
  };
  // Customers sharing a candidate list (the index shares its arrays) and a segment share a visit order.
  const orders = new Map<readonly number[], Map<string, readonly number[]>>();
  const visitOrder = (c: Customer): readonly number[] => {
    const reps = candidates(c);
    if (!bounded) return reps;
    let bySegment = orders.get(reps);
    if (bySegment === undefined) orders.set(reps, (bySegment = new Map()));
    const segment = c.segment ?? "";
    let order = bySegment.get(segment);
    if (order === undefined) {
      const p = rateOf(c.segment);
      order = [...reps].sort((a, b) => (p[b] ?? 0) - (p[a] ?? 0) || a - b);
      bySegment.set(segment, order);
    }
    return order;
  };
  const repIndex = new Map<string, number>();
  plan.reps.forEach((r, i) => {
    if (!repIndex.has(r.id)) repIndex.set(r.id, i);
  });

  const score = (c: Customer, r: Rep): number | null => {
    try {
      return scorePair(scoring, c, r).expectedValue;
    } catch {
      // A score that cannot be computed for this pair (e.g. an expression failing on an excluded pair).
      return null;
    }
  };

  /** What moving c alone from rep index `from` to rep index `to` would break. */
  const swapBlockers = (c: Customer, from: number, to: number): KeptBy[] => {
    const out: KeptBy[] = [];
    const repTo = plan.reps[to];
    const repFrom = plan.reps[from];
    const loadTo = loads[to];
    const loadFrom = loads[from];
    if (repTo === undefined || repFrom === undefined || loadTo === undefined || loadFrom === undefined) return out;
    if (repTo.maxAccounts !== undefined && !atMost(loadTo.accounts + 1, repTo.maxAccounts)) out.push("max-accounts");
    if (repTo.maxWorkload !== undefined && !atMost(loadTo.workload + pairWorkload(ctx, c, repTo), repTo.maxWorkload)) {
      out.push("max-workload");
    }
    const bandBreaks = (band: number | null, amount: number, total: number, has: (l: RepLoad) => number): boolean => {
      if (band === null) return false;
      const upper = (1 + band) * (fairShare[to] ?? 0) * total;
      const lower = (1 - band) * (fairShare[from] ?? 0) * total;
      return !atMost(has(loadTo) + amount, upper) || !atLeast(has(loadFrom) - amount, lower);
    };
    if (bandBreaks(softValueBand(policy) ? null : policy.valueBand, c.value, input.assignedValue, (l) => l.value)) out.push("value-band");
    if (bandBreaks(policy.countBand, 1, input.assignedCount, (l) => l.accounts)) out.push("count-band");
    if (repFrom.available !== false && repFrom.minAccounts !== undefined && !atLeast(loadFrom.accounts - 1, repFrom.minAccounts)) {
      out.push("min-accounts");
    }
    if (policy.maxMoves !== null) {
      const extra = (classifyMove(ctx, c, repTo.id) === "voluntary" ? 1 : 0) - (classifyMove(ctx, c, repFrom.id) === "voluntary" ? 1 : 0);
      if (extra > 0 && input.voluntaryMoves + extra > policy.maxMoves) out.push("move-budget");
    }
    if (out.length === 0) out.push("solver-gap");
    return out;
  };

  return input.chosen.map(({ customer: c, rep, expectedValue: ev }) => {
    const chosen = repIndex.get(rep.id) ?? -1;
    const locked = ctx.lockedRep.get(c.id) === rep.id;
    let runner: { index: number; value: number } | null = null;
    let better: { index: number; value: number; rule: KeptBy | null } | null = null;
    // A rival beats the chosen pair only by more than the objective itself is verified to.
    const beatLine = ev + allowance(ev, OBJECTIVE_TOLERANCE);
    const beats = (value: number) => value > beatLine;
    // Higher value wins, then the rep listed first.
    const outranks = (value: number, j: number, best: { index: number; value: number } | null) =>
      best === null || value > best.value || (value === best.value && j < best.index);
    const p = bounded ? rateOf(c.segment) : null;
    const fitMax = c.needs !== undefined && c.needs.length > 0 ? 1 + policy.specialtyBonus : 1;
    for (const j of visitOrder(c)) {
      if (j === chosen) continue;
      if (p !== null) {
        // Same operations as the score (value × p × fit − costs), so the bound holds in floating point.
        const ceiling = c.value * (p[j] ?? 0) * fitMax;
        const runnerSettled = runner !== null && ceiling < runner.value;
        const betterSettled = ceiling <= beatLine || (better !== null && ceiling < better.value);
        if (runnerSettled && betterSettled) break;
      }
      const other = plan.reps[j];
      if (other === undefined) continue;
      const excluded = pairExclusion(rules, c, other);
      if (excluded === "unavailable" || excluded === "not-in-pairs") continue;
      const rule = excluded === null ? null : (REPORTED_RULES[excluded] ?? null);
      if (excluded !== null && rule === null) continue;
      const value = score(c, other);
      if (value === null) continue;
      if (excluded === null && outranks(value, j, runner)) runner = { index: j, value };
      if (beats(value) && outranks(value, j, better)) better = { index: j, value, rule };
    }

    let runnerUp: AssignmentRunnerUp | null = null;
    if (runner !== null) {
      const keptBy: KeptBy[] = !beats(runner.value) ? [] : locked ? ["lock"] : swapBlockers(c, chosen, runner.index);
      runnerUp = { rep: plan.reps[runner.index]?.id ?? "", expectedValue: runner.value, valueLost: ev - runner.value, keptBy };
    }
    let betterRep: AssignmentBetterRep | null = null;
    if (better !== null) {
      const keptBy: KeptBy[] = locked ? ["lock"] : [];
      if (better.rule !== null) keptBy.push(better.rule);
      else if (!locked) keptBy.push(...swapBlockers(c, chosen, better.index));
      betterRep = { rep: plan.reps[better.index]?.id ?? "", expectedValue: better.value, keptBy };
    }
    return { runnerUp, betterRep };
  });
}
