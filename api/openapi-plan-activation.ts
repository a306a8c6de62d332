/**
 * The OpenAPI part of the planner's control over the active version: approval steps, scheduled
 * activations and roll back (the schemas to register, the tag and the operations; the route
 * table, endpoints.ts, places them; activating now or at a time is activatePlanOperation in
 * openapi-plans.ts).
 */
import type { z } from "zod";
import * as models from "../models/index.ts";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "./page-query.ts";
import { HEADERS, IDEMPOTENCY_KEY_PARAMETER, problemResponse, ref, type Operation, type OperationContext, type ParameterObject, type ResponseObject } from "./openapi-parts.ts";

type Meta = { id: string };
type Entry = readonly [z.ZodType, Meta];

/** Request-body schemas (converted with io: "input"). */
export const ACTIVATION_INPUT_SCHEMAS: readonly Entry[] = [[models.ApprovalRequest, { id: "ApprovalRequest" }]];

/** Response schemas (converted with io: "output"). */
export const ACTIVATION_OUTPUT_SCHEMAS: readonly Entry[] = [
  [models.ApprovalState, { id: "ApprovalState" }],
  [models.ApprovalAction, { id: "ApprovalAction" }],
  [models.ApprovalStep, { id: "ApprovalStep" }],
  [models.PlanApproval, { id: "PlanApproval" }],
  [models.ScheduleState, { id: "ScheduleState" }],
  [models.ActivationSchedule, { id: "ActivationSchedule" }],
  [models.ActivationSchedulePage, { id: "ActivationSchedulePage" }],
  [models.CarryOutcome, { id: "CarryOutcome" }],
  [models.CarriedCustomer, { id: "CarriedCustomer" }],
  [models.RollBackResult, { id: "RollBackResult" }],
];

export const ACTIVATION_TAGS = [
  {
    name: "approval and activation",
    description: "Submit, approve or reject a version (ALLOT_REQUIRE_APPROVAL gates activation on it), schedule an activation for a time, and roll back to an earlier version.",
  },
];

const json = (id: string, description: string, replayable = false): ResponseObject => ({
  description,
  headers: { "x-request-id": HEADERS.requestId, ...(replayable ? { "Idempotency-Replayed": HEADERS.replayed } : {}) },
  content: { "application/json": { schema: ref(id) } },
});
const idParameter = (description: string): ParameterObject => ({ name: "id", in: "path", required: true, description, schema: { type: "string" } });

export function planApprovalOperation(c: OperationContext): Operation {
  return {
    operationId: "planApproval",
    summary: "Submit, approve or reject a saved version",
    description:
      "One approval step with who takes it (`by`) and a comment, recorded in the version's history (GET /v1/plans/{id} shows `approval`) and audited " +
      "(`plan.submitted`, `plan.approved`, `plan.rejected`). Submit a version not yet submitted, or rejected; approve or reject a submitted one. " +
      "Four eyes: whoever submitted a version (the same `by`, compared without case, or the same API key) cannot approve it; they may reject it (to withdraw it). " +
      "With ALLOT_REQUIRE_APPROVAL=true only an approved version can be activated, scheduled or rolled back to.",
    tags: ["approval and activation"],
    parameters: [idParameter("The version's id."), IDEMPOTENCY_KEY_PARAMETER],
    requestBody: { required: true, description: "The step.", content: { "application/json": { schema: ref("ApprovalRequest"), example: { action: "submit", by: "ana", comment: "Q1 plan, reviewed twice" } } } },
    responses: {
      "200": json("PlanApproval", "The version's approval state and history after the step.", true),
      ...c.bodyErrors,
      "400": problemResponse(["malformed-json", "bad-request", "invalid-idempotency-key"]),
      "404": problemResponse(["plan-not-found"]),
      "409": problemResponse(["approval-refused", "idempotency-in-flight"]),
      "422": problemResponse(["invalid-request", "idempotency-key-reused"]),
    },
  };
}

export function rollBackOperation(c: OperationContext): Operation {
  return {
    operationId: "rollBack",
    summary: "Roll back to an earlier version (or preview it)",
    description:
      "Makes an archived version (one that was active before) active again and archives the active one, in one transaction. Every customer routed under the " +
      "replaced version is carried over into the earlier version's live routing state, in routing order, and re-checked against its reps, capacities and bands: " +
      "kept with its rep when it has room (`kept`, or `kept-outside-band` above a fairness band, which routing treats as soft), recorded unassigned with the reason " +
      "when its rep is missing or full (`rep-missing`, `no-room`: the misfits, listed and audited as `customer.not-carried`, never dropped); a customer the earlier " +
      "version already has keeps that placement (`already-present`). Audited as `plan.archived`, `plan.rolled-back` and one entry per carried customer. " +
      "`?dryRun=true` answers the same and changes nothing (a preview). With ALLOT_REQUIRE_APPROVAL=true the earlier version must be approved. No body.",
    tags: ["approval and activation"],
    parameters: [
      idParameter("The archived version to make active again."),
      { name: "dryRun", in: "query", required: false, description: "true: preview only, nothing changes (default false).", schema: { type: "boolean" } },
      IDEMPOTENCY_KEY_PARAMETER,
    ],
    responses: {
      "200": json("RollBackResult", "What the roll back changed (or would change).", true),
      "400": problemResponse(["invalid-query", "invalid-idempotency-key"]),
      "404": problemResponse(["plan-not-found"]),
      "409": problemResponse(["plan-not-rollbackable", "plan-not-approved", "idempotency-in-flight"]),
      "422": problemResponse(["idempotency-key-reused"]),
      ...c.commonErrors,
    },
  };
}

export function listSchedulesOperation(c: OperationContext): Operation {
  return {
    operationId: "listSchedules",
    summary: "List scheduled activations",
    description: "Every scheduled activation, newest first: waiting, done (the version became active at its time), skipped (archived meanwhile, or not approved) or cancelled. Due ones are carried out before the list is read.",
    tags: ["approval and activation"],
    parameters: [
      { name: "limit", in: "query", required: false, description: `Items per page, 1–${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT}).`, schema: { type: "integer", minimum: 1, maximum: MAX_PAGE_LIMIT } },
      { name: "cursor", in: "query", required: false, description: "The `nextCursor` of the previous page (opaque).", schema: { type: "string" } },
    ],
    responses: { "200": json("ActivationSchedulePage", "A page of schedules."), "400": problemResponse(["invalid-query"]), ...c.commonErrors },
  };
}

export function cancelScheduleOperation(c: OperationContext): Operation {
  return {
    operationId: "cancelSchedule",
    summary: "Cancel a scheduled activation",
    description: "A waiting schedule is cancelled (audited as `plan.schedule-cancelled`); one already carried out, skipped or cancelled is a 409.",
    tags: ["approval and activation"],
    parameters: [idParameter("The schedule's id.")],
    responses: {
      "200": json("ActivationSchedule", "The cancelled schedule."),
      "404": problemResponse(["schedule-not-found"]),
      "409": problemResponse(["schedule-not-waiting"]),
      ...c.commonErrors,
    },
  };
}
