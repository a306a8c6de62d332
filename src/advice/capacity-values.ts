import type { CapacityAdvice, CapacityValue, Plan, RepCapacityValue, Solution, TerritoryHireValue } from "../../models/index.ts";
import { allowance, OBJECTIVE_TOLERANCE } from "../numeric/tolerance.ts";
import { fairShareWeights } from "../plan/fair-share.ts";
import { buildPairTable } from "../plan/pair-table.ts";
import { resolvePolicy, type ResolvedPolicy } from "../plan/resolved-policy.ts";
import { softValueBand } from "../plan/value-band-excess.ts";
import { solvePlan, type SolveOptions } from "../solve/solve-plan.ts";
import { verifyAssignment } from "../verify/verify-assignment.ts";
import { expressionsReadLimits, hireChange, planTerritories, seatChange, workloadChange } from "./capacity-changes.ts";
import { dualPrices, LimitPricer, priceChangedPlan, type DualPrices } from "./dual-prices.ts";

/**
 * What capacity is worth on a solved plan: for each rep one more account slot and one more
 * workload unit, for each territory one more rep like its median rep. Every figure is a change in
 * the optimal objective with a proven bracket [low, high]:
 *
 * - high from dual prices (dual-prices.ts): the Lagrangian value of the changed plan at the base
 *   plan's multipliers bounds its optimum, so high = that value − the base objective;
 * - low from the base plan itself when it stays feasible under the change: low = its objective
 *   under the changed plan − the base bound;
 * - both from a re-solve of the changed plan: [objective′ − bound, bound′ − objective].
 *
 * Which figures are re-solved: all of them on plans up to RESOLVE_ALL_MAX_PAIRS eligible pairs;
 * on larger plans the RESOLVE_TOP figures with the largest dual estimate (where a planner would
 * look first), while the advice's time lasts. The rest carry the dual estimate (method lp-dual or
 * lagrangian → reported as "lp-dual") with its proven high and, where known, low.
 */

/** Plans up to this many eligible pairs have every figure re-solved (a whole MIP of that size solves in milliseconds). */
export const RESOLVE_ALL_MAX_PAIRS = 400;
/** Above this many eligible pairs the base plan is not re-verified under each change (a verifier pass per figure): `low` is then only known where no recheck is needed, or from a re-solve. */
export const RECHECK_MAX_PAIRS = 30_000;
/** On larger plans, how many figures (largest dual estimate first) are re-solved. */
export const RESOLVE_TOP = 3;

export interface CapacityOptions {
  /** performance.now() after which no further work starts. */
  deadline: number;
  /** The options the plan was solved with (re-solves use them too). */
  solve: SolveOptions;
  /** "auto": as above; "all": re-solve every figure; "none": dual prices only. */
  resolve?: "auto" | "all" | "none";
}

interface Figure {
  /** Where the value goes. */
  set: (value: CapacityValue) => void;
  /** The changed plan, or null when the change leaves every constraint as it was. */
  plan: Plan | null;
  /** True when the base assignment may not stay feasible under the change, or its objective may change. */
  recheckBase: boolean;
  /** True when the pair table must be rebuilt for the changed plan. */
  newPairs: boolean;
  estimate: number | null;
  low: number | null;
  high: number | null;
  method: CapacityValue["method"];
  note?: string;
}

const UNCHANGED: CapacityValue = { value: 0, low: 0, high: 0, method: "unchanged", exact: true };

export async function capacityAdvice(plan: Plan, solution: Solution, options: CapacityOptions): Promise<{ advice: CapacityAdvice; cut: boolean }> {
  const objective = solution.objective ?? 0;
  const bound = solution.bound;
  const policy = effectivePolicy(plan, options.solve);
  const table = buildPairTable(plan, policy);
  const prices = await dualPrices(plan, table, policy, objective, options.deadline);
  const limitsInRules = expressionsReadLimits(plan);
  const weightsFollow = (changed: Plan) => policy.valueBand !== null || policy.countBand !== null ? !sameWeights(plan, changed) : false;
  const assignments = solution.assignments.map((a) => ({ customer: a.customer, rep: a.rep }));

  const reps: RepCapacityValue[] = plan.reps.map((rep) => ({
    rep: rep.id,
    maxAccounts: rep.maxAccounts ?? null,
    maxWorkload: rep.maxWorkload ?? null,
    seat: UNCHANGED,
    workload: UNCHANGED,
  }));
  const figures: Figure[] = [];
  const figure = (changed: Plan | null, set: (v: CapacityValue) => void, hire: boolean) => {
    if (changed === null) return set(UNCHANGED);
    figures.push({
      set,
      plan: changed,
      recheckBase: hire || limitsInRules || softValueBand(policy) || weightsFollow(changed),
      newPairs: hire || limitsInRules,
      estimate: null,
      low: null,
      high: null,
      method: "lp-dual",
    });
  };
  plan.reps.forEach((_, r) => {
    const entry = reps[r];
    if (entry === undefined) return;
    figure(seatChange(plan, r), (v) => (entry.seat = v), false);
    figure(workloadChange(plan, r), (v) => (entry.workload = v), false);
  });
  const territories: TerritoryHireValue[] = planTerritories(plan).map((territory) => {
    const hire = hireChange(plan, territory, plan.advice?.hire);
    const entry: TerritoryHireValue = {
      territory,
      like: hire.like,
      profile: {
        maxAccounts: hire.rep.maxAccounts ?? null,
        maxWorkload: hire.rep.maxWorkload ?? null,
        specialties: hire.rep.specialties ?? [],
        seniority: hire.rep.seniority ?? null,
      },
      hire: UNCHANGED,
    };
    figure(hire.plan, (v) => (entry.hire = v), true);
    return entry;
  });

  // Dual prices and the base plan under each change: cheap, for every figure.
  const limits = prices === null ? null : new LimitPricer(plan, table, prices);
  const recheck = table.count <= RECHECK_MAX_PAIRS;
  for (const f of figures) {
    if (f.plan === null) continue;
    if (prices !== null) {
      f.method = prices.source;
      const priced = !f.newPairs && limits !== null ? limits.price(f.plan) : priceChangedPlan(f.plan, buildPairTable(f.plan, policy), prices);
      if (Number.isFinite(priced)) {
        f.estimate = priced - prices.bound;
        f.high = priced - objective;
      }
    }
    if (bound !== null) {
      if (!f.recheckBase) f.low = objective - bound;
      else if (recheck) {
        const report = verifyAssignment(f.plan, assignments);
        if (report.passed) f.low = report.objective - bound;
      }
    }
  }

  // Re-solves: every figure on small plans, the most promising ones on larger plans.
  const mode = options.resolve ?? "auto";
  const chosen =
    mode === "none"
      ? []
      : mode === "all" || table.count <= RESOLVE_ALL_MAX_PAIRS
        ? figures
        : figures
            .map((f, i) => ({ f, i }))
            .sort((a, b) => (b.f.estimate ?? -Infinity) - (a.f.estimate ?? -Infinity) || a.i - b.i)
            .slice(0, RESOLVE_TOP)
            .map(({ f }) => f);
  let cut = false;
  let resolved = 0;
  for (const f of chosen) {
    if (f.plan === null) continue;
    if (performance.now() >= options.deadline) {
      cut = true;
      break;
    }
    // Clamped to the advice's time left: a re-solve cut by it says so (stoppedBy), and so does the advice.
    const left = Math.floor(options.deadline - performance.now());
    const timeLimitMs = Math.max(1, Math.min(left, options.solve.timeLimitMs ?? f.plan.policy?.timeLimitMs ?? left));
    const again = (await solvePlan(f.plan, { ...options.solve, timeLimitMs })).solution;
    if (again.solver.stoppedBy === "time-limit") cut = true;
    f.method = "re-solve";
    resolved++;
    if (again.status === "infeasible") {
      f.estimate = null;
      f.low = null;
      f.high = null;
      f.note = "The plan with this change is infeasible (e.g. a hire's fair share of the value band cannot be met).";
      continue;
    }
    if (again.objective === null) {
      f.note = "The re-solve found no plan in time; the figure comes from dual prices.";
      f.method = prices?.source ?? "lp-dual";
      resolved--;
      continue;
    }
    f.estimate = again.objective - objective;
    if (bound !== null) f.low = Math.max(f.low ?? -Infinity, again.objective - bound);
    if (again.bound !== null) f.high = Math.min(f.high ?? Infinity, again.bound - objective);
  }

  for (const f of figures) f.set(settle(f, objective));
  const notes = describe(prices, resolved, figures.length, table.count, mode);
  return {
    advice: { objective, bound, lpBound: prices?.bound ?? null, resolved, reps, territories, notes },
    cut,
  };
}

/** The figure with its value inside its proven bracket. */
function settle(f: Figure, objective: number): CapacityValue {
  const low = f.low;
  const high = f.high !== null && low !== null && f.high < low ? low : f.high;
  let value = f.estimate;
  if (value !== null && low !== null) value = Math.max(value, low);
  if (value !== null && high !== null) value = Math.min(value, high);
  const exact = low !== null && high !== null && high - low <= allowance(objective, OBJECTIVE_TOLERANCE);
  const out: CapacityValue = { value, low, high, method: f.method, exact };
  if (f.note !== undefined) out.note = f.note;
  return out;
}

function effectivePolicy(plan: Plan, options: SolveOptions): ResolvedPolicy {
  const base = resolvePolicy(plan.policy);
  return { ...base, solver: options.solver ?? base.solver, timeLimitMs: options.timeLimitMs ?? base.timeLimitMs, mipGap: options.mipGap ?? base.mipGap };
}

function sameWeights(a: Plan, b: Plan): boolean {
  const wa = fairShareWeights(a.reps);
  const wb = fairShareWeights(b.reps);
  return wa.length === wb.length && wa.every((w, i) => w === wb[i]);
}

function describe(prices: DualPrices | null, resolved: number, figures: number, pairs: number, mode: string): string[] {
  const notes: string[] = [];
  if (prices === null) notes.push("No dual prices could be computed in time: figures that were not re-solved have no estimate.");
  else if (prices.source === "lp-dual") {
    notes.push("Dual prices from the LP relaxation (HiGHS row duals): the estimate is the LP's first-order value of the change; integrality makes it indicative only. `high` is proven: the LP bound of the changed plan at these prices, less the objective.");
  } else {
    notes.push(`Dual prices from ${pairs} pairs' Lagrangian relaxation (subgradient multipliers, as the structured path computes them): the estimate is the change in the Lagrangian bound; indicative only. \`high\` is proven: that bound of the changed plan, less the objective.`);
  }
  if (resolved === figures && figures > 0) notes.push("Every figure was re-solved: [low, high] come from both solves' objectives and proven bounds.");
  else if (resolved > 0) notes.push(`${resolved} of ${figures} figures (the largest estimates) were re-solved; the others are dual estimates.`);
  else if (mode !== "none" && figures > 0) notes.push("No figure could be re-solved within the advice's time.");
  notes.push("`low` is proven where the plan's own assignment stays feasible under the change (its objective less the proven bound) or from a re-solve; a hire copies its territory's median rep (by capacity, then id), covers only that territory and has no history.");
  return notes;
}
