/**
 * The building blocks of the OpenAPI document: its object types, and the headers, parameters and
 * error responses the operations share (openapi-solve.ts, openapi-service.ts, openapi-plans.ts,
 * openapi-what-if.ts). Each operation is built from an OperationContext, so what it says about
 * authentication, rate limiting and limits follows the configuration.
 */
import type { z } from "zod";
import { keysOn, type ServiceConfig } from "./config.ts";
import { PROBLEM_CONTENT_TYPE, PROBLEMS, type ProblemKind } from "./problem-details.ts";

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
  /** The roles the route table admits (api/roles.ts), or ["public"]. */
  "x-roles"?: string[];
  requestBody?: { required: boolean; description: string; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
}

export type HttpMethod = "get" | "post" | "delete";

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; summary: string; description: string; license: { name: string; identifier: string } };
  jsonSchemaDialect: string;
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<HttpMethod, Operation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, { type: "http"; scheme: "bearer"; description: string } | { type: "apiKey"; in: "cookie"; name: string; description: string }>;
  };
}

/** A reference to a component schema. */
export const ref = (id: string): JsonSchema => ({ $ref: `#/components/schemas/${id}` });

export const HEADERS = {
  requestId: { description: "The request id (the caller's `x-request-id` when acceptable, else a new UUID).", schema: { type: "string" } },
  retryAfter: { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 1 } },
  serverTiming: {
    description: "Durations in ms: `parse` (validation on the event loop), `queue` (waiting for a worker), `run` (in the worker), `engine` and `solver` (inside the engine).",
    schema: { type: "string" },
  },
  replayed: { description: "`true` when this is the stored response of an earlier request with the same Idempotency-Key.", schema: { type: "string" } },
} satisfies Record<string, HeaderObject>;

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

/** One response for a set of problem kinds (with Retry-After when one of them asks to retry). */
export function problemResponse(kinds: ProblemKind[]): ResponseObject {
  const retry = kinds.some((k) => k === "rate-limited" || k === "queue-full" || k === "shutting-down" || k === "database-unavailable");
  return {
    description: kinds.map((k) => `${PROBLEMS[k].title}: ${PROBLEMS[k].description}`).join(" | "),
    headers: { "x-request-id": HEADERS.requestId, ...(retry ? { "Retry-After": HEADERS.retryAfter } : {}) },
    content: { [PROBLEM_CONTENT_TYPE]: { schema: ref("ProblemDetails") } },
  };
}

/** What an operation's text and responses depend on: the configuration and what follows from it. */
export interface OperationContext {
  config: ServiceConfig;
  /** The per-request size limits in words, for the endpoints that read plans. */
  limitsText: string;
  /** The error responses of a /v1 endpoint that reads a plan (401 and 429 only when configured), with more 503 kinds. */
  planErrors(extra503?: ProblemKind[]): Record<string, ResponseObject>;
  /** The 401/429/500/503 responses every /v1 endpoint shares (as configured). */
  commonErrors: Record<string, ResponseObject>;
  /** commonErrors, and the 400/413/415 of an endpoint that reads a JSON body. */
  bodyErrors: Record<string, ResponseObject>;
  /** The 503 kinds of the store: `database-unavailable` with PostgreSQL (the database may be away), none with SQLite. */
  storeErrors: ProblemKind[];
}

export function operationContext(config: ServiceConfig): OperationContext {
  const { limits } = config;
  // With PostgreSQL, any call that touches the store may find the database unreachable.
  const database: ProblemKind[] = config.database === undefined ? [] : ["database-unavailable"];
  const planErrors = (extra503: ProblemKind[] = []): Record<string, ResponseObject> => ({
    "400": problemResponse(["malformed-json", "bad-request"]),
    ...(keysOn(config) ? { "401": problemResponse(["unauthorized"]) } : {}),
    "413": problemResponse(["payload-too-large"]),
    "415": problemResponse(["unsupported-media-type"]),
    "422": problemResponse(["invalid-plan", "plan-too-large"]),
    ...(config.rateLimitPerMinute > 0 ? { "429": problemResponse(["rate-limited"]) } : {}),
    "500": problemResponse(["internal"]),
    "503": problemResponse(["queue-full", "shutting-down", ...extra503, ...database]),
  });
  const all = planErrors();
  const pick = (statuses: string[]) => Object.fromEntries(statuses.flatMap((s) => (all[s] === undefined ? [] : [[s, all[s]] as const])));
  const commonErrors = { ...pick(["401", "429", "500"]), "503": problemResponse(["shutting-down", ...database]) };
  return {
    config,
    limitsText:
      `This server accepts at most ${limits.maxCustomers} customers, ${limits.maxReps} reps and ${limits.maxPairs} eligible pairs ` +
      `(an upper bound estimated before any work), and bodies up to ${config.bodyLimitBytes} bytes. A body may be sent compressed ` +
      "(`Content-Encoding: gzip`, `deflate` or `br`; a 100,000-customer plan shrinks about tenfold): the limit applies to its decompressed size, counted as it is decompressed, so a body that inflates past it is refused with 413 without being inflated whole.",
    planErrors,
    commonErrors,
    bodyErrors: { ...pick(["400", "413", "415"]), ...commonErrors },
    storeErrors: database,
  };
}
