/**
 * The rules of approval, scheduled activation and roll back, the same for every store
 * (sqlite-*.ts, postgres-*.ts): which approval step follows from which state (and the four-eyes
 * rule: whoever submitted a version may not approve it), which versions may be activated when
 * approval is required, which may be rolled back to, and how their rows read back.
 */
import { ApprovalAction, ApprovalState, ScheduleState, type ActivationSchedule, type ApprovalStep, type PlanVersion } from "../../models/index.ts";
import type { ActivationOutcome } from "./plan-store.ts";
import type { ApprovalStepInput, RollBackOutcome } from "./plan-control-store.ts";
import { nullableText, text, type Row } from "./sqlite-row.ts";

export const APPROVAL_STEP_COLUMNS = "action, by, comment, at, key_id";
export const SCHEDULE_COLUMNS = "s.seq, s.id, p.id AS plan_id, s.activate_at, s.state, s.created_at, s.finished_at, s.note";

export function approvalStep(row: Row): ApprovalStep {
  return { action: ApprovalAction.parse(text(row, "action")), by: text(row, "by"), comment: nullableText(row, "comment"), at: text(row, "at"), keyId: nullableText(row, "key_id") };
}

export function activationSchedule(row: Row): ActivationSchedule {
  return {
    id: text(row, "id"),
    planId: text(row, "plan_id"),
    activateAt: text(row, "activate_at"),
    state: ScheduleState.parse(text(row, "state")),
    createdAt: text(row, "created_at"),
    finishedAt: nullableText(row, "finished_at"),
    note: nullableText(row, "note"),
  };
}

const STATE_AFTER: Record<ApprovalAction, ApprovalState> = { submit: "submitted", approve: "approved", reject: "rejected" };
const AUDIT_ACTION = { submit: "plan.submitted", approve: "plan.approved", reject: "plan.rejected" } as const;

export function approvalAuditAction(action: ApprovalAction): (typeof AUDIT_ACTION)[ApprovalAction] {
  return AUDIT_ACTION[action];
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The state after `step`, or why it is refused. Submit from none or rejected; approve or reject a
 * submitted version; approve not by whoever submitted it (same `by`, or the same API key).
 */
export function approvalTransition(
  state: ApprovalState,
  step: ApprovalStepInput,
  keyId: string | null,
  lastSubmit: ApprovalStep | null,
): { ok: true; state: ApprovalState } | { ok: false; why: string; self: boolean } {
  if (step.action === "submit") {
    if (state === "none" || state === "rejected") return { ok: true, state: STATE_AFTER.submit };
    return { ok: false, why: `it is ${state}: only a version not yet submitted, or rejected, can be submitted`, self: false };
  }
  if (state !== "submitted") return { ok: false, why: `it is ${state === "none" ? "not submitted" : state}: only a submitted version can be ${step.action === "approve" ? "approved" : "rejected"}`, self: false };
  if (step.action === "approve" && lastSubmit !== null) {
    if (sameName(lastSubmit.by, step.by)) return { ok: false, why: `${JSON.stringify(step.by)} submitted it: another person must approve it`, self: true };
    if (keyId !== null && lastSubmit.keyId === keyId) return { ok: false, why: "it was submitted with the same API key: another person's key must approve it", self: true };
  }
  return { ok: true, state: STATE_AFTER[step.action] };
}

export function approvalNote(step: ApprovalStepInput): string {
  return step.comment === null || step.comment === "" ? `by ${step.by}` : `by ${step.by}: ${step.comment}`;
}

/** The refusal when approval is required and the version is not approved (null when it may go on). */
export function approvalRefusal(plan: PlanVersion, approval: ApprovalState, requireApproval: boolean): Extract<ActivationOutcome, { kind: "not-approved" }> | null {
  return requireApproval && approval !== "approved" ? { kind: "not-approved", plan, approval } : null;
}

/** Why a version cannot be rolled back to (null when it can: an archived version, which was active once). */
export function rollBackRefusal(plan: PlanVersion): Extract<RollBackOutcome, { kind: "not-rollbackable" }> | null {
  if (plan.state === "active") return { kind: "not-rollbackable", plan, why: "it is the active version already" };
  if (plan.state === "draft") return { kind: "not-rollbackable", plan, why: "it was never active: activate it (POST /v1/plans/{id}/activate) instead" };
  return null;
}

/** The value a routed customer adds, read from its stored score components (0 when there are none). */
export function componentsValue(components: string | null): number {
  if (components === null) return 0;
  const parsed: unknown = JSON.parse(components);
  if (typeof parsed === "object" && parsed !== null && "value" in parsed && typeof parsed.value === "number") return parsed.value;
  return 0;
}

export function rollBackNote(decisions: readonly { outcome: string }[], archivedId: string | null): string {
  const count = (o: string) => decisions.filter((d) => d.outcome === o).length;
  const kept = count("kept") + count("kept-outside-band");
  const misfits = count("no-room") + count("rep-missing");
  return `rolled back${archivedId === null ? "" : ` from ${archivedId}`}: ${decisions.length} routed customers carried over, ${kept} kept, ${misfits} no longer fit (recorded unassigned), ${count("already-present")} already present, ${count("unassigned")} unassigned`;
}
