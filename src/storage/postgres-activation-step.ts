/**
 * The state change at the heart of every activation in PostgreSQL (POST …/activate, a scheduled one
 * coming due, a roll back), run through the caller's transaction after it took ACTIVATION_LOCK_SQL:
 * the active version (if another) is archived, after its load totals are locked (the row every
 * routing of that plan locks first, so routings in flight finish first), and the target becomes
 * active, each with its audit entry. The schema allows draft → active, active → archived and
 * archived → active (postgres-migrations.ts, version 5).
 */
import { ApprovalState, type PlanVersion } from "../../models/index.ts";
import type { AuditContext } from "./plan-store.ts";
import { activationNotes, PLAN_COLUMNS, planVersion } from "./plan-version-rows.ts";
import type { PostgresAuditLog } from "./postgres-audit-log.ts";
import type { Tx } from "./postgres-connection.ts";
import { text, type Row } from "./sqlite-row.ts";

/** Every activation, whatever its cause, takes this transaction-level lock first: they run one at a time across instances. */
export const ACTIVATION_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('allot: plan activation'))";

const only = (rows: Row[]): Row | null => rows[0] ?? null;

export interface PostgresActivationStep {
  plan(tx: Tx, id: string, lock?: boolean): Promise<PlanVersion | null>;
  active(tx: Tx): Promise<PlanVersion | null>;
  approvalOf(tx: Tx, id: string): Promise<ApprovalState>;
  /** Archives the active version (unless it is `plan`) and activates `plan` as of `at`; returns both as they are now. */
  activate(
    tx: Tx,
    plan: PlanVersion,
    context: AuditContext,
    at: string,
    options?: { action?: "plan.activated" | "plan.rolled-back"; note?: string },
  ): Promise<{ plan: PlanVersion; archived: PlanVersion | null }>;
}

export function postgresActivationStep(audit: PostgresAuditLog): PostgresActivationStep {
  const plan = async (tx: Tx, id: string, lock = false): Promise<PlanVersion | null> => {
    const row = only(await tx.query(`SELECT ${PLAN_COLUMNS} FROM plans WHERE id = $1${lock ? " FOR UPDATE" : ""}`, [id]));
    return row === null ? null : planVersion(row);
  };
  return {
    plan,
    async active(tx) {
      const row = only(await tx.query(`SELECT ${PLAN_COLUMNS} FROM plans WHERE state = 'active'`));
      return row === null ? null : planVersion(row);
    },
    async approvalOf(tx, id) {
      const row = only(await tx.query("SELECT approval FROM plans WHERE id = $1", [id]));
      return row === null ? "none" : ApprovalState.parse(text(row, "approval"));
    },
    async activate(tx, target, context, at, options = {}) {
      const previous = only(await tx.query(`SELECT ${PLAN_COLUMNS} FROM plans WHERE state = 'active' FOR UPDATE`));
      let archived: PlanVersion | null = null;
      if (previous !== null) {
        const previousPlan = planVersion(previous);
        if (previousPlan.id !== target.id) {
          // The lock routings of that plan take first (postgres-live-routing.ts): waits for those in flight.
          await tx.query("SELECT 1 FROM load_totals WHERE plan_seq = $1 FOR UPDATE", [previousPlan.version]);
          await tx.query("UPDATE plans SET state = 'archived', archived_at = $2 WHERE seq = $1", [previousPlan.version, at]);
          await audit.record(tx, context, "plan.archived", { planId: previousPlan.id, note: activationNotes(target, null).archived });
          archived = await plan(tx, previousPlan.id);
        }
      }
      await tx.query("UPDATE plans SET state = 'active', activated_at = $2, archived_at = NULL WHERE seq = $1", [target.version, at]);
      const note = activationNotes(target, archived?.id ?? null).activated;
      await audit.record(tx, context, options.action ?? "plan.activated", { planId: target.id, note: options.note === undefined ? note : `${note}; ${options.note}` });
      const now = await plan(tx, target.id);
      if (now === null) throw new Error("the activated plan could not be read back");
      return { plan: now, archived };
    },
  };
}
