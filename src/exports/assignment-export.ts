import type { Assignment, Plan, SolutionOverview } from "../../models/index.ts";

/** One customer as the CRM gets it back. */
export interface ExportRow {
  customer: string;
  /** The new owner; null when the customer is unassigned. */
  rep: string | null;
  previous: string | null;
  moved: boolean;
  reason: string;
  expectedValue: number | null;
}

/** What an export is made of: the plan, its solution without assignments, and one row per customer in plan order. */
export interface AssignmentExport {
  plan: Plan;
  overview: SolutionOverview;
  rows: ExportRow[];
}

const money = (x: number) => String(Math.round(x));

/** Why the customer went where it went, in one line (from the Solution's explanation). */
export function assignmentReason(a: Assignment, previous: string | null): string {
  const parts: string[] = [];
  if (a.locked) parts.push("locked by policy");
  if (previous === null) parts.push("new account");
  else if (a.moved) parts.push(`moved from ${previous}`);
  else parts.push("kept with its owner");
  const better = a.explanation.betterRep;
  if (better !== null) parts.push(`${better.rep} scores higher but was kept away by ${better.keptBy.join(", ") || "nothing (solver gap)"}`);
  const runnerUp = a.explanation.runnerUp;
  if (runnerUp !== null && better?.rep !== runnerUp.rep) parts.push(`runner-up ${runnerUp.rep} would lose ${money(runnerUp.valueLost)}`);
  if (runnerUp === null) parts.push("no other eligible rep");
  return parts.join("; ");
}

/** The export of a Solution of the plan. */
export function exportFromSolution(plan: Plan, solution: SolutionOverview & { assignments: Assignment[] }): AssignmentExport {
  const { assignments, ...overview } = solution;
  const byCustomer = new Map(assignments.map((a) => [a.customer, a] as const));
  const unassigned = new Map(solution.unassigned.map((u) => [u.customer, u.reason] as const));
  const rows = plan.customers.map((c): ExportRow => {
    const previous = c.currentRep ?? null;
    const a = byCustomer.get(c.id);
    if (a === undefined) return { customer: c.id, rep: null, previous, moved: previous !== null, reason: `unassigned: ${unassigned.get(c.id) ?? "no plan"}`, expectedValue: null };
    return { customer: c.id, rep: a.rep, previous, moved: a.moved, reason: assignmentReason(a, previous), expectedValue: a.expectedValue };
  });
  return { plan, overview, rows };
}

/** The export of a saved plan version: its placements (who has whom) without the per-assignment explanations, which are not stored. */
export function exportFromPlacements(plan: Plan, overview: SolutionOverview, placements: readonly { customer: string; rep: string | null; expectedValue: number | null }[]): AssignmentExport {
  const placed = new Map(placements.map((p) => [p.customer, p] as const));
  const unassigned = new Map(overview.unassigned.map((u) => [u.customer, u.reason] as const));
  const rows = plan.customers.map((c): ExportRow => {
    const previous = c.currentRep ?? null;
    const p = placed.get(c.id);
    const rep = p?.rep ?? null;
    const reason = rep === null ? `unassigned: ${unassigned.get(c.id) ?? "no plan"}` : previous === null ? "new account" : rep === previous ? "kept with its owner" : `moved from ${previous}`;
    return { customer: c.id, rep, previous, moved: previous !== null && rep !== previous, reason, expectedValue: p?.expectedValue ?? null };
  });
  return { plan, overview, rows };
}
