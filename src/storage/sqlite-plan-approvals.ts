/**
 * Approval of saved versions in SQLite: each step (submit, approve, reject, with who and a comment)
 * is appended to `plan_approvals` and moves the version's `approval` state, in one transaction with
 * its audit entry; the rules are activation-rules.ts.
 */
import { ApprovalState, type PlanApproval } from "../../models/index.ts";
import { approvalAuditAction, approvalNote, approvalStep, approvalTransition, APPROVAL_STEP_COLUMNS } from "./activation-rules.ts";
import type { ApprovalOutcome, ApprovalStepInput, PlanControlStore } from "./plan-control-store.ts";
import type { AuditContext } from "./plan-store.ts";
import type { SqliteAuditLog } from "./sqlite-audit-log.ts";
import { reader, writer, type SqliteConnection } from "./sqlite-connection.ts";
import { asRow, num, optionalRow, text } from "./sqlite-row.ts";

export type SqlitePlanApprovals = Pick<PlanControlStore, "recordApproval" | "getApproval">;

export function sqlitePlanApprovals({ db, iso }: SqliteConnection, audit: SqliteAuditLog): SqlitePlanApprovals {
  const sql = {
    plan: db.prepare("SELECT seq, id, approval FROM plans WHERE id = ?"),
    steps: db.prepare(`SELECT ${APPROVAL_STEP_COLUMNS} FROM plan_approvals WHERE plan_seq = ? ORDER BY seq`),
    insertStep: db.prepare("INSERT INTO plan_approvals (plan_seq, action, by, comment, at, key_id) VALUES (@planSeq, @action, @by, @comment, @at, @keyId)"),
    setApproval: db.prepare("UPDATE plans SET approval = ? WHERE seq = ?"),
  };

  const read = (id: string): PlanApproval | null => {
    const row = optionalRow(sql.plan.get(id));
    if (row === null) return null;
    return { planId: id, state: ApprovalState.parse(text(row, "approval")), history: sql.steps.all(num(row, "seq")).map((raw) => approvalStep(asRow(raw))) };
  };

  const record = (id: string, step: ApprovalStepInput, context: AuditContext): ApprovalOutcome => {
    const before = read(id);
    const row = optionalRow(sql.plan.get(id));
    if (before === null || row === null) return { kind: "not-found" };
    const lastSubmit = before.history.filter((s) => s.action === "submit").at(-1) ?? null;
    const next = approvalTransition(before.state, step, context.keyId, lastSubmit);
    if (!next.ok) return { kind: "refused", approval: before, why: next.why, self: next.self };
    const planSeq = num(row, "seq");
    sql.insertStep.run({ planSeq, action: step.action, by: step.by, comment: step.comment, at: iso(), keyId: context.keyId });
    sql.setApproval.run(next.state, planSeq);
    audit.record(context, approvalAuditAction(step.action), { planId: id, note: approvalNote(step) });
    const after = read(id);
    if (after === null) throw new Error("the approval could not be read back");
    return { kind: "recorded", approval: after };
  };

  return { recordApproval: writer(db, record), getApproval: reader(read) };
}
