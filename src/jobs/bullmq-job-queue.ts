/**
 * The BullMQ backend of the jobs, API side: jobs go to a BullMQ queue on Redis and run on separate
 * worker processes (bullmq-job-worker.ts, `npm run worker`), on any number of machines. Any API
 * process can read, cancel and stream any job: everything lives in Redis.
 *
 * - A job is a BullMQ job with id randomUUID(), name = its kind, data `{ kind, work }`, one attempt
 *   (a worker that dies leaves it to BullMQ's stalled check, which hands it to another worker once),
 *   kept `retentionS` after it finished (`removeOnComplete/removeOnFail: { age }`).
 * - Its record (JobSummary) is read from BullMQ's job fields (never the work nor the answer) and its
 *   state (bullmq-job-record.ts); the answer's JSON text sits under its own key.
 * - Cancel writes the job's cancel request (bullmq-job-keys.ts). A queued job with one shows as
 *   cancelled at once and the worker that takes it skips it; a running one is stopped by its worker,
 *   which polls the request every CANCEL_POLL_MS. docs/decisions.md says why.
 * - Events come from one QueueEvents per process (BullMQ's events stream): `progress`, `completed`,
 *   `failed`, and Allot's own CANCELLED_EVENT for a queued job cancelled.
 * - Newest-first listing walks Allot's index of ids by creation time; the cursor of the next page is
 *   `<created ms>.<id>` of the last job shown.
 *
 * Redis failures reject with JobBackendUnavailableError (the request may be retried).
 */
import { randomUUID } from "node:crypto";
import type { EventEmitter } from "node:events";
import { Queue, QueueEvents, QueueEventsProducer } from "bullmq";
import { Redis } from "ioredis";
import { JobProgress, type JobKind, type JobState, type JobSummary } from "../../models/index.ts";
import { isRecord } from "../numeric/is-record.ts";
import { PoolClosedError } from "../runtime/solve-pool.ts";
import { bullmqJobKeys, CANCELLED_EVENT } from "./bullmq-job-keys.ts";
import { BULLMQ_SUMMARY_FIELDS, jobSummaryOf, type BullmqJobData } from "./bullmq-job-record.ts";
import { JobBackendUnavailableError } from "./job-backend-unavailable-error.ts";
import { quitRedis, settledWithin } from "./redis-quit.ts";
import { isFinished, JOB_STATES, type JobEvent, type JobPage, type JobQueue, type JobView } from "./job-queue.ts";

export interface BullmqJobQueueOptions {
  /** `redis://…` or `rediss://…`. */
  redisUrl: string;
  queueName: string;
  /** How long a finished job and its answer are kept, in seconds. */
  retentionS: number;
  /** How often a subscription re-reads its job, in case an event was lost (default 5000 ms). */
  subscriptionCheckMs?: number;
  /** Errors of the Redis connections outside any call (they reconnect by themselves); e.g. to log them. */
  onError?: (error: unknown) => void;
}

/** Seconds a client may wait before it tries again while Redis does not answer. */
const UNAVAILABLE_RETRY_AFTER_S = 5;
/** How long a call waits for Redis to be connected (start-up, an outage) before it gives up. */
const CONNECT_WAIT_MS = 1_000;
/** How long a call waits for Redis's answer before it gives up (the command may still complete). */
const CALL_TIMEOUT_MS = 10_000;
/** How long close() waits for each BullMQ part to close. */
const CLOSE_WAIT_MS = 2_000;
/** An index entry without its job is dropped only once this old (its job may be being added). */
const INDEX_GRACE_MS = 60_000;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
const CURSOR_PATTERN = /^(\d{1,16})\.([A-Za-z0-9_-]{1,100})$/;
/** BullMQ's states of a job that waits for a worker. */
const QUEUED_TYPES = ["waiting", "delayed", "prioritized", "waiting-children"] as const;

interface Position {
  score: number;
  id: string;
}

function readCursor(cursor: string): Position {
  const match = CURSOR_PATTERN.exec(cursor);
  if (match === null) throw new RangeError(`not a cursor of the job list: ${JSON.stringify(cursor.slice(0, 40))}`);
  return { score: Number(match[1]), id: match[2] ?? "" };
}

/** ioredis pipeline replies, or the first error among them. */
function repliesOf(replies: [Error | null, unknown][] | null): unknown[] {
  if (replies === null) throw new Error("redis pipeline was discarded");
  return replies.map(([error, value]) => {
    if (error !== null) throw error;
    return value;
  });
}

const stringOrNull = (value: unknown): string | null => (typeof value === "string" ? value : null);

export function createBullmqJobQueue(options: BullmqJobQueueOptions): JobQueue {
  const { queueName, retentionS } = options;
  const checkMs = options.subscriptionCheckMs ?? 5_000;
  const onError = (error: unknown) => options.onError?.(error);
  const keys = bullmqJobKeys(queueName);
  // One connection for commands (fail fast while Redis is away: one reconnection attempt, then the
  // call rejects), shared by the Queue and the event producer; QueueEvents needs its own (blocking reads).
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  redis.on("error", onError);
  const queue = new Queue<BullmqJobData, unknown, JobKind>(queueName, { connection: redis });
  queue.on("error", onError);
  const producer = new QueueEventsProducer(queueName, { connection: redis });
  producer.on("error", onError);
  // Not waiting for the connection at start: then close() can end it even while Redis is away.
  const events = new QueueEvents(queueName, { connection: { url: options.redisUrl }, skipWaitingForReady: true, skipVersionCheck: true });
  events.on("error", onError);
  const emitter: EventEmitter = events;
  emitter.setMaxListeners(0);
  const subscriptions = new Set<() => void>();
  let closed = false;
  let closing: Promise<void> | null = null;

  /** Waits up to CONNECT_WAIT_MS for the command connection (at start-up, during an outage). */
  function connected(): Promise<void> {
    if (redis.status === "ready") return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        redis.off("ready", onReady);
        reject(new Error(`redis is not connected (${redis.status})`));
      }, CONNECT_WAIT_MS);
      redis.once("ready", onReady);
    });
  }

  /**
   * Runs a Redis call, turning a connection failure into JobBackendUnavailableError: Redis not
   * connected within CONNECT_WAIT_MS, a command refused, or no answer within CALL_TIMEOUT_MS.
   * After close(), every call rejects with PoolClosedError.
   */
  async function guarded<T>(call: () => Promise<T>): Promise<T> {
    if (closed) throw new PoolClosedError();
    let timer: NodeJS.Timeout | undefined;
    try {
      await connected();
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`redis did not answer within ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
      });
      return await Promise.race([call(), late]);
    } catch (error) {
      if (error instanceof RangeError || error instanceof PoolClosedError || error instanceof JobBackendUnavailableError) throw error;
      throw new JobBackendUnavailableError(UNAVAILABLE_RETRY_AFTER_S, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Drops what Allot keeps beside a job that BullMQ no longer has (or that expired and was removed). */
  async function forget(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await redis.pipeline([["zrem", keys.index, ...ids], ...ids.flatMap((id) => [["del", keys.result(id), keys.cancel(id)]])]).exec();
  }

  /**
   * The records of `ids` (null: unknown or expired). An expired finished job that BullMQ has not yet
   * removed (it removes by age lazily) is removed here, so a record never outlives its expiry.
   */
  async function read(ids: readonly string[]): Promise<(JobSummary | null)[]> {
    if (ids.length === 0) return [];
    // The state first: fields read after it are at least as recent, and a finished job is read from them.
    const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
    const replies = repliesOf(await redis.pipeline(ids.flatMap((id) => [["hmget", queue.toKey(id), ...BULLMQ_SUMMARY_FIELDS], ["get", keys.cancel(id)]])).exec());
    const now = Date.now();
    const expired: string[] = [];
    const summaries = ids.map((id, i) => {
      const values = replies[2 * i];
      const cancel = stringOrNull(replies[2 * i + 1]);
      const summary = jobSummaryOf(
        {
          id,
          state: states[i] ?? "unknown",
          values: Array.isArray(values) ? values.map(stringOrNull) : [],
          cancelRequestedAt: cancel !== null && /^\d{1,16}$/.test(cancel) ? Number(cancel) : null,
        },
        retentionS,
      );
      if (summary?.expiresAt != null && Date.parse(summary.expiresAt) <= now) {
        expired.push(id);
        return null;
      }
      return summary;
    });
    for (const id of expired) {
      // 0 when a worker holds the job (a cancelled one it is about to skip): then it is left alone.
      const removed = await queue.remove(id).catch(() => 0);
      if (removed === 1) await forget([id]);
    }
    return summaries;
  }

  async function readOne(id: string): Promise<JobSummary | null> {
    if (!ID_PATTERN.test(id)) return null;
    return (await read([id]))[0] ?? null;
  }

  /** Up to `count` ids after `from` in the index, newest first (ties: larger id first, as Redis orders them). */
  async function idsAfter(from: Position | null, count: number): Promise<Position[]> {
    const pairs = (flat: string[]): Position[] => {
      const out: Position[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) out.push({ id: flat[i] ?? "", score: Number(flat[i + 1]) });
      return out;
    };
    if (from === null) return pairs(await redis.zrevrange(keys.index, 0, count - 1, "WITHSCORES"));
    const sameTime = (await redis.zrangebyscore(keys.index, from.score, from.score))
      .filter((id) => id < from.id)
      .sort()
      .reverse()
      .slice(0, count)
      .map((id) => ({ id, score: from.score }));
    if (sameTime.length >= count) return sameTime;
    const older = pairs(await redis.zrevrangebyscore(keys.index, `(${from.score}`, "-inf", "WITHSCORES", "LIMIT", 0, count - sameTime.length));
    return [...sameTime, ...older];
  }

  async function list(limit: number, cursor: string | null): Promise<JobPage> {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    let position = cursor === null || cursor === "" ? null : readCursor(cursor);
    const found: { job: JobSummary; at: Position }[] = [];
    for (;;) {
      const want = Math.max(limit + 1 - found.length, 16);
      const batch = await idsAfter(position, want);
      const records = await read(batch.map((p) => p.id));
      const gone: string[] = [];
      batch.forEach((at, i) => {
        const job = records[i];
        if (job !== null && job !== undefined) found.push({ job, at });
        else if (at.score < Date.now() - INDEX_GRACE_MS) gone.push(at.id);
      });
      await forget(gone);
      const last = batch.at(-1);
      if (last !== undefined) position = last;
      if (found.length > limit || batch.length < want) break;
    }
    const page = found.slice(0, limit);
    const lastShown = page.at(-1);
    return { jobs: page.map((f) => f.job), next: found.length > limit && lastShown !== undefined ? `${lastShown.at.score}.${lastShown.at.id}` : null };
  }

  async function cancel(id: string): Promise<JobSummary | null> {
    const before = await readOne(id);
    if (before === null || isFinished(before.state)) return before;
    // The first request's time is kept. From here on a worker that takes the job skips it, and one
    // running it stops it at its next poll.
    await redis.set(keys.cancel(id), String(Date.now()), "NX");
    const after = await readOne(id);
    if (after === null) return null;
    if (after.state === "cancelled") {
      // Cancelled while queued: tell every API process's subscribers now. The request stays until the
      // worker that takes the job has seen it (it then lets it expire), however long the job waits.
      await producer.publishEvent({ eventName: CANCELLED_EVENT, jobId: id });
    } else {
      // Running (its worker may already be past its last poll) or finished in between: the request
      // matters only while the job runs, or runs again after a stall.
      await redis.expire(keys.cancel(id), retentionS);
    }
    return after;
  }

  async function subscribe(id: string, listener: (event: JobEvent) => void): Promise<() => void> {
    let ended = false;
    const names = [`progress:${id}`, `completed:${id}`, `failed:${id}`, `${CANCELLED_EVENT}:${id}`] as const;
    const stop = () => {
      clearInterval(check);
      emitter.off(names[0], onProgress);
      for (const name of names.slice(1)) emitter.off(name, onEnd);
      subscriptions.delete(stop);
    };
    const end = async () => {
      if (ended) return;
      const job = await readOne(id);
      if (ended || job === null || !isFinished(job.state)) return;
      ended = true;
      stop();
      listener({ type: "end", job });
    };
    function onEnd() {
      end().catch(onError);
    }
    function onProgress(args: unknown) {
      if (ended || !isRecord(args)) return;
      const progress = JobProgress.safeParse(args.data);
      if (progress.success) listener({ type: "progress", progress: progress.data });
    }
    // A lost event (a reconnection, a trimmed stream) must not leave a stream open forever.
    const check = setInterval(onEnd, checkMs);
    check.unref();
    emitter.on(names[0], onProgress);
    for (const name of names.slice(1)) emitter.on(name, onEnd);
    subscriptions.add(stop);
    try {
      // The job may have ended between the caller's read and now.
      await end();
    } catch (error) {
      stop();
      throw error;
    }
    return stop;
  }

  async function counts(): Promise<Record<JobState, number>> {
    const raw = await queue.getJobCounts(...QUEUED_TYPES, "active");
    const queuedIds = await queue.getRanges([...QUEUED_TYPES], 0, -1);
    const since = Date.now() - retentionS * 1000;
    const replies = repliesOf(
      await redis
        .pipeline()
        .zcount(queue.toKey("completed"), since, "+inf")
        .zcount(queue.toKey("failed"), since, "+inf")
        .zremrangebyscore(keys.cancelled, "-inf", `(${since}`)
        .zcount(keys.cancelled, since, "+inf")
        .exec(),
    );
    const cancelledQueued = queuedIds.length === 0 ? 0 : await redis.exists(...queuedIds.map((id) => keys.cancel(id)));
    const number = (value: unknown) => (typeof value === "number" ? value : 0);
    const [completed, failed, , cancelledRun] = replies.map(number);
    const queuedAll = QUEUED_TYPES.reduce((sum, type) => sum + (raw[type] ?? 0), 0);
    const result = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
    result.queued = Math.max(0, queuedAll - cancelledQueued);
    result.running = raw.active ?? 0;
    result.succeeded = Math.max(0, (completed ?? 0) - (cancelledRun ?? 0));
    result.failed = failed ?? 0;
    result.cancelled = (cancelledRun ?? 0) + cancelledQueued;
    return result;
  }

  async function shutDown(): Promise<void> {
    closed = true;
    for (const stop of [...subscriptions]) stop();
    // Bounded: closing waits on Redis, which may be away.
    await Promise.all([events.close(), producer.close(), queue.close()].map((closing) => settledWithin(closing, CLOSE_WAIT_MS)));
    await quitRedis(redis);
  }

  return {
    backend: "bullmq",

    submit: (kind, work) =>
      guarded(async () => {
        const id = randomUUID();
        const createdAt = Date.now();
        // Indexed first, so a job is never listed before it exists for more than INDEX_GRACE_MS, nor exists unlisted.
        await redis.zadd(keys.index, createdAt, id);
        try {
          await queue.add(kind, { kind, work }, { jobId: id, timestamp: createdAt, attempts: 1, removeOnComplete: { age: retentionS }, removeOnFail: { age: retentionS } });
        } catch (error) {
          await redis.zrem(keys.index, id).catch(() => undefined);
          throw error;
        }
        return {
          id,
          kind,
          state: "queued",
          createdAt: new Date(createdAt).toISOString(),
          startedAt: null,
          finishedAt: null,
          attempts: 0,
          progress: null,
          status: null,
          error: null,
          expiresAt: null,
        };
      }),

    get: (id) =>
      guarded(async (): Promise<JobView | null> => {
        const job = await readOne(id);
        if (job === null) return null;
        const resultJson = job.state === "succeeded" || job.state === "cancelled" ? await redis.get(keys.result(id)) : null;
        return { job, resultJson };
      }),

    list: ({ limit, cursor }) => guarded(() => list(limit, cursor)),
    cancel: (id) => guarded(() => cancel(id)),
    subscribe: (id, listener) => guarded(() => subscribe(id, listener)),
    counts: () => guarded(counts),

    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}
