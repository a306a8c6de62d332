/**
 * Long work as a job (POST /v1/jobs): progress over Server-Sent Events
 * (GET /v1/jobs/{id}/events), cancel (DELETE /v1/jobs/{id}), and the result
 * (GET /v1/jobs/{id}/result) once the job has ended with one.
 */
import { getJson, sendJson } from "./api-client.ts";
import type { JobProgress, JobSummary } from "./contract.ts";

export type JobKind = "solve" | "scenarios" | "reassign";

export interface JobOutcome<T> {
  job: JobSummary;
  /** The answer (also for a cancelled job that kept its best plan); null without one. */
  result: T | null;
  /** Milliseconds from the end event to the parsed result: the part of the wait that is transfer and parsing. */
  fetchMs: number;
}

export interface RunningJob<T> {
  id: string;
  cancel(): Promise<void>;
  done: Promise<JobOutcome<T>>;
}

export async function startJob<T>(kind: JobKind, input: unknown, query: Record<string, string> | undefined, onProgress: (progress: JobProgress) => void): Promise<RunningJob<T>> {
  const body = query === undefined ? { kind, input } : { kind, input, query };
  const job = await sendJson<JobSummary>("POST", "/v1/jobs", body);
  const id = job.id;
  const done = new Promise<JobOutcome<T>>((resolve, reject) => {
    const events = new EventSource(`/v1/jobs/${encodeURIComponent(id)}/events`);
    events.addEventListener("progress", (event) => {
      onProgress(JSON.parse((event as MessageEvent<string>).data) as JobProgress);
    });
    events.addEventListener("end", (event) => {
      events.close();
      const final = JSON.parse((event as MessageEvent<string>).data) as JobSummary;
      if (final.progress !== null) onProgress(final.progress);
      const start = performance.now();
      const withResult = final.state === "succeeded" || final.state === "cancelled";
      (withResult ? getJson<T>(`/v1/jobs/${encodeURIComponent(id)}/result`).catch(() => null) : Promise.resolve(null))
        .then((result) => resolve({ job: final, result, fetchMs: performance.now() - start }))
        .catch(reject);
    });
    events.onerror = () => {
      // EventSource reconnects by itself (with Last-Event-ID); give up only when it has closed.
      if (events.readyState === EventSource.CLOSED) reject(new Error("The connection to the job's progress was lost."));
    };
  });
  return {
    id,
    cancel: async () => {
      await sendJson<JobSummary>("DELETE", `/v1/jobs/${encodeURIComponent(id)}`);
    },
    done,
  };
}
