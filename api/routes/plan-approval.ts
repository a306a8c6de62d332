/**
 * POST /v1/plans/{id}/approval: one approval step on a saved version (submit, approve, reject, with
 * `by` and a comment), recorded with its audit entry (src/storage/plan-control-store.ts). A step that
 * does not follow from the state, or an approval by whoever submitted the version, is a 409
 * `approval-refused`.
 */
import type { RequestHandler, Response } from "express";
import { ApprovalRequest, fieldErrors } from "../../models/index.ts";
import type { PlanStore } from "../../src/storage/plan-store.ts";
import { auditContextOf } from "../audit-context.ts";
import { sendProblem } from "../problem-details.ts";

const sendJson = (res: Response, status: number, body: unknown) => res.status(status).type("application/json").send(JSON.stringify(body));

export function planApprovalRoute(deps: { store: PlanStore }): RequestHandler {
  return async (req, res) => {
    const id = typeof req.params.id === "string" ? req.params.id : "";
    const parsed = ApprovalRequest.safeParse(req.body);
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error);
      sendProblem(req, res, "invalid-request", `The body has ${errors.length} problem${errors.length === 1 ? "" : "s"}; see errors.`, { errors });
      return;
    }
    const { action, by, comment } = parsed.data;
    const outcome = await deps.store.recordApproval(id, { action, by, comment: comment ?? null }, auditContextOf(res));
    if (outcome.kind === "not-found") {
      sendProblem(req, res, "plan-not-found", `There is no saved plan with id ${JSON.stringify(id)}.`);
      return;
    }
    if (outcome.kind === "refused") {
      sendProblem(req, res, "approval-refused", `Plan ${id} cannot be ${action === "submit" ? "submitted" : action === "approve" ? "approved" : "rejected"}: ${outcome.why}.`);
      return;
    }
    sendJson(res, 200, outcome.approval);
  };
}
