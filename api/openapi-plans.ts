/**
 * The OpenAPI part of saved plans, live routing, the audit log and idempotency keys: the schemas to
 * register and the path items, built with the helpers of openapi.ts (passed in, so that this file
 * adds no import cycle).
 */
import type { z } from "zod";
import * as models from "../models/index.ts";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "./page-query.ts";
import type { HeaderObject, JsonSchema, OpenApiDocument, Operation, ParameterObject, ResponseObject } from "./openapi.ts";
import type { ProblemKind } from "./problem-details.ts";

type Meta = { id: string; description?: string };
type Entry = readonly [z.ZodType, Meta];

/** Request-body schemas (converted with io: "input"). */
export const PLANS_INPUT_SCHEMAS: readonly Entry[] = [
  [models.SavePlanRequest, { id: "SavePlanRequest", description: "A label and the plan to solve and save as a new draft version." }],
  [models.RouteRequest, { id: "RouteRequest", description: "One new customer to assign against the active plan." }],
  [models.RoutePairScore, { id: "RoutePairScore", description: "An external score of the routed customer with one rep (only when the active plan lists pairs)." }],
];

/** Response schemas (converted with io: "output"). */
export const PLANS_OUTPUT_SCHEMAS: readonly Entry[] = [
  [models.PlanState, { id: "PlanState", description: "draft → active → archived; one plan at most is active." }],
  [models.PlanVersion, { id: "PlanVersion", description: "A saved, immutable plan version: only its state changes." }],
  [models.PlanVersionDetail, { id: "PlanVersionDetail" }],
  [models.PlanVersionPage, { id: "PlanVersionPage", description: "Plan versions, newest first." }],
  [models.PlanActivation, { id: "PlanActivation" }],
  [models.SolutionOverview, { id: "SolutionOverview", description: "A Solution without its assignments (read those with GET /v1/plans/{id}/assignments)." }],
  [models.AssignmentSource, { id: "AssignmentSource", description: "plan: from the solve; routed: assigned live by POST /v1/route while the plan was active." }],
  [models.AssignmentRecord, { id: "AssignmentRecord" }],
  [models.AssignmentPage, { id: "AssignmentPage", description: "A plan's customers: the solve's in solution order, then routed ones in routing order." }],
  [models.PlanVersionDiff, { id: "PlanVersionDiff", description: "What changes from plan `from` to plan `to`, as solved (routed customers are not part of a version)." }],
  [models.PlanVersionRef, { id: "PlanVersionRef" }],
  [models.NumberChange, { id: "NumberChange", description: "from, to and delta = to − from." }],
  [models.NullableNumberChange, { id: "NullableNumberChange" }],
  [models.CustomerMove, { id: "CustomerMove" }],
  [models.CustomerPresence, { id: "CustomerPresence" }],
  [models.RepLoadChange, { id: "RepLoadChange" }],
  [models.RouteResult, { id: "RouteResult", description: "The rep chosen (null: no eligible rep had room, recorded as unassigned), the runner-up and why." }],
  [models.RunnerUp, { id: "RunnerUp" }],
  [models.PassedOverRep, { id: "PassedOverRep" }],
  [models.PassedOverReason, { id: "PassedOverReason", description: "Capacity is hard; the fairness bands are a soft preference." }],
  [models.RoutedRepLoad, { id: "RoutedRepLoad" }],
  [models.RouteCounts, { id: "RouteCounts" }],
  [models.AuditAction, { id: "AuditAction" }],
  [models.AuditEntry, { id: "AuditEntry", description: "One recorded state change." }],
  [models.AuditPage, { id: "AuditPage", description: "Audit entries, newest first." }],
];

export const PLANS_TAGS = [
  { name: "saved plans", description: "Plan versions kept in the service's database: save (solve), list, compare, activate." },
  { name: "routing", description: "Live assignment of new customers against the active plan." },
  { name: "audit", description: "The record of every state change." },
];

/** What openapi.ts lends this file. */
export interface PlansPathHelpers {
  ref(id: string): JsonSchema;
  problemResponse(kinds: ProblemKind[]): ResponseObject;
  /** The 401/429/500 responses every /v1 endpoint shares (as configured). */
  commonErrors: Record<string, ResponseObject>;
  /** The errors of an endpoint that reads a JSON body (400, 413, 415 too). */
  bodyErrors: Record<string, ResponseObject>;
  security: Record<string, string[]>[] | undefined;
  requestIdHeader: HeaderObject;
}

export const IDEMPOTENCY_KEY_PARAMETER: ParameterObject = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Makes a retry safe: 1–255 printable ASCII characters, unique per request, scoped to the API key, method and path, kept 24 hours. " +
    "The same key with the same body returns the stored response with `Idempotency-Replayed: true`; with another body it is a 422 `idempotency-key-reused`; " +
    "while the first request runs it is a 409 `idempotency-in-flight`.",
  schema: { type: "string", minLength: 1, maxLength: 255 },
};

const idParameter = (name: string, description: string): ParameterObject => ({ name, in: "path", required: true, description, schema: { type: "string" } });
const PAGE_PARAMETERS: ParameterObject[] = [
  { name: "limit", in: "query", required: false, description: `Items per page, 1–${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT}).`, schema: { type: "integer", minimum: 1, maximum: MAX_PAGE_LIMIT } },
  { name: "cursor", in: "query", required: false, description: "The `nextCursor` of the previous page (opaque).", schema: { type: "string" } },
];

const REPLAYED_HEADER: HeaderObject = { description: "`true` when this is the stored response of an earlier request with the same Idempotency-Key.", schema: { type: "string" } };

/** The path items of /v1/plans…, /v1/route and /v1/audit. */
export function plansPaths(h: PlansPathHelpers): OpenApiDocument["paths"] {
  const secured = h.security === undefined ? {} : { security: h.security };
  const json = (id: string, description: string, replayable = false): ResponseObject => ({
    description,
    headers: { "x-request-id": h.requestIdHeader, ...(replayable ? { "Idempotency-Replayed": REPLAYED_HEADER } : {}) },
    content: { "application/json": { schema: h.ref(id) } },
  });
  const op = (tag: string, operation: Omit<Operation, "tags">): Operation => ({ ...operation, ...secured, tags: [tag] });
  const planId = idParameter("id", "The plan's id.");
  const notFound = h.problemResponse(["plan-not-found"]);

  return {
    "/v1/plans": {
      get: op("saved plans", {
        operationId: "listPlans",
        summary: "List saved plans",
        description: "Every saved plan version, newest first.",
        parameters: PAGE_PARAMETERS,
        responses: { "200": json("PlanVersionPage", "A page of plan versions."), "400": h.problemResponse(["invalid-query"]), ...h.commonErrors },
      }),
      post: op("saved plans", {
        operationId: "savePlan",
        summary: "Solve and save a plan",
        description:
          "Solves the plan on the pool (as /v1/solve, verified) and saves the plan, its solution, input hash, solver and label as a new immutable draft version. " +
          "Infeasible and timed-out solves are saved too, but cannot be activated. Problems of the plan are reported with paths under `plan`.",
        parameters: [IDEMPOTENCY_KEY_PARAMETER],
        requestBody: { required: true, description: "The label and the plan.", content: { "application/json": { schema: h.ref("SavePlanRequest") } } },
        responses: {
          "200": { ...json("PlanVersion", "The saved version (its URL is in `Location`).", true), headers: { "x-request-id": h.requestIdHeader, Location: { description: "/v1/plans/{id}", schema: { type: "string" } }, "Idempotency-Replayed": REPLAYED_HEADER } },
          ...h.bodyErrors,
          "400": h.problemResponse(["malformed-json", "bad-request", "invalid-idempotency-key"]),
          "409": h.problemResponse(["idempotency-in-flight"]),
          "422": h.problemResponse(["invalid-request", "invalid-plan", "plan-too-large", "idempotency-key-reused"]),
          "503": h.problemResponse(["queue-full", "shutting-down"]),
        },
      }),
    },
    "/v1/plans/{id}": {
      get: op("saved plans", {
        operationId: "getPlan",
        summary: "A saved plan and its solution",
        description: "The version and its Solution without the assignments (page through those with /assignments).",
        parameters: [planId],
        responses: { "200": json("PlanVersionDetail", "The plan version."), "404": notFound, ...h.commonErrors },
      }),
    },
    "/v1/plans/{id}/input": {
      get: op("saved plans", {
        operationId: "getPlanInput",
        summary: "The plan as saved",
        description: "The Plan exactly as it was solved (its sha256 is the version's inputHash).",
        parameters: [planId],
        responses: { "200": json("Plan", "The saved input."), "404": notFound, ...h.commonErrors },
      }),
    },
    "/v1/plans/{id}/assignments": {
      get: op("saved plans", {
        operationId: "listPlanAssignments",
        summary: "A saved plan's customers, page by page",
        description: "Every customer of the plan with its rep (null = unassigned) and expected value: first the solve's, in solution order, then those routed while the plan was active, in routing order.",
        parameters: [planId, ...PAGE_PARAMETERS],
        responses: { "200": json("AssignmentPage", "A page of customers."), "400": h.problemResponse(["invalid-query"]), "404": notFound, ...h.commonErrors },
      }),
    },
    "/v1/plans/{id}/activate": {
      post: op("saved plans", {
        operationId: "activatePlan",
        summary: "Make a saved plan the active one",
        description:
          "draft → active; the previously active plan is archived in the same transaction (one active plan at a time). Activating the active plan again is a no-op (200). " +
          "Live routing starts from the plan's own loads. No body.",
        parameters: [planId, IDEMPOTENCY_KEY_PARAMETER],
        responses: {
          "200": json("PlanActivation", "The plan is active.", true),
          "400": h.problemResponse(["invalid-idempotency-key"]),
          "404": notFound,
          "409": h.problemResponse(["plan-not-activatable", "idempotency-in-flight"]),
          "422": h.problemResponse(["idempotency-key-reused"]),
          ...h.commonErrors,
        },
      }),
    },
    "/v1/plans/{id}/diff/{otherId}": {
      get: op("saved plans", {
        operationId: "diffPlans",
        summary: "Compare two saved plans",
        description: "What changes from plan `id` to plan `otherId`: customers moved (from/to and the expected-value change of each), customers in one plan only, per-rep load and value changes, and the objective, expected value and fairness figures.",
        parameters: [planId, idParameter("otherId", "The plan to compare with.")],
        responses: { "200": json("PlanVersionDiff", "The difference."), "404": notFound, ...h.commonErrors },
      }),
    },
    "/v1/route": {
      post: op("routing", {
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
          content: { "application/json": { schema: h.ref("RouteRequest"), example: { customer: { id: "lead-9001", value: 42000, territory: "north", segment: "retail" } } } },
        },
        responses: {
          "200": json("RouteResult", "The decision, as recorded.", true),
          ...h.bodyErrors,
          "400": h.problemResponse(["malformed-json", "bad-request", "invalid-idempotency-key"]),
          "409": h.problemResponse(["no-active-plan", "customer-exists", "idempotency-in-flight"]),
          "422": h.problemResponse(["invalid-request", "idempotency-key-reused"]),
          "503": h.problemResponse(["shutting-down"]),
        },
      }),
    },
    "/v1/audit": {
      get: op("audit", {
        operationId: "listAudit",
        summary: "The audit log",
        description: "Every state change (plan saved, activated, archived; customer routed or recorded unassigned) with its time, request id and API-key identity, newest first.",
        parameters: PAGE_PARAMETERS,
        responses: { "200": json("AuditPage", "A page of audit entries."), "400": h.problemResponse(["invalid-query"]), ...h.commonErrors },
      }),
    },
  };
}
