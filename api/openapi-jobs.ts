/**
 * The OpenAPI part of the jobs endpoints and GET /metrics: schemas, tag and operations (the route
 * table, endpoints.ts, places them).
 */
import type { z } from "zod";
import * as models from "../models/index.ts";
import { keysOn } from "./config.ts";
import { EXAMPLE_PLAN, HEADERS, IDEMPOTENCY_KEY_PARAMETER, problemResponse, ref, type Operation, type OperationContext, type ParameterObject, type ResponseObject } from "./openapi-parts.ts";

type Meta = { id: string };
type Entry = readonly [z.ZodType, Meta];

export const JOBS_INPUT_SCHEMAS: readonly Entry[] = [[models.JobRequest, { id: "JobRequest" }]];

export const JOBS_OUTPUT_SCHEMAS: readonly Entry[] = [
  [models.JobSummary, { id: "JobSummary" }],
  [models.JobKind, { id: "JobKind" }],
  [models.JobState, { id: "JobState" }],
  [models.JobProgress, { id: "JobProgress" }],
  [models.SolveProgress, { id: "SolveProgress" }],
  [models.SolvePhase, { id: "SolvePhase" }],
  [models.JobError, { id: "JobError" }],
];

export const JOBS_TAGS = [
  {
    name: "jobs",
    description:
      "Long work in the background: a solve, a scenario batch or a reassignment queued with POST /v1/jobs (the same body the synchronous endpoint takes), followed by polling, by Server-Sent Events, or cancelled. Embedded by default; on BullMQ worker processes with ALLOT_REDIS_URL.",
  },
];

const ID_PARAMETER: ParameterObject = { name: "id", in: "path", required: true, description: "The job's id.", schema: { type: "string" } };

const json = (description: string, schema: string, headers: ResponseObject["headers"] = {}): ResponseObject => ({
  description,
  headers: { "x-request-id": HEADERS.requestId, ...headers },
  content: { "application/json": { schema: ref(schema) } },
});

export function submitJobOperation(c: OperationContext): Operation {
  return {
    operationId: "submitJob",
    summary: "Queue a solve, a scenario batch or a reassignment as a job",
    description:
      "`input` is validated exactly as the synchronous endpoint of the same kind validates its body (POST /v1/solve, /v1/scenarios, /v1/reassign), " +
      "with every problem's path under `input`, before anything is queued; `query.compare` is ?compare= of /v1/solve. The answer is 202 with the job " +
      "(state queued) and its URL in `Location`. The result, once the job succeeded, has the same bytes as the synchronous answer for the same input " +
      `(unless the clock cut either search). ${c.limitsText}`,
    tags: ["jobs"],
    parameters: [IDEMPOTENCY_KEY_PARAMETER],
    requestBody: {
      required: true,
      description: "The kind of work and its input.",
      content: { "application/json": { schema: ref("JobRequest"), example: { kind: "solve", input: EXAMPLE_PLAN } } },
    },
    responses: {
      "202": json("Queued.", "JobSummary", { Location: { description: "The job's URL: /v1/jobs/{id}.", schema: { type: "string" } } }),
      ...c.planErrors(),
      "422": problemResponse(["invalid-request", "invalid-plan", "plan-too-large", "invalid-query"]),
    },
  };
}

export function listJobsOperation(c: OperationContext): Operation {
  return {
    operationId: "listJobs",
    summary: "List jobs, newest first",
    description: "Paged with `limit` (1–500, default 50) and `cursor` (the previous page's `nextCursor`). Finished jobs are removed ALLOT_JOB_RETENTION_S after they end.",
    tags: ["jobs"],
    parameters: [
      { name: "limit", in: "query", required: false, description: "Jobs per page (1–500, default 50).", schema: { type: "integer", minimum: 1, maximum: 500 } },
      { name: "cursor", in: "query", required: false, description: "`nextCursor` of the previous page.", schema: { type: "string" } },
    ],
    responses: {
      "200": {
        description: "A page of jobs.",
        content: { "application/json": { schema: { type: "object", properties: { items: { type: "array", items: ref("JobSummary") }, nextCursor: { type: ["string", "null"] } }, required: ["items", "nextCursor"] } } },
      },
      "400": problemResponse(["invalid-query"]),
      ...c.commonErrors,
    },
  };
}

export function getJobOperation(c: OperationContext): Operation {
  return {
    operationId: "getJob",
    summary: "A job: state, timestamps, latest progress and, once done, its result",
    description: "The job's record; once it has a result (succeeded, or cancelled after a plan was found) the body also carries `result`: the synchronous endpoint's answer (a Solution, a ScenarioResponse or a ReassignResult).",
    tags: ["jobs"],
    parameters: [ID_PARAMETER],
    responses: { "200": json("The job.", "JobSummary"), "404": problemResponse(["job-not-found"]), ...c.commonErrors },
  };
}

export function getJobResultOperation(c: OperationContext): Operation {
  return {
    operationId: "getJobResult",
    summary: "A finished job's result alone",
    description: "Exactly the bytes the synchronous endpoint answers for the same input (a Solution, a ScenarioResponse or a ReassignResult). 409 while the job has no result.",
    tags: ["jobs"],
    parameters: [ID_PARAMETER],
    responses: {
      "200": { description: "The result.", content: { "application/json": { schema: { oneOf: [ref("Solution"), ref("ScenarioResponse"), ref("ReassignResult")] } } } },
      "404": problemResponse(["job-not-found"]),
      "409": problemResponse(["job-not-finished"]),
      ...c.commonErrors,
    },
  };
}

export function cancelJobOperation(c: OperationContext): Operation {
  return {
    operationId: "cancelJob",
    summary: "Cancel a job",
    description:
      "A queued job never runs (200, state cancelled). A running one is asked to stop (202, state still running): its solves end within about a second as at their time limit and keep their best verified plan (solver.stoppedBy \"cancelled\"), and the job ends cancelled with that result. A finished job is left as it is (200).",
    tags: ["jobs"],
    parameters: [ID_PARAMETER],
    responses: { "200": json("The job in its final state.", "JobSummary"), "202": json("Stopping.", "JobSummary"), "404": problemResponse(["job-not-found"]), ...c.commonErrors },
  };
}

export function jobEventsOperation(c: OperationContext): Operation {
  return {
    operationId: "jobEvents",
    summary: "Follow a job as Server-Sent Events",
    description:
      "`event: progress` (id = the progress's seq, data = JobProgress: phase, elapsed time, incumbent objective, proven bound, gap, solves done) at most about 5 a second per solve, " +
      "then one `event: end` (data = the final Job, without the result) and the stream closes. Progress is a state: with `Last-Event-ID` the stream resumes with the current progress if newer, then the live events. A comment line every 15 s keeps proxies from closing it.",
    tags: ["jobs"],
    parameters: [ID_PARAMETER, { name: "Last-Event-ID", in: "header", required: false, description: "The last event id seen, to resume.", schema: { type: "string" } }],
    responses: {
      "200": { description: "The event stream.", content: { "text/event-stream": { schema: { type: "string" } } } },
      "404": problemResponse(["job-not-found"]),
      ...c.commonErrors,
    },
  };
}

export function metricsOperation(c: OperationContext): Operation {
  return {
    operationId: "metrics",
    summary: "Prometheus metrics",
    description:
      "The Prometheus text format: HTTP requests and latency by route, solve durations by status and backend, final gaps, pool queue depth and utilisation, jobs by state, and the process's metrics. " +
      (keysOn(c.config) && c.config.metricsNeedKey ? "Needs an API key (ALLOT_METRICS_NEED_KEY=false opens it)." : "Open (no API key needed)."),
    tags: ["operations"],
    responses: {
      "200": { description: "The metrics.", content: { "text/plain": { schema: { type: "string" } } } },
      ...(keysOn(c.config) && c.config.metricsNeedKey ? { "401": problemResponse(["unauthorized"]) } : {}),
    },
  };
}
