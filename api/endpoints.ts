/**
 * Every endpoint of the service, once: its method and path, what reads the request before its
 * handler, the handler factory and the OpenAPI operation. app.ts registers the handlers from it,
 * the 404/405 answers follow it, and openapi.ts documents it; a new endpoint is one more row here.
 *
 * Paths are written as in OpenAPI (`/v1/plans/{id}`). Endpoints under `/v1/` sit behind the API
 * keys (but the sign-in, POST /v1/sessions, the one public /v1 row), the rate limit and the
 * shutdown refusal, and their operations say so.
 */
import type { RequestHandler } from "express";
import type { Logger } from "pino";
import type { JobQueue } from "../src/jobs/job-queue.ts";
import type { SolvePool } from "../src/runtime/solve-pool.ts";
import type { ApiKeyStore } from "../src/storage/api-key-store.ts";
import type { IdempotencyStore } from "../src/storage/idempotency-store.ts";
import type { OutcomeStore } from "../src/storage/outcome-store.ts";
import type { PlanStore } from "../src/storage/plan-store.ts";
import type { SessionStore } from "../src/storage/session-store.ts";
import type { StoreHealth } from "../src/storage/store-health.ts";
import { keysOn, type ServiceConfig } from "./config.ts";
import { metricsRoute, type ServiceMetrics } from "./metrics.ts";
import { cancelJobOperation, getJobOperation, getJobResultOperation, jobEventsOperation, listJobsOperation, metricsOperation, submitJobOperation } from "./openapi-jobs.ts";
import type { HttpMethod, OpenApiDocument, Operation, OperationContext } from "./openapi-parts.ts";
import {
  activatePlanOperation,
  diffPlansOperation,
  getPlanInputOperation,
  getPlanOperation,
  listAuditOperation,
  listPlanAssignmentsOperation,
  listPlansOperation,
  routeCustomerOperation,
  savePlanOperation,
} from "./openapi-plans.ts";
import { exportOperation, importOperation, savedPlanCsvOperation, savedPlanXlsxOperation } from "./openapi-imports.ts";
import { createKeyOperation, listKeysOperation, revokeKeyOperation } from "./openapi-keys.ts";
import { createSessionOperation, deleteSessionOperation, sessionInfoOperation } from "./openapi-sessions.ts";
import { driftReassignOperation, listOutcomesOperation, planPerformanceOperation, recordOutcomesOperation } from "./openapi-learning.ts";
import { docsPageOperation, healthOperation, openApiDocumentOperation, readinessOperation, sampleBookOperation, sampleCrmOperation, workspacePageOperation } from "./openapi-service.ts";
import { solveOperation, validateOperation } from "./openapi-solve.ts";
import { reassignOperation, scenariosOperation } from "./openapi-what-if.ts";
import { evaluateOperation, reviewPlanOperation } from "./openapi-planner-control.ts";
import { cancelScheduleOperation, listSchedulesOperation, planApprovalOperation, rollBackOperation } from "./openapi-plan-activation.ts";
import { cancelScheduleRoute, listSchedulesRoute } from "./routes/activation-schedules.ts";
import { planApprovalRoute } from "./routes/plan-approval.ts";
import { rollBackRoute } from "./routes/roll-back.ts";
import type { RouteMethods } from "./problem-details.ts";
import { auditRoute } from "./routes/audit.ts";
import { createKeyRoute, listKeysRoute, revokeKeyRoute } from "./routes/keys.ts";
import { createSessionRoute, deleteSessionRoute, sessionInfoRoute } from "./routes/sessions.ts";
import { docsRoute } from "./routes/docs.ts";
import { exportRoute, savedPlanExportRoute } from "./routes/exports.ts";
import { importRoute } from "./routes/imports.ts";
import { evaluateRoute } from "./routes/evaluate.ts";
import { reviewPlanRoute } from "./routes/plan-review.ts";
import { healthzRoute } from "./routes/healthz.ts";
import { jobEventsRoute } from "./routes/job-events.ts";
import { cancelJobRoute, getJobResultRoute, getJobRoute, listJobsRoute, submitJobRoute } from "./routes/jobs.ts";
import { openApiJsonRoute } from "./routes/openapi-json.ts";
import { listOutcomesRoute, recordOutcomesRoute } from "./routes/outcomes.ts";
import { pageRoute, sampleBookRoute, sampleCrmRoute } from "./routes/page.ts";
import { performanceRoute } from "./routes/performance.ts";
import { driftReassignRoute } from "./routes/drift-reassign.ts";
import { activatePlanRoute, diffPlansRoute, getPlanInputRoute, getPlanRoute, listAssignmentsRoute, listPlansRoute, savePlanRoute } from "./routes/plans.ts";
import { readyzRoute } from "./routes/readyz.ts";
import { reassignRoute } from "./routes/reassign.ts";
import { routeRoute } from "./routes/route.ts";
import { scenariosRoute } from "./routes/scenarios.ts";
import { solveRoute } from "./routes/solve.ts";
import { validateRoute } from "./routes/validate.ts";
import { ADMIN_ONLY, EVERY_ROLE, INTEGRATORS, PLANNERS, READERS, type Access } from "./roles.ts";
import type { RoutingContexts } from "./routing-contexts.ts";
import type { ServiceState } from "./service-state.ts";

/** What the handler factories are built with (each takes the part it needs). */
export interface RouteDeps {
  config: ServiceConfig;
  pool: SolvePool;
  logger: Logger;
  state: ServiceState;
  store: PlanStore & IdempotencyStore & OutcomeStore & ApiKeyStore & SessionStore & StoreHealth;
  contexts: RoutingContexts;
  document: OpenApiDocument;
  jobs: JobQueue;
  metrics: ServiceMetrics;
  /** The clock (ms since the epoch) sessions and key expiries are judged by. */
  now: () => number;
}

export interface Endpoint {
  method: HttpMethod;
  path: string;
  /**
   * The JSON body: "pooled" is refused while the solve queue is full before it is read (the request
   * needs the pool); "json" is read whatever the pool's load; "job" like "json" but up to the
   * jobs' body limit (ALLOT_JOB_BODY_LIMIT).
   */
  body?: "pooled" | "json" | "job";
  /**
   * Idempotency-Key support, by how long a claim may stay unfinished: "solve" (one solve), "quick"
   * (no solve), "what-if" (a batch of solves). Its operation documents the Idempotency-Key header.
   */
  idempotency?: "solve" | "quick" | "what-if";
  /** Outside /v1 but behind the API keys when they are set and `config.metricsNeedKey` (GET /metrics). */
  keyed?: boolean;
  /**
   * Who may call it (api/roles.ts): "public", or the roles admitted (admin among them). Required:
   * no endpoint is added without a decision; the role gate and the OpenAPI document read it, and
   * test/access-matrix.test.ts tries every role against every row.
   */
  roles: Access;
  handler: (deps: RouteDeps) => RequestHandler;
  operation: (context: OperationContext) => Operation;
}

export const ENDPOINTS: readonly Endpoint[] = [
  { method: "post", path: "/v1/solve", roles: PLANNERS, body: "pooled", idempotency: "solve", handler: solveRoute, operation: solveOperation },
  { method: "post", path: "/v1/validate", roles: PLANNERS, body: "pooled", idempotency: "solve", handler: validateRoute, operation: validateOperation },
  { method: "get", path: "/healthz", roles: "public", handler: healthzRoute, operation: healthOperation },
  { method: "get", path: "/readyz", roles: "public", handler: readyzRoute, operation: readinessOperation },
  { method: "get", path: "/openapi.json", roles: "public", handler: openApiJsonRoute, operation: openApiDocumentOperation },
  { method: "get", path: "/docs", roles: "public", handler: docsRoute, operation: docsPageOperation },
  { method: "get", path: "/v1/plans", roles: EVERY_ROLE, handler: listPlansRoute, operation: listPlansOperation },
  { method: "post", path: "/v1/plans", roles: PLANNERS, body: "pooled", idempotency: "solve", handler: savePlanRoute, operation: savePlanOperation },
  { method: "get", path: "/v1/plans/{id}", roles: EVERY_ROLE, handler: getPlanRoute, operation: getPlanOperation },
  { method: "get", path: "/v1/plans/{id}/input", roles: READERS, handler: getPlanInputRoute, operation: getPlanInputOperation },
  { method: "get", path: "/v1/plans/{id}/assignments", roles: EVERY_ROLE, handler: listAssignmentsRoute, operation: listPlanAssignmentsOperation },
  { method: "post", path: "/v1/plans/{id}/activate", roles: PLANNERS, idempotency: "quick", handler: activatePlanRoute, operation: activatePlanOperation },
  { method: "get", path: "/v1/plans/{id}/diff/{otherId}", roles: READERS, handler: diffPlansRoute, operation: diffPlansOperation },
  { method: "post", path: "/v1/route", roles: INTEGRATORS, body: "json", idempotency: "quick", handler: routeRoute, operation: routeCustomerOperation },
  { method: "get", path: "/v1/audit", roles: READERS, handler: auditRoute, operation: listAuditOperation },
  { method: "post", path: "/v1/scenarios", roles: PLANNERS, body: "pooled", idempotency: "what-if", handler: scenariosRoute, operation: scenariosOperation },
  { method: "post", path: "/v1/reassign", roles: INTEGRATORS, body: "pooled", idempotency: "what-if", handler: reassignRoute, operation: reassignOperation },
  { method: "post", path: "/v1/jobs", roles: PLANNERS, body: "job", idempotency: "quick", handler: submitJobRoute, operation: submitJobOperation },
  { method: "get", path: "/v1/jobs", roles: READERS, handler: listJobsRoute, operation: listJobsOperation },
  { method: "get", path: "/v1/jobs/{id}", roles: READERS, handler: getJobRoute, operation: getJobOperation },
  { method: "delete", path: "/v1/jobs/{id}", roles: PLANNERS, handler: cancelJobRoute, operation: cancelJobOperation },
  { method: "get", path: "/v1/jobs/{id}/result", roles: READERS, handler: getJobResultRoute, operation: getJobResultOperation },
  { method: "get", path: "/v1/jobs/{id}/events", roles: READERS, handler: jobEventsRoute, operation: jobEventsOperation },
  { method: "get", path: "/metrics", roles: EVERY_ROLE, keyed: true, handler: metricsRoute, operation: metricsOperation },
  { method: "post", path: "/v1/outcomes", roles: INTEGRATORS, body: "json", idempotency: "quick", handler: recordOutcomesRoute, operation: recordOutcomesOperation },
  { method: "get", path: "/v1/plans/{id}/outcomes", roles: EVERY_ROLE, handler: listOutcomesRoute, operation: listOutcomesOperation },
  { method: "get", path: "/v1/plans/{id}/performance", roles: READERS, handler: performanceRoute, operation: planPerformanceOperation },
  { method: "post", path: "/v1/keys", roles: ADMIN_ONLY, body: "json", handler: createKeyRoute, operation: createKeyOperation },
  { method: "get", path: "/v1/keys", roles: ADMIN_ONLY, handler: listKeysRoute, operation: listKeysOperation },
  { method: "delete", path: "/v1/keys/{id}", roles: ADMIN_ONLY, handler: revokeKeyRoute, operation: revokeKeyOperation },
  { method: "post", path: "/v1/sessions", roles: "public", body: "json", handler: createSessionRoute, operation: createSessionOperation },
  { method: "get", path: "/v1/session", roles: EVERY_ROLE, handler: sessionInfoRoute, operation: sessionInfoOperation },
  { method: "delete", path: "/v1/session", roles: EVERY_ROLE, handler: deleteSessionRoute, operation: deleteSessionOperation },
  { method: "post", path: "/v1/plans/{id}/performance/reassign", roles: INTEGRATORS, body: "pooled", idempotency: "what-if", handler: driftReassignRoute, operation: driftReassignOperation },
  { method: "get", path: "/", roles: "public", handler: pageRoute, operation: workspacePageOperation },
  { method: "get", path: "/samples/sample-book.json", roles: "public", handler: sampleBookRoute, operation: sampleBookOperation },
  { method: "get", path: "/samples/crm/accounts.csv", roles: "public", handler: sampleCrmRoute("accounts.csv"), operation: sampleCrmOperation("accounts.csv") },
  { method: "get", path: "/samples/crm/users.csv", roles: "public", handler: sampleCrmRoute("users.csv"), operation: sampleCrmOperation("users.csv") },
  { method: "get", path: "/samples/crm/opportunities.csv", roles: "public", handler: sampleCrmRoute("opportunities.csv"), operation: sampleCrmOperation("opportunities.csv") },
  { method: "post", path: "/v1/imports", roles: PLANNERS, handler: importRoute, operation: importOperation },
  { method: "post", path: "/v1/exports", roles: PLANNERS, body: "json", handler: exportRoute, operation: exportOperation },
  { method: "get", path: "/v1/plans/{id}/assignments.csv", roles: READERS, handler: savedPlanExportRoute("csv"), operation: savedPlanCsvOperation },
  { method: "get", path: "/v1/plans/{id}/assignments.xlsx", roles: READERS, handler: savedPlanExportRoute("xlsx"), operation: savedPlanXlsxOperation },
  { method: "post", path: "/v1/evaluate", roles: PLANNERS, body: "json", handler: evaluateRoute, operation: evaluateOperation },
  { method: "post", path: "/v1/plans/{id}/review", roles: PLANNERS, body: "pooled", handler: reviewPlanRoute, operation: reviewPlanOperation },
  { method: "post", path: "/v1/plans/{id}/approval", roles: PLANNERS, body: "json", idempotency: "quick", handler: planApprovalRoute, operation: planApprovalOperation },
  { method: "post", path: "/v1/plans/{id}/rollback", roles: PLANNERS, idempotency: "quick", handler: rollBackRoute, operation: rollBackOperation },
  { method: "get", path: "/v1/schedules", roles: READERS, handler: listSchedulesRoute, operation: listSchedulesOperation },
  { method: "delete", path: "/v1/schedules/{id}", roles: PLANNERS, handler: cancelScheduleRoute, operation: cancelScheduleOperation },
];

const V1 = "/v1";

/** True for the endpoints behind the API keys, the rate limit and the shutdown refusal. */
export function isV1(endpoint: Endpoint): boolean {
  return endpoint.path.startsWith(`${V1}/`);
}

/** Whether this endpoint needs a key under `config`: /v1 endpoints, and GET /metrics unless ALLOT_METRICS_NEED_KEY=false, when keys are on. */
export function needsKey(endpoint: Endpoint, config: ServiceConfig): boolean {
  return keysOn(config) && endpoint.roles !== "public" && (isV1(endpoint) || (endpoint.keyed === true && config.metricsNeedKey));
}

/** The endpoint's path as Express routes it, relative to the /v1 router for /v1 endpoints: `/plans/:id`. */
export function expressPath(endpoint: Endpoint): string {
  const path = isV1(endpoint) ? endpoint.path.slice(V1.length) : endpoint.path;
  return path.replace(/\{([^/}]+)\}/g, ":$1");
}

/** Each path once, in table order, with its methods in table order (for 404 versus 405). */
export function routeMethods(endpoints: readonly Endpoint[]): RouteMethods[] {
  const byPath = new Map<string, string[]>();
  for (const e of endpoints) {
    const methods = byPath.get(e.path) ?? [];
    methods.push(e.method.toUpperCase());
    byPath.set(e.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({ path, methods }));
}
