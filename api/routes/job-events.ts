/**
 * GET /v1/jobs/{id}/events: a Server-Sent Events stream of the job. `progress` events (id = the
 * progress's seq, data = JobProgress) while it runs, then one `end` event (data = the final
 * JobSummary) and the stream closes. Progress is a state, not a log: a client that reconnects with
 * `Last-Event-ID` gets the current progress at once if it is newer than the one it saw, then the
 * live events; a finished job answers its `end` event at once. A comment line every 15 s keeps
 * proxies from closing a quiet stream.
 */
import type { RequestHandler, Response } from "express";
import type { JobProgress, JobSummary } from "../../models/index.ts";
import { isFinished, type JobEvent, type JobQueue } from "../../src/jobs/job-queue.ts";
import type { ServiceState } from "../service-state.ts";
import { jobIdOf, jobNotFound } from "./jobs.ts";

const HEARTBEAT_MS = 15_000;
const RETRY_MS = 2_000;

function writeProgress(res: Response, progress: JobProgress): void {
  res.write(`event: progress\nid: ${progress.seq}\ndata: ${JSON.stringify(progress)}\n\n`);
}

function writeEnd(res: Response, job: JobSummary): void {
  res.write(`event: end\nid: ${(job.progress?.seq ?? 0) + 1}\ndata: ${JSON.stringify(job)}\n\n`);
}

export function jobEventsRoute(deps: { jobs: JobQueue; state: ServiceState }): RequestHandler {
  return async (req, res) => {
    const id = jobIdOf(req);
    const lastHeader = req.get("last-event-id");
    const lastSeen = lastHeader !== undefined && /^\d{1,15}$/.test(lastHeader) ? Number(lastHeader) : -1;

    // Listen before reading the record, so that nothing between the two is missed.
    const pending: JobEvent[] = [];
    let deliver: ((event: JobEvent) => void) | null = null;
    const unsubscribe = await deps.jobs.subscribe(id, (event) => (deliver === null ? pending.push(event) : deliver(event)));
    const view = await deps.jobs.get(id);
    if (view === null) {
      unsubscribe();
      jobNotFound(req, res, id);
      return;
    }

    res.status(200);
    res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
    res.setHeader("Cache-Control", "no-cache, no-transform");
    res.setHeader("X-Accel-Buffering", "no");
    res.flushHeaders();
    res.write(`retry: ${RETRY_MS}\n\n`);

    let seen = lastSeen;
    let ended = false;
    const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), HEARTBEAT_MS);
    // A server shutting down ends the stream (the client reconnects elsewhere with Last-Event-ID).
    const leave = deps.state.onShutdown(() => {
      stop();
      res.end();
    });
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
      leave();
    };
    const end = (job: JobSummary) => {
      if (ended) return;
      ended = true;
      if (job.progress !== null && job.progress.seq > seen) writeProgress(res, job.progress);
      writeEnd(res, job);
      stop();
      res.end();
    };
    const onEvent = (event: JobEvent) => {
      if (ended) return;
      if (event.type === "end") end(event.job);
      else if (event.progress.seq > seen) {
        seen = event.progress.seq;
        writeProgress(res, event.progress);
      }
    };
    res.once("close", stop);

    if (isFinished(view.job.state)) {
      end(view.job);
      return;
    }
    if (view.job.progress !== null && view.job.progress.seq > seen) {
      seen = view.job.progress.seq;
      writeProgress(res, view.job.progress);
    }
    deliver = onEvent;
    for (const event of pending.splice(0)) onEvent(event);
  };
}
