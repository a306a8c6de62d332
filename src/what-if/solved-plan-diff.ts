/**
 * The difference between two solved plans, `from` → `to`: customers moved (from/to, with the
 * expected-value change of each), customers only in one plan, per-rep load and value changes with
 * the customers each rep gained and lost, and the changes of the headline figures (objective,
 * expected value, fairness). Pure and one linear pass over both plans' customers.
 *
 * It is the one computation behind the diff of two saved plan versions (plan-diff.ts) and the diff
 * of a what-if scenario against its base (solution-diff.ts); each reads its sides in its own form
 * (saved placements, or a worker's digest) and adds its own fields around this result.
 */
import type { CustomerMove, CustomerPresence, Metrics, NullableNumberChange, NumberChange, PlanVersionDiff, RepLoadChange } from "../../models/index.ts";

/** Where a plan put a customer: its rep (null = unassigned) and the pair's expected value. */
export interface Placement {
  rep: string | null;
  expectedValue: number | null;
}

/** A rep's load in a solved plan. */
export interface RepLoadFigures {
  id: string;
  accounts: number;
  workload: number;
  value: number;
  expectedValue: number;
}

/** One side of the comparison, read by position so that either form of a solved plan serves. */
export interface SolvedPlanSide {
  /** Number of customer positions. */
  customers: number;
  /** The customer id at a position; when an id repeats, its first position counts. */
  customerAt(i: number): string;
  placementAt(i: number): Placement;
  objective: number | null;
  metrics: Metrics;
  /** Every rep of the plan, in plan order. */
  reps: readonly RepLoadFigures[];
}

/** The comparison fields shared by saved-plan diffs and scenario diffs (models/plan-version-diff.ts). */
export type SolvedPlanChange = Omit<PlanVersionDiff, "from" | "to">;

const numberChange = (from: number, to: number): NumberChange => ({ from, to, delta: to - from });
const nullableNumberChange = (from: number | null, to: number | null): NullableNumberChange => ({
  from,
  to,
  delta: from === null || to === null ? null : to - from,
});

const ZERO_REP = { accounts: 0, workload: 0, value: 0, expectedValue: 0 } as const;

function repChange(id: string, from: RepLoadFigures | undefined, to: RepLoadFigures | undefined, gained: number, lost: number): RepLoadChange {
  const a = from ?? ZERO_REP;
  const b = to ?? ZERO_REP;
  return {
    rep: id,
    inFrom: from !== undefined,
    inTo: to !== undefined,
    accounts: numberChange(a.accounts, b.accounts),
    workload: numberChange(a.workload, b.workload),
    value: numberChange(a.value, b.value),
    expectedValue: numberChange(a.expectedValue, b.expectedValue),
    gained,
    lost,
  };
}

/** What changes when going from plan `from` to plan `to`; lists in `from` order, then `to` order. */
export function diffSolvedPlans(from: SolvedPlanSide, to: SolvedPlanSide): SolvedPlanChange {
  const inTo = new Map<string, number>();
  for (let j = 0; j < to.customers; j++) {
    const id = to.customerAt(j);
    if (!inTo.has(id)) inTo.set(id, j);
  }
  const inFrom = new Set<string>();
  const moves: CustomerMove[] = [];
  const added: CustomerPresence[] = [];
  const removed: CustomerPresence[] = [];
  const gained = new Map<string, number>();
  const lost = new Map<string, number>();
  const bump = (map: Map<string, number>, rep: string | null) => {
    if (rep !== null) map.set(rep, (map.get(rep) ?? 0) + 1);
  };
  let unchanged = 0;

  for (let i = 0; i < from.customers; i++) {
    const customer = from.customerAt(i);
    if (inFrom.has(customer)) continue;
    inFrom.add(customer);
    const was = from.placementAt(i);
    const j = inTo.get(customer);
    if (j === undefined) {
      removed.push({ customer, rep: was.rep, expectedValue: was.expectedValue });
      bump(lost, was.rep);
      continue;
    }
    const now = to.placementAt(j);
    if (now.rep === was.rep) {
      unchanged += 1;
      continue;
    }
    moves.push({
      customer,
      from: was.rep,
      to: now.rep,
      expectedValueFrom: was.expectedValue,
      expectedValueTo: now.expectedValue,
      delta: (now.expectedValue ?? 0) - (was.expectedValue ?? 0),
    });
    bump(lost, was.rep);
    bump(gained, now.rep);
  }
  for (const [customer, j] of inTo) {
    if (inFrom.has(customer)) continue;
    const now = to.placementAt(j);
    added.push({ customer, rep: now.rep, expectedValue: now.expectedValue });
    bump(gained, now.rep);
  }

  const fromReps = new Map(from.reps.map((r) => [r.id, r] as const));
  const toReps = new Map(to.reps.map((r) => [r.id, r] as const));
  const repIds = [...fromReps.keys()];
  for (const id of toReps.keys()) if (!fromReps.has(id)) repIds.push(id);
  const reps = repIds.map((id) => repChange(id, fromReps.get(id), toReps.get(id), gained.get(id) ?? 0, lost.get(id) ?? 0));

  const a = from.metrics;
  const b = to.metrics;
  return {
    objective: nullableNumberChange(from.objective, to.objective),
    expectedValue: numberChange(a.expectedValue, b.expectedValue),
    assignedValue: numberChange(a.assignedValue, b.assignedValue),
    assigned: numberChange(a.assigned, b.assigned),
    unassigned: numberChange(a.unassigned, b.unassigned),
    fairness: {
      valueGini: numberChange(a.valueGini, b.valueGini),
      countGini: numberChange(a.countGini, b.countGini),
      maxValueOverFairShare: nullableNumberChange(a.maxValueOverFairShare, b.maxValueOverFairShare),
    },
    customers: { moved: moves.length, unchanged, added: added.length, removed: removed.length },
    moves,
    added,
    removed,
    reps,
  };
}
