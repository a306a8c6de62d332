import type { Plan } from "../../models/index.ts";
import { formulate, valueUnit } from "../mip/formulation.ts";
import type { MipRow } from "../mip/mip-model.ts";
import { solveRelaxationDuals } from "../mip/highs-backend.ts";
import type { PairTable } from "../plan/pair-table.ts";
import type { ResolvedPolicy } from "../plan/resolved-policy.ts";
import { softValueBand } from "../plan/value-band-excess.ts";
import { buildAssignmentProblem, type AssignmentProblem } from "../structured/assignment-problem.ts";
import { lagrangianBound, pairPrices, solveRelaxed, SubgradientSolver, zeroMultipliers, type Multipliers, type PairPrices } from "../structured/lagrangian-bound.ts";

/**
 * Dual prices of a plan's rep rows and move budget, as Lagrangian multipliers of the structured
 * path's assignment problem (structured/lagrangian-bound.ts). For any multipliers ≥ 0 the
 * Lagrangian value of a plan is a proven upper bound on its optimum, and it can be evaluated on a
 * changed plan (one more seat, one more rep) with the same multipliers in one pass over the pairs:
 * that is what makes a sound upper bound on what a change is worth, for every rep and territory,
 * without solving again.
 *
 * Where the multipliers come from:
 * - "lp-dual": plans up to LP_DUAL_MAX_PAIRS eligible pairs: HiGHS solves the LP relaxation and its
 *   row duals become the multipliers; the Lagrangian value then equals the LP bound (each
 *   customer's subproblem is integral).
 * - "lagrangian": larger plans (or when the LP cannot be solved in time): a fixed number of
 *   subgradient steps from zero, the structured path's own method, deterministic.
 *
 * A soft value band is priced without the band (dropping it only raises the bound, so the bound
 * stays sound for the soft objective, which is at most the value without the band).
 */

/** Above this many eligible pairs the LP is not solved (on 10k × 200, 266k pairs, it takes about 30 s). */
export const LP_DUAL_MAX_PAIRS = 30_000;
/** Subgradient steps when the multipliers come from the Lagrangian (each one pass over the pairs). */
export const SUBGRADIENT_STEPS = 300;

export interface DualPrices {
  source: "lp-dual" | "lagrangian";
  multipliers: Multipliers;
  /** The Lagrangian value at the multipliers: a proven upper bound on the plan's optimum. */
  bound: number;
  /** The policy the prices were made under (the band dropped when it is soft). */
  policy: ResolvedPolicy;
}

/** The policy whose assignment problem the prices belong to. */
export function pricingPolicy(policy: ResolvedPolicy): ResolvedPolicy {
  return softValueBand(policy) ? { ...policy, valueBand: null } : policy;
}

export async function dualPrices(plan: Plan, table: PairTable, policy: ResolvedPolicy, objective: number, deadline: number): Promise<DualPrices | null> {
  const priced = pricingPolicy(policy);
  const problem = buildAssignmentProblem(plan, table, priced);
  if (table.count <= LP_DUAL_MAX_PAIRS) {
    const left = deadline - performance.now();
    if (left > 0) {
      const model = formulate(plan, table, priced);
      const lp = await solveRelaxationDuals(model, { timeLimitMs: left, mipGap: 0 });
      if (lp !== null) {
        const multipliers = multipliersFromDuals(plan, problem, model.rows, lp.rowDual);
        return { source: "lp-dual", multipliers, bound: lagrangianBound(problem, multipliers), policy: priced };
      }
    }
  }
  const solver = new SubgradientSolver(problem);
  for (let i = 0; i < SUBGRADIENT_STEPS; i++) solver.step(objective);
  if (!Number.isFinite(solver.bestBound)) return null;
  return { source: "lagrangian", multipliers: solver.bestMultipliers, bound: solver.bestBound, policy: priced };
}

/**
 * LP row duals (formulation rows, values in `valueUnit`s) as multipliers of the assignment problem
 * (values unscaled). A row's dual is the derivative of the LP optimum with respect to its active
 * bound: positive at an upper bound, negative at a lower one. The count band, folded into the
 * problem's account bounds, adds to their multipliers. Any multipliers ≥ 0 give a valid bound, so
 * a mapping that is not exact only makes the bound looser, never wrong.
 */
function multipliersFromDuals(plan: Plan, problem: AssignmentProblem, rows: readonly MipRow[], dual: Float64Array): Multipliers {
  const m = zeroMultipliers(problem.repCount);
  const unit = valueUnit(plan.customers.map((c) => c.value));
  const add = (a: Float64Array, r: number, x: number) => {
    if (r >= 0 && r < a.length && x > 0) a[r] = (a[r] ?? 0) + x;
  };
  rows.forEach((row, i) => {
    const d = dual[i] ?? 0;
    const up = Math.max(0, d);
    const down = Math.max(0, -d);
    switch (row.kind) {
      case "accounts":
      case "countBand":
      case "countBandUpper":
      case "countBandLower":
        if (row.kind === "countBandUpper" || row.kind === "countBandLower") {
          add(row.kind === "countBandUpper" ? m.countUpper : m.countLower, row.ref, row.kind === "countBandUpper" ? up : down);
        } else {
          add(m.accountsUpper, row.ref, up);
          add(m.accountsLower, row.ref, down);
        }
        break;
      case "maxWorkload":
        add(m.workload, row.ref, up);
        break;
      case "valueBand":
        add(m.valueUpper, row.ref, up / unit);
        add(m.valueLower, row.ref, down / unit);
        break;
      case "valueBandUpper":
        add(m.valueUpper, row.ref, up / unit);
        break;
      case "valueBandLower":
        add(m.valueLower, row.ref, down / unit);
        break;
      case "maxMoves":
        m.stays += down;
        break;
      default:
        break;
    }
  });
  return m;
}

/** The multipliers for a problem with more reps (a hire): the new reps' rows priced at 0, which is always valid. */
export function extendMultipliers(m: Multipliers, repCount: number): Multipliers {
  if (m.accountsUpper.length >= repCount) return m;
  const grow = (a: Float64Array) => {
    const out = new Float64Array(repCount);
    out.set(a);
    return out;
  };
  return {
    accountsUpper: grow(m.accountsUpper),
    accountsLower: grow(m.accountsLower),
    workload: grow(m.workload),
    valueUpper: grow(m.valueUpper),
    valueLower: grow(m.valueLower),
    countUpper: grow(m.countUpper),
    countLower: grow(m.countLower),
    stays: m.stays,
  };
}

/** The Lagrangian value of a (changed) plan at the given prices: a proven upper bound on its optimum. */
export function priceChangedPlan(plan: Plan, table: PairTable, prices: DualPrices): number {
  const problem = buildAssignmentProblem(plan, table, prices.policy);
  return lagrangianBound(problem, extendMultipliers(prices.multipliers, problem.repCount));
}

/**
 * Prices changes of rep limits on the same pairs quickly. The per-rep bounds of a changed plan come
 * from `buildAssignmentProblem` over the plan's table without its pairs (they do not depend on
 * them), joined to the base problem's pairs. When the per-pair prices are the same as the base's
 * (the usual case: only bounds moved), the Lagrangian value changes only by its constant term, Σ
 * multiplier × bound, and no pass over the pairs is needed.
 */
export class LimitPricer {
  private readonly base: AssignmentProblem;
  private readonly prices: PairPrices;
  private readonly value: number;
  private readonly withoutPairs: PairTable;

  constructor(
    plan: Plan,
    table: PairTable,
    private readonly dual: DualPrices,
  ) {
    this.base = buildAssignmentProblem(plan, table, dual.policy);
    this.prices = pairPrices(this.base, dual.multipliers);
    this.value = solveRelaxed(this.base, this.prices).bound;
    this.withoutPairs = { ...table, count: 0, customer: new Int32Array(0), rep: new Int32Array(0), score: new Float64Array(0), workload: new Float64Array(0) };
  }

  /** The Lagrangian value of `changed`, which has the same customers, reps and eligible pairs as the base plan. */
  price(changed: Plan): number {
    const bounds = buildAssignmentProblem(changed, this.withoutPairs, this.dual.policy);
    const problem: AssignmentProblem = {
      ...this.base,
      accountsLower: bounds.accountsLower,
      accountsUpper: bounds.accountsUpper,
      workloadUpper: bounds.workloadUpper,
      valueLower: bounds.valueLower,
      valueUpper: bounds.valueUpper,
      valueShare: bounds.valueShare,
      countShare: bounds.countShare,
      minStays: bounds.minStays,
    };
    const prices = pairPrices(problem, this.dual.multipliers);
    if (samePrices(prices, this.prices)) return this.value - this.prices.constant + prices.constant;
    return solveRelaxed(problem, prices).bound;
  }
}

function samePrices(a: PairPrices, b: PairPrices): boolean {
  const same = (x: Float64Array, y: Float64Array) => x.length === y.length && x.every((v, i) => v === y[i]);
  return a.perAssigned === b.perAssigned && a.stayBonus === b.stayBonus && same(a.fixed, b.fixed) && same(a.work, b.work) && same(a.value, b.value);
}
