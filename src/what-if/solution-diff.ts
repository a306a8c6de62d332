import { z } from "zod";
import {
  Diagnosis,
  Metrics,
  RepSummary,
  SolutionStatus,
  type CustomerMove,
  type CustomerPresence,
  type NumberChange,
  type Plan,
  type RepLoadChange,
  type ScenarioDiff,
  type Solution,
} from "../../models/index.ts";

/**
 * The diff of a scenario against its base, both as solved: customers moved (from/to, with the
 * expected-value change of each), customers only in one plan, per-rep load and value changes, and
 * the changes of the headline figures (objective, expected value, fairness). The same shape and
 * meaning as the diff of two saved plans.
 *
 * It works on digests rather than Solutions: a digest is computed in the worker thread next to the
 * Solution (per customer, the index of its rep and its expected value, in typed arrays) so that the
 * event loop never parses a large Solution to diff it: the diff is one linear pass.
 */

export const SolutionDigest = z.object({
  status: SolutionStatus,
  objective: z.number().nullable(),
  bound: z.number().nullable(),
  gap: z.number().nullable(),
  metrics: Metrics,
  diagnosis: Diagnosis.optional(),
  reps: z.array(RepSummary),
  /** Per customer of the plan (plan order): index of its rep in plan.reps, or -1 when unassigned. */
  repIndex: z.instanceof(Int32Array),
  /** Per customer of the plan: the expected value of its pair (0 when unassigned). */
  expectedValue: z.instanceof(Float64Array),
});
export type SolutionDigest = z.infer<typeof SolutionDigest>;

/** True when the solution carries a plan (optimal or feasible). */
export function hasPlan(status: SolutionStatus): boolean {
  return status === "optimal" || status === "feasible";
}

export function digestSolution(plan: Plan, solution: Solution): SolutionDigest {
  const customerIndex = new Map<string, number>();
  plan.customers.forEach((c, i) => customerIndex.set(c.id, i));
  const repIndexOf = new Map<string, number>();
  plan.reps.forEach((r, i) => {
    if (!repIndexOf.has(r.id)) repIndexOf.set(r.id, i);
  });
  const repIndex = new Int32Array(plan.customers.length).fill(-1);
  const expectedValue = new Float64Array(plan.customers.length);
  for (const a of solution.assignments) {
    const i = customerIndex.get(a.customer);
    if (i === undefined) continue;
    repIndex[i] = repIndexOf.get(a.rep) ?? -1;
    expectedValue[i] = a.expectedValue;
  }
  const digest: SolutionDigest = {
    status: solution.status,
    objective: solution.objective,
    bound: solution.bound,
    gap: solution.gap,
    metrics: solution.metrics,
    reps: solution.reps,
    repIndex,
    expectedValue,
  };
  if (solution.diagnosis !== undefined) digest.diagnosis = solution.diagnosis;
  return digest;
}

export interface DiffSide {
  plan: Plan;
  digest: SolutionDigest;
}

const change = (from: number, to: number): NumberChange => ({ from, to, delta: to - from });

interface Placement {
  rep: string | null;
  expectedValue: number | null;
}

function placement(side: DiffSide, i: number): Placement {
  const r = side.digest.repIndex[i] ?? -1;
  if (r < 0) return { rep: null, expectedValue: null };
  return { rep: side.plan.reps[r]?.id ?? null, expectedValue: side.digest.expectedValue[i] ?? 0 };
}

/** What changes from the base to the scenario; null when either has no plan (infeasible or timeout). */
export function diffSolutions(base: DiffSide, scenario: DiffSide): ScenarioDiff | null {
  if (!hasPlan(base.digest.status) || !hasPlan(scenario.digest.status)) return null;
  const inScenario = new Map<string, number>();
  scenario.plan.customers.forEach((c, i) => inScenario.set(c.id, i));
  const moves: CustomerMove[] = [];
  const added: CustomerPresence[] = [];
  const removed: CustomerPresence[] = [];
  const gained = new Map<string, number>();
  const lost = new Map<string, number>();
  const bump = (map: Map<string, number>, rep: string | null) => {
    if (rep !== null) map.set(rep, (map.get(rep) ?? 0) + 1);
  };
  let unchanged = 0;

  const inBase = new Set<string>();
  base.plan.customers.forEach((c, i) => {
    inBase.add(c.id);
    const was = placement(base, i);
    const j = inScenario.get(c.id);
    if (j === undefined) {
      removed.push({ customer: c.id, rep: was.rep, expectedValue: was.expectedValue });
      bump(lost, was.rep);
      return;
    }
    const now = placement(scenario, j);
    if (now.rep === was.rep) {
      unchanged += 1;
      return;
    }
    moves.push({
      customer: c.id,
      from: was.rep,
      to: now.rep,
      expectedValueFrom: was.expectedValue,
      expectedValueTo: now.expectedValue,
      delta: (now.expectedValue ?? 0) - (was.expectedValue ?? 0),
    });
    bump(lost, was.rep);
    bump(gained, now.rep);
  });
  scenario.plan.customers.forEach((c, j) => {
    if (inBase.has(c.id)) return;
    const now = placement(scenario, j);
    added.push({ customer: c.id, rep: now.rep, expectedValue: now.expectedValue });
    bump(gained, now.rep);
  });

  const zero = { accounts: 0, workload: 0, value: 0, expectedValue: 0 };
  const fromReps = new Map(base.digest.reps.map((r) => [r.id, r] as const));
  const toReps = new Map(scenario.digest.reps.map((r) => [r.id, r] as const));
  const ids = [...fromReps.keys()];
  for (const id of toReps.keys()) if (!fromReps.has(id)) ids.push(id);
  const reps: RepLoadChange[] = ids.map((id) => {
    const a = fromReps.get(id) ?? zero;
    const b = toReps.get(id) ?? zero;
    return {
      rep: id,
      inFrom: fromReps.has(id),
      inTo: toReps.has(id),
      accounts: change(a.accounts, b.accounts),
      workload: change(a.workload, b.workload),
      value: change(a.value, b.value),
      expectedValue: change(a.expectedValue, b.expectedValue),
      gained: gained.get(id) ?? 0,
      lost: lost.get(id) ?? 0,
    };
  });

  const a = base.digest.metrics;
  const b = scenario.digest.metrics;
  const nullable = (x: number | null, y: number | null) => ({ from: x, to: y, delta: x === null || y === null ? null : y - x });
  const from = base.digest;
  const to = scenario.digest;
  const optimalDelta =
    from.objective === null || to.objective === null || from.bound === null || to.bound === null
      ? null
      : { low: to.objective - from.bound, high: to.bound - from.objective };
  return {
    objective: nullable(base.digest.objective, scenario.digest.objective),
    optimalDelta,
    expectedValue: change(a.expectedValue, b.expectedValue),
    assignedValue: change(a.assignedValue, b.assignedValue),
    assigned: change(a.assigned, b.assigned),
    unassigned: change(a.unassigned, b.unassigned),
    fairness: {
      valueGini: change(a.valueGini, b.valueGini),
      countGini: change(a.countGini, b.countGini),
      maxValueOverFairShare: nullable(a.maxValueOverFairShare, b.maxValueOverFairShare),
    },
    customers: { moved: moves.length, unchanged, added: added.length, removed: removed.length },
    moves,
    added,
    removed,
    reps,
  };
}
