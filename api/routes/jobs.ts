/**
 * Jobs: POST /v1/jobs validates the work exactly as the synchronous endpoint of its kind would
 * (paths under `input`), queues it and answers 202 with its record; GET /v1/jobs (newest first,
 * paged), GET /v1/jobs/{id} (the record, with `result` once done), GET /v1/jobs/{id}/result (the
 * answer's bytes alone, as the synchronous endpoint sends them) and DELETE /v1/jobs/{id} (cancel).
 */
import type { Request, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import { fieldErrors, JobRequest, type JobSummary } from "../../models/index.ts";
import type { JobQueue } from "../../src/jobs/job-queue.ts";
import { appendJsonField } from "../../src/numeric/raw-json.ts";
import type { ServiceConfig } from "../config.ts";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, queryOf } from "../page-query.ts";
import { sendProblem } from "../problem-details.ts";
import { readJobWork } from "../work-input.ts";

const sendJson = (res: Response, status: number, body: string) => res.status(status).type("application/json").send(body);

export function jobIdOf(req: Request): string {
  const value: unknown = req.params.id;
  return typeof value === "string" ? value : "";
}

export const jobNotFound = (req: Request, res: Response, id: string) => sendProblem(req, res, "job-not-found", `There is no job with id ${JSON.stringify(id.slice(0, 128))}.`);

/** The job's URL. */
export const jobLocation = (job: JobSummary) => `/v1/jobs/${encodeURIComponent(job.id)}`;

export function submitJobRoute(deps: { config: ServiceConfig; jobs: JobQueue; logger: Logger }): RequestHandler {
  const { config, jobs, logger } = deps;
  return async (req, res) => {
    const start = performance.now();
    const envelope = JobRequest.safeParse(req.body);
    if (!envelope.success) {
      const errors = fieldErrors(envelope.error);
      sendProblem(req, res, "invalid-request", `The body has ${errors.length} problem${errors.length === 1 ? "" : "s"}; see errors.`, { errors });
      return;
    }
    const { kind, input, query } = envelope.data;
    const solveOnly = (["compare", "advice", "uncertainty", "samples", "seed"] as const).filter((name) => query?.[name] !== undefined && kind !== "solve");
    if (solveOnly.length > 0) {
      const errors = solveOnly.map((name) => ({ path: `query.${name}`, message: `not allowed for kind ${kind}` }));
      sendProblem(req, res, "invalid-request", "The query options of /v1/solve apply to solve jobs only.", { errors });
      return;
    }
    const read = readJobWork(kind, input, query ?? {}, config);
    if (!read.ok) {
      sendProblem(req, res, read.problem.kind, read.problem.detail, { errors: read.problem.errors });
      return;
    }
    const job = await jobs.submit(kind, read.work);
    logger.info({ requestId: res.locals.requestId, job: job.id, kind, backend: jobs.backend, acceptMs: Math.round(performance.now() - start) }, "job queued");
    res.setHeader("Location", jobLocation(job));
    sendJson(res, 202, JSON.stringify(job));
  };
}

export function getJobRoute(deps: { jobs: JobQueue }): RequestHandler {
  return async (req, res) => {
    const id = jobIdOf(req);
    const view = await deps.jobs.get(id);
    if (view === null) {
      jobNotFound(req, res, id);
      return;
    }
    const text = JSON.stringify(view.job);
    sendJson(res, 200, view.resultJson === null ? text : appendJsonField(text, "result", view.resultJson));
  };
}

export function getJobResultRoute(deps: { jobs: JobQueue }): RequestHandler {
  return async (req, res) => {
    const id = jobIdOf(req);
    const view = await deps.jobs.get(id);
    if (view === null) {
      jobNotFound(req, res, id);
      return;
    }
    if (view.resultJson === null) {
      sendProblem(req, res, "job-not-finished", `Job ${id} is ${view.job.state} and has no result${view.job.state === "queued" || view.job.state === "running" ? " yet" : ""}.`);
      return;
    }
    sendJson(res, 200, view.resultJson);
  };
}

export function cancelJobRoute(deps: { jobs: JobQueue; logger: Logger }): RequestHandler {
  return async (req, res) => {
    const id = jobIdOf(req);
    const job = await deps.jobs.cancel(id);
    if (job === null) {
      jobNotFound(req, res, id);
      return;
    }
    deps.logger.info({ requestId: res.locals.requestId, job: id, state: job.state }, "job cancel");
    // 202 while a running job is stopping; 200 once the job is in its final state.
    sendJson(res, job.state === "running" ? 202 : 200, JSON.stringify(job));
  };
}

const CURSOR_PREFIX = "jobs:";

export function listJobsRoute(deps: { jobs: JobQueue }): RequestHandler {
  return async (req, res) => {
    const query = queryOf(req);
    const errors: { path: string; message: string }[] = [];
    let limit = DEFAULT_PAGE_LIMIT;
    const rawLimit = query.get("limit");
    if (rawLimit !== null) {
      if (/^\d{1,4}$/.test(rawLimit) && Number(rawLimit) >= 1 && Number(rawLimit) <= MAX_PAGE_LIMIT) limit = Number(rawLimit);
      else errors.push({ path: "limit", message: `must be an integer from 1 to ${MAX_PAGE_LIMIT}` });
    }
    let cursor: string | null = null;
    const rawCursor = query.get("cursor");
    if (rawCursor !== null && rawCursor !== "") {
      const decoded = /^[A-Za-z0-9_-]{1,400}$/.test(rawCursor) ? Buffer.from(rawCursor, "base64url").toString("utf8") : "";
      if (decoded.startsWith(CURSOR_PREFIX)) cursor = decoded.slice(CURSOR_PREFIX.length);
      else errors.push({ path: "cursor", message: "is not a cursor of this list (use nextCursor from the previous page)" });
    }
    if (errors.length > 0) {
      sendProblem(req, res, "invalid-query", "See errors.", { errors });
      return;
    }
    let page: Awaited<ReturnType<JobQueue["list"]>>;
    try {
      page = await deps.jobs.list({ limit, cursor });
    } catch (error) {
      // The backend reads the cursor: one it cannot read was not made by it.
      if (!(error instanceof RangeError)) throw error;
      sendProblem(req, res, "invalid-query", "See errors.", { errors: [{ path: "cursor", message: "is not a cursor of this list (use nextCursor from the previous page)" }] });
      return;
    }
    const nextCursor = page.next === null ? null : Buffer.from(`${CURSOR_PREFIX}${page.next}`, "utf8").toString("base64url");
    sendJson(res, 200, JSON.stringify({ items: page.jobs, nextCursor }));
  };
}
