/**
 * RFC 9457 problem details: every error response of the service is `application/problem+json`
 * with `type`, `title`, `status`, `detail`, `instance` and the request id, plus `errors` for
 * validation problems. Nothing internal (stack, exception message) is ever sent.
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import type { FieldError } from "../models/index.ts";
import { JobBackendUnavailableError } from "../src/jobs/job-backend-unavailable-error.ts";
import { isRecord } from "../src/numeric/is-record.ts";
import { StoreUnavailableError } from "../src/storage/store-unavailable.ts";

export const FieldErrorSchema = z
  .strictObject({
    path: z.string().describe("The offending field, e.g. `customers[12].currentRep`; empty for the whole document."),
    message: z.string(),
  })
  .describe("One problem of a request, at its path.");

export const ProblemDetails = z
  .strictObject({
    type: z.string().describe("`/docs#problem-<kind>`: where this kind of problem is documented."),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().describe("The request's path."),
    requestId: z.string().describe("Also in the `x-request-id` header; quote it when reporting a problem."),
    errors: z.array(FieldErrorSchema).optional().describe("Every problem found, each with its path (validation problems only)."),
  })
  .describe("RFC 9457 problem details; `type` points at this API's documentation of the problem.");
export type ProblemDetails = z.infer<typeof ProblemDetails>;

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Every problem type the service answers with. `type` is `/docs#problem-<kind>` (documented there). */
export const PROBLEMS = {
  "malformed-json": { status: 400, title: "Malformed JSON", description: "The body is not valid JSON, or its top level is not an object or array." },
  "bad-request": { status: 400, title: "Bad request", description: "The request could not be read (e.g. it was aborted or its length header was wrong)." },
  unauthorized: {
    status: 401,
    title: "Unauthorized",
    description:
      "API keys are configured and the request has no valid `Authorization: Bearer <key>` header, nor the cookie of a live session (signed out, past its idle or absolute lifetime, or its key revoked or expired); or `POST /v1/sessions` was sent a key that is not valid.",
  },
  forbidden: {
    status: 403,
    title: "Forbidden",
    description: "The API key is valid but its role may not call this endpoint (docs/service.md, \"Roles\"; the operation's `x-roles` lists the roles it admits).",
  },
  csrf: {
    status: 403,
    title: "CSRF token missing or wrong",
    description:
      "The request changes state (POST, PUT, PATCH, DELETE) and is authenticated by the session cookie, but does not carry that session's token as `X-CSRF-Token` (the one `POST /v1/sessions` answered with). Requests authenticated by an `Authorization` header need none.",
  },
  "not-found": { status: 404, title: "Not found", description: "No endpoint has this path." },
  "method-not-allowed": { status: 405, title: "Method not allowed", description: "The endpoint exists but not for this method; the `Allow` header lists the methods it accepts." },
  "payload-too-large": { status: 413, title: "Request body too large", description: "The body (decompressed, when it was sent compressed) is larger than ALLOT_BODY_LIMIT. Send big books compressed to POST /v1/jobs; an operator may raise ALLOT_BODY_LIMIT." },
  "unsupported-media-type": {
    status: 415,
    title: "Unsupported media type",
    description: "The body must be JSON sent with `Content-Type: application/json` (UTF-8), plain or compressed with `Content-Encoding: gzip`, `deflate` or `br`.",
  },
  "invalid-plan": {
    status: 422,
    title: "Invalid plan",
    description: "The plan breaks the contract: `errors` lists every problem found, each with the path of the offending field.",
  },
  "plan-too-large": {
    status: 422,
    title: "Plan exceeds the server's limits",
    description:
      "The plan has more customers, reps or eligible pairs than the server accepts (ALLOT_MAX_CUSTOMERS, ALLOT_MAX_REPS, ALLOT_MAX_PAIRS); `errors` names the field and the limit.",
  },
  "rate-limited": { status: 429, title: "Too many requests", description: "More requests than ALLOT_RATE_LIMIT_PER_MINUTE; retry after `Retry-After` seconds." },
  internal: { status: 500, title: "Internal error", description: "An unexpected error. It is logged under the request id returned with the response." },
  "queue-full": {
    status: 503,
    title: "Solve queue full",
    description: "Every worker is busy and the queue (ALLOT_QUEUE_LENGTH) is full; retry after `Retry-After` seconds.",
  },
  "shutting-down": { status: 503, title: "Shutting down", description: "The server is stopping and takes no new work; retry on another instance or after `Retry-After` seconds." },
  "database-unavailable": {
    status: 503,
    title: "Database unavailable",
    description:
      "The PostgreSQL database (ALLOT_DATABASE_URL) cannot be reached just now; nothing was changed, unless the connection broke while a change was committing. Retry after `Retry-After` seconds with the same `Idempotency-Key` to get exactly one effect.",
  },
  "validation-deadline": {
    status: 503,
    title: "Validation took too long",
    description: "Computing the plan's statistics did not finish within ALLOT_MAX_TIME_LIMIT_MS plus ALLOT_DEADLINE_MARGIN_MS.",
  },
  "invalid-query": {
    status: 400,
    title: "Invalid query parameter",
    description: "A query parameter is malformed or out of range (`limit` is 1–500, `cursor` must come from a previous page of the same list, `compare` names known methods, `uncertainty` is true or false with `samples` and `seed` in range, `credibility` is 0.5–0.999); `errors` names it.",
  },
  "invalid-idempotency-key": { status: 400, title: "Invalid Idempotency-Key", description: "The `Idempotency-Key` header must be 1–255 printable ASCII characters." },
  "keys-not-required": {
    status: 409,
    title: "Keys not required",
    description: "This service asks for no API key (neither ALLOT_API_KEYS nor ALLOT_REQUIRE_KEYS is set), so there is nothing to sign in to: call the endpoints directly.",
  },
  "key-not-found": { status: 404, title: "Key not found", description: "No managed API key has this id (GET /v1/keys lists them)." },
  "plan-not-found": { status: 404, title: "Plan not found", description: "No saved plan has this id." },
  "evaluation-plan-unknown": {
    status: 409,
    title: "Plan of this planKey not held",
    description:
      "POST /v1/evaluate was sent a `planKey` this server does not hold loaded (it keeps the last ALLOT_EVALUATE_CACHE plans, each instance its own): send the request again with `plan` (and `base`) instead; its answer carries the same key.",
  },
  "no-active-plan": {
    status: 409,
    title: "No active plan",
    description: "Routing and recording outcomes need an active plan: save one with `POST /v1/plans`, then activate it with `POST /v1/plans/{id}/activate`.",
  },
  "plan-not-activatable": {
    status: 409,
    title: "Plan cannot be activated",
    description:
      "Only a plan whose solve found a verified assignment (optimal or feasible) can be activated; infeasible and timed-out solves stay drafts, and an archived plan is made active again only by a roll back (`POST /v1/plans/{id}/rollback`).",
  },
  "plan-not-approved": {
    status: 409,
    title: "Plan not approved",
    description:
      "The service requires approval (`ALLOT_REQUIRE_APPROVAL=true`): a version is activated, scheduled or rolled back to only once it is approved (`POST /v1/plans/{id}/approval` with `submit`, then `approve` by another person).",
  },
  "approval-refused": {
    status: 409,
    title: "Approval step refused",
    description:
      "The step does not follow from the version's approval state (submit a version not yet submitted or rejected; approve or reject a submitted one), or the person (same `by`, or the same API key) who submitted it tries to approve it: another person must approve.",
  },
  "plan-not-rollbackable": {
    status: 409,
    title: "Plan cannot be rolled back to",
    description: "Only an archived version (one that was active before) can be made active again by a roll back; a draft is activated, and the active version is already active.",
  },
  "schedule-not-found": { status: 404, title: "Schedule not found", description: "No scheduled activation has this id." },
  "schedule-not-waiting": {
    status: 409,
    title: "Schedule no longer waiting",
    description: "Only a waiting scheduled activation can be cancelled; this one was carried out, skipped or cancelled already.",
  },
  "customer-exists": {
    status: 409,
    title: "Customer already assigned",
    description:
      "The customer id is already in the active plan or was already routed; each customer is routed once. To retry a routing call safely, send the same `Idempotency-Key` and get the first answer back.",
  },
  "outcome-exists": {
    status: 409,
    title: "Outcome already recorded",
    description:
      "A deal of the batch already has a recorded outcome (each deal id once, for ever); `errors` names each one. Nothing of the batch was recorded. To retry a batch safely, send the same `Idempotency-Key` and get the first answer back.",
  },
  "idempotency-in-flight": {
    status: 409,
    title: "Request with this key still running",
    description: "The first request with this `Idempotency-Key` has not finished; retry after `Retry-After` seconds to get its response.",
  },
  "idempotency-key-reused": {
    status: 422,
    title: "Idempotency key reused",
    description: "This `Idempotency-Key` was already used with a different request (other body or query) on the same endpoint; use a new key for a new request.",
  },
  "jobs-unavailable": {
    status: 503,
    title: "Job store unavailable",
    description: "The job backend's store (Redis) does not answer; retry after `Retry-After` seconds. Synchronous endpoints keep working.",
  },
  "memory-budget": {
    status: 422,
    title: "Over the memory budget",
    description:
      "The solve would need more memory (estimated from its customers and eligible pairs) than this server's budget for running solves (ALLOT_MEMORY_BUDGET): use hard territories or list the pairs to cut the eligible pairs, split the book, or ask the operator for a larger budget.",
  },
  "job-not-found": { status: 404, title: "Job not found", description: "No job has this id (finished jobs are removed ALLOT_JOB_RETENTION_S after they end)." },
  "job-not-finished": {
    status: 409,
    title: "Job not finished",
    description: "The job has no result yet (or ended without one): see its state at `GET /v1/jobs/{id}`, or follow `GET /v1/jobs/{id}/events`.",
  },
  "unreadable-file": {
    status: 415,
    title: "Unreadable file",
    description: "An imported file is neither CSV text nor an .xlsx workbook (binary data, a damaged workbook); `errors` names the file.",
  },
  "invalid-import": {
    status: 422,
    title: "Invalid import",
    description:
      "The imported files cannot make a plan: a required file or column is missing, the mapping or policy field is not valid JSON of its schema, or a CSV is malformed (e.g. an unclosed quote); `errors` names the file, row and column.",
  },
  "invalid-request": {
    status: 422,
    title: "Invalid request",
    description: "The body breaks the endpoint's schema: `errors` lists every problem found, each with the path of the offending field.",
  },
} as const satisfies Record<string, { status: number; title: string; description: string }>;

export type ProblemKind = keyof typeof PROBLEMS;

export const problemType = (kind: ProblemKind) => `/docs#problem-${kind}`;

export interface ProblemOptions {
  errors?: FieldError[];
  retryAfterSeconds?: number;
}

export function requestIdOf(res: Response): string {
  const id: unknown = res.locals.requestId;
  return typeof id === "string" ? id : "";
}

/** Sends a problem+json response of the given kind. */
export function sendProblem(req: Request, res: Response, kind: ProblemKind, detail: string, options: ProblemOptions = {}): void {
  const { status, title } = PROBLEMS[kind];
  const body: ProblemDetails = {
    type: problemType(kind),
    title,
    status,
    detail,
    instance: req.originalUrl.split("?")[0] ?? "",
    requestId: requestIdOf(res),
  };
  if (options.errors !== undefined) body.errors = options.errors;
  if (options.retryAfterSeconds !== undefined) res.setHeader("Retry-After", String(Math.max(1, Math.ceil(options.retryAfterSeconds))));
  res.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** Route table entry: the methods each path answers to, for 404 versus 405. */
export interface RouteMethods {
  path: string;
  methods: readonly string[];
}

/** Last handler: 405 with `Allow` for a known path, else 404. */
export function notFoundHandler(routes: readonly RouteMethods[]): RequestHandler {
  const byPath = new Map(routes.map((r) => [r.path, r.methods] as const));
  // Paths with `{name}` segments (e.g. /v1/plans/{id}) match any one non-empty segment there.
  const templates = routes
    .filter((r) => r.path.includes("{"))
    .map((r) => ({ pattern: new RegExp(`^${r.path.split(/\{[^/}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")).join("[^/]+")}$`), methods: r.methods }));
  return (req, res) => {
    const methods = byPath.get(req.path) ?? templates.find((t) => t.pattern.test(req.path))?.methods;
    if (methods === undefined) {
      sendProblem(req, res, "not-found", `There is no endpoint ${req.path}. See /docs for the API.`);
      return;
    }
    const allow = methods.includes("GET") ? [...methods, "HEAD"] : [...methods];
    res.setHeader("Allow", allow.join(", "));
    sendProblem(req, res, "method-not-allowed", `${req.path} accepts ${allow.join(", ")}, not ${req.method}.`);
  };
}

/** body-parser's error `type`s that are the client's fault, mapped to a problem and a fixed detail. */
const BODY_ERRORS: Record<string, { kind: ProblemKind; detail: string }> = {
  "entity.parse.failed": { kind: "malformed-json", detail: "The request body is not valid JSON (or its top level is not an object or array)." },
  "entity.too.large": { kind: "payload-too-large", detail: "The request body is larger than this server accepts." },
  "encoding.unsupported": { kind: "unsupported-media-type", detail: "The body's Content-Encoding is not supported: send it plain, or compressed with gzip, deflate or br." },
  "charset.unsupported": { kind: "unsupported-media-type", detail: "The body must be UTF-8 encoded JSON." },
  "request.aborted": { kind: "bad-request", detail: "The request was aborted before its body was read." },
  "request.size.invalid": { kind: "bad-request", detail: "The request body length does not match its Content-Length header." },
};

/** Retry-After of `database-unavailable`: pg.Pool opens new connections as soon as the database answers again. */
export const DATABASE_RETRY_S = 2;

/**
 * Final error handler: known body-parser errors become their problem, a store that cannot reach its
 * database a 503 `database-unavailable`; anything else is logged with the request id and answered
 * as a bare 500 that reveals nothing.
 */
export function errorHandler(logger: Logger, tooLargeDetail: (req: Request) => string): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof StoreUnavailableError) {
      logger.warn({ err: error, requestId: requestIdOf(res), method: req.method, path: req.path }, "database unavailable");
      sendProblem(req, res, "database-unavailable", "The database cannot be reached just now; retry shortly.", { retryAfterSeconds: DATABASE_RETRY_S });
      return;
    }
    if (error instanceof JobBackendUnavailableError) {
      sendProblem(req, res, "jobs-unavailable", "The job store does not answer; retry later.", { retryAfterSeconds: error.retryAfterSeconds });
      return;
    }
    const type = isRecord(error) && typeof error.type === "string" ? error.type : null;
    // A body that does not decompress as its Content-Encoding says (zlib's Z_DATA_ERROR, Z_BUF_ERROR…).
    const zlibCode = isRecord(error) && typeof error.code === "string" && error.code.startsWith("Z_") ? error.code : null;
    if (zlibCode !== null) {
      sendProblem(req, res, "bad-request", "The request body could not be decompressed as its Content-Encoding says.");
      return;
    }
    const known = type === null ? undefined : BODY_ERRORS[type];
    if (known !== undefined) {
      const detail = known.kind === "payload-too-large" ? tooLargeDetail(req) : known.detail;
      sendProblem(req, res, known.kind, detail);
      return;
    }
    const requestId = requestIdOf(res);
    logger.error({ err: error, requestId, method: req.method, path: req.path }, "unexpected error");
    sendProblem(req, res, "internal", `An unexpected error occurred. It was logged with request id ${requestId}.`);
  };
}
