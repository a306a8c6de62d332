/**
 * The difference between two solved plans: customers moved (with from/to and the expected-value
 * change of each), customers only in one plan, per-rep load and value changes, and the changes of
 * the headline figures (objective, expected value, fairness). Pure: both sides are Solutions as
 * saved, so the diff of two immutable versions never changes.
 *
 * A Solution lists every customer of its plan exactly once, in `assignments` or in `unassigned`,
 * and every rep in `reps`; the diff relies on that and on nothing else of the plans.
 */
import type {
  CustomerMove,
  CustomerPresence,
  NullableNumberChange,
  NumberChange,
  PlanVersionDiff,
  RepLoadChange,
  RepSummary,
  Solution,
  SolutionOverview,
} from "../../models/index.ts";
import type { CustomerPlacement } from "../storage/plan-store.ts";

export interface DiffSide {
  ref: PlanVersionDiff["from"];
  /** The solution's summary figures and per-rep loads. */
  solution: SolutionOverview;
  /** Every customer of the plan with its rep (null = unassigned) and expected value. */
  placements: readonly CustomerPlacement[];
}

type Placement = Omit<CustomerPlacement, "customer">;

/** A diff side straight from a Solution. */
export function diffSideFromSolution(ref: PlanVersionDiff["from"], solution: Solution): DiffSide {
  const placements: CustomerPlacement[] = solution.assignments.map((a) => ({ customer: a.customer, rep: a.rep, expectedValue: a.expectedValue }));
  for (const u of solution.unassigned) placements.push({ customer: u.customer, rep: null, expectedValue: null });
  return { ref, solution, placements };
}

const change = (from: number, to: number): NumberChange => ({ from, to, delta: to - from });
const nullableChange = (from: number | null, to: number | null): NullableNumberChange => ({
  from,
  to,
  delta: from === null || to === null ? null : to - from,
});

/** customer id → where the plan put it, in the side's order. */
function placements(side: DiffSide): Map<string, Placement> {
  const out = new Map<string, Placement>();
  for (const p of side.placements) if (!out.has(p.customer)) out.set(p.customer, { rep: p.rep, expectedValue: p.expectedValue });
  return out;
}

const ZERO_REP = { accounts: 0, workload: 0, value: 0, expectedValue: 0 } as const;

function repChange(id: string, from: RepSummary | undefined, to: RepSummary | undefined, gained: number, lost: number): RepLoadChange {
  const a = from ?? ZERO_REP;
  const b = to ?? ZERO_REP;
  return {
    rep: id,
    inFrom: from !== undefined,
    inTo: to !== undefined,
    accounts: change(a.accounts, b.accounts),
    workload: change(a.workload, b.workload),
    value: change(a.value, b.value),
    expectedValue: change(a.expectedValue, b.expectedValue),
    gained,
    lost,
  };
}

/** What changes when going from plan `from` to plan `to`. */
export function diffPlanVersions(from: DiffSide, to: DiffSide): PlanVersionDiff {
  const before = placements(from);
  const after = placements(to);
  const moves: CustomerMove[] = [];
  const added: CustomerPresence[] = [];
  const removed: CustomerPresence[] = [];
  const gained = new Map<string, number>();
  const lost = new Map<string, number>();
  const bump = (map: Map<string, number>, rep: string | null) => {
    if (rep !== null) map.set(rep, (map.get(rep) ?? 0) + 1);
  };
  let unchanged = 0;

  for (const [customer, was] of before) {
    const now = after.get(customer);
    if (now === undefined) {
      removed.push({ customer, rep: was.rep, expectedValue: was.expectedValue });
      bump(lost, was.rep);
    } else if (now.rep === was.rep) {
      unchanged += 1;
    } else {
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
  }
  for (const [customer, now] of after) {
    if (before.has(customer)) continue;
    added.push({ customer, rep: now.rep, expectedValue: now.expectedValue });
    bump(gained, now.rep);
  }

  const fromReps = new Map(from.solution.reps.map((r) => [r.id, r] as const));
  const toReps = new Map(to.solution.reps.map((r) => [r.id, r] as const));
  const repIds = [...fromReps.keys()];
  for (const id of toReps.keys()) if (!fromReps.has(id)) repIds.push(id);
  const reps = repIds.map((id) => repChange(id, fromReps.get(id), toReps.get(id), gained.get(id) ?? 0, lost.get(id) ?? 0));

  const a = from.solution.metrics;
  const b = to.solution.metrics;
  return {
    from: from.ref,
    to: to.ref,
    objective: nullableChange(from.solution.objective, to.solution.objective),
    expectedValue: change(a.expectedValue, b.expectedValue),
    assignedValue: change(a.assignedValue, b.assignedValue),
    assigned: change(a.assigned, b.assigned),
    unassigned: change(a.unassigned, b.unassigned),
    fairness: {
      valueGini: change(a.valueGini, b.valueGini),
      countGini: change(a.countGini, b.countGini),
      maxValueOverFairShare: nullableChange(a.maxValueOverFairShare, b.maxValueOverFairShare),
    },
    customers: { moved: moves.length, unchanged, added: added.length, removed: removed.length },
    moves,
    added,
    removed,
    reps,
  };
}
