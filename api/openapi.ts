/**
 * The OpenAPI 3.1 document, generated from the zod schemas (models/, the plan report, problem
 * details, health answers) with zod's JSON Schema (draft 2020-12) output. Request bodies use the
 * schemas' input side, responses their output side. What the document says about authentication,
 * rate limiting and limits follows the configuration it is built with.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import * as models from "../models/index.ts";
import { CapacityFigures, DemandFigures, PlanReport, PlanStatistics, TerritoryStatistics } from "../src/solve/plan-statistics.ts";
import type { ServiceConfig } from "./config.ts";
import { IDEMPOTENCY_KEY_PARAMETER, PLANS_INPUT_SCHEMAS, PLANS_OUTPUT_SCHEMAS, PLANS_TAGS, plansPaths } from "./openapi-plans.ts";
import { COMPARE_PARAMETER_OBJECT, WHAT_IF_INPUT_SCHEMAS, WHAT_IF_OUTPUT_SCHEMAS, WHAT_IF_TAGS, whatIfPaths } from "./openapi-what-if.ts";
import { FieldErrorSchema, PROBLEM_CONTENT_TYPE, PROBLEMS, ProblemDetails, type ProblemKind } from "./problem-details.ts";
import { HealthStatus } from "./routes/healthz.ts";
import { ReadinessStatus } from "./routes/readyz.ts";
import { maxScenarios } from "./what-if-input.ts";

export type JsonSchema = z.core.JSONSchema.BaseSchema;

export interface MediaType {
  schema: JsonSchema;
  example?: unknown;
}

export interface HeaderObject {
  description: string;
  schema: JsonSchema;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaType>;
}

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description: string;
  schema: JsonSchema;
}

export interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters?: ParameterObject[];
  security?: Record<string, string[]>[];
  requestBody?: { required: boolean; description: string; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; summary: string; description: string; license: { name: string; identifier: string } };
  jsonSchemaDialect: string;
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<"get" | "post", Operation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, { type: "http"; scheme: "bearer"; description: string }>;
  };
}

type Meta = { id: string; description?: string };

/** Schemas of request bodies (converted with io: "input"). */
function inputRegistry() {
  const registry = z.registry<Meta>();
  registry.add(models.Plan, { id: "Plan", description: "The whole book to assign: customers, reps, optional history, pair scores and policy (contract v1)." });
  registry.add(models.Customer, { id: "Customer", description: "An account to assign." });
  registry.add(models.Rep, { id: "Rep", description: "A sales rep and the limits on what they may take." });
  registry.add(models.Outcome, { id: "Outcome", description: "Past results of one rep (optionally in one segment), for the conversion model. wins ≤ attempts." });
  registry.add(models.PairScore, { id: "PairScore", description: "An externally computed score for one (customer, rep) pair; replaces the built-in expected value." });
  registry.add(models.Policy, { id: "Policy", description: "Rules and solver settings. policy.timeLimitMs is clamped to the server's maximum." });
  registry.add(models.Location, { id: "Location", description: "WGS84 coordinates." });
  registry.add(models.Rule, { id: "Rule", description: "A planner-defined hard rule: a pair is ineligible when `when` holds and `require` does not." });
  registry.add(models.TerritoryMode, { id: "TerritoryMode", description: "hard: only reps of the customer's territory; soft: others at policy.territoryPenalty; ignore." });
  registry.add(models.SolverChoice, { id: "SolverChoice" });
  for (const [schema, meta] of PLANS_INPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of WHAT_IF_INPUT_SCHEMAS) registry.add(schema, meta);
  return registry;
}

/** Schemas of response bodies (converted with io: "output"). */
function outputRegistry() {
  const registry = z.registry<Meta>();
  registry.add(models.Solution, { id: "Solution", description: "A verified solution: the same plan gives the same bytes unless a time limit stopped the search." });
  registry.add(models.SolutionStatus, { id: "SolutionStatus", description: "timeout = no feasible plan found in time." });
  registry.add(models.Assignment, { id: "Assignment" });
  registry.add(models.ScoreComponents, { id: "ScoreComponents", description: "Why the pair's expected value is what it is." });
  registry.add(models.Unassigned, { id: "Unassigned" });
  registry.add(models.RepSummary, { id: "RepSummary" });
  registry.add(models.Metrics, { id: "Metrics" });
  registry.add(models.Diagnosis, { id: "Diagnosis", description: "Why a plan is infeasible or was stopped by a time limit." });
  registry.add(models.DiagnosisCause, { id: "DiagnosisCause" });
  registry.add(models.Verification, { id: "Verification" });
  registry.add(models.Violation, { id: "Violation" });
  registry.add(models.SolverInfo, { id: "SolverInfo", description: 'backend "deadline" means the service stopped a solve that outlived its hard deadline.' });
  registry.add(PlanReport, { id: "PlanReport", description: "What /v1/validate finds: certain infeasibility causes (empty does not prove feasibility) and statistics." });
  registry.add(PlanStatistics, { id: "PlanStatistics" });
  registry.add(TerritoryStatistics, { id: "TerritoryStatistics" });
  registry.add(CapacityFigures, { id: "CapacityFigures", description: "Σ capacity; null when some rep has no such limit." });
  registry.add(DemandFigures, { id: "DemandFigures", description: "One account per customer; workload is the least each customer can bring." });
  registry.add(ProblemDetails, { id: "ProblemDetails", description: "RFC 9457 problem details; `type` points at this API's documentation of the problem." });
  registry.add(FieldErrorSchema, { id: "FieldError" });
  registry.add(HealthStatus, { id: "HealthStatus" });
  registry.add(ReadinessStatus, { id: "ReadinessStatus" });
  for (const [schema, meta] of PLANS_OUTPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of WHAT_IF_OUTPUT_SCHEMAS) registry.add(schema, meta);
  return registry;
}

const ref = (id: string): JsonSchema => ({ $ref: `#/components/schemas/${id}` });

function componentSchemas(): Record<string, JsonSchema> {
  const uri = (id: string) => `#/components/schemas/${id}`;
  const out: Record<string, JsonSchema> = {};
  for (const [registry, io] of [
    [inputRegistry(), "input"],
    [outputRegistry(), "output"],
  ] as const) {
    const { schemas } = z.toJSONSchema(registry, { target: "draft-2020-12", io, uri, metadata: registry });
    for (const [id, schema] of Object.entries(schemas)) {
      if (id in out) throw new Error(`OpenAPI: component ${id} is defined twice`);
      const { $schema: _dialect, $id: _id, ...rest } = schema;
      out[id] = rest;
    }
  }
  return out;
}

function packageVersion(): string {
  const parsed = z.object({ version: z.string() }).safeParse(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")));
  return parsed.success ? parsed.data.version : "0.0.0";
}

/** Two customers, two reps with one seat each: the best plan puts c1 with r1 and c2 with r2. */
export const EXAMPLE_PLAN = {
  customers: [
    { id: "c1", value: 120000, territory: "north" },
    { id: "c2", value: 80000, territory: "north" },
  ],
  reps: [
    { id: "r1", territories: ["north"], maxAccounts: 1 },
    { id: "r2", territories: ["north"], maxAccounts: 1 },
  ],
  pairs: [
    { customer: "c1", rep: "r1", score: 10 },
    { customer: "c1", rep: "r2", score: 4 },
    { customer: "c2", rep: "r1", score: 8 },
    { customer: "c2", rep: "r2", score: 7 },
  ],
  policy: { timeLimitMs: 5000 },
} as const;

const HEADERS = {
  requestId: { description: "The request id (the caller's `x-request-id` when acceptable, else a new UUID).", schema: { type: "string" } },
  retryAfter: { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 1 } },
  serverTiming: {
    description: "Durations in ms: `parse` (validation on the event loop), `queue` (waiting for a worker), `run` (in the worker), `engine` and `solver` (inside the engine).",
    schema: { type: "string" },
  },
} satisfies Record<string, HeaderObject>;

function problemResponse(kinds: ProblemKind[]): ResponseObject {
  const retry = kinds.some((k) => k === "rate-limited" || k === "queue-full" || k === "shutting-down");
  return {
    description: kinds.map((k) => `${PROBLEMS[k].title}: ${PROBLEMS[k].description}`).join(" | "),
    headers: { "x-request-id": HEADERS.requestId, ...(retry ? { "Retry-After": HEADERS.retryAfter } : {}) },
    content: { [PROBLEM_CONTENT_TYPE]: { schema: ref("ProblemDetails") } },
  };
}

/** Responses shared by the /v1 endpoints (401 and 429 only when auth and rate limiting are on). */
function v1Errors(config: ServiceConfig, extra503: ProblemKind[] = []): Record<string, ResponseObject> {
  return {
    "400": problemResponse(["malformed-json", "bad-request"]),
    ...(config.apiKeys.length > 0 ? { "401": problemResponse(["unauthorized"]) } : {}),
    "413": problemResponse(["payload-too-large"]),
    "415": problemResponse(["unsupported-media-type"]),
    "422": problemResponse(["invalid-plan", "plan-too-large"]),
    ...(config.rateLimitPerMinute > 0 ? { "429": problemResponse(["rate-limited"]) } : {}),
    "500": problemResponse(["internal"]),
    "503": problemResponse(["queue-full", "shutting-down", ...extra503]),
  };
}

/** The helpers openapi-plans.ts builds its path items with. */
function plansPathHelpers(config: ServiceConfig, security: Record<string, string[]>[] | undefined) {
  const all = v1Errors(config);
  const pick = (statuses: string[]) => Object.fromEntries(statuses.flatMap((s) => (all[s] === undefined ? [] : [[s, all[s]] as const])));
  const commonErrors = { ...pick(["401", "429", "500"]), "503": problemResponse(["shutting-down"]) };
  return { ref, problemResponse, commonErrors, bodyErrors: { ...pick(["400", "413", "415"]), ...commonErrors }, security, requestIdHeader: HEADERS.requestId };
}

/** The helpers openapi-what-if.ts builds its path items with. */
function whatIfPathHelpers(config: ServiceConfig, security: Record<string, string[]>[] | undefined, limitsText: string) {
  return {
    ref,
    problemResponse,
    planErrors: v1Errors(config),
    security,
    headers: { requestId: HEADERS.requestId, serverTiming: HEADERS.serverTiming },
    parameters: [IDEMPOTENCY_KEY_PARAMETER],
    examplePlan: EXAMPLE_PLAN,
    maxScenarios: maxScenarios(config),
    limitsText,
  };
}

export function buildOpenApiDocument(config: ServiceConfig): OpenApiDocument {
  const { limits } = config;
  const security = config.apiKeys.length > 0 ? [{ bearerAuth: [] }] : undefined;
  const planBody = (description: string) => ({
    required: true,
    description,
    content: { "application/json": { schema: ref("Plan"), example: EXAMPLE_PLAN } },
  });
  const limitsText =
    `This server accepts at most ${limits.maxCustomers} customers, ${limits.maxReps} reps and ${limits.maxPairs} eligible pairs ` +
    `(an upper bound estimated before any work), and bodies up to ${config.bodyLimitBytes} bytes.`;

  return {
    openapi: "3.1.0",
    info: {
      title: "Allot",
      version: packageVersion(),
      summary: "Assigns customers to sales reps by constrained optimisation, verified.",
      description:
        "Send a Plan (customers, reps, policy) and get back a verified Solution: who serves whom, per-rep loads, fairness figures, " +
        "the proven bound and gap, and a diagnosis when no plan exists. Errors are RFC 9457 problem details. " +
        "Solves run on a pool of worker threads with a hard deadline; timings are in the Server-Timing header, never in the body.",
      license: { name: "MIT", identifier: "MIT" },
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/" }],
    tags: [
      { name: "plans", description: "Solve and validate plans." },
      { name: "operations", description: "Health, readiness and this documentation." },
      ...PLANS_TAGS,
      ...WHAT_IF_TAGS,
    ],
    paths: {
      "/v1/solve": {
        post: {
          operationId: "solvePlan",
          summary: "Solve a plan",
          description:
            `Answers 200 with a verified Solution for every solver outcome: optimal, feasible (stopped by the time limit), infeasible (with a diagnosis) and timeout. ` +
            `policy.timeLimitMs defaults to ${limits.defaultTimeLimitMs} ms and is clamped to ${limits.maxTimeLimitMs} ms; a solve still running ` +
            `${config.pool.deadlineMarginMs} ms after its time limit is stopped and answered as timeout (solver.backend "deadline"). ${limitsText} ` +
            "With `?compare=`, the Solution also carries `comparison`: the classic methods applied to the same plan, against the optimizer.",
          tags: ["plans"],
          parameters: [IDEMPOTENCY_KEY_PARAMETER, COMPARE_PARAMETER_OBJECT],
          ...(security === undefined ? {} : { security }),
          requestBody: planBody("The plan to solve."),
          responses: {
            "200": {
              description: "The verified Solution (whatever its status).",
              headers: { "x-request-id": HEADERS.requestId, "Server-Timing": HEADERS.serverTiming },
              content: { "application/json": { schema: ref("Solution") } },
            },
            ...v1Errors(config),
            "400": problemResponse(["malformed-json", "bad-request", "invalid-query"]),
          },
        },
      },
      "/v1/validate": {
        post: {
          operationId: "validatePlan",
          summary: "Validate a plan without solving it",
          description:
            "The same contract checks as /v1/solve (422 with every problem and its path), then, for a valid plan, the cheap and certain infeasibility causes and the plan's statistics: " +
            `customers, reps, eligible pairs, capacity against demand overall and per territory. ${limitsText}`,
          tags: ["plans"],
          parameters: [IDEMPOTENCY_KEY_PARAMETER],
          ...(security === undefined ? {} : { security }),
          requestBody: planBody("The plan to check."),
          responses: {
            "200": {
              description: "The plan satisfies the contract; `problems` lists certain causes of infeasibility found without solving.",
              headers: { "x-request-id": HEADERS.requestId, "Server-Timing": HEADERS.serverTiming },
              content: { "application/json": { schema: ref("PlanReport") } },
            },
            ...v1Errors(config, ["validation-deadline"]),
          },
        },
      },
      "/healthz": {
        get: {
          operationId: "health",
          summary: "Liveness",
          description: "200 while the process can answer; it never waits for the solve pool.",
          tags: ["operations"],
          responses: { "200": { description: "Alive.", content: { "application/json": { schema: ref("HealthStatus") } } } },
        },
      },
      "/readyz": {
        get: {
          operationId: "readiness",
          summary: "Readiness",
          description: "200 with the pool's load while the service takes work; 503 once it is shutting down.",
          tags: ["operations"],
          responses: {
            "200": { description: "Ready.", content: { "application/json": { schema: ref("ReadinessStatus") } } },
            "503": problemResponse(["shutting-down"]),
          },
        },
      },
      "/openapi.json": {
        get: {
          operationId: "openApiDocument",
          summary: "This document",
          description: "The OpenAPI 3.1 document, generated from the service's zod schemas.",
          tags: ["operations"],
          responses: { "200": { description: "The OpenAPI document.", content: { "application/json": { schema: { type: "object" } } } } },
        },
      },
      "/docs": {
        get: {
          operationId: "docsPage",
          summary: "Human-readable API documentation",
          description: "An HTML page rendered from this document, including the catalogue of problem types.",
          tags: ["operations"],
          responses: { "200": { description: "The documentation page.", content: { "text/html": { schema: { type: "string" } } } } },
        },
      },
      ...plansPaths(plansPathHelpers(config, security)),
      ...whatIfPaths(whatIfPathHelpers(config, security, limitsText)),
    },
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "One of the keys in ALLOT_API_KEYS, as `Authorization: Bearer <key>`." },
      },
    },
  };
}
