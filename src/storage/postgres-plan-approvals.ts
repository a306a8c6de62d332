/**
 * Approval of saved versions in PostgreSQL: each step (submit, approve, reject, with who and a
 * comment) is appended to `plan_approvals` and moves the version's `approval` state, in one
 * transaction with its audit entry, the version's row locked so that two reviewers deciding at
 * once take turns; the rules are activation-rules.ts.
 */
import { ApprovalState, type PlanApproval } from "../../models/index.ts";
import { approvalAuditAction, approvalNote, approvalStep, approvalTransition, APPROVAL_STEP_COLUMNS } from "./activation-rules.ts";
import type { PlanControlStore } from "./plan-control-store.ts";
import type { PostgresAuditLog } from "./postgres-audit-log.ts";
import type { PostgresConnection, Tx } from "./postgres-connection.ts";
import { num, text, type Row } from "./sqlite-row.ts";

export type PostgresPlanApprovals = Pick<PlanControlStore, "recordApproval" | "getApproval">;

const only = (rows: Row[]): Row | null => rows[0] ?? null;

export function postgresPlanApprovals(connection: PostgresConnection, audit: PostgresAuditLog): PostgresPlanApprovals {
  const { transaction, iso } = connection;

  const read = async (tx: Tx, id: string, lock: boolean): Promise<{ seq: number; approval: PlanApproval } | null> => {
    const row = only(await tx.query(`SELECT seq, approval FROM plans WHERE id = $1${lock ? " FOR UPDATE" : ""}`, [id]));
    if (row === null) return null;
    const seq = num(row, "seq");
    const steps = await tx.query(`SELECT ${APPROVAL_STEP_COLUMNS} FROM plan_approvals WHERE plan_seq = $1 ORDER BY seq`, [seq]);
    return { seq, approval: { planId: id, state: ApprovalState.parse(text(row, "approval")), history: steps.map(approvalStep) } };
  };

  return {
    recordApproval: (id, step, context) =>
      transaction(async (tx) => {
        const before = await read(tx, id, true);
        if (before === null) return { kind: "not-found" };
        const lastSubmit = before.approval.history.filter((s) => s.action === "submit").at(-1) ?? null;
        const next = approvalTransition(before.approval.state, step, context.keyId, lastSubmit);
        if (!next.ok) return { kind: "refused", approval: before.approval, why: next.why, self: next.self };
        await tx.query("INSERT INTO plan_approvals (plan_seq, action, by, comment, at, key_id) VALUES ($1, $2, $3, $4, $5, $6)", [before.seq, step.action, step.by, step.comment, iso(), context.keyId]);
        await tx.query("UPDATE plans SET approval = $2 WHERE seq = $1", [before.seq, next.state]);
        await audit.record(tx, context, approvalAuditAction(step.action), { planId: id, note: approvalNote(step) });
        const after = await read(tx, id, false);
        if (after === null) throw new Error("the approval could not be read back");
        return { kind: "recorded", approval: after.approval };
      }),
    getApproval: (id) => transaction(async (tx) => (await read(tx, id, false))?.approval ?? null),
  };
}
