import type { Plan, Relaxation, RelaxationAdvice, RelaxationChange, RelaxationGroup, RelaxedPlanAnswer, Rep } from "../../models/index.ts";
import { formulate } from "../mip/formulation.ts";
import { getBackend } from "../mip/solver-registry.ts";
import { formatNumber } from "../numeric/number-format.ts";
import { buildPairTable, type PairTable } from "../plan/pair-table.ts";
import { resolvePolicy, type ResolvedPolicy } from "../plan/resolved-policy.ts";
import { softValueBand } from "../plan/value-band-excess.ts";
import { solvePlan, type SolveOptions } from "../solve/solve-plan.ts";
import { BAND_POINT, buildElasticModel, type ElasticModel } from "./elastic-model.ts";

/**
 * The cheapest relaxation of an infeasible plan (elastic-model.ts): over every group the weights
 * allow (the cheapest combination), and for each group alone (the alternatives). Each relaxation
 * comes as changes in the planner's terms, the relaxed plan solved and verified like any plan
 * (marked as not meeting the plan as given), and whether its minimum is proven:
 *
 * - the elastic MIP solved to optimality proves that no cheaper combination exists (for the band in
 *   its continuous width; the band is then reported rounded up to `bandPrecision`);
 * - with a band change, the band one step of precision below (with the relaxation's other changes)
 *   is solved too, and proven infeasible — or said not to be;
 * - fair shares follow capacities (plan/fair-share.ts): raising a rep's limit can move every band,
 *   which the elastic model holds fixed. When the relaxed plan is still infeasible for that reason
 *   the elastic model is solved again on it (up to MAX_ROUNDS) and the result is not called minimal.
 */

export const DEFAULT_WEIGHT = 1;
export const DEFAULT_BAND_PRECISION = 0.01;
/** Relative gap of the elastic MIP: its band is continuous, and HiGHS closes the last fraction of a point slowly. */
const ELASTIC_GAP = 1e-3;
/** Most steps a rounded band is lowered by (each one a feasibility solve). */
const MAX_BAND_STEPS = 3;
/** Elastic rounds when a relaxation moved the fair shares and the relaxed plan is still infeasible. */
const MAX_ROUNDS = 3;
/** Above this many customer × rep combinations the territory group is not offered (its model holds every such pair). */
export const TERRITORY_MAX_PAIRS = 200_000;

const GROUPS: readonly RelaxationGroup[] = ["valueBand", "countBand", "maxAccounts", "maxWorkload", "minAccounts", "maxMoves", "territory"];

export interface RelaxationOptions {
  deadline: number;
  solve: SolveOptions;
}

/** The groups that exist in the plan, with their weights (null = not relaxed). */
export function relaxationWeights(plan: Plan, policy: ResolvedPolicy): Record<RelaxationGroup, number | null> {
  const asked = plan.advice?.weights ?? {};
  const available = plan.reps.filter((r) => r.available !== false);
  const exists: Record<RelaxationGroup, boolean> = {
    valueBand: policy.valueBand !== null && !softValueBand(policy) && !policy.allowUnassigned,
    countBand: policy.countBand !== null && !policy.allowUnassigned,
    maxAccounts: available.some((r) => r.maxAccounts !== undefined),
    maxWorkload: available.some((r) => r.maxWorkload !== undefined),
    minAccounts: available.some((r) => (r.minAccounts ?? 0) > 0),
    maxMoves: policy.maxMoves !== null,
    territory:
      policy.territory === "hard" &&
      plan.customers.some((c) => c.territory !== undefined) &&
      plan.reps.some((r) => r.territories !== undefined) &&
      plan.customers.length * plan.reps.length <= TERRITORY_MAX_PAIRS,
  };
  const out = {} as Record<RelaxationGroup, number | null>;
  for (const g of GROUPS) {
    const w = asked[g];
    out[g] = !exists[g] ? null : w === undefined ? DEFAULT_WEIGHT : w;
  }
  return out;
}

interface Tables {
  hard: PairTable;
  /** With territories ignored, for the territory group (null when it is not offered). */
  wide: PairTable | null;
  inTerritory: ((k: number) => boolean) | null;
}

export async function relaxationAdvice(plan: Plan, options: RelaxationOptions): Promise<{ advice: RelaxationAdvice; cut: boolean }> {
  const policy = effectivePolicy(plan, options.solve);
  const weights = relaxationWeights(plan, policy);
  const precision = plan.advice?.bandPrecision ?? DEFAULT_BAND_PRECISION;
  const state = { cut: false };
  const tables = buildTables(plan, policy, weights.territory !== null);
  const allowed = GROUPS.filter((g) => weights[g] !== null);

  const cheapest = allowed.length === 0 ? null : await relax(plan, policy, tables, weights, precision, allowed, options, state);
  const alternatives: Relaxation[] = [];
  if (allowed.length > 1) {
    for (const g of allowed) {
      const only = Object.fromEntries(GROUPS.map((x) => [x, x === g ? weights[x] : null])) as Record<RelaxationGroup, number | null>;
      const found = await relax(plan, policy, tables, only, precision, [g], options, state);
      if (found !== null) alternatives.push(found);
    }
  } else if (cheapest !== null) alternatives.push(cheapest);

  const summary =
    allowed.length === 0
      ? "No group of this plan may be relaxed (no band, limit, move budget or hard territory with a weight)."
      : cheapest === null
        ? `No relaxation of ${allowed.join(", ")} makes the plan feasible${state.cut ? " within the advice's time" : ""}: the cause lies elsewhere (see diagnosis).`
        : `Cheapest relaxation (cost ${fmt(cheapest.cost)}): ${cheapest.message}${alternatives.length > 0 ? ` Alternatives, one group alone: ${alternatives.map((a) => a.changes.map((c) => c.message).join("; ")).join(" | ")}.` : ""}`;
  return { advice: { weights, bandPrecision: precision, cheapest, alternatives, summary }, cut: state.cut };
}

function buildTables(plan: Plan, policy: ResolvedPolicy, territory: boolean): Tables {
  const hard = buildPairTable(plan, policy);
  if (!territory) return { hard, wide: null, inTerritory: null };
  const wide = buildPairTable(plan, { ...policy, territory: "ignore" });
  const nR = plan.reps.length;
  const eligible = new Set<number>();
  for (let k = 0; k < hard.count; k++) eligible.add((hard.customer[k] ?? 0) * nR + (hard.rep[k] ?? 0));
  return { hard, wide, inTerritory: (k) => eligible.has((wide.customer[k] ?? 0) * nR + (wide.rep[k] ?? 0)) };
}

/** One relaxation over the given groups, or null when none makes the plan feasible (or no time was left). */
async function relax(
  plan: Plan,
  policy: ResolvedPolicy,
  tables: Tables,
  weights: Record<RelaxationGroup, number | null>,
  precision: number,
  groups: RelaxationGroup[],
  options: RelaxationOptions,
  state: { cut: boolean },
): Promise<Relaxation | null> {
  let current = plan;
  let currentPolicy = policy;
  let currentTables = tables;
  let proven = true;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const left = options.deadline - performance.now();
    if (left <= 0) {
      state.cut = true;
      return null;
    }
    const territory = groups.includes("territory") && currentTables.wide !== null;
    const table = territory && currentTables.wide !== null ? currentTables.wide : currentTables.hard;
    const elastic = buildElasticModel(current, table, currentPolicy, weights, territory ? currentTables.inTerritory : null);
    const result = await getBackend("highs").solve(elastic.model, { timeLimitMs: Math.min(left, currentPolicy.timeLimitMs), mipGap: ELASTIC_GAP });
    if (result.status === "timeout") state.cut = true;
    if ((result.status !== "optimal" && result.status !== "feasible") || result.values === null || result.objective === null) return null;
    // Proven when no relaxation cheaper by one unit of change can exist: the bound is within the smallest unit's cost.
    const cost = -result.objective;
    const least = result.bound === null ? -Infinity : -result.bound;
    if (result.status !== "optimal" || round > 0 || cost - least >= smallestUnitCost(weights, groups, precision)) proven = false;
    current = applySlacks(current, table, elastic, result.values, precision, round === 0 ? policy : currentPolicy);
    current = await lowestBand(current, original(plan), options, state);
    currentPolicy = effectivePolicy(current, options.solve);
    const answer = await solveRelaxed(current, options, state);
    if (answer === null || answer.status !== "infeasible") {
      if (round > 0) proven = false;
      return describe(plan, current, groups, weights, precision, proven, answer, options, state);
    }
    // Still infeasible: the relaxation moved fair shares. Another round on the relaxed plan.
    currentTables = buildTables(current, currentPolicy, territory);
  }
  return null;
}

/** The plan with the elastic optimum's slacks applied: wider bands, raised or lowered limits, locks across territories. */
function applySlacks(plan: Plan, table: PairTable, elastic: ElasticModel, x: Float64Array, precision: number, policy: ResolvedPolicy): Plan {
  const reps: Rep[] = plan.reps.map((r) => ({ ...r }));
  const fairness = { ...plan.policy?.fairness };
  const stability = { ...plan.policy?.stability };
  for (const slack of elastic.slacks) {
    const v = x[slack.column] ?? 0;
    if (!(v > 1e-9)) continue;
    switch (slack.group) {
      case "valueBand":
      case "countBand": {
        const band = (slack.group === "valueBand" ? policy.valueBand : policy.countBand) ?? 0;
        fairness[slack.group] = roundUp(band + v, precision);
        break;
      }
      case "maxAccounts": {
        const rep = reps[slack.rep];
        if (rep?.maxAccounts !== undefined) rep.maxAccounts += Math.round(v);
        break;
      }
      case "minAccounts": {
        const rep = reps[slack.rep];
        if (rep?.minAccounts !== undefined) rep.minAccounts = Math.max(0, rep.minAccounts - Math.round(v));
        break;
      }
      case "maxWorkload": {
        const rep = reps[slack.rep];
        if (rep?.maxWorkload !== undefined) rep.maxWorkload = Number.isInteger(rep.maxWorkload) && Math.abs(v - Math.round(v)) < 1e-6 ? rep.maxWorkload + Math.round(v) : Math.ceil((rep.maxWorkload + v) * 1e6) / 1e6;
        break;
      }
      case "maxMoves":
        if (stability.maxMoves !== undefined) stability.maxMoves += Math.round(v);
        break;
    }
  }
  const locks = [...(plan.policy?.locks ?? [])];
  for (const k of elastic.crossing) {
    if ((x[k] ?? 0) <= 0.5) continue;
    const customer = plan.customers[table.customer[k] ?? -1];
    const rep = plan.reps[table.rep[k] ?? -1];
    if (customer !== undefined && rep !== undefined) locks.push({ customer: customer.id, rep: rep.id });
  }
  const next: Plan = { ...plan, reps, policy: { ...plan.policy } };
  if (plan.policy?.fairness !== undefined || Object.keys(fairness).length > 0) next.policy = { ...next.policy, fairness };
  if (plan.policy?.stability !== undefined) next.policy = { ...next.policy, stability };
  if (locks.length > (plan.policy?.locks?.length ?? 0)) next.policy = { ...next.policy, locks };
  return next;
}

/** The smallest multiple of `precision` at or above x (up to rounding noise), to 12 decimals. */
function roundUp(x: number, precision: number): number {
  const steps = Math.ceil(x / precision - 1e-9);
  return Math.round(steps * precision * 1e12) / 1e12;
}

async function solveRelaxed(plan: Plan, options: RelaxationOptions, state: { cut: boolean }): Promise<RelaxedPlanAnswer | null> {
  const left = options.deadline - performance.now();
  if (left <= 0) {
    state.cut = true;
    return null;
  }
  const timeLimitMs = Math.max(1, Math.floor(Math.min(left, options.solve.timeLimitMs ?? plan.policy?.timeLimitMs ?? left)));
  const { solution } = await solvePlan(plan, { ...options.solve, timeLimitMs });
  if (solution.solver.stoppedBy === "time-limit") state.cut = true;
  return {
    meetsPlanAsGiven: false,
    status: solution.status,
    objective: solution.objective,
    bound: solution.bound,
    assignments: solution.assignments.map((a) => ({ customer: a.customer, rep: a.rep })),
    unassigned: solution.unassigned.map((u) => u.customer),
    verified: solution.verification.passed,
  };
}

/** The cost of the smallest change the groups can make: a whole account, move, customer or workload unit, or one step of band. */
function smallestUnitCost(weights: Record<RelaxationGroup, number | null>, groups: readonly RelaxationGroup[], precision: number): number {
  let least = Infinity;
  for (const g of groups) {
    const w = weights[g];
    if (w === null) continue;
    least = Math.min(least, g === "valueBand" || g === "countBand" ? (w * precision) / BAND_POINT : w);
  }
  return least;
}

/** Identity, to name what `lowestBand` compares against. */
function original(plan: Plan): Plan {
  return plan;
}

/**
 * The elastic model's band is continuous and its optimum known only to ELASTIC_GAP: after rounding up
 * to the precision, step the band down while the step below is feasible (with the other changes),
 * at most MAX_BAND_STEPS times, so that the band reported is the lowest step that works.
 */
async function lowestBand(relaxed: Plan, given: Plan, options: RelaxationOptions, state: { cut: boolean }): Promise<Plan> {
  const precision = given.advice?.bandPrecision ?? DEFAULT_BAND_PRECISION;
  let current = relaxed;
  for (const group of ["valueBand", "countBand"] as const) {
    const from = given.policy?.fairness?.[group];
    for (let step = 0; step < MAX_BAND_STEPS; step++) {
      const to = current.policy?.fairness?.[group];
      if (from === undefined || to === undefined || to <= from) break;
      const below = Math.max(from, Math.round((to - precision) * 1e12) / 1e12);
      if (below <= from) break;
      const infeasible = await bandBelowInfeasible(current, group, below, options);
      if (infeasible === null) state.cut = true;
      if (infeasible !== false) break;
      current = { ...current, policy: { ...current.policy, fairness: { ...current.policy?.fairness, [group]: below } } };
    }
  }
  return current;
}

/** Proves (or not) that the band one step below the relaxed one is infeasible, with the relaxation's other changes. */
async function bandBelowInfeasible(relaxed: Plan, group: "valueBand" | "countBand", band: number, options: RelaxationOptions): Promise<boolean | null> {
  const left = options.deadline - performance.now();
  if (left <= 0) return null;
  const below: Plan = { ...relaxed, policy: { ...relaxed.policy, fairness: { ...relaxed.policy?.fairness, [group]: band } } };
  const policy = effectivePolicy(below, options.solve);
  const table = buildPairTable(below, policy);
  const result = await getBackend("highs").solve(formulate(below, table, policy), { timeLimitMs: Math.min(left, policy.timeLimitMs), mipGap: 1 });
  if (result.status === "infeasible") return true;
  return result.status === "optimal" || result.status === "feasible" ? false : null;
}

async function describe(
  original: Plan,
  relaxed: Plan,
  groups: RelaxationGroup[],
  weights: Record<RelaxationGroup, number | null>,
  precision: number,
  elasticProven: boolean,
  answer: RelaxedPlanAnswer | null,
  options: RelaxationOptions,
  state: { cut: boolean },
): Promise<Relaxation> {
  const changes = planChanges(original, relaxed);
  const cost = changes.reduce((s, c) => s + (weights[c.group] ?? 0) * c.amount, 0);
  let minimal = elasticProven && answer !== null && answer.status !== "infeasible";
  const out: Relaxation = { groups, changes, cost, minimal, message: "", plan: answer };
  const bandChange = changes.find((c) => c.group === "valueBand" || c.group === "countBand");
  if (bandChange !== undefined && bandChange.to !== null) {
    const group = bandChange.group === "valueBand" ? "valueBand" : "countBand";
    const below = Math.max(bandChange.from ?? 0, Math.round((bandChange.to - precision) * 1e12) / 1e12);
    const infeasible = await bandBelowInfeasible(relaxed, group, below, options);
    if (infeasible === null) state.cut = true;
    out.bandProof = { band: below, infeasible };
    if (infeasible !== true) minimal = false;
  }
  out.minimal = minimal;
  const words = changes.map((c) => c.message).join("; ");
  const solved = answer === null ? "there was no time left to solve the relaxed plan" : `the relaxed plan solves ${answer.status}${answer.objective === null ? "" : ` with objective ${fmt(answer.objective)}`}`;
  out.message = `${words}. ${minimal ? "Proven minimal" : "A relaxation that works; its minimum is not proven"}${out.bandProof?.infeasible === true ? ` (the band ${out.bandProof.band} is infeasible)` : ""}; ${solved}.`;
  return out;
}

/** The changes from the plan as given to the relaxed plan, in the planner's terms. */
export function planChanges(original: Plan, relaxed: Plan): RelaxationChange[] {
  const out: RelaxationChange[] = [];
  for (const group of ["valueBand", "countBand"] as const) {
    const from = original.policy?.fairness?.[group];
    const to = relaxed.policy?.fairness?.[group];
    if (from !== undefined && to !== undefined && to !== from) {
      out.push({ group, field: `policy.fairness.${group}`, from, to, amount: Math.round((to - from) * 100 * 1e9) / 1e9, message: `widen policy.fairness.${group} from ${from} to ${to}` });
    }
  }
  original.reps.forEach((rep, i) => {
    const after = relaxed.reps[i];
    if (after === undefined) return;
    const limit = (group: "maxAccounts" | "maxWorkload" | "minAccounts", verb: string) => {
      const from = rep[group];
      const to = after[group];
      if (from === undefined || to === undefined || from === to) return;
      const amount = Math.abs(to - from);
      out.push({ group, field: `reps[${i}].${group}`, rep: rep.id, from, to, amount, message: `${verb} ${rep.id}'s ${group} by ${fmt(amount)} (${fmt(from)} → ${fmt(to)})` });
    };
    limit("maxAccounts", "raise");
    limit("maxWorkload", "raise");
    limit("minAccounts", "lower");
  });
  const movesFrom = original.policy?.stability?.maxMoves;
  const movesTo = relaxed.policy?.stability?.maxMoves;
  if (movesFrom !== undefined && movesTo !== undefined && movesTo !== movesFrom) {
    out.push({ group: "maxMoves", field: "policy.stability.maxMoves", from: movesFrom, to: movesTo, amount: movesTo - movesFrom, message: `raise policy.stability.maxMoves from ${movesFrom} to ${movesTo}` });
  }
  const added = (relaxed.policy?.locks ?? []).slice(original.policy?.locks?.length ?? 0);
  const byTerritory = new Map<string, { customers: string[]; reps: Set<string> }>();
  const customerById = new Map(original.customers.map((c) => [c.id, c]));
  for (const lock of added) {
    const territory = customerById.get(lock.customer)?.territory ?? "";
    const entry = byTerritory.get(territory) ?? { customers: [], reps: new Set<string>() };
    entry.customers.push(lock.customer);
    entry.reps.add(lock.rep);
    byTerritory.set(territory, entry);
  }
  for (const [territory, { customers, reps }] of [...byTerritory].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const n = customers.length;
    out.push({
      group: "territory",
      field: "policy.locks",
      territory,
      customers,
      from: null,
      to: null,
      amount: n,
      message: `let ${n === 1 ? "customer" : `these ${n} customers`} of ${territory} (${customers.join(", ")}) go to reps outside it (${[...reps].join(", ")}; locked so in the relaxed plan)`,
    });
  }
  return out;
}

function effectivePolicy(plan: Plan, options: SolveOptions): ResolvedPolicy {
  const base = resolvePolicy(plan.policy);
  return { ...base, solver: options.solver ?? base.solver, timeLimitMs: options.timeLimitMs ?? base.timeLimitMs, mipGap: options.mipGap ?? base.mipGap };
}

function fmt(x: number): string {
  return formatNumber(x, { style: "short" });
}
