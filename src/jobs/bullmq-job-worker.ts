/**
 * The BullMQ backend of the jobs, worker side (`npm run worker`, api/worker.ts): a BullMQ Worker
 * that takes jobs from the queue and runs their work on this process's solve pool with
 * `runJobWork`, so that a job's answer has the bytes of the synchronous endpoint's.
 *
 * - Before starting a job, and every CANCEL_POLL_MS while it runs, the worker reads the job's
 *   cancel request (bullmq-job-keys.ts): a queued job cancelled is skipped (it never runs); a
 *   running one gets its StopFlag requested and ends cancelled, with the best verified answer so
 *   far when the engine gave one (a solve that does not stop within the pool's grace is stopped
 *   without an answer: TaskCancelledError).
 * - Progress goes to BullMQ's job progress (at most PROGRESS_PER_SECOND reports a second, the last
 *   one always), which every API process receives through its QueueEvents.
 * - The answer's JSON text is stored under the job's result key for the retention period; BullMQ's
 *   return value (BullmqJobReturn) holds only the outcome.
 * - A plan rejected while solving fails the job with type invalid-plan and the errors; any other
 *   error fails it with type internal (logged with the job id; the worker carries on).
 * - A worker that dies (SIGKILL, lost machine) stops renewing its lock; after `lockDurationMs` the
 *   stalled check of another worker puts the job back in the queue once (`maxStalledCount: 1`, so
 *   two attempts at most), and a second death fails it with BullMQ's reason.
 * - close() stops taking jobs and resolves once the running ones have finished.
 */
import { hostname } from "node:os";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { JobKind } from "../../models/index.ts";
import { isRecord } from "../numeric/is-record.ts";
import { PlanRejectedError, TaskCancelledError, type SolvePool } from "../runtime/solve-pool.ts";
import { StopFlag } from "../runtime/stop-flag.ts";
import { bullmqJobKeys, CANCEL_POLL_MS } from "./bullmq-job-keys.ts";
import { encodeJobError, type BullmqJobData, type BullmqJobReturn } from "./bullmq-job-record.ts";
import { createProgressSender } from "./job-progress-sender.ts";
import { runJobWork, type JobWork } from "./job-work.ts";
import { quitRedis, settledWithin } from "./redis-quit.ts";

/** The log calls the worker makes (pino's logger fits). */
export interface JobLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface BullmqWorkerOptions {
  redisUrl: string;
  queueName: string;
  pool: Pick<SolvePool, "solve" | "stats">;
  /** Jobs this process runs at a time. */
  concurrency: number;
  /** How long an answer is kept after the job finished, in seconds (as the API's ALLOT_JOB_RETENTION_S). */
  retentionS: number;
  /** How long the worker's lock on a running job lasts (renewed at half of it). Default BullMQ's 30 s. */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs. Default BullMQ's 30 s. */
  stalledIntervalMs?: number;
  logger: JobLogger;
  /** The worker's name in BullMQ (a job's `processedBy`); default `<host>:<pid>`. */
  name?: string;
}

export interface BullmqWorker {
  readonly name: string;
  /** Jobs running now. */
  running(): number;
  /**
   * Stops taking jobs and resolves once the running ones have finished. `force`: returns at once,
   * leaving running jobs to the stalled check (another worker runs them again).
   */
  close(options?: { force?: boolean }): Promise<void>;
}

/** Most progress reports a job sends a second. */
export const PROGRESS_PER_SECOND = 5;
/** How long close() waits for BullMQ when no job is running. */
const CLOSE_WAIT_MS = 2_000;
/** An answer outlives its job's expiry by this much, so that a job never shows without its answer. */
const RESULT_MARGIN_S = 60;

/** The job's data as the API queued it, or null when it is not (another version's job, a stray). */
function readJobData(data: unknown): BullmqJobData | null {
  if (!isRecord(data) || !isRecord(data.work)) return null;
  const kind = JobKind.safeParse(data.kind);
  if (!kind.success || data.work.kind !== kind.data) return null;
  return { kind: kind.data, work: data.work as unknown as JobWork };
}

/** The next progress number of a job tried again: after the last one it reported. */
function nextSeq(progress: unknown): number {
  return isRecord(progress) && typeof progress.seq === "number" && Number.isInteger(progress.seq) && progress.seq >= 0 ? progress.seq + 1 : 0;
}

const timeOf = (value: string | null): number | null => (value !== null && /^\d{1,16}$/.test(value) ? Number(value) : null);

export function startBullmqWorker(options: BullmqWorkerOptions): BullmqWorker {
  const { pool, logger, retentionS } = options;
  const keys = bullmqJobKeys(options.queueName);
  const name = options.name ?? `${hostname()}:${process.pid}`;
  // Waits through a Redis outage like BullMQ's own worker connections do.
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  redis.on("error", (error: unknown) => logger.warn({ err: error }, "redis connection error"));
  let active = 0;

  /** Bookkeeping of a job that ends cancelled: counted as such, and its cancel request expires with it. */
  const noteCancelled = async (id: string) => {
    await redis.pipeline().zadd(keys.cancelled, Date.now(), id).expire(keys.cancel(id), retentionS + RESULT_MARGIN_S).exec();
  };

  async function run(job: Job<unknown, BullmqJobReturn, string>): Promise<BullmqJobReturn> {
    const id = job.id ?? "";
    const started = performance.now();
    const data = readJobData(job.data);
    if (data === null) {
      logger.error({ job: id, name: job.name }, "job data is not an Allot job");
      throw new UnrecoverableError(encodeJobError({ type: "internal", detail: "The job's data is not work this worker knows." }));
    }
    const requested = timeOf(await redis.get(keys.cancel(id)));
    if (requested !== null) {
      await noteCancelled(id);
      logger.info({ job: id, kind: data.kind }, "job cancelled before it started: skipped");
      return { state: "cancelled", status: null, ran: false, resultBytes: null, cancelledAt: requested };
    }

    const stop = new StopFlag();
    let cancelledAt: number | null = null;
    let polling = false;
    const poll = setInterval(() => {
      if (polling || stop.requested) return;
      polling = true;
      redis
        .get(keys.cancel(id))
        .then((value) => {
          const at = timeOf(value);
          if (at === null) return;
          cancelledAt = at;
          logger.info({ job: id }, "job cancel requested: stopping");
          stop.request();
        })
        .catch((error: unknown) => logger.warn({ err: error, job: id }, "cannot read the job's cancel request"))
        .finally(() => {
          polling = false;
        });
    }, CANCEL_POLL_MS);
    const progress = createProgressSender((report) => job.updateProgress(report), {
      perSecond: PROGRESS_PER_SECOND,
      firstSeq: nextSeq(job.progress),
      onError: (error) => logger.warn({ err: error, job: id }, "cannot write the job's progress"),
    });

    try {
      const result = await runJobWork(data.work, pool, { stop, onProgress: (p) => progress.report(p) });
      clearInterval(poll);
      const state = stop.requested ? "cancelled" : "succeeded";
      await redis.set(keys.result(id), result.json, "EX", retentionS + RESULT_MARGIN_S);
      if (state === "cancelled") await noteCancelled(id);
      logger.info({ job: id, kind: data.kind, attempt: job.attemptsStarted, state, ms: Math.round(performance.now() - started), ...result.log }, "job finished");
      return { state, status: result.status, ran: true, resultBytes: Buffer.byteLength(result.json), cancelledAt };
    } catch (error) {
      clearInterval(poll);
      if (error instanceof TaskCancelledError && stop.requested) {
        // The solve did not stop within the pool's grace: cancelled, without an answer.
        await noteCancelled(id);
        logger.info({ job: id, kind: data.kind, ms: Math.round(performance.now() - started) }, "job cancelled without an answer");
        return { state: "cancelled", status: null, ran: true, resultBytes: null, cancelledAt };
      }
      if (error instanceof PlanRejectedError) {
        logger.info({ job: id, kind: data.kind, errors: error.errors.length }, "job failed: plan rejected while solving");
        // As POST /v1/solve answers it, with the paths under the job request's `input` (as its validation errors).
        const errors = error.errors.map((e) => ({ path: e.path === "" ? "input" : `input.${e.path}`, message: e.message }));
        throw new UnrecoverableError(encodeJobError({ type: "invalid-plan", detail: "A rule or score expression of the plan cannot be used for some pair.", errors }));
      }
      logger.error({ err: error, job: id, kind: data.kind }, "job failed with an unexpected error");
      throw new UnrecoverableError(encodeJobError({ type: "internal", detail: `The job failed with an unexpected error; the worker's log has it under job ${id}.` }));
    } finally {
      clearInterval(poll);
      // The last progress lands before the job's end.
      await progress.flush();
    }
  }

  const worker = new Worker<unknown, BullmqJobReturn, string>(
    options.queueName,
    async (job) => {
      active += 1;
      try {
        return await run(job);
      } finally {
        active -= 1;
      }
    },
    {
      connection: { url: options.redisUrl },
      name,
      concurrency: options.concurrency,
      maxStalledCount: 1,
      ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
      ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
    },
  );
  worker.on("error", (error) => logger.error({ err: error }, "job worker error"));
  worker.on("stalled", (jobId) => logger.warn({ job: jobId }, "job stalled (its worker stopped): back in the queue"));
  worker.on("failed", (job, error) => {
    if (job?.id === undefined) return;
    // A job failed by the stalled check never reached the processor: its cancel request expires here.
    redis.expire(keys.cancel(job.id), retentionS + RESULT_MARGIN_S).catch(() => undefined);
    if (error.message.startsWith("{")) return; // the processor's own failure, logged there
    logger.warn({ job: job.id, reason: error.message }, "job failed");
  });

  let closing: Promise<void> | null = null;
  return {
    name,
    running: () => active,
    close({ force = false } = {}) {
      closing ??= (async () => {
        try {
          const closed = worker.close(force);
          // With no job running there is nothing to wait for; BullMQ's close waits on Redis, which may be away.
          if (active === 0) await settledWithin(closed, CLOSE_WAIT_MS);
          else await closed;
        } finally {
          await quitRedis(redis);
        }
      })();
      return closing;
    },
  };
}
