/**
 * Scheduled activations in SQLite. A schedule is a row (version, time, who asked); nothing depends on
 * a timer: `promoteDue` runs first in every read of the active plan and carries out the due
 * schedules in time order inside one BEGIN IMMEDIATE transaction (so two processes on one file do
 * not both promote), each with its audit entries. The version becomes active as of the scheduled
 * time (its `activatedAt`), credited to whoever scheduled it.
 */
import { randomUUID } from "node:crypto";
import type { ActivationSchedule } from "../../models/index.ts";
import { activationSchedule, approvalRefusal, SCHEDULE_COLUMNS } from "./activation-rules.ts";
import type { ActivationOptions, CancelOutcome, PlanControlStore, ScheduleOutcome } from "./plan-control-store.ts";
import type { AuditContext } from "./plan-store.ts";
import { activationRefusal } from "./plan-version-rows.ts";
import type { SqliteActivationStep } from "./sqlite-activation-step.ts";
import type { SqliteAuditLog } from "./sqlite-audit-log.ts";
import { reader, settle, writer, type SqliteConnection } from "./sqlite-connection.ts";
import { asRow, nullableText, num, optionalRow, pageOf, text } from "./sqlite-row.ts";

export type SqliteActivationSchedules = Pick<PlanControlStore, "scheduleActivation" | "cancelSchedule" | "listSchedules" | "schedulesOf" | "promoteDueActivations">;

export function sqliteActivationSchedules({ db, iso }: SqliteConnection, audit: SqliteAuditLog, step: SqliteActivationStep): SqliteActivationSchedules {
  const FROM = "FROM activation_schedules s JOIN plans p ON p.seq = s.plan_seq";
  const sql = {
    insert: db.prepare(
      `INSERT INTO activation_schedules (id, plan_seq, activate_at, state, require_approval, created_at, request_id, key_id, key_label, key_role)
       VALUES (@id, @planSeq, @activateAt, 'scheduled', @requireApproval, @createdAt, @requestId, @keyId, @keyLabel, @keyRole)`,
    ),
    byId: db.prepare(`SELECT ${SCHEDULE_COLUMNS}, s.require_approval, s.request_id, s.key_id, s.key_label, s.key_role ${FROM} WHERE s.id = ?`),
    page: db.prepare(`SELECT ${SCHEDULE_COLUMNS} ${FROM} WHERE (@after IS NULL OR s.seq < @after) ORDER BY s.seq DESC LIMIT @limit`),
    ofPlan: db.prepare(`SELECT ${SCHEDULE_COLUMNS} ${FROM} WHERE p.id = ? ORDER BY s.seq DESC`),
    anyDue: db.prepare("SELECT EXISTS (SELECT 1 FROM activation_schedules WHERE state = 'scheduled' AND activate_at <= ?)").pluck(),
    due: db.prepare(`SELECT ${SCHEDULE_COLUMNS}, s.require_approval, s.request_id, s.key_id, s.key_label, s.key_role ${FROM} WHERE s.state = 'scheduled' AND s.activate_at <= ? ORDER BY s.activate_at, s.seq`),
    finish: db.prepare("UPDATE activation_schedules SET state = @state, finished_at = @at, note = @note WHERE id = @id"),
    planExists: db.prepare("SELECT 1 FROM plans WHERE id = ?").pluck(),
  };

  const byId = (id: string): ActivationSchedule | null => {
    const row = optionalRow(sql.byId.get(id));
    return row === null ? null : activationSchedule(row);
  };

  const promoteDue = (): number => {
    const now = iso();
    const due = sql.due.all(now).map(asRow);
    for (const row of due) {
      const schedule = activationSchedule(row);
      const context: AuditContext = {
        requestId: text(row, "request_id"),
        keyId: nullableText(row, "key_id"),
        keyLabel: nullableText(row, "key_label"),
        keyRole: nullableText(row, "key_role"),
      };
      const plan = step.plan(schedule.planId);
      if (plan === null) throw new Error(`schedule ${schedule.id} names an unknown plan`);
      const refusal = plan.state === "active" ? null : (activationRefusal(plan) ?? approvalRefusal(plan, step.approvalOf(plan.id), num(row, "require_approval") === 1));
      if (refusal !== null) {
        const why = refusal.kind === "not-approved" ? `it is not approved (${refusal.approval})` : refusal.kind === "not-activatable" ? refusal.why : "it cannot be activated";
        const note = `not carried out: ${why}`;
        sql.finish.run({ id: schedule.id, state: "skipped", at: now, note });
        audit.record(context, "plan.schedule-skipped", { planId: plan.id, note: `schedule ${schedule.id} for ${schedule.activateAt} ${note}` });
        continue;
      }
      if (plan.state === "active") {
        sql.finish.run({ id: schedule.id, state: "done", at: now, note: "the version was already active" });
        continue;
      }
      step.activate(plan, context, schedule.activateAt, { note: `scheduled (${schedule.id}) for ${schedule.activateAt}` });
      sql.finish.run({ id: schedule.id, state: "done", at: now, note: null });
    }
    return due.length;
  };
  const promoteTx = db.transaction(promoteDue);

  const schedule = (id: string, activateAt: string, context: AuditContext, options: ActivationOptions): ScheduleOutcome => {
    promoteDue();
    const plan = step.plan(id);
    if (plan === null) return { kind: "not-found" };
    const refusal = activationRefusal(plan);
    const now = iso();
    if (refusal !== null) return refusal.kind === "already-active" && activateAt > now ? { kind: "not-activatable", plan, why: "it is the active version already" } : refusal;
    const gate = approvalRefusal(plan, step.approvalOf(id), options.requireApproval);
    if (gate !== null) return gate;
    if (activateAt <= now) {
      const done = step.activate(plan, context, now);
      return { kind: "activated", plan: done.plan, archived: done.archived };
    }
    const scheduleId = randomUUID();
    sql.insert.run({
      id: scheduleId,
      planSeq: plan.version,
      activateAt,
      requireApproval: options.requireApproval ? 1 : 0,
      createdAt: now,
      requestId: context.requestId,
      keyId: context.keyId,
      keyLabel: context.keyLabel ?? null,
      keyRole: context.keyRole ?? null,
    });
    audit.record(context, "plan.scheduled", { planId: id, note: `schedule ${scheduleId}: active from ${activateAt}` });
    const made = byId(scheduleId);
    if (made === null) throw new Error("the schedule could not be read back");
    return { kind: "scheduled", schedule: made };
  };

  const cancel = (scheduleId: string, context: AuditContext): CancelOutcome => {
    promoteDue();
    const found = byId(scheduleId);
    if (found === null) return { kind: "not-found" };
    if (found.state !== "scheduled") return { kind: "not-waiting", schedule: found };
    sql.finish.run({ id: scheduleId, state: "cancelled", at: iso(), note: "cancelled" });
    audit.record(context, "plan.schedule-cancelled", { planId: found.planId, note: `schedule ${scheduleId} for ${found.activateAt}` });
    const after = byId(scheduleId);
    if (after === null) throw new Error("the schedule could not be read back");
    return { kind: "cancelled", schedule: after };
  };

  return {
    scheduleActivation: writer(db, schedule),
    cancelSchedule: writer(db, cancel),
    listSchedules: reader((page) => pageOf(sql.page.all({ after: page.after, limit: page.limit + 1 }), page.limit, activationSchedule)),
    schedulesOf: reader((id) => (sql.planExists.get(id) === undefined ? null : sql.ofPlan.all(id).map((raw) => activationSchedule(asRow(raw))))),
    // A cheap read first: the write lock is taken only when something is due.
    promoteDueActivations: () => settle(() => (sql.anyDue.get(iso()) === 1 ? promoteTx.immediate() : 0)),
  };
}
