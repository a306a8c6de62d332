/**
 * Saved plan versions in SQLite: saving one (its input, solution overview, every customer as solved
 * and the starting per-rep loads that live routing adds to), reading them back, and moving the
 * state draft → active → archived. The schema's triggers keep versions immutable and at most one
 * active (sqlite-migrations.ts); each write is one transaction with its audit entry.
 */
import { randomUUID } from "node:crypto";
import { PlanState, ScoreComponents, SolutionStatus, type AssignmentRecord, type PlanVersion } from "../../models/index.ts";
import type { ActivationOutcome, AuditContext, CustomerPlacement, NewPlanVersion, PlanStore } from "./plan-store.ts";
import type { SqliteAuditLog } from "./sqlite-audit-log.ts";
import { reader, writer, type SqliteConnection } from "./sqlite-connection.ts";
import { readStoredOverview } from "./stored-overview.ts";
import { asRow, nullableNum, nullableText, num, optionalRow, pageOf, text, type Row } from "./sqlite-row.ts";

/** The part of PlanStore about saved versions. */
export type SqlitePlanVersions = Pick<
  PlanStore,
  "savePlan" | "getPlan" | "listPlans" | "getPlanInput" | "getSolutionOverview" | "getPlacements" | "activatePlan" | "activePlan" | "listAssignments"
>;

const PLAN_COLUMNS =
  "seq, id, label, state, status, verified, objective, expected_value, input_hash, solver_backend, solver_version, customers, reps, assigned, unassigned, created_at, activated_at, archived_at";

function planVersion(row: Row): PlanVersion {
  const status = SolutionStatus.parse(text(row, "status"));
  const state = PlanState.parse(text(row, "state"));
  return {
    id: text(row, "id"),
    version: num(row, "seq"),
    label: text(row, "label"),
    state,
    status,
    activatable: num(row, "verified") === 1 && state !== "archived",
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

function assignmentRecord(row: Row): AssignmentRecord {
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

export function sqlitePlanVersions({ db, iso }: SqliteConnection, audit: SqliteAuditLog): SqlitePlanVersions {
  const sql = {
    insertPlan: db.prepare(
      `INSERT INTO plans (id, label, state, status, verified, objective, expected_value, input_hash, solver_backend, solver_version,
         customers, reps, assigned, unassigned, input_json, overview_json, created_at)
       VALUES (@id, @label, 'draft', @status, @verified, @objective, @expectedValue, @inputHash, @backend, @version,
         @customers, @reps, @assigned, @unassigned, @inputJson, @overviewJson, @createdAt)`,
    ),
    planById: db.prepare(`SELECT ${PLAN_COLUMNS} FROM plans WHERE id = ?`),
    activePlan: db.prepare(`SELECT ${PLAN_COLUMNS} FROM plans WHERE state = 'active'`),
    planPage: db.prepare(`SELECT ${PLAN_COLUMNS} FROM plans WHERE (@after IS NULL OR seq < @after) ORDER BY seq DESC LIMIT @limit`),
    planInput: db.prepare("SELECT input_json FROM plans WHERE id = ?").pluck(),
    planOverview: db.prepare("SELECT overview_json FROM plans WHERE id = ?").pluck(),
    planSeq: db.prepare("SELECT seq FROM plans WHERE id = ?").pluck(),
    setState: db.prepare("UPDATE plans SET state = @state, activated_at = coalesce(@activatedAt, activated_at), archived_at = coalesce(@archivedAt, archived_at) WHERE seq = @seq"),
    insertAssignment: db.prepare(
      `INSERT INTO assignments (plan_seq, customer_id, rep_id, expected_value, components_json, reason, source, routed_at)
       VALUES (@planSeq, @customer, @rep, @expectedValue, @components, @reason, 'plan', NULL)`,
    ),
    assignmentPage: db.prepare(
      `SELECT seq, customer_id, rep_id, expected_value, components_json, reason, source, routed_at FROM assignments
       WHERE plan_seq = @planSeq AND (@after IS NULL OR seq > @after) ORDER BY seq LIMIT @limit`,
    ),
    placements: db.prepare("SELECT customer_id, rep_id, expected_value FROM assignments WHERE plan_seq = ? AND source = 'plan' ORDER BY seq"),
    insertLoad: db.prepare("INSERT INTO rep_loads (plan_seq, rep_id, accounts, workload, value, expected_value) VALUES (?, ?, ?, ?, ?, ?)"),
    insertTotals: db.prepare("INSERT INTO load_totals (plan_seq, accounts, value, routed, routed_unassigned) VALUES (?, ?, ?, 0, 0)"),
  };

  const planRow = (id: string): Row | null => optionalRow(sql.planById.get(id));
  const planSeqOf = (id: string): number | null => {
    const seq: unknown = sql.planSeq.get(id);
    return typeof seq === "number" ? seq : null;
  };

  const save = (input: NewPlanVersion, context: AuditContext): PlanVersion => {
    const { plan, solution, label } = input;
    const { assignments, ...overview } = solution;
    const id = randomUUID();
    const createdAt = iso();
    const verified = solution.verification.passed && (solution.status === "optimal" || solution.status === "feasible");
    const info = sql.insertPlan.run({
      id,
      label,
      status: solution.status,
      verified: verified ? 1 : 0,
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
    });
    const planSeq = Number(info.lastInsertRowid);
    for (const a of assignments) {
      sql.insertAssignment.run({ planSeq, customer: a.customer, rep: a.rep, expectedValue: a.expectedValue, components: JSON.stringify(a.components), reason: null });
    }
    for (const u of solution.unassigned) {
      sql.insertAssignment.run({ planSeq, customer: u.customer, rep: null, expectedValue: null, components: null, reason: u.reason });
    }
    // The starting loads of live routing (sqlite-live-routing.ts adds each routed customer to them).
    for (const r of solution.reps) sql.insertLoad.run(planSeq, r.id, r.accounts, r.workload, r.value, r.expectedValue);
    sql.insertTotals.run(planSeq, solution.metrics.assigned, solution.metrics.assignedValue);
    audit.record(context, "plan.saved", { planId: id, note: `"${label}": ${solution.status}, ${plan.customers.length} customers, ${plan.reps.length} reps` });
    const row = planRow(id);
    if (row === null) throw new Error("the saved plan could not be read back");
    return planVersion(row);
  };

  const activate = (id: string, context: AuditContext): ActivationOutcome => {
    const row = planRow(id);
    if (row === null) return { kind: "not-found" };
    const plan = planVersion(row);
    if (plan.state === "active") return { kind: "already-active", plan };
    if (plan.state === "archived") {
      return { kind: "not-activatable", plan, why: "it is archived (a plan moves only draft → active → archived); save it again as a new version to use it" };
    }
    if (!plan.activatable) {
      return { kind: "not-activatable", plan, why: `its solve ended ${plan.status} without a verified assignment, so there is nothing to route against` };
    }
    const previous = optionalRow(sql.activePlan.get());
    const at = iso();
    let archived: PlanVersion | null = null;
    if (previous !== null) {
      const previousPlan = planVersion(previous);
      sql.setState.run({ seq: num(previous, "seq"), state: "archived", activatedAt: null, archivedAt: at });
      audit.record(context, "plan.archived", { planId: previousPlan.id, note: `replaced by ${id}` });
      const reread = planRow(previousPlan.id);
      archived = reread === null ? null : planVersion(reread);
    }
    sql.setState.run({ seq: plan.version, state: "active", activatedAt: at, archivedAt: null });
    audit.record(context, "plan.activated", { planId: id, note: archived === null ? `"${plan.label}"` : `"${plan.label}", replacing ${archived.id}` });
    const now = planRow(id);
    if (now === null) throw new Error("the activated plan could not be read back");
    return { kind: "activated", plan: planVersion(now), archived };
  };

  return {
    savePlan: writer(db, save),
    getPlan: reader((id) => {
      const row = planRow(id);
      return row === null ? null : planVersion(row);
    }),
    listPlans: reader((page) => pageOf(sql.planPage.all({ after: page.after, limit: page.limit + 1 }), page.limit, planVersion)),
    getPlanInput: reader((id) => {
      const json: unknown = sql.planInput.get(id);
      return typeof json === "string" ? json : null;
    }),
    getSolutionOverview: reader((id) => {
      const json: unknown = sql.planOverview.get(id);
      return typeof json === "string" ? readStoredOverview(json) : null;
    }),
    getPlacements: reader((id): CustomerPlacement[] | null => {
      const seq = planSeqOf(id);
      if (seq === null) return null;
      return sql.placements.all(seq).map((raw) => {
        const row = asRow(raw);
        return { customer: text(row, "customer_id"), rep: nullableText(row, "rep_id"), expectedValue: nullableNum(row, "expected_value") };
      });
    }),
    activatePlan: writer(db, activate),
    activePlan: reader(() => {
      const row = optionalRow(sql.activePlan.get());
      return row === null ? null : planVersion(row);
    }),
    listAssignments: reader((id, page) => {
      const planSeq = planSeqOf(id);
      if (planSeq === null) return null;
      return pageOf(sql.assignmentPage.all({ planSeq, after: page.after, limit: page.limit + 1 }), page.limit, assignmentRecord);
    }),
  };
}
