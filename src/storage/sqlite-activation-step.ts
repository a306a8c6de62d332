/**
 * The state change at the heart of every activation in SQLite (POST …/activate, a scheduled one
 * coming due, a roll back), run inside the caller's transaction: the active version (if another) is
 * archived and the target becomes active, each with its audit entry. The schema allows
 * draft → active, active → archived and archived → active (sqlite-migrations.ts, version 5).
 */
import { ApprovalState, type PlanVersion } from "../../models/index.ts";
import type { AuditContext } from "./plan-store.ts";
import { activationNotes, PLAN_COLUMNS, planVersion } from "./plan-version-rows.ts";
import type { SqliteAuditLog } from "./sqlite-audit-log.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { optionalRow, text } from "./sqlite-row.ts";

export interface SqliteActivationStep {
  plan(id: string): PlanVersion | null;
  active(): PlanVersion | null;
  approvalOf(id: string): ApprovalState;
  /** Archives the active version (unless it is `plan`) and activates `plan` as of `at`; returns both as they are now. */
  activate(plan: PlanVersion, context: AuditContext, at: string, options?: { action?: "plan.activated" | "plan.rolled-back"; note?: string }): { plan: PlanVersion; archived: PlanVersion | null };
}

export function sqliteActivationStep({ db }: SqliteConnection, audit: SqliteAuditLog): SqliteActivationStep {
  const sql = {
    planById: db.prepare(`SELECT ${PLAN_COLUMNS} FROM plans WHERE id = ?`),
    activePlan: db.prepare(`SELECT ${PLAN_COLUMNS} FROM plans WHERE state = 'active'`),
    approval: db.prepare("SELECT approval FROM plans WHERE id = ?"),
    archive: db.prepare("UPDATE plans SET state = 'archived', archived_at = ? WHERE seq = ?"),
    activate: db.prepare("UPDATE plans SET state = 'active', activated_at = ?, archived_at = NULL WHERE seq = ?"),
  };
  const plan = (id: string): PlanVersion | null => {
    const row = optionalRow(sql.planById.get(id));
    return row === null ? null : planVersion(row);
  };
  return {
    plan,
    active() {
      const row = optionalRow(sql.activePlan.get());
      return row === null ? null : planVersion(row);
    },
    approvalOf(id) {
      const row = optionalRow(sql.approval.get(id));
      return row === null ? "none" : ApprovalState.parse(text(row, "approval"));
    },
    activate(target, context, at, options = {}) {
      const previous = optionalRow(sql.activePlan.get());
      let archived: PlanVersion | null = null;
      if (previous !== null) {
        const previousPlan = planVersion(previous);
        if (previousPlan.id !== target.id) {
          sql.archive.run(at, previousPlan.version);
          audit.record(context, "plan.archived", { planId: previousPlan.id, note: activationNotes(target, null).archived });
          archived = plan(previousPlan.id);
        }
      }
      sql.activate.run(at, target.version);
      const note = activationNotes(target, archived?.id ?? null).activated;
      audit.record(context, options.action ?? "plan.activated", { planId: target.id, note: options.note === undefined ? note : `${note}; ${options.note}` });
      const now = plan(target.id);
      if (now === null) throw new Error("the activated plan could not be read back");
      return { plan: now, archived };
    },
  };
}
