/**
 * A saved plan version as rows, the same for every store (sqlite-plan-versions.ts,
 * postgres-plan-versions.ts): what a new version writes (its plan row, one row per customer as
 * solved, the starting per-rep loads and totals of live routing, the audit note), how a plan row
 * and an assignment row read back, and which versions may be activated. Only the SQL differs
 * between the stores.
 */
import { PlanState, ScoreComponents, SolutionStatus, type AssignmentRecord, type PlanVersion } from "../../models/index.ts";
import type { ActivationOutcome, NewPlanVersion } from "./plan-store.ts";
import { nullableNum, nullableText, num, text, type Row } from "./sqlite-row.ts";

export const PLAN_COLUMNS =
  "seq, id, label, state, status, verified, objective, expected_value, input_hash, solver_backend, solver_version, customers, reps, assigned, unassigned, created_at, activated_at, archived_at";

export const ASSIGNMENT_COLUMNS = "seq, customer_id, rep_id, expected_value, components_json, reason, source, routed_at";

/** `verified` is 0/1 in SQLite and a boolean in PostgreSQL. */
function isVerified(row: Row): boolean {
  const value = row.verified;
  return value === true || value === 1;
}

export function planVersion(row: Row): PlanVersion {
  const status = SolutionStatus.parse(text(row, "status"));
  const state = PlanState.parse(text(row, "state"));
  return {
    id: text(row, "id"),
    version: num(row, "seq"),
    label: text(row, "label"),
    state,
    status,
    activatable: isVerified(row) && state !== "archived",
    objective: nullableNum(row, "objective"),
    expectedValue: num(row, "expected_value"),
    inputHash: text(row, "input_hash"),
    solver: { backend: text(row, "solver_backend"), version: text(row, "solver_version") },
    customers: num(row, "customers"),
    reps: num(row, "reps"),
    assigned: num(row, "assigned"),
    unassigned: num(row, "unassigned"),
    createdAt: text(row, "created_at"),
    activatedAt: nullableText(row, "activated_at"),
    archivedAt: nullableText(row, "archived_at"),
  };
}

export function assignmentRecord(row: Row): AssignmentRecord {
  const components = nullableText(row, "components_json");
  const source = text(row, "source");
  return {
    customer: text(row, "customer_id"),
    rep: nullableText(row, "rep_id"),
    expectedValue: nullableNum(row, "expected_value"),
    components: components === null ? null : ScoreComponents.parse(JSON.parse(components)),
    source: source === "routed" ? "routed" : "plan",
    reason: nullableText(row, "reason"),
    routedAt: nullableText(row, "routed_at"),
  };
}

/** The plan row of a new version (state draft). */
export interface NewPlanRow {
  id: string;
  label: string;
  status: string;
  verified: boolean;
  objective: number | null;
  expectedValue: number;
  inputHash: string;
  backend: string;
  version: string;
  customers: number;
  reps: number;
  assigned: number;
  unassigned: number;
  inputJson: string;
  overviewJson: string;
  createdAt: string;
}

/** One customer as solved (source 'plan'). */
export interface NewAssignmentRow {
  customer: string;
  rep: string | null;
  expectedValue: number | null;
  components: string | null;
  reason: string | null;
}

export interface NewLoadRow {
  rep: string;
  accounts: number;
  workload: number;
  value: number;
  expectedValue: number;
}

export interface NewPlanRows {
  plan: NewPlanRow;
  /** The assigned customers in solution order, then the unassigned ones. */
  assignments: NewAssignmentRow[];
  /** The starting loads of live routing (routing adds each routed customer to them). */
  loads: NewLoadRow[];
  totals: { accounts: number; value: number };
  /** The `plan.saved` audit note. */
  note: string;
}

/** Everything a new version writes, from what the caller saves. */
export function newPlanRows(input: NewPlanVersion, id: string, createdAt: string): NewPlanRows {
  const { plan, solution, label } = input;
  const { assignments, ...overview } = solution;
  return {
    plan: {
      id,
      label,
      status: solution.status,
      verified: solution.verification.passed && (solution.status === "optimal" || solution.status === "feasible"),
      objective: solution.objective,
      expectedValue: solution.metrics.expectedValue,
      inputHash: solution.solver.inputHash,
      backend: solution.solver.backend,
      version: solution.solver.version,
      customers: plan.customers.length,
      reps: plan.reps.length,
      assigned: solution.metrics.assigned,
      unassigned: solution.metrics.unassigned,
      inputJson: JSON.stringify(plan),
      overviewJson: JSON.stringify(overview),
      createdAt,
    },
    assignments: [
      ...assignments.map((a) => ({ customer: a.customer, rep: a.rep, expectedValue: a.expectedValue, components: JSON.stringify(a.components), reason: null })),
      ...solution.unassigned.map((u) => ({ customer: u.customer, rep: null, expectedValue: null, components: null, reason: u.reason })),
    ],
    loads: solution.reps.map((r) => ({ rep: r.id, accounts: r.accounts, workload: r.workload, value: r.value, expectedValue: r.expectedValue })),
    totals: { accounts: solution.metrics.assigned, value: solution.metrics.assignedValue },
    note: `"${label}": ${solution.status}, ${plan.customers.length} customers, ${plan.reps.length} reps`,
  };
}

/** Why a saved version cannot become the active one (null when it can: a verified draft). */
export function activationRefusal(plan: PlanVersion): Exclude<ActivationOutcome, { kind: "activated" } | { kind: "not-found" }> | null {
  if (plan.state === "active") return { kind: "already-active", plan };
  if (plan.state === "archived") {
    return { kind: "not-activatable", plan, why: "it is archived: make it active again with a roll back (POST /v1/plans/{id}/rollback)" };
  }
  if (!plan.activatable) {
    return { kind: "not-activatable", plan, why: `its solve ended ${plan.status} without a verified assignment, so there is nothing to route against` };
  }
  return null;
}

/** The audit notes of an activation: on the archived version, and on the activated one. */
export function activationNotes(plan: PlanVersion, archivedId: string | null): { archived: string; activated: string } {
  return { archived: `replaced by ${plan.id}`, activated: archivedId === null ? `"${plan.label}"` : `"${plan.label}", replacing ${archivedId}` };
}
