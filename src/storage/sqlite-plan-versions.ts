/**
 * Saved plan versions in SQLite: saving one (its input, solution overview, every customer as solved
 * and the starting per-rep loads that live routing adds to), reading them back, and moving the
 * state draft → active → archived. The schema's triggers keep versions immutable and at most one
 * active (sqlite-migrations.ts); each write is one transaction with its audit entry.
 */
import { randomUUID } from "node:crypto";
import type { PlanVersion } from "../../models/index.ts";
import type { ActivationOutcome, AuditContext, CustomerPlacement, NewPlanVersion, PlanStore } from "./plan-store.ts";
import { approvalRefusal } from "./activation-rules.ts";
import type { ActivationOptions } from "./plan-control-store.ts";
import type { SqliteActivationStep } from "./sqlite-activation-step.ts";
import { activationRefusal, ASSIGNMENT_COLUMNS, assignmentRecord, newPlanRows, PLAN_COLUMNS, planVersion } from "./plan-version-rows.ts";
import type { SqliteAuditLog } from "./sqlite-audit-log.ts";
import { reader, writer, type SqliteConnection } from "./sqlite-connection.ts";
import { readStoredOverview } from "./stored-overview.ts";
import { asRow, nullableNum, nullableText, optionalRow, pageOf, text, type Row } from "./sqlite-row.ts";

/** The part of PlanStore about saved versions. */
export type SqlitePlanVersions = Pick<
  PlanStore,
  "savePlan" | "getPlan" | "listPlans" | "getPlanInput" | "getSolutionOverview" | "getPlacements" | "activatePlan" | "activePlan" | "listAssignments"
>;

export function sqlitePlanVersions({ db, iso }: SqliteConnection, audit: SqliteAuditLog, step: SqliteActivationStep): SqlitePlanVersions {
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
    insertAssignment: db.prepare(
      `INSERT INTO assignments (plan_seq, customer_id, rep_id, expected_value, components_json, reason, source, routed_at)
       VALUES (@planSeq, @customer, @rep, @expectedValue, @components, @reason, 'plan', NULL)`,
    ),
    assignmentPage: db.prepare(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM assignments
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
    const rows = newPlanRows(input, randomUUID(), iso());
    const info = sql.insertPlan.run({ ...rows.plan, verified: rows.plan.verified ? 1 : 0 });
    const planSeq = Number(info.lastInsertRowid);
    for (const a of rows.assignments) sql.insertAssignment.run({ planSeq, ...a });
    // The starting loads of live routing (sqlite-live-routing.ts adds each routed customer to them).
    for (const l of rows.loads) sql.insertLoad.run(planSeq, l.rep, l.accounts, l.workload, l.value, l.expectedValue);
    sql.insertTotals.run(planSeq, rows.totals.accounts, rows.totals.value);
    audit.record(context, "plan.saved", { planId: rows.plan.id, note: rows.note });
    const row = planRow(rows.plan.id);
    if (row === null) throw new Error("the saved plan could not be read back");
    return planVersion(row);
  };

  const activate = (id: string, context: AuditContext, options?: ActivationOptions): ActivationOutcome => {
    const plan = step.plan(id);
    if (plan === null) return { kind: "not-found" };
    const refusal = activationRefusal(plan);
    if (refusal !== null) return refusal;
    const gate = approvalRefusal(plan, step.approvalOf(id), options?.requireApproval ?? false);
    if (gate !== null) return gate;
    const done = step.activate(plan, context, iso());
    return { kind: "activated", plan: done.plan, archived: done.archived };
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
