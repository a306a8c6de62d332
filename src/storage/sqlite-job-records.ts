/**
 * Job records in SQLite (the contract is job-record-store.ts). Each state change is one
 * BEGIN IMMEDIATE transaction guarded by the state it leaves, so a cancel and a finish racing on
 * the same job cannot both win.
 */
import { JobError, JobProgress, type JobState, type JobSummary } from "../../models/index.ts";
import type { JobFinish, JobRecordStore, NewJobRecord } from "./job-record-store.ts";
import { reader, writer, type SqliteConnection } from "./sqlite-connection.ts";
import { asRow, nullableText, num, optionalRow, text, type Row } from "./sqlite-row.ts";

const SUMMARY_COLUMNS = "id, kind, state, created_at, started_at, finished_at, attempts, progress_json, status, error_json, expires_at";
const STATES: readonly JobState[] = ["queued", "running", "succeeded", "failed", "cancelled"];

function parsedOrNull<T>(json: string | null, parse: (value: unknown) => T): T | null {
  return json === null ? null : parse(JSON.parse(json));
}

function summary(row: Row): JobSummary {
  const kind = text(row, "kind");
  const state = text(row, "state");
  if (kind !== "solve" && kind !== "scenarios" && kind !== "reassign") throw new Error(`jobs.kind: unknown ${kind}`);
  const known = STATES.find((s) => s === state);
  if (known === undefined) throw new Error(`jobs.state: unknown ${state}`);
  return {
    id: text(row, "id"),
    kind,
    state: known,
    createdAt: text(row, "created_at"),
    startedAt: nullableText(row, "started_at"),
    finishedAt: nullableText(row, "finished_at"),
    attempts: num(row, "attempts"),
    progress: parsedOrNull(nullableText(row, "progress_json"), (v) => JobProgress.parse(v)),
    status: nullableText(row, "status"),
    error: parsedOrNull(nullableText(row, "error_json"), (v) => JobError.parse(v)),
    expiresAt: nullableText(row, "expires_at"),
  };
}

export function sqliteJobRecords({ db }: SqliteConnection): JobRecordStore {
  const sql = {
    insert: db.prepare("INSERT INTO jobs (id, kind, state, work_json, created_at) VALUES (@id, @kind, 'queued', @workJson, @createdAt)"),
    get: db.prepare(`SELECT ${SUMMARY_COLUMNS}, result_json FROM jobs WHERE id = ?`),
    work: db.prepare("SELECT work_json FROM jobs WHERE id = ?").pluck(),
    seqOf: db.prepare("SELECT seq FROM jobs WHERE id = ?").pluck(),
    pageFirst: db.prepare(`SELECT seq, ${SUMMARY_COLUMNS} FROM jobs ORDER BY seq DESC LIMIT ?`),
    pageAfter: db.prepare(`SELECT seq, ${SUMMARY_COLUMNS} FROM jobs WHERE seq < ? ORDER BY seq DESC LIMIT ?`),
    start: db.prepare("UPDATE jobs SET state = 'running', started_at = ?, attempts = attempts + 1 WHERE id = ? AND state = 'queued'"),
    progress: db.prepare("UPDATE jobs SET progress_json = ? WHERE id = ? AND state = 'running'"),
    finish: db.prepare(
      `UPDATE jobs SET state = @state, status = @status, result_json = @resultJson, error_json = @errorJson, finished_at = @finishedAt, expires_at = @expiresAt
       WHERE id = @id AND state IN ('queued', 'running')`,
    ),
    queued: db.prepare("SELECT id FROM jobs WHERE state = 'queued' ORDER BY seq").pluck(),
    requeue: db.prepare("UPDATE jobs SET state = 'queued' WHERE state = 'running' AND attempts < ?"),
    failLeft: db.prepare(
      `UPDATE jobs SET state = 'failed', error_json = @errorJson, finished_at = @finishedAt, expires_at = @expiresAt WHERE state = 'running'`,
    ),
    deleteExpired: db.prepare("DELETE FROM jobs WHERE expires_at IS NOT NULL AND expires_at <= ?"),
    counts: db.prepare("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state"),
  };

  const getJob = (id: string) => {
    const row = optionalRow(sql.get.get(id));
    return row === null ? null : { job: summary(row), resultJson: nullableText(row, "result_json") };
  };

  return {
    insertJob: writer(db, (job: NewJobRecord): JobSummary => {
      sql.insert.run(job);
      const stored = getJob(job.id);
      if (stored === null) throw new Error("jobs: inserted row not found");
      return stored.job;
    }),
    getJob: reader(getJob),
    getJobWork: reader((id: string): string | null => {
      const value: unknown = sql.work.get(id);
      return typeof value === "string" ? value : null;
    }),
    listJobs: reader(({ limit, before }: { limit: number; before: string | null }) => {
      let rows: unknown[];
      if (before === null) rows = sql.pageFirst.all(limit + 1);
      else {
        const seq: unknown = sql.seqOf.get(before);
        rows = typeof seq === "number" ? sql.pageAfter.all(seq, limit + 1) : [];
      }
      const jobs = rows.slice(0, limit).map((r) => summary(asRow(r)));
      const last = jobs[jobs.length - 1];
      return { jobs, next: rows.length > limit && last !== undefined ? last.id : null };
    }),
    startJob: writer(db, (id: string, startedAt: string) => sql.start.run(startedAt, id).changes === 1),
    updateJobProgress: writer(db, (id: string, progress: JobProgress) => {
      sql.progress.run(JSON.stringify(progress), id);
    }),
    finishJob: writer(
      db,
      (id: string, finish: JobFinish) =>
        sql.finish.run({
          id,
          state: finish.state,
          status: finish.status,
          resultJson: finish.resultJson,
          errorJson: finish.error === null ? null : JSON.stringify(finish.error),
          finishedAt: finish.finishedAt,
          expiresAt: finish.expiresAt,
        }).changes === 1,
    ),
    queuedJobs: reader((): string[] => sql.queued.all().filter((v): v is string => typeof v === "string")),
    recoverInterruptedJobs: writer(db, (maxAttempts: number, failure: JobFinish) => {
      const requeued = sql.requeue.run(maxAttempts).changes;
      const failed = sql.failLeft.run({ errorJson: failure.error === null ? null : JSON.stringify(failure.error), finishedAt: failure.finishedAt, expiresAt: failure.expiresAt }).changes;
      return { requeued, failed };
    }),
    deleteExpiredJobs: writer(db, (now: string) => sql.deleteExpired.run(now).changes),
    countJobs: reader(() => {
      const out: Record<JobState, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
      for (const r of sql.counts.all()) {
        const row = asRow(r);
        const state = STATES.find((s) => s === row.state);
        if (state !== undefined) out[state] = num(row, "n");
      }
      return out;
    }),
  };
}
