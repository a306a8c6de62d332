import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Solution, type JobProgress, type JobSummary } from "../models/index.ts";
import { loadConfig } from "../api/config.ts";
import { readJobWork } from "../api/work-input.ts";
import { generateBook } from "../data/book-generator.ts";
import { createBullmqJobQueue } from "../src/jobs/bullmq-job-queue.ts";
import { BULLMQ_SUMMARY_FIELDS, decodeJobError, encodeJobError, jobSummaryOf, STALLED_REASON } from "../src/jobs/bullmq-job-record.ts";
import { JobBackendUnavailableError } from "../src/jobs/job-backend-unavailable-error.ts";
import type { JobEvent, JobQueue, JobView } from "../src/jobs/job-queue.ts";
import { createProgressSender } from "../src/jobs/job-progress-sender.ts";
import type { JobWork } from "../src/jobs/job-work.ts";
import { effectiveTimeLimitMs } from "../src/plan/time-limit.ts";
import { PoolClosedError } from "../src/runtime/solve-pool.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { gapPlan } from "./gap-fixtures.ts";
import { projectRoot } from "./project-root.ts";
import { tinyPlan } from "./tiny-plan.ts";

const REDIS_URL = process.env.ALLOT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const RETENTION_S = 600;
const config = loadConfig({});

/** Validated solve work for a plan, exactly as POST /v1/jobs would queue it. */
function solveWork(plan: unknown): Extract<JobWork, { kind: "solve" }> {
  const read = readJobWork("solve", plan, {}, config);
  if (!read.ok || read.work.kind !== "solve") throw new Error(`test plan is invalid: ${JSON.stringify(read)}`);
  return read.work;
}

/** A hard GAP instance runs for its whole time limit (the clock cuts its search): a job that surely lasts. */
const longPlan = (timeLimitMs: number) => gapPlan("c20200", { timeLimitMs });

/** A job's answer: a Solution whose status the job shows. */
function answerOf(view: JobView | null): Solution {
  const solution = Solution.parse(JSON.parse(view?.resultJson ?? "null"));
  expect(view?.job.status).toBe(solution.status);
  return solution;
}

/** The values of BULLMQ_SUMMARY_FIELDS for a hand-made job hash. */
function hash(fields: Partial<Record<(typeof BULLMQ_SUMMARY_FIELDS)[number], string>>): (string | null)[] {
  return BULLMQ_SUMMARY_FIELDS.map((f) => fields[f] ?? null);
}

describe("a BullMQ job as a JobSummary", () => {
  const t0 = Date.UTC(2027, 0, 4, 9, 0, 0);
  const iso = (ms: number) => new Date(ms).toISOString();
  const progress: JobProgress = { seq: 3, solve: null, solvesDone: 1, solvesTotal: 1 };

  it("maps each state, its times, attempts and expiry", () => {
    const queued = jobSummaryOf({ id: "a", state: "waiting", values: hash({ name: "solve", timestamp: String(t0), ats: "0" }), cancelRequestedAt: null }, 60);
    expect(queued).toEqual({ id: "a", kind: "solve", state: "queued", createdAt: iso(t0), startedAt: null, finishedAt: null, attempts: 0, progress: null, status: null, error: null, expiresAt: null });
    // The summary's keys come in the contract's order (the JSON a client reads).
    expect(Object.keys(queued ?? {})).toEqual(["id", "kind", "state", "createdAt", "startedAt", "finishedAt", "attempts", "progress", "status", "error", "expiresAt"]);

    const running = jobSummaryOf(
      { id: "b", state: "active", values: hash({ name: "scenarios", timestamp: String(t0), processedOn: String(t0 + 500), ats: "2", progress: JSON.stringify(progress) }), cancelRequestedAt: t0 + 700 },
      60,
    );
    // A cancel request does not make a running job cancelled: its worker ends it.
    expect(running).toMatchObject({ state: "running", startedAt: iso(t0 + 500), attempts: 2, progress, finishedAt: null, expiresAt: null });

    const done = { state: "succeeded", status: "optimal", ran: true, resultBytes: 1234, cancelledAt: null };
    const succeeded = jobSummaryOf(
      { id: "c", state: "completed", values: hash({ name: "solve", timestamp: String(t0), processedOn: String(t0 + 10), finishedOn: String(t0 + 2010), ats: "1", returnvalue: JSON.stringify(done) }), cancelRequestedAt: null },
      60,
    );
    expect(succeeded).toMatchObject({ state: "succeeded", status: "optimal", attempts: 1, finishedAt: iso(t0 + 2010), expiresAt: iso(t0 + 2010 + 60_000) });

    const stopped = { state: "cancelled", status: "feasible", ran: true, resultBytes: 99, cancelledAt: t0 + 1000 };
    expect(
      jobSummaryOf({ id: "d", state: "completed", values: hash({ name: "reassign", timestamp: String(t0), processedOn: String(t0 + 10), finishedOn: String(t0 + 1300), ats: "1", returnvalue: JSON.stringify(stopped) }), cancelRequestedAt: t0 + 1000 }, 60),
    ).toMatchObject({ state: "cancelled", status: "feasible", attempts: 1, finishedAt: iso(t0 + 1300) });
  });

  it("a queued job with a cancel request is cancelled at once; once its worker skips it, that start is no attempt", () => {
    const waiting = jobSummaryOf({ id: "e", state: "waiting", values: hash({ name: "solve", timestamp: String(t0), ats: "0" }), cancelRequestedAt: t0 + 50 }, 60);
    expect(waiting).toMatchObject({ state: "cancelled", attempts: 0, startedAt: null, finishedAt: iso(t0 + 50), expiresAt: iso(t0 + 50 + 60_000), status: null });
    const skipped = { state: "cancelled", status: null, ran: false, resultBytes: null, cancelledAt: t0 + 50 };
    const later = jobSummaryOf(
      { id: "e", state: "completed", values: hash({ name: "solve", timestamp: String(t0), processedOn: String(t0 + 9000), finishedOn: String(t0 + 9001), ats: "1", returnvalue: JSON.stringify(skipped) }), cancelRequestedAt: t0 + 50 },
      60,
    );
    expect(later).toEqual(waiting);
  });

  it("reads a failure's JobError, and BullMQ's own reasons as internal", () => {
    const invalid = { type: "invalid-plan", detail: "bad", errors: [{ path: "input.policy.rules[0].require", message: "not true or false" }] };
    const failed = jobSummaryOf(
      { id: "f", state: "failed", values: hash({ name: "solve", timestamp: String(t0), processedOn: String(t0 + 1), finishedOn: String(t0 + 2), ats: "1", failedReason: encodeJobError(invalid) }), cancelRequestedAt: null },
      60,
    );
    expect(failed).toMatchObject({ state: "failed", error: invalid, status: null, expiresAt: iso(t0 + 2 + 60_000) });
    expect(decodeJobError(STALLED_REASON)).toMatchObject({ type: "internal", detail: expect.stringContaining(STALLED_REASON) });
    expect(decodeJobError("{not json")).toEqual({ type: "internal", detail: "{not json" });
    expect(decodeJobError(JSON.stringify({ type: 3 }))).toEqual({ type: "internal", detail: '{"type":3}' });
  });

  it("does not know a job BullMQ does not know, nor one that is not Allot's", () => {
    expect(jobSummaryOf({ id: "g", state: "unknown", values: hash({ name: "solve", timestamp: String(t0) }), cancelRequestedAt: null }, 60)).toBeNull();
    expect(jobSummaryOf({ id: "h", state: "waiting", values: hash({ name: "email", timestamp: String(t0) }), cancelRequestedAt: null }, 60)).toBeNull();
  });
});

describe("a job's progress on its way out of a worker", () => {
  it("numbers the reports, sends at most one per interval, always the latest, in order", async () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const sent: JobProgress[] = [];
      const sender = createProgressSender(
        async (p) => {
          sent.push(p);
        },
        { perSecond: 5, firstSeq: 7, now: () => Date.now() },
      );
      const at = (solvesDone: number) => ({ solve: null, solvesDone, solvesTotal: 9 });
      const sentSoFar = () => sent.map((p) => [p.seq, p.solvesDone]);
      sender.report(at(0)); // t = 0: sent at once
      await vi.advanceTimersByTimeAsync(50);
      sender.report(at(1)); // t = 50: too soon, waits until t = 200
      await vi.advanceTimersByTimeAsync(70);
      sender.report(at(2)); // t = 120: replaces it
      await vi.advanceTimersByTimeAsync(79);
      expect(sentSoFar()).toEqual([[7, 0]]);
      await vi.advanceTimersByTimeAsync(1); // t = 200
      expect(sentSoFar()).toEqual([
        [7, 0],
        [8, 2],
      ]);
      await vi.advanceTimersByTimeAsync(60);
      sender.report(at(3)); // t = 260: waits until t = 400, unless flushed
      await sender.flush(); // the last one is never lost
      expect(sentSoFar()).toEqual([
        [7, 0],
        [8, 2],
        [9, 3],
      ]);
      await vi.advanceTimersByTimeAsync(1000);
      expect(sent).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a failed send is reported and does not stop later ones", async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const sender = createProgressSender(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error("redis away");
      },
      { perSecond: 1000, onError: (e) => errors.push(e) },
    );
    sender.report({ solve: null, solvesDone: 0, solvesTotal: 1 });
    await sender.flush();
    sender.report({ solve: null, solvesDone: 1, solvesTotal: 1 });
    await sender.flush();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });
});

describe("without Redis", () => {
  it("the queue's calls reject with JobBackendUnavailableError (never hang), and close() still returns", async () => {
    // A port nothing listens on.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address !== null ? address.port : 1));
      });
    });
    const queue = createBullmqJobQueue({ redisUrl: `redis://127.0.0.1:${port}`, queueName: "nowhere", retentionS: 60, onError: () => undefined });
    await expect(queue.submit("solve", solveWork(tinyPlan))).rejects.toBeInstanceOf(JobBackendUnavailableError);
    await expect(queue.get("some-job")).rejects.toBeInstanceOf(JobBackendUnavailableError);
    await expect(queue.counts()).rejects.toBeInstanceOf(JobBackendUnavailableError);
    await queue.close();
    await expect(queue.submit("solve", solveWork(tinyPlan))).rejects.toBeInstanceOf(PoolClosedError);
  });

  it("a worker refuses to start without ALLOT_REDIS_URL, saying why", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "api/worker.ts"], { cwd: projectRoot, encoding: "utf8", env: { ...process.env, ALLOT_REDIS_URL: "" }, timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("ALLOT_REDIS_URL is not set");
  });
});

interface SpawnedWorker {
  child: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  output(): string;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

/** The events of one job, as one subscription receives them. */
function collect(queue: JobQueue, id: string): { events: JobEvent[]; end: Promise<JobSummary>; ready: Promise<() => void> } {
  const events: JobEvent[] = [];
  let finish: (job: JobSummary) => void = () => undefined;
  const end = new Promise<JobSummary>((resolve) => (finish = resolve));
  const ready = queue.subscribe(id, (event) => {
    events.push(event);
    if (event.type === "end") finish(event.job);
  });
  return { events, end, ready };
}

describe("jobs on BullMQ run by worker processes (real Redis)", () => {
  const queueName = `allot-test-${randomUUID().slice(0, 8)}`;
  const workers: SpawnedWorker[] = [];
  let api: JobQueue;
  /** A second API process: it never enqueues, yet sees and cancels every job. */
  let other: JobQueue;
  let raw: Queue;

  function spawnWorker(): SpawnedWorker {
    const child = spawn(process.execPath, ["--import", "tsx", "api/worker.ts"], {
      cwd: projectRoot,
      env: {
        ...process.env,
        ALLOT_REDIS_URL: REDIS_URL,
        ALLOT_JOB_QUEUE: queueName,
        ALLOT_POOL_SIZE: "1",
        ALLOT_JOB_CONCURRENCY: "1",
        ALLOT_JOB_RETENTION_S: String(RETENTION_S),
        // A dead worker's job is noticed within seconds, not BullMQ's default 30 s.
        ALLOT_JOB_LOCK_MS: "2000",
        ALLOT_JOB_STALLED_INTERVAL_MS: "1000",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    const worker = { child, pid: child.pid ?? -1, exited, output: () => output };
    workers.push(worker);
    return worker;
  }

  const alive = () => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  const workersReady = (count: number) => until(`${count} workers to connect`, async () => (await raw.getWorkersCount()) >= count);
  /** The worker process running a job (BullMQ's processedBy is `<host>:<pid>`). */
  const holderOf = async (id: string) => {
    const job = await raw.getJob(id);
    return alive().find((w) => job?.processedBy?.endsWith(`:${w.pid}`));
  };
  /** Until a worker runs the job's work: BullMQ's active state and the work's first progress report. */
  const runningJob = (id: string) =>
    until(`job ${id} to run`, async () => {
      const job = (await api.get(id))?.job;
      return job?.state === "running" && job.progress !== null;
    });

  beforeAll(async () => {
    raw = new Queue(queueName, { connection: { url: REDIS_URL } });
    api = createBullmqJobQueue({ redisUrl: REDIS_URL, queueName, retentionS: RETENTION_S });
    other = createBullmqJobQueue({ redisUrl: REDIS_URL, queueName, retentionS: RETENTION_S, subscriptionCheckMs: 60_000 });
    spawnWorker();
    spawnWorker();
    await workersReady(2);
  });

  afterAll(async () => {
    for (const worker of alive()) worker.child.kill("SIGKILL");
    await Promise.all(workers.map((w) => w.exited));
    await Promise.all([api?.close(), other?.close()]);
    if (raw !== undefined) {
      await raw.obliterate({ force: true });
      await raw.close();
    }
    const redis = new Redis(REDIS_URL);
    const leftovers = await redis.keys(`allot:${queueName}:*`);
    if (leftovers.length > 0) await redis.del(...leftovers);
    await redis.quit();
  });

  it("runs every job exactly once, with the synchronous answer's bytes, and streams its events to another API process", async () => {
    // Variants of the tiny plan (each optimum different) and two small generated books.
    const plans: unknown[] = [
      ...[0, 1, 2, 3].map((k) => ({ ...tinyPlan, pairs: tinyPlan.pairs.map((p, i) => ({ ...p, score: p.score + ((k * (i + 1)) % 5) })) })),
      ...[1, 2].map((seed) => generateBook({ customers: 30, reps: 4, seed, policy: { timeLimitMs: 20_000 } })),
    ];
    const works = plans.map(solveWork);
    const expected = await Promise.all(
      works.map(async (work) => {
        const { solution } = await solvePlan(work.plan, { timeLimitMs: effectiveTimeLimitMs(work.plan, work.timeLimits) });
        // Only a search the clock did not cut gives the same bytes twice.
        expect(solution.solver.stoppedBy).not.toBe("time-limit");
        return JSON.stringify(solution);
      }),
    );
    expect(new Set(expected).size).toBe(expected.length);

    // Paused, so that every subscription is in place before its job starts.
    await raw.pause();
    const submitted: JobSummary[] = [];
    for (const work of works) submitted.push(await api.submit("solve", work));
    expect(submitted.every((j) => j.state === "queued" && j.attempts === 0)).toBe(true);
    const streams = submitted.map((job) => collect(other, job.id));
    await Promise.all(streams.map((s) => s.ready));

    // Newest first, page by page (ties in the millisecond: larger id first), each job once.
    const seen: JobSummary[] = [];
    let cursor: string | null = null;
    do {
      const page = await other.list({ limit: 4, cursor });
      expect(page.jobs.length).toBeLessThanOrEqual(4);
      seen.push(...page.jobs);
      cursor = page.next;
    } while (cursor !== null);
    const newestFirst = [...submitted].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1));
    expect(seen.map((j) => j.id)).toEqual(newestFirst.map((j) => j.id));
    expect(seen.every((j) => j.state === "queued")).toBe(true);
    expect(await other.counts()).toEqual({ queued: works.length, running: 0, succeeded: 0, failed: 0, cancelled: 0 });

    await raw.resume();
    const ends = await Promise.all(streams.map((s) => s.end));
    for (const [i, job] of submitted.entries()) {
      const end = ends[i];
      expect(end).toMatchObject({ id: job.id, state: "succeeded", attempts: 1, error: null });
      const view = await api.get(job.id);
      expect(view?.job).toEqual(end);
      expect(view?.resultJson).toBe(expected[i]);
      expect(end?.status).toBe(JSON.parse(expected[i] ?? "{}").status);
      // Exactly once: one start, never stalled.
      const bull = await raw.getJob(job.id);
      expect([bull?.attemptsStarted, bull?.stalledCounter]).toEqual([1, 0]);
      // Progress from the worker, in order, then one end, then nothing.
      const events = streams[i]?.events ?? [];
      const progress = events.flatMap((e) => (e.type === "progress" ? [e.progress] : []));
      expect(progress.length).toBeGreaterThanOrEqual(1);
      expect(progress.map((p) => p.seq)).toEqual(progress.map((_, k) => k));
      expect(progress.at(-1)).toMatchObject({ solvesDone: 1, solvesTotal: 1 });
      expect(events.at(-1)?.type).toBe("end");
      expect(events.filter((e) => e.type === "end")).toHaveLength(1);
      expect(end?.progress).toEqual(progress.at(-1));
    }
    const counts = await api.counts();
    expect(counts).toEqual({ queued: 0, running: 0, succeeded: works.length, failed: 0, cancelled: 0 });
  });

  it("a plan rejected while solving fails its job as invalid-plan with the paths, and the worker carries on", async () => {
    const plan = {
      customers: [{ id: "bank", value: 250000, segment: "finance" }],
      reps: [{ id: "senior", seniority: 3 }],
      policy: { timeLimitMs: 5000, rules: [{ name: "oops", require: "rep.seniority" }] },
    };
    const job = await api.submit("solve", solveWork(plan));
    const { end, ready } = collect(other, job.id);
    await ready;
    const failed = await end;
    expect(failed).toMatchObject({ state: "failed", attempts: 1, status: null, error: { type: "invalid-plan" } });
    expect(failed.error?.errors).toEqual([{ path: "input.policy.rules[0].require", message: expect.stringContaining('rule "oops" gave 3, not true or false') }]);
    expect((await api.get(job.id))?.resultJson).toBeNull();
    // The same workers still answer.
    const next = await api.submit("solve", solveWork(tinyPlan));
    const { end: nextEnd, ready: nextReady } = collect(api, next.id);
    await nextReady;
    expect((await nextEnd).state).toBe("succeeded");
    expect(alive()).toHaveLength(2);
  });

  it("a queued job cancelled from another API process shows cancelled at once and never runs", async () => {
    await raw.pause();
    const job = await api.submit("solve", solveWork(tinyPlan));
    const { end, ready } = collect(api, job.id);
    await ready;
    const cancelled = await other.cancel(job.id);
    expect(cancelled).toMatchObject({ id: job.id, state: "cancelled", attempts: 0, startedAt: null, status: null, progress: null });
    expect(await end).toEqual(cancelled);
    expect(await api.get(job.id)).toEqual({ job: cancelled, resultJson: null });
    expect((await api.counts()).cancelled).toBe(1);
    // Cancelling again changes nothing.
    expect(await api.cancel(job.id)).toEqual(cancelled);

    await raw.resume();
    // A worker takes it and skips it: BullMQ completes it, and it still never ran.
    await until("the cancelled job to be skipped", async () => (await raw.getJobState(job.id)) === "completed");
    expect(await api.get(job.id)).toEqual({ job: cancelled, resultJson: null });
    expect(await api.counts()).toMatchObject({ queued: 0, running: 0, cancelled: 1 });
    expect(await api.cancel("no-such-job")).toBeNull();
    expect(await api.get("no-such-job")).toBeNull();
  });

  it("a running job cancelled from another API process stops and ends cancelled (keeping a verified answer if the engine gave one)", async () => {
    const job = await api.submit("solve", solveWork(longPlan(30_000)));
    const { end, ready } = collect(api, job.id);
    await ready;
    await runningJob(job.id);
    const asked = await other.cancel(job.id);
    expect(asked?.state).toBe("running");
    const cancelled = await end;
    expect(cancelled).toMatchObject({ state: "cancelled", attempts: 1 });
    const view = await api.get(job.id);
    if (view?.resultJson == null) expect(cancelled.status).toBeNull();
    else expect(answerOf(view).solver.stoppedBy).toBe("cancelled");
    expect(alive()).toHaveLength(2);
  });

  it("a worker killed while it runs a job leaves it to the other worker, which finishes it (attempt 2)", async () => {
    const job = await api.submit("solve", solveWork(longPlan(3000)));
    const { end, ready } = collect(other, job.id);
    await ready;
    await runningJob(job.id);
    const holder = await until("the job's worker", () => holderOf(job.id));
    holder.child.kill("SIGKILL");
    expect(await holder.exited).toBeNull();
    const finished = await end;
    expect(finished).toMatchObject({ state: "succeeded", attempts: 2 });
    answerOf(await api.get(job.id));
    const survivor = await holderOf(job.id);
    expect(survivor).toBeDefined();
    expect(survivor?.pid).not.toBe(holder.pid);
    spawnWorker();
    await workersReady(2);
  });

  it("on SIGTERM a worker finishes the job it runs, then exits 0", async () => {
    const job = await api.submit("solve", solveWork(longPlan(3000)));
    const { end, ready } = collect(other, job.id);
    await ready;
    await runningJob(job.id);
    const holder = await until("the job's worker", () => holderOf(job.id));
    holder.child.kill("SIGTERM");
    const finished = await end;
    expect(finished).toMatchObject({ state: "succeeded", attempts: 1 });
    answerOf(await api.get(job.id));
    expect(await holder.exited).toBe(0);
    // Nothing went wrong on the way out (pino levels: 50 error, 60 fatal).
    expect(holder.output()).not.toMatch(/"level":(50|60)/);
  });
});
