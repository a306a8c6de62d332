/**
 * The OpenAPI 3.1 document, generated from the zod schemas (models/, the plan report, problem
 * details, health answers) with zod's JSON Schema (draft 2020-12) output. Request bodies use the
 * schemas' input side, responses their output side. Schemas and fields are described where they
 * are defined (`.describe()` in models/); the registries here only name the components. Paths come
 * from the route table (endpoints.ts). What the document says about authentication, rate limiting
 * and limits follows the configuration it is built with.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import * as models from "../models/index.ts";
import { CapacityFigures, DemandFigures, PlanReport, PlanStatistics, TerritoryStatistics } from "../src/solve/plan-statistics.ts";
import { keysOn, type ServiceConfig } from "./config.ts";
import { ENDPOINTS, needsKey } from "./endpoints.ts";
import { ADVICE_INPUT_SCHEMAS, ADVICE_OUTPUT_SCHEMAS } from "./openapi-advice.ts";
import { operationContext, problemResponse, type HttpMethod, type JsonSchema, type OpenApiDocument, type Operation } from "./openapi-parts.ts";
import { IMPORTS_INPUT_SCHEMAS, IMPORTS_OUTPUT_SCHEMAS, IMPORTS_TAGS } from "./openapi-imports.ts";
import { accessText } from "./roles.ts";
import { JOBS_INPUT_SCHEMAS, JOBS_OUTPUT_SCHEMAS, JOBS_TAGS } from "./openapi-jobs.ts";
import { KEYS_INPUT_SCHEMAS, KEYS_OUTPUT_SCHEMAS, KEYS_TAGS } from "./openapi-keys.ts";
import { SESSIONS_INPUT_SCHEMAS, SESSIONS_OUTPUT_SCHEMAS, SESSIONS_TAGS } from "./openapi-sessions.ts";
import { LEARNING_INPUT_SCHEMAS, LEARNING_OUTPUT_SCHEMAS, LEARNING_TAGS } from "./openapi-learning.ts";
import { PLANS_INPUT_SCHEMAS, PLANS_OUTPUT_SCHEMAS, PLANS_TAGS } from "./openapi-plans.ts";
import { SERVICE_TAGS } from "./openapi-service.ts";
import { SOLVE_TAGS } from "./openapi-solve.ts";
import { EVALUATE_INPUT_SCHEMAS, EVALUATE_OUTPUT_SCHEMAS, EVALUATE_TAGS } from "./openapi-planner-control.ts";
import { ACTIVATION_INPUT_SCHEMAS, ACTIVATION_OUTPUT_SCHEMAS, ACTIVATION_TAGS } from "./openapi-plan-activation.ts";
import { WHAT_IF_INPUT_SCHEMAS, WHAT_IF_OUTPUT_SCHEMAS, WHAT_IF_TAGS } from "./openapi-what-if.ts";
import { FieldErrorSchema, ProblemDetails } from "./problem-details.ts";
import { HealthStatus } from "./routes/healthz.ts";
import { ReadinessStatus } from "./routes/readyz.ts";

/** A component's name, and a description only for schemas defined outside models/ and api/. */
type Meta = { id: string; description?: string };

/** Schemas of request bodies (converted with io: "input"). */
function inputRegistry() {
  const registry = z.registry<Meta>();
  registry.add(models.Plan, { id: "Plan" });
  registry.add(models.Customer, { id: "Customer" });
  registry.add(models.Rep, { id: "Rep" });
  registry.add(models.Outcome, { id: "Outcome" });
  registry.add(models.PairScore, { id: "PairScore" });
  registry.add(models.Policy, { id: "Policy" });
  registry.add(models.Location, { id: "Location" });
  registry.add(models.Rule, { id: "Rule" });
  registry.add(models.Override, { id: "Override" });
  registry.add(models.TerritoryMode, { id: "TerritoryMode" });
  registry.add(models.SolverChoice, { id: "SolverChoice" });
  for (const [schema, meta] of PLANS_INPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of WHAT_IF_INPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of EVALUATE_INPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of ACTIVATION_INPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of JOBS_INPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of ADVICE_INPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of LEARNING_INPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of IMPORTS_INPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of KEYS_INPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of SESSIONS_INPUT_SCHEMAS) registry.add(schema, meta);
  return registry;
}

/** Schemas of response bodies (converted with io: "output"). */
function outputRegistry() {
  const registry = z.registry<Meta>();
  registry.add(models.Solution, { id: "Solution" });
  registry.add(models.SolutionStatus, { id: "SolutionStatus" });
  registry.add(models.Assignment, { id: "Assignment" });
  registry.add(models.ScoreComponents, { id: "ScoreComponents" });
  registry.add(models.Unassigned, { id: "Unassigned" });
  registry.add(models.RepSummary, { id: "RepSummary" });
  registry.add(models.Metrics, { id: "Metrics" });
  registry.add(models.Diagnosis, { id: "Diagnosis" });
  registry.add(models.DiagnosisCause, { id: "DiagnosisCause" });
  registry.add(models.Verification, { id: "Verification" });
  registry.add(models.Violation, { id: "Violation" });
  registry.add(models.SolverInfo, { id: "SolverInfo" });
  registry.add(PlanReport, { id: "PlanReport", description: "What /v1/validate finds: certain infeasibility causes (empty does not prove feasibility) and statistics." });
  registry.add(PlanStatistics, { id: "PlanStatistics" });
  registry.add(TerritoryStatistics, { id: "TerritoryStatistics" });
  registry.add(CapacityFigures, { id: "CapacityFigures", description: "Σ capacity; null when some rep has no such limit." });
  registry.add(DemandFigures, { id: "DemandFigures", description: "One account per customer; workload is the least each customer can bring." });
  registry.add(ProblemDetails, { id: "ProblemDetails" });
  registry.add(FieldErrorSchema, { id: "FieldError" });
  registry.add(HealthStatus, { id: "HealthStatus" });
  registry.add(ReadinessStatus, { id: "ReadinessStatus" });
  for (const [schema, meta] of PLANS_OUTPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of WHAT_IF_OUTPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of EVALUATE_OUTPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of ACTIVATION_OUTPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of JOBS_OUTPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of ADVICE_OUTPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of LEARNING_OUTPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of IMPORTS_OUTPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of KEYS_OUTPUT_SCHEMAS) registry.add(schema, meta);
  for (const [schema, meta] of SESSIONS_OUTPUT_SCHEMAS) registry.add(schema, meta);
  return registry;
}

/**
 * The description a schema carries (`.describe()` / `.meta()` in models/, kept in zod's global
 * registry) written into its JSON Schema: the conversion reads metadata from the registry of
 * component ids alone, so descriptions are added here.
 */
function describe(ctx: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }): void {
  const description = z.globalRegistry.get(ctx.zodSchema)?.description;
  if (description !== undefined) ctx.jsonSchema.description = description;
}

function componentSchemas(): Record<string, JsonSchema> {
  const uri = (id: string) => `#/components/schemas/${id}`;
  const out: Record<string, JsonSchema> = {};
  for (const [registry, io] of [
    [inputRegistry(), "input"],
    [outputRegistry(), "output"],
  ] as const) {
    const { schemas } = z.toJSONSchema(registry, { target: "draft-2020-12", io, uri, metadata: registry, override: describe });
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

/** The path items, from the route table: each endpoint's operation, secured when API keys are configured. */
function paths(config: ServiceConfig): OpenApiDocument["paths"] {
  const context = operationContext(config);
  const security: Record<string, string[]>[] | undefined = keysOn(config) ? [{ bearerAuth: [] }, { sessionCookie: [] }] : undefined;
  const out: OpenApiDocument["paths"] = {};
  for (const endpoint of ENDPOINTS) {
    const built = endpoint.operation(context);
    const operation: Operation = {
      ...built,
      description: `${built.description}\n\n${accessText(endpoint.roles)}`,
      "x-roles": endpoint.roles === "public" ? ["public"] : [...endpoint.roles],
    };
    const item = (out[endpoint.path] ??= {});
    item[endpoint.method] =
      security !== undefined && needsKey(endpoint, config) ? { ...operation, security, responses: withForbidden(operation.responses, endpoint.method) } : operation;
  }
  return out;
}

/** The responses with 403 `forbidden` added in status order (a key whose role the endpoint does not admit), and `csrf` for a state change (a session's request without its token). */
function withForbidden(responses: Operation["responses"], method: HttpMethod): Operation["responses"] {
  const entries = [...Object.entries(responses), ["403", problemResponse(method === "get" ? ["forbidden"] : ["forbidden", "csrf"])] as const];
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

export function buildOpenApiDocument(config: ServiceConfig): OpenApiDocument {
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
    tags: [...SOLVE_TAGS, ...SERVICE_TAGS, ...PLANS_TAGS, ...WHAT_IF_TAGS, ...EVALUATE_TAGS, ...ACTIVATION_TAGS, ...JOBS_TAGS, ...LEARNING_TAGS, ...IMPORTS_TAGS, ...KEYS_TAGS, ...SESSIONS_TAGS],
    paths: paths(config),
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "A key of ALLOT_API_KEYS or one made by POST /v1/keys, as `Authorization: Bearer <key>`. Each key carries a role (admin, planner, integrator, viewer); each operation's `x-roles` lists the roles it admits." },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "allot_session",
          description: "The session cookie POST /v1/sessions sets (the workspace page's sign-in); it acts with its key's role. A state-changing request made with it must carry the session's `X-CSRF-Token`.",
        },
      },
    },
  };
}
