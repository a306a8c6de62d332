import type { Customer, Plan, Rep, Violation } from "../../models/index.ts";
import { buildConversionModel } from "../plan/conversion-model.ts";
import { buildPairScoreIndex, scorePair, type ScoringContext } from "../plan/expected-value.ts";
import { fairShareWeights } from "../plan/fair-share.ts";
import { softValueBand, valueBandExcess } from "../plan/value-band-excess.ts";
import { classifyMove } from "./move-classification.ts";
import { allowance, atLeast, atMost, OBJECTIVE_TOLERANCE } from "../numeric/tolerance.ts";
import { buildPairRuleContext, pairBreach, pairKey } from "./pair-rules.ts";
import { repLoads } from "./rep-loads.ts";

/**
 * The independent verifier: re-checks a solver's assignment against the plan ("never trust a
 * solver").
 *
 * It re-derives from the plan itself, in verify/, everything a solver could get wrong: which pairs
 * are eligible (pair-rules.ts: it never reads the solver's pair table, and lint forbids it), locks,
 * rep loads and capacities, fairness bands, which moves are voluntary, and the objective's sum. It
 * does not use the formulation, the pair table, the structured path or any solver result other
 * than the assignment (and the claimed objective, only to compare).
 *
 * It shares, on purpose, the code that *defines* the objective and the policy rather than checks
 * it: the per-pair score (plan/expected-value.ts), the conversion model it reads
 * (plan/conversion-model.ts), the fair-share weights the bands are a share of (plan/fair-share.ts),
 * the policy defaults and compiled planner rules (plan/resolved-policy.ts), great-circle distance
 * and the comparison tolerances (numeric/). The objective *is* what those define, so a second copy
 * would only add a way for the two to disagree; hand-computed tests pin the definitions down instead
 * (test/expected-value, conversion-model, and the fair-share cases of verify-assignment).
 */

export interface AssignmentPair {
  customer: string;
  rep: string;
}

export interface VerificationReport {
  passed: boolean;
  violations: Violation[];
  /**
   * Σ expected value of the accepted pairs (known ids, first assignment of each customer; a pair
   * missing from the plan's `pairs` has no score and adds nothing), less the soft value band's
   * penalty (plan/value-band-excess.ts) when policy.fairness.mode is "soft".
   */
  objective: number;
}

export const MAX_REPORTED_VIOLATIONS = 100;

export function verifyAssignment(plan: Plan, assignments: readonly AssignmentPair[], options?: { claimedObjective?: number }): VerificationReport {
  const ctx = buildPairRuleContext(plan);
  const policy = ctx.policy;
  const violations: Violation[] = [];
  const report = (kind: string, message: string, customer?: string, rep?: string): void => {
    if (violations.length >= MAX_REPORTED_VIOLATIONS) return;
    const v: Violation = { kind, message };
    if (customer !== undefined && isIdShaped(customer)) v.customer = customer;
    if (rep !== undefined && isIdShaped(rep)) v.rep = rep;
    violations.push(v);
  };

  // 1. Ids, duplicates and the per-pair rules, in assignment order.
  const assignedRep = new Map<string, string>();
  const accepted: { customer: Customer; rep: Rep }[] = [];
  for (const a of assignments) {
    const customer = ctx.customerById.get(a.customer);
    const rep = ctx.repById.get(a.rep);
    if (customer === undefined) report("unknown-id", `assignment names unknown customer ${quote(a.customer)}`, a.customer, a.rep);
    if (rep === undefined) report("unknown-id", `assignment names unknown rep ${quote(a.rep)}`, a.customer, a.rep);
    if (customer === undefined || rep === undefined) continue;
    const first = assignedRep.get(customer.id);
    if (first !== undefined) {
      report("duplicate", `customer "${customer.id}" is assigned more than once (to rep "${first}" and to rep "${rep.id}")`, customer.id, rep.id);
      continue;
    }
    assignedRep.set(customer.id, rep.id);
    accepted.push({ customer, rep });
    const breach = pairBreach(ctx, customer, rep);
    if (breach !== null) report(breach.kind, breach.message, customer.id, rep.id);
  }

  // 2. Every customer assigned (unless allowed), locks honoured.
  for (const c of plan.customers) {
    const rep = assignedRep.get(c.id);
    if (rep === undefined && !policy.allowUnassigned) {
      report("missing", `customer "${c.id}" is not assigned (policy.allowUnassigned is false)`, c.id);
    }
    const lock = ctx.lockedRep.get(c.id);
    if (lock !== undefined && rep !== lock) {
      const actual = rep === undefined ? "is unassigned" : `is assigned to rep "${rep}"`;
      report("lock", `customer "${c.id}" is locked to rep "${lock}" but ${actual}`, c.id, lock);
    }
  }

  // 3. Capacities.
  const loads = repLoads(ctx, plan.reps, accepted);
  plan.reps.forEach((r, i) => {
    const load = loads[i];
    if (load === undefined) return;
    if (r.maxAccounts !== undefined && !atMost(load.accounts, r.maxAccounts)) {
      report("max-accounts", `rep "${r.id}" has ${load.accounts} accounts > maxAccounts ${r.maxAccounts}`, undefined, r.id);
    }
    if (r.available !== false && r.minAccounts !== undefined && !atLeast(load.accounts, r.minAccounts)) {
      report("min-accounts", `rep "${r.id}" has ${load.accounts} accounts < minAccounts ${r.minAccounts}`, undefined, r.id);
    }
    if (r.maxWorkload !== undefined && !atMost(load.workload, r.maxWorkload)) {
      report("max-workload", `rep "${r.id}" has workload ${num(load.workload)} > maxWorkload ${num(r.maxWorkload)}`, undefined, r.id);
    }
  });

  // 4. Fairness bands around each available rep's fair share.
  const weights = fairShareWeights(plan.reps);
  const totalValue = accepted.reduce((sum, p) => sum + p.customer.value, 0);
  const bands: { band: number | null; kind: string; what: string; total: number; amount: (i: number) => number }[] = [
    { band: policy.valueBand, kind: "value-band", what: "value", total: totalValue, amount: (i) => loads[i]?.value ?? 0 },
    { band: policy.countBand, kind: "count-band", what: "accounts", total: accepted.length, amount: (i) => loads[i]?.accounts ?? 0 },
  ];
  for (const { band, kind, what, total, amount } of bands) {
    // A soft value band is not a constraint: value outside it is charged in the objective (below).
    if (band === null || (kind === "value-band" && softValueBand(policy))) continue;
    plan.reps.forEach((r, i) => {
      if (r.available === false) return;
      const share = (weights[i] ?? 0) * total;
      const lower = (1 - band) * share;
      const upper = (1 + band) * share;
      const x = amount(i);
      if (!atLeast(x, lower)) {
        report(kind, `rep "${r.id}" has ${what} ${num(x)} < ${num(lower)} = (1 − ${band}) × fair share ${num(share)}`, undefined, r.id);
      } else if (!atMost(x, upper)) {
        report(kind, `rep "${r.id}" has ${what} ${num(x)} > ${num(upper)} = (1 + ${band}) × fair share ${num(share)}`, undefined, r.id);
      }
    });
  }

  // 5. Stability: voluntary moves within policy.stability.maxMoves.
  if (policy.maxMoves !== null) {
    const voluntary = plan.customers.filter((c) => classifyMove(ctx, c, assignedRep.get(c.id)) === "voluntary").map((c) => c.id);
    if (voluntary.length > policy.maxMoves) {
      const shown = voluntary.slice(0, 10).map((id) => `"${id}"`).join(", ");
      const more = voluntary.length > 10 ? `, … (${voluntary.length - 10} more)` : "";
      report("max-moves", `${voluntary.length} voluntary moves > maxMoves ${policy.maxMoves} (customers ${shown}${more})`);
    }
  }

  // 6. Objective, recomputed from the data.
  const scoring: ScoringContext = {
    policy,
    conversion: buildConversionModel(plan.history),
    pairScores: buildPairScoreIndex(plan.pairs),
  };
  // A pair missing from `pairs` has no score; it is already reported and adds nothing.
  let objective = 0;
  for (const { customer, rep } of accepted) {
    if (ctx.pairs !== null && !ctx.pairs.has(pairKey(customer.id, rep.id))) continue;
    objective += scorePair(scoring, customer, rep).expectedValue;
  }
  objective -= valueBandExcess(
    policy,
    plan.reps.map((_, i) => loads[i]?.value ?? 0),
    weights,
    plan.reps.map((r) => r.available !== false),
    totalValue,
  ).penalty;
  const claimed = options?.claimedObjective;
  if (claimed !== undefined) {
    const tolerance = allowance(objective, OBJECTIVE_TOLERANCE);
    if (!(Math.abs(claimed - objective) <= tolerance)) {
      report("objective", `claimed objective ${num(claimed)} differs from the recomputed ${num(objective)} by more than ${tolerance}`);
    }
  }

  return { passed: violations.length === 0, violations, objective };
}

function isIdShaped(id: string): boolean {
  return id.length >= 1 && id.length <= 128;
}

function quote(id: string): string {
  return JSON.stringify(id.length > 140 ? `${id.slice(0, 140)}…` : id);
}

/** A number for a message: integers as is, others to at most 6 decimals. */
function num(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 1e6) / 1e6);
}
