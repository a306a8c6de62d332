/**
 * Scheduled activations in PostgreSQL, shared by every instance. A schedule is a row (version,
 * time, who asked); nothing depends on a timer: `promoteDue` runs first in every read of the active
 * plan and, when something is due, carries the due schedules out in time order in one transaction
 * that first takes the activation advisory lock (so among instances racing for the same schedule
 * one carries it out and the others find nothing left), each with its audit entries. The version
 * becomes active as of the scheduled time (its `activatedAt`), credited to whoever scheduled it.
 */
import { randomUUID } from "node:crypto";
import type { ActivationSchedule } from "../../models/index.ts";
import { activationSchedule, approvalRefusal, SCHEDULE_COLUMNS } from "./activation-rules.ts";
import type { CancelOutcome, PlanControlStore, ScheduleOutcome } from "./plan-control-store.ts";
import type { AuditContext } from "./plan-store.ts";
import { activationRefusal } from "./plan-version-rows.ts";
import { ACTIVATION_LOCK_SQL, type PostgresActivationStep } from "./postgres-activation-step.ts";
import type { PostgresAuditLog } from "./postgres-audit-log.ts";
import type { PostgresConnection, Tx } from "./postgres-connection.ts";
import { nullableText, pageOf, text, type Row } from "./sqlite-row.ts";

export type PostgresActivationSchedules = Pick<PlanControlStore, "scheduleActivation" | "cancelSchedule" | "listSchedules" | "schedulesOf" | "promoteDueActivations">;

const only = (rows: Row[]): Row | null => rows[0] ?? null;
const FROM = "FROM activation_schedules s JOIN plans p ON p.seq = s.plan_seq";
const WHO = "s.require_approval, s.request_id, s.key_id, s.key_label, s.key_role";

export function postgresActivationSchedules(connection: PostgresConnection, audit: PostgresAuditLog, step: PostgresActivationStep): PostgresActivationSchedules {
  const { query, transaction, iso } = connection;

  const byId = async (tx: Tx, id: string, lock = false): Promise<ActivationSchedule | null> => {
    const row = only(await tx.query(`SELECT ${SCHEDULE_COLUMNS} ${FROM} WHERE s.id = $1${lock ? " FOR UPDATE OF s" : ""}`, [id]));
    return row === null ? null : activationSchedule(row);
  };
  const finish = (tx: Tx, id: string, state: string, at: string, note: string | null) =>
    tx.query("UPDATE activation_schedules SET state = $2, finished_at = $3, note = $4 WHERE id = $1", [id, state, at, note]);

  /** Inside a transaction that holds ACTIVATION_LOCK_SQL. */
  const promoteDue = async (tx: Tx): Promise<number> => {
    const now = iso();
    const due = await tx.query(`SELECT ${SCHEDULE_COLUMNS}, ${WHO} ${FROM} WHERE s.state = 'scheduled' AND s.activate_at <= $1 ORDER BY s.activate_at, s.seq`, [now]);
    for (const row of due) {
      const schedule = activationSchedule(row);
      const context: AuditContext = {
        requestId: text(row, "request_id"),
        keyId: nullableText(row, "key_id"),
        keyLabel: nullableText(row, "key_label"),
        keyRole: nullableText(row, "key_role"),
      };
      const plan = await step.plan(tx, schedule.planId, true);
      if (plan === null) throw new Error(`schedule ${schedule.id} names an unknown plan`);
      const refusal = plan.state === "active" ? null : (activationRefusal(plan) ?? approvalRefusal(plan, await step.approvalOf(tx, plan.id), row.require_approval === true));
      if (refusal !== null) {
        const why = refusal.kind === "not-approved" ? `it is not approved (${refusal.approval})` : refusal.kind === "not-activatable" ? refusal.why : "it cannot be activated";
        const note = `not carried out: ${why}`;
        await finish(tx, schedule.id, "skipped", now, note);
        await audit.record(tx, context, "plan.schedule-skipped", { planId: plan.id, note: `schedule ${schedule.id} for ${schedule.activateAt} ${note}` });
        continue;
      }
      if (plan.state === "active") {
        await finish(tx, schedule.id, "done", now, "the version was already active");
        continue;
      }
      await step.activate(tx, plan, context, schedule.activateAt, { note: `scheduled (${schedule.id}) for ${schedule.activateAt}` });
      await finish(tx, schedule.id, "done", now, null);
    }
    return due.length;
  };

  return {
    scheduleActivation: (id, activateAt, context, options) =>
      transaction(async (tx): Promise<ScheduleOutcome> => {
        await tx.query(ACTIVATION_LOCK_SQL);
        await promoteDue(tx);
        const plan = await step.plan(tx, id, true);
        if (plan === null) return { kind: "not-found" };
        const now = iso();
        const refusal = activationRefusal(plan);
        if (refusal !== null) return refusal.kind === "already-active" && activateAt > now ? { kind: "not-activatable", plan, why: "it is the active version already" } : refusal;
        const gate = approvalRefusal(plan, await step.approvalOf(tx, id), options.requireApproval);
        if (gate !== null) return gate;
        if (activateAt <= now) {
          const done = await step.activate(tx, plan, context, now);
          return { kind: "activated", plan: done.plan, archived: done.archived };
        }
        const scheduleId = randomUUID();
        await tx.query(
          `INSERT INTO activation_schedules (id, plan_seq, activate_at, state, require_approval, created_at, request_id, key_id, key_label, key_role)
           VALUES ($1, $2, $3, 'scheduled', $4, $5, $6, $7, $8, $9)`,
          [scheduleId, plan.version, activateAt, options.requireApproval, now, context.requestId, context.keyId, context.keyLabel ?? null, context.keyRole ?? null],
        );
        await audit.record(tx, context, "plan.scheduled", { planId: id, note: `schedule ${scheduleId}: active from ${activateAt}` });
        const made = await byId(tx, scheduleId);
        if (made === null) throw new Error("the schedule could not be read back");
        return { kind: "scheduled", schedule: made };
      }),

    cancelSchedule: (scheduleId, context) =>
      transaction(async (tx): Promise<CancelOutcome> => {
        await tx.query(ACTIVATION_LOCK_SQL);
        await promoteDue(tx);
        const found = await byId(tx, scheduleId, true);
        if (found === null) return { kind: "not-found" };
        if (found.state !== "scheduled") return { kind: "not-waiting", schedule: found };
        await finish(tx, scheduleId, "cancelled", iso(), "cancelled");
        await audit.record(tx, context, "plan.schedule-cancelled", { planId: found.planId, note: `schedule ${scheduleId} for ${found.activateAt}` });
        const after = await byId(tx, scheduleId);
        if (after === null) throw new Error("the schedule could not be read back");
        return { kind: "cancelled", schedule: after };
      }),

    async listSchedules(page) {
      const rows = await query(`SELECT ${SCHEDULE_COLUMNS} ${FROM} WHERE ($1::bigint IS NULL OR s.seq < $1) ORDER BY s.seq DESC LIMIT $2`, [page.after, page.limit + 1]);
      return pageOf(rows, page.limit, activationSchedule);
    },
    async schedulesOf(id) {
      if (only(await query("SELECT 1 FROM plans WHERE id = $1", [id])) === null) return null;
      return (await query(`SELECT ${SCHEDULE_COLUMNS} ${FROM} WHERE p.id = $1 ORDER BY s.seq DESC`, [id])).map(activationSchedule);
    },
    // A cheap read first: the lock is taken only when something is due.
    async promoteDueActivations() {
      const due = only(await query("SELECT EXISTS (SELECT 1 FROM activation_schedules WHERE state = 'scheduled' AND activate_at <= $1) AS due", [iso()]));
      if (due?.due !== true) return 0;
      return transaction(async (tx) => {
        await tx.query(ACTIVATION_LOCK_SQL);
        return promoteDue(tx);
      });
    },
  };
}
