/**
 * Where the embedded job backend keeps its jobs (SQLite: sqlite-job-records.ts), so that queued
 * and finished jobs survive a restart. The work itself is kept as JSON text; the store neither
 * reads it nor the result.
 */
import type { JobError, JobKind, JobProgress, JobState, JobSummary } from "../../models/index.ts";

export interface NewJobRecord {
  id: string;
  kind: JobKind;
  /** The validated work as JSON text. */
  workJson: string;
  createdAt: string;
}

export interface JobFinish {
  state: Extract<JobState, "succeeded" | "failed" | "cancelled">;
  status: string | null;
  resultJson: string | null;
  error: JobError | null;
  finishedAt: string;
  expiresAt: string;
}

export interface JobRecordStore {
  insertJob(job: NewJobRecord): Promise<JobSummary>;
  getJob(id: string): Promise<{ job: JobSummary; resultJson: string | null } | null>;
  /** The work's JSON text (null for an unknown job). */
  getJobWork(id: string): Promise<string | null>;
  /** Newest first; `before` is the id of the last job of the previous page. */
  listJobs(page: { limit: number; before: string | null }): Promise<{ jobs: JobSummary[]; next: string | null }>;
  /** queued → running (attempts + 1); false when the job is no longer queued (e.g. cancelled). */
  startJob(id: string, startedAt: string): Promise<boolean>;
  updateJobProgress(id: string, progress: JobProgress): Promise<void>;
  /** running or queued → a final state; false when the job had already finished. */
  finishJob(id: string, finish: JobFinish): Promise<boolean>;
  /** Ids of queued jobs, oldest first. */
  queuedJobs(): Promise<string[]>;
  /**
   * After a restart: jobs left running by a process that died go back to queued when they have
   * been started fewer than `maxAttempts` times, else they fail with `error`. Returns how many of each.
   */
  recoverInterruptedJobs(maxAttempts: number, failure: JobFinish): Promise<{ requeued: number; failed: number }>;
  /** Removes finished jobs whose expiry has passed; returns how many. */
  deleteExpiredJobs(now: string): Promise<number>;
  countJobs(): Promise<Record<JobState, number>>;
}
