/**
 * The OpenAPI part of saved plans, live routing and the audit log: the schemas to register, the tags,
 * and the operations (the route table, endpoints.ts, places them).
 */
import type { z } from "zod";
import * as models from "../models/index.ts";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "./page-query.ts";
import { HEADERS, IDEMPOTENCY_KEY_PARAMETER, problemResponse, ref, type Operation, type OperationContext, type ParameterObject, type ResponseObject } from "./openapi-parts.ts";

type Meta = { id: string };
type Entry = readonly [z.ZodType, Meta];

/** Request-body schemas (converted with io: "input"). */
export const PLANS_INPUT_SCHEMAS: readonly Entry[] = [
  [models.SavePlanRequest, { id: "SavePlanRequest" }],
  [models.RouteRequest, { id: "RouteRequest" }],
  [models.RoutePairScore, { id: "RoutePairScore" }],
];

/** Response schemas (converted with io: "output"). */
export const PLANS_OUTPUT_SCHEMAS: readonly Entry[] = [
  [models.PlanState, { id: "PlanState" }],
  [models.PlanVersion, { id: "PlanVersion" }],
  [models.PlanVersionDetail, { id: "PlanVersionDetail" }],
  [models.PlanVersionPage, { id: "PlanVersionPage" }],
  [models.PlanActivation, { id: "PlanActivation" }],
  [models.SolutionOverview, { id: "SolutionOverview" }],
  [models.AssignmentSource, { id: "AssignmentSource" }],
  [models.AssignmentRecord, { id: "AssignmentRecord" }],
  [models.AssignmentPage, { id: "AssignmentPage" }],
  [models.PlanVersionDiff, { id: "PlanVersionDiff" }],
  [models.PlanVersionRef, { id: "PlanVersionRef" }],
  [models.NumberChange, { id: "NumberChange" }],
  [models.NullableNumberChange, { id: "NullableNumberChange" }],
  [models.CustomerMove, { id: "CustomerMove" }],
  [models.CustomerPresence, { id: "CustomerPresence" }],
  [models.RepLoadChange, { id: "RepLoadChange" }],
  [models.RouteResult, { id: "RouteResult" }],
  [models.RunnerUp, { id: "RunnerUp" }],
  [models.PassedOverRep, { id: "PassedOverRep" }],
  [models.PassedOverReason, { id: "PassedOverReason" }],
  [models.RoutedRepLoad, { id: "RoutedRepLoad" }],
  [models.RouteCounts, { id: "RouteCounts" }],
  [models.AuditAction, { id: "AuditAction" }],
  [models.AuditEntry, { id: "AuditEntry" }],
  [models.AuditPage, { id: "AuditPage" }],
];

export const PLANS_TAGS = [
  { name: "saved plans", description: "Plan versions kept in the service's database: save (solve), list, compare, activate." },
  { name: "routing", description: "Live assignment of new customers against the active plan." },
  { name: "audit", description: "The record of every state change." },
];

const idParameter = (name: string, description: string): ParameterObject => ({ name, in: "path", required: true, description, schema: { type: "string" } });
const PLAN_ID = idParameter("id", "The plan's id.");
const PAGE_PARAMETERS: ParameterObject[] = [
  { name: "limit", in: "query", required: false, description: `Items per page, 1–${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT}).`, schema: { type: "integer", minimum: 1, maximum: MAX_PAGE_LIMIT } },
  { name: "cursor", in: "query", required: false, description: "The `nextCursor` of the previous page (opaque).", schema: { type: "string" } },
];

const json = (id: string, description: string, replayable = false): ResponseObject => ({
  description,
  headers: { "x-request-id": HEADERS.requestId, ...(replayable ? { "Idempotency-Replayed": HEADERS.replayed } : {}) },
  content: { "application/json": { schema: ref(id) } },
});
const notFound = () => problemResponse(["plan-not-found"]);

export function listPlansOperation(c: OperationContext): Operation {
  return {
    operationId: "listPlans",
    summary: "List saved plans",
    description: "Every saved plan version, newest first.",
    parameters: PAGE_PARAMETERS,
    responses: { "200": json("PlanVersionPage", "A page of plan versions."), "400": problemResponse(["invalid-query"]), ...c.commonErrors },
    tags: ["saved plans"],
  };
}

export function savePlanOperation(c: OperationContext): Operation {
  return {
    operationId: "savePlan",
    summary: "Solve and save a plan",
    description:
      "Solves the plan on the pool (as /v1/solve, verified) and saves the plan, its solution, input hash, solver and label as a new immutable draft version. " +
      "Infeasible and timed-out solves are saved too, but cannot be activated. Problems of the plan are reported with paths under `plan`.",
    parameters: [IDEMPOTENCY_KEY_PARAMETER],
    requestBody: { required: true, description: "The label and the plan.", content: { "application/json": { schema: ref("SavePlanRequest") } } },
    responses: {
      "200": { ...json("PlanVersion", "The saved version (its URL is in `Location`).", true), headers: { "x-request-id": HEADERS.requestId, Location: { description: "/v1/plans/{id}", schema: { type: "string" } }, "Idempotency-Replayed": HEADERS.replayed } },
      ...c.bodyErrors,
      "400": problemResponse(["malformed-json", "bad-request", "invalid-idempotency-key"]),
      "409": problemResponse(["idempotency-in-flight"]),
      "422": problemResponse(["invalid-request", "invalid-plan", "plan-too-large", "idempotency-key-reused"]),
      "503": problemResponse(["queue-full", "shutting-down", ...c.storeErrors]),
    },
    tags: ["saved plans"],
  };
}

export function getPlanOperation(c: OperationContext): Operation {
  return {
    operationId: "getPlan",
    summary: "A saved plan and its solution",
    description: "The version and its Solution without the assignments (page through those with /assignments).",
    parameters: [PLAN_ID],
    responses: { "200": json("PlanVersionDetail", "The plan version."), "404": notFound(), ...c.commonErrors },
    tags: ["saved plans"],
  };
}

export function getPlanInputOperation(c: OperationContext): Operation {
  return {
    operationId: "getPlanInput",
    summary: "The plan as saved",
    description: "The Plan exactly as it was solved (its sha256 is the version's inputHash).",
    parameters: [PLAN_ID],
    responses: { "200": json("Plan", "The saved input."), "404": notFound(), ...c.commonErrors },
    tags: ["saved plans"],
  };
}

export function listPlanAssignmentsOperation(c: OperationContext): Operation {
  return {
    operationId: "listPlanAssignments",
    summary: "A saved plan's customers, page by page",
    description: "Every customer of the plan with its rep (null = unassigned) and expected value: first the solve's, in solution order, then those routed while the plan was active, in routing order.",
    parameters: [PLAN_ID, ...PAGE_PARAMETERS],
    responses: { "200": json("AssignmentPage", "A page of customers."), "400": problemResponse(["invalid-query"]), "404": notFound(), ...c.commonErrors },
    tags: ["saved plans"],
  };
}

export function activatePlanOperation(c: OperationContext): Operation {
  return {
    operationId: "activatePlan",
    summary: "Make a saved plan the active one, now or at a given time",
    description:
      "draft → active; the previously active plan is archived in the same transaction (one active plan at a time). Activating the active plan again is a no-op (200). " +
      "Live routing starts from the plan's own loads. No body. " +
      "`?activateAt=` (ISO 8601 with a time zone) in the future schedules the activation instead (202, an ActivationSchedule; audited `plan.scheduled`): the version " +
      "becomes active at that time, carried out by the first read of the active plan at or after it (routing, outcomes, GET /v1/plans/{id}), so routing always uses the " +
      "version active at the moment of the request, whether or not the service ran at that time; `activateAt` now or in the past activates at once. " +
      "With ALLOT_REQUIRE_APPROVAL=true only an approved version can be activated or scheduled (409 `plan-not-approved`).",
    parameters: [
      PLAN_ID,
      { name: "activateAt", in: "query", required: false, description: "When the version becomes active (ISO 8601 with a time zone, e.g. 2027-01-01T08:00:00Z); absent, now or past: at once.", schema: { type: "string", format: "date-time" } },
      IDEMPOTENCY_KEY_PARAMETER,
    ],
    responses: {
      "200": json("PlanActivation", "The plan is active.", true),
      "202": json("ActivationSchedule", "The activation is scheduled for `activateAt`.", true),
      "400": problemResponse(["invalid-query", "invalid-idempotency-key"]),
      "404": notFound(),
      "409": problemResponse(["plan-not-activatable", "plan-not-approved", "idempotency-in-flight"]),
      "422": problemResponse(["idempotency-key-reused"]),
      ...c.commonErrors,
    },
    tags: ["saved plans"],
  };
}

export function diffPlansOperation(c: OperationContext): Operation {
  return {
    operationId: "diffPlans",
    summary: "Compare two saved plans",
    description: "What changes from plan `id` to plan `otherId`: customers moved (from/to and the expected-value change of each), customers in one plan only, per-rep load and value changes, and the objective, expected value and fairness figures.",
    parameters: [PLAN_ID, idParameter("otherId", "The plan to compare with.")],
    responses: { "200": json("PlanVersionDiff", "The difference."), "404": notFound(), ...c.commonErrors },
    tags: ["saved plans"],
  };
}

export function routeCustomerOperation(c: OperationContext): Operation {
  return {
    operationId: "routeCustomer",
    summary: "Route one new customer against the active plan",
    description:
      "Chooses, without a solver, the eligible rep with room (capacity, territory, required specialties, seniority, distance, planner rules) with the best expected value, preferring reps that stay within the plan's fairness bands; " +
      "records the customer and the rep's new load in one transaction, so concurrent calls never overfill a rep. 200 with `rep: null` (recorded as unassigned) when no eligible rep has room. " +
      "A customer already in the active plan or already routed is a 409 `customer-exists`: retry with the same Idempotency-Key to get the first answer back.",
    parameters: [IDEMPOTENCY_KEY_PARAMETER],
    requestBody: {
      required: true,
      description: "The customer (and, only when the active plan lists pairs, its scores).",
      content: { "application/json": { schema: ref("RouteRequest"), example: { customer: { id: "lead-9001", value: 42000, territory: "north", segment: "retail" } } } },
    },
    responses: {
      "200": json("RouteResult", "The decision, as recorded.", true),
      ...c.bodyErrors,
      "400": problemResponse(["malformed-json", "bad-request", "invalid-idempotency-key"]),
      "409": problemResponse(["no-active-plan", "customer-exists", "idempotency-in-flight"]),
      "422": problemResponse(["invalid-request", "idempotency-key-reused"]),
      "503": problemResponse(["shutting-down", ...c.storeErrors]),
    },
    tags: ["routing"],
  };
}

export function listAuditOperation(c: OperationContext): Operation {
  return {
    operationId: "listAudit",
    summary: "The audit log",
    description: "Every state change (plan saved, activated, archived; customer routed or recorded unassigned) with its time, request id and API-key identity, newest first.",
    parameters: PAGE_PARAMETERS,
    responses: { "200": json("AuditPage", "A page of audit entries."), "400": problemResponse(["invalid-query"]), ...c.commonErrors },
    tags: ["audit"],
  };
}
