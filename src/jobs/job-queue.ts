/**
 * The one interface of the two job backends: embedded (the process's own solve pool, records in
 * the embedded database; embedded-job-queue.ts) and BullMQ on Redis (worker processes;
 * bullmq-job-queue.ts). The API talks only to this.
 */
import type { JobKind, JobProgress, JobState, JobSummary } from "../../models/index.ts";
import type { JobWork } from "./job-work.ts";

/** What a job's events stream carries: progress while it runs, then one end event with its final record. */
export type JobEvent = { type: "progress"; progress: JobProgress } | { type: "end"; job: JobSummary };

export interface JobView {
  job: JobSummary;
  /** The answer's JSON text once succeeded (or cancelled with an answer); else null. */
  resultJson: string | null;
}

export interface JobPage {
  jobs: JobSummary[];
  /** Cursor of the next (older) page; null on the last. */
  next: string | null;
}

export interface JobQueue {
  readonly backend: "embedded" | "bullmq";
  /** Queues validated work; resolves with the new job's record (state queued). */
  submit(kind: JobKind, work: JobWork): Promise<JobSummary>;
  get(id: string): Promise<JobView | null>;
  /** Newest first. */
  list(page: { limit: number; cursor: string | null }): Promise<JobPage>;
  /**
   * Cancels: a queued job never runs; a running one stops within about a second, keeping its best
   * verified answer so far. A finished job is left as it is. Null for an unknown id.
   */
  cancel(id: string): Promise<JobSummary | null>;
  /**
   * Calls `listener` with each event of the job from now on (the caller reads the current record
   * first); returns the function that stops listening.
   */
  subscribe(id: string, listener: (event: JobEvent) => void): Promise<() => void>;
  /** Jobs known by state (for metrics). */
  counts(): Promise<Record<JobState, number>>;
  /** Stops taking jobs; lets the running ones finish for up to `graceMs`. */
  close(options?: { graceMs?: number }): Promise<void>;
}

export const JOB_STATES: readonly JobState[] = ["queued", "running", "succeeded", "failed", "cancelled"];

/** True for the states a job does not leave. */
export function isFinished(state: JobState): boolean {
  return state === "succeeded" || state === "failed" || state === "cancelled";
}
