/**
 * Job records in PostgreSQL (the contract is job-record-store.ts; the table is SQLite's). Each
 * state change is one statement guarded by the state it leaves (`WHERE state = 'queued'`, …), so a
 * cancel and a finish racing on the same job, from one instance or two, cannot both win: the
 * second finds the row changed and reports false.
 */
import { JobError, JobProgress, type JobState, type JobSummary } from "../../models/index.ts";
import type { JobFinish, JobRecordStore, NewJobRecord } from "./job-record-store.ts";
import type { PostgresConnection } from "./postgres-connection.ts";
import { nullableText, num, text, type Row } from "./sqlite-row.ts";

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

const errorJson = (error: JobError | null) => (error === null ? null : JSON.stringify(error));

export function postgresJobRecords({ query, transaction }: PostgresConnection): JobRecordStore {
  const getJob = async (id: string) => {
    const row = (await query(`SELECT ${SUMMARY_COLUMNS}, result_json FROM jobs WHERE id = $1`, [id]))[0];
    return row === undefined ? null : { job: summary(row), resultJson: nullableText(row, "result_json") };
  };

  return {
    async insertJob(job: NewJobRecord): Promise<JobSummary> {
      const row = (await query(`INSERT INTO jobs (id, kind, state, work_json, created_at) VALUES ($1, $2, 'queued', $3, $4) RETURNING ${SUMMARY_COLUMNS}`, [job.id, job.kind, job.workJson, job.createdAt]))[0];
      if (row === undefined) throw new Error("jobs: inserted row not found");
      return summary(row);
    },
    getJob,
    async getJobWork(id) {
      const row = (await query("SELECT work_json FROM jobs WHERE id = $1", [id]))[0];
      return row === undefined ? null : text(row, "work_json");
    },
    async listJobs({ limit, before }) {
      const rows =
        before === null
          ? await query(`SELECT seq, ${SUMMARY_COLUMNS} FROM jobs ORDER BY seq DESC LIMIT $1`, [limit + 1])
          : await query(`SELECT seq, ${SUMMARY_COLUMNS} FROM jobs WHERE seq < (SELECT seq FROM jobs WHERE id = $1) ORDER BY seq DESC LIMIT $2`, [before, limit + 1]);
      const jobs = rows.slice(0, limit).map(summary);
      const last = jobs[jobs.length - 1];
      return { jobs, next: rows.length > limit && last !== undefined ? last.id : null };
    },
    async startJob(id, startedAt) {
      return (await query("UPDATE jobs SET state = 'running', started_at = $2, attempts = attempts + 1 WHERE id = $1 AND state = 'queued' RETURNING id", [id, startedAt])).length === 1;
    },
    async updateJobProgress(id, progress) {
      await query("UPDATE jobs SET progress_json = $2 WHERE id = $1 AND state = 'running'", [id, JSON.stringify(progress)]);
    },
    async finishJob(id, finish: JobFinish) {
      const rows = await query(
        `UPDATE jobs SET state = $2, status = $3, result_json = $4, error_json = $5, finished_at = $6, expires_at = $7
         WHERE id = $1 AND state IN ('queued', 'running') RETURNING id`,
        [id, finish.state, finish.status, finish.resultJson, errorJson(finish.error), finish.finishedAt, finish.expiresAt],
      );
      return rows.length === 1;
    },
    async queuedJobs() {
      return (await query("SELECT id FROM jobs WHERE state = 'queued' ORDER BY seq")).map((row) => text(row, "id"));
    },
    recoverInterruptedJobs: (maxAttempts, failure) =>
      transaction(async (tx) => {
        const requeued = (await tx.query("UPDATE jobs SET state = 'queued' WHERE state = 'running' AND attempts < $1 RETURNING id", [maxAttempts])).length;
        const failed = (
          await tx.query("UPDATE jobs SET state = 'failed', error_json = $1, finished_at = $2, expires_at = $3 WHERE state = 'running' RETURNING id", [
            errorJson(failure.error),
            failure.finishedAt,
            failure.expiresAt,
          ])
        ).length;
        return { requeued, failed };
      }),
    async deleteExpiredJobs(now) {
      return (await query("DELETE FROM jobs WHERE expires_at IS NOT NULL AND expires_at <= $1 RETURNING id", [now])).length;
    },
    async countJobs() {
      const out: Record<JobState, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
      for (const row of await query("SELECT state, count(*)::int AS n FROM jobs GROUP BY state")) {
        const state = STATES.find((s) => s === row.state);
        if (state !== undefined) out[state] = num(row, "n");
      }
      return out;
    },
  };
}
