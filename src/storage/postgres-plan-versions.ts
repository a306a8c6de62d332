/**
 * Saved plan versions in PostgreSQL: saving one (its input, solution overview, every customer as
 * solved and the starting per-rep loads that live routing adds to) in one transaction with its
 * audit entry, reading them back, and moving the state draft → active → archived. The schema keeps
 * versions immutable and at most one active (postgres-migrations.ts); what the rows hold is shared
 * with SQLite (plan-version-rows.ts).
 *
 * Activations take a transaction-level advisory lock first, so two instances activating different
 * versions at once run one after the other (the second archives the first's), never into the
 * one-active index; then the outgoing plan's load totals, the row routings of that plan lock first,
 * so an activation waits for routings in flight. A large plan's customers and loads go in as
 * arrays (one statement each).
 */
import { randomUUID } from "node:crypto";
import type { PlanVersion } from "../../models/index.ts";
import type { ActivationOutcome, AuditContext, CustomerPlacement, NewPlanVersion, PlanStore } from "./plan-store.ts";
import { approvalRefusal } from "./activation-rules.ts";
import type { ActivationOptions } from "./plan-control-store.ts";
import { ACTIVATION_LOCK_SQL, type PostgresActivationStep } from "./postgres-activation-step.ts";
import { activationRefusal, ASSIGNMENT_COLUMNS, assignmentRecord, newPlanRows, PLAN_COLUMNS, planVersion } from "./plan-version-rows.ts";
import type { PostgresAuditLog } from "./postgres-audit-log.ts";
import type { PostgresConnection, Tx } from "./postgres-connection.ts";
import { readStoredOverview } from "./stored-overview.ts";
import { nullableNum, nullableText, num, pageOf, text, type Row } from "./sqlite-row.ts";

/** The part of PlanStore about saved versions. */
export type PostgresPlanVersions = Pick<
  PlanStore,
  "savePlan" | "getPlan" | "listPlans" | "getPlanInput" | "getSolutionOverview" | "getPlacements" | "activatePlan" | "activePlan" | "listAssignments"
>;


const SQL = {
  insertPlan: `INSERT INTO plans (id, label, state, status, verified, objective, expected_value, input_hash, solver_backend, solver_version,
      customers, reps, assigned, unassigned, input_json, overview_json, created_at)
    VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING ${PLAN_COLUMNS}`,
  // Identity values follow the arrays' order (ORDER BY ordinality), so customers list in solution order.
  insertAssignments: `INSERT INTO assignments (plan_seq, customer_id, rep_id, expected_value, components_json, reason, source, routed_at)
    SELECT $1, c, r, e, comp, why, 'plan', NULL
    FROM unnest($2::text[], $3::text[], $4::float8[], $5::text[], $6::text[]) WITH ORDINALITY AS u (c, r, e, comp, why, ord)
    ORDER BY ord`,
  insertLoads: `INSERT INTO rep_loads (plan_seq, rep_id, accounts, workload, value, expected_value)
    SELECT $1, r, a, w, v, e FROM unnest($2::text[], $3::int[], $4::float8[], $5::float8[], $6::float8[]) AS u (r, a, w, v, e)`,
  insertTotals: "INSERT INTO load_totals (plan_seq, accounts, value, routed, routed_unassigned) VALUES ($1, $2, $3, 0, 0)",
  planById: `SELECT ${PLAN_COLUMNS} FROM plans WHERE id = $1`,
  activePlan: `SELECT ${PLAN_COLUMNS} FROM plans WHERE state = 'active'`,
};

const only = (rows: Row[]): Row | null => rows[0] ?? null;

export function postgresPlanVersions(connection: PostgresConnection, audit: PostgresAuditLog, step: PostgresActivationStep): PostgresPlanVersions {
  const { query, transaction, iso } = connection;

  const planSeqOf = async (id: string): Promise<number | null> => {
    const row = only(await query("SELECT seq FROM plans WHERE id = $1", [id]));
    return row === null ? null : num(row, "seq");
  };

  const save = async (tx: Tx, input: NewPlanVersion, context: AuditContext): Promise<PlanVersion> => {
    const rows = newPlanRows(input, randomUUID(), iso());
    const p = rows.plan;
    const inserted = only(
      await tx.query(SQL.insertPlan, [
        p.id, p.label, p.status, p.verified, p.objective, p.expectedValue, p.inputHash, p.backend, p.version,
        p.customers, p.reps, p.assigned, p.unassigned, p.inputJson, p.overviewJson, p.createdAt,
      ]),
    );
    if (inserted === null) throw new Error("the saved plan could not be read back");
    const planSeq = num(inserted, "seq");
    const a = rows.assignments;
    await tx.query(SQL.insertAssignments, [
      planSeq,
      a.map((x) => x.customer),
      a.map((x) => x.rep),
      a.map((x) => x.expectedValue),
      a.map((x) => x.components),
      a.map((x) => x.reason),
    ]);
    // The starting loads of live routing (postgres-live-routing.ts adds each routed customer to them).
    const l = rows.loads;
    await tx.query(SQL.insertLoads, [planSeq, l.map((x) => x.rep), l.map((x) => x.accounts), l.map((x) => x.workload), l.map((x) => x.value), l.map((x) => x.expectedValue)]);
    await tx.query(SQL.insertTotals, [planSeq, rows.totals.accounts, rows.totals.value]);
    await audit.record(tx, context, "plan.saved", { planId: p.id, note: rows.note });
    return planVersion(inserted);
  };

  const activate = async (tx: Tx, id: string, context: AuditContext, options?: ActivationOptions): Promise<ActivationOutcome> => {
    await tx.query(ACTIVATION_LOCK_SQL);
    const plan = await step.plan(tx, id, true);
    if (plan === null) return { kind: "not-found" };
    const refusal = activationRefusal(plan);
    if (refusal !== null) return refusal;
    const gate = approvalRefusal(plan, await step.approvalOf(tx, id), options?.requireApproval ?? false);
    if (gate !== null) return gate;
    const done = await step.activate(tx, plan, context, iso());
    return { kind: "activated", plan: done.plan, archived: done.archived };
  };

  return {
    savePlan: (input, context) => transaction((tx) => save(tx, input, context)),
    async getPlan(id) {
      const row = only(await query(SQL.planById, [id]));
      return row === null ? null : planVersion(row);
    },
    async listPlans(page) {
      const rows = await query(`SELECT ${PLAN_COLUMNS} FROM plans WHERE ($1::bigint IS NULL OR seq < $1) ORDER BY seq DESC LIMIT $2`, [page.after, page.limit + 1]);
      return pageOf(rows, page.limit, planVersion);
    },
    async getPlanInput(id) {
      const row = only(await query("SELECT input_json FROM plans WHERE id = $1", [id]));
      return row === null ? null : text(row, "input_json");
    },
    async getSolutionOverview(id) {
      const row = only(await query("SELECT overview_json FROM plans WHERE id = $1", [id]));
      return row === null ? null : readStoredOverview(text(row, "overview_json"));
    },
    async getPlacements(id): Promise<CustomerPlacement[] | null> {
      const seq = await planSeqOf(id);
      if (seq === null) return null;
      const rows = await query("SELECT customer_id, rep_id, expected_value FROM assignments WHERE plan_seq = $1 AND source = 'plan' ORDER BY seq", [seq]);
      return rows.map((row) => ({ customer: text(row, "customer_id"), rep: nullableText(row, "rep_id"), expectedValue: nullableNum(row, "expected_value") }));
    },
    activatePlan: (id, context, options) => transaction((tx) => activate(tx, id, context, options)),
    async activePlan() {
      const row = only(await query(SQL.activePlan));
      return row === null ? null : planVersion(row);
    },
    async listAssignments(id, page) {
      const planSeq = await planSeqOf(id);
      if (planSeq === null) return null;
      const rows = await query(`SELECT ${ASSIGNMENT_COLUMNS} FROM assignments WHERE plan_seq = $1 AND ($2::bigint IS NULL OR seq > $2) ORDER BY seq LIMIT $3`, [
        planSeq,
        page.after,
        page.limit + 1,
      ]);
      return pageOf(rows, page.limit, assignmentRecord);
    },
  };
}
