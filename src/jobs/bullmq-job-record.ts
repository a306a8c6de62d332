/**
 * A BullMQ job as Allot shows it: the worker's return value, the failure reason's encoding, and the
 * one mapping from a BullMQ job's fields (and its cancel request) to a JobSummary. Pure functions,
 * shared by the API side (bullmq-job-queue.ts) and the worker (bullmq-job-worker.ts).
 */
import { JobError, JobKind, JobProgress, type JobState, type JobSummary } from "../../models/index.ts";
import { isRecord } from "../numeric/is-record.ts";
import type { JobWork } from "./job-work.ts";

/** What a BullMQ job carries (its name is the kind too). */
export interface BullmqJobData {
  kind: JobKind;
  work: JobWork;
}

/** What a worker's processor returns; BullMQ keeps it as the job's return value. */
export interface BullmqJobReturn {
  state: "succeeded" | "cancelled";
  /** The answer's status (a Solution's status); null when the job was cancelled before any answer. */
  status: string | null;
  /** False when the worker found the job cancelled before starting its work (that start is not an attempt). */
  ran: boolean;
  /** Bytes of the answer's JSON text, kept under the job's result key; null without an answer. */
  resultBytes: number | null;
  /** When the cancel was requested (ms since the epoch); null when none was. */
  cancelledAt: number | null;
}

/**
 * The BullMQ job hash fields a summary reads, as BullMQ stores them (`ats` = attempts started).
 * Never `data` (the work) nor anything as large: a page of the list reads these for each job.
 */
export const BULLMQ_SUMMARY_FIELDS = ["name", "timestamp", "processedOn", "finishedOn", "ats", "progress", "returnvalue", "failedReason"] as const;

/** BullMQ's reason for a job whose worker died more often than `maxStalledCount` allows. */
export const STALLED_REASON = "job stalled more than allowable limit";

/** What a summary is made of: a job's fields (null when absent) and its BullMQ state. */
export interface BullmqJobFields {
  id: string;
  /** BullMQ's state: waiting, delayed, prioritized, waiting-children, active, completed, failed or unknown. */
  state: string;
  /** The values of BULLMQ_SUMMARY_FIELDS, in that order (null = absent). */
  values: readonly (string | null)[];
  /** The job's cancel request (ms), or null. */
  cancelRequestedAt: number | null;
}

/** The failure of a job as BullMQ's failedReason: the JobError as JSON. */
export function encodeJobError(error: JobError): string {
  return JSON.stringify(error);
}

/** The JobError of a failedReason; any other text (BullMQ's own reasons) is an internal error that quotes it. */
export function decodeJobError(reason: string): JobError {
  try {
    const parsed = JobError.safeParse(JSON.parse(reason));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: one of BullMQ's own reasons.
  }
  if (reason === STALLED_REASON) return { type: "internal", detail: `The workers running the job stopped twice without finishing it (${reason}); it is not tried again.` };
  return { type: "internal", detail: reason };
}

/** A return value as the worker wrote it, or null when it is not one (then the job shows no status). */
export function readJobReturn(value: unknown): BullmqJobReturn | null {
  if (!isRecord(value)) return null;
  const { state, status, ran, resultBytes, cancelledAt } = value;
  if (state !== "succeeded" && state !== "cancelled") return null;
  return {
    state,
    status: typeof status === "string" ? status : null,
    ran: ran !== false,
    resultBytes: typeof resultBytes === "number" ? resultBytes : null,
    cancelledAt: typeof cancelledAt === "number" ? cancelledAt : null,
  };
}

const QUEUED = new Set(["waiting", "wait", "delayed", "prioritized", "waiting-children"]);

function integerOf(text: string | null | undefined): number | null {
  if (text === null || text === undefined || !/^\d{1,16}$/.test(text)) return null;
  return Number(text);
}

function jsonOf(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * The summary of a job, or null when BullMQ no longer knows it. A job found finished (finishedOn
 * set) is read from its fields, whatever the state read a moment before said; a queued job with a
 * cancel request is cancelled (a worker skips it); a running one stays running until its worker
 * stops it. Finished jobs expire `retentionS` after they finished.
 */
export function jobSummaryOf(fields: BullmqJobFields, retentionS: number): JobSummary | null {
  const field = (name: (typeof BULLMQ_SUMMARY_FIELDS)[number]): string | null => fields.values[BULLMQ_SUMMARY_FIELDS.indexOf(name)] ?? null;
  const [name, timestamp, processedOn, finishedOn, ats, progress, returnvalue, failedReason] = [
    field("name"),
    field("timestamp"),
    field("processedOn"),
    field("finishedOn"),
    field("ats"),
    field("progress"),
    field("returnvalue"),
    field("failedReason"),
  ] as const;
  if (fields.state === "unknown") return null;
  const kind = JobKind.safeParse(name);
  const createdMs = integerOf(timestamp);
  if (!kind.success || createdMs === null) return null;
  const startedMs = integerOf(processedOn);
  const finishedMs = integerOf(finishedOn);
  const started = integerOf(ats) ?? 0;
  const parsedProgress = JobProgress.safeParse(jsonOf(progress));
  const summary = (state: JobState, end: { atMs: number | null; attempts?: number; status?: string | null; error?: JobError | null }): JobSummary => {
    const attempts = end.attempts ?? started;
    return {
      id: fields.id,
      kind: kind.data,
      state,
      createdAt: new Date(createdMs).toISOString(),
      startedAt: attempts === 0 ? null : iso(startedMs),
      finishedAt: iso(end.atMs),
      attempts,
      progress: parsedProgress.success ? parsedProgress.data : null,
      status: end.status ?? null,
      error: end.error ?? null,
      expiresAt: end.atMs === null ? null : iso(end.atMs + retentionS * 1000),
    };
  };

  if (finishedMs !== null && returnvalue !== null) {
    const result = readJobReturn(jsonOf(returnvalue));
    // A job its worker skipped (cancelled while queued) ended when the cancel came, and that start is no attempt.
    if (result?.ran === false) return summary("cancelled", { atMs: result.cancelledAt ?? finishedMs, attempts: Math.max(0, started - 1) });
    return summary(result?.state ?? "succeeded", { atMs: finishedMs, status: result?.status ?? null });
  }
  if (finishedMs !== null && failedReason !== null) return summary("failed", { atMs: finishedMs, error: decodeJobError(failedReason) });
  if (fields.state === "active") return summary("running", { atMs: null });
  if (QUEUED.has(fields.state)) return fields.cancelRequestedAt === null ? summary("queued", { atMs: null }) : summary("cancelled", { atMs: fields.cancelRequestedAt });
  // Finished by its state but without its end written: not a state BullMQ leaves a job in.
  return null;
}
