/**
 * The embedded job backend (the default: nothing to install): jobs run in this process on its
 * solve pool, at most `concurrency` at a time in the order they came, and their records live in the
 * embedded database, so queued and finished jobs survive a restart. A job that was running when the
 * process died is queued again (its work is deterministic and nothing was published), unless it has
 * already been started MAX_ATTEMPTS times: then it fails, with the reason, so that a job that kills
 * its process cannot do it forever. This is the same rule as the BullMQ backend's stalled jobs.
 */
import { randomUUID } from "node:crypto";
import type { JobError, JobKind, JobProgress, JobSummary } from "../../models/index.ts";
import { MemoryBudgetError, PlanRejectedError, PoolClosedError, TaskCancelledError, type PoolSolveOutcome, type SolvePool } from "../runtime/solve-pool.ts";
import { StopFlag } from "../runtime/stop-flag.ts";
import type { JobFinish, JobRecordStore } from "../storage/job-record-store.ts";
import type { JobEvent, JobQueue, JobView } from "./job-queue.ts";
import { runJobWork, type JobWork, type WorkProgress } from "./job-work.ts";

/** Starts of one job at most (the first, and one more after its process died). */
export const MAX_ATTEMPTS = 2;
/** Progress is written to the database at most this often (listeners get every report). */
const PROGRESS_WRITE_MS = 1_000;
const SWEEP_EVERY_MS = 60_000;

export interface EmbeddedJobQueueOptions {
  pool: SolvePool;
  store: JobRecordStore;
  /** Jobs run at a time (default: the pool's size). */
  concurrency?: number;
  /** How long finished jobs are kept, in seconds. */
  retentionS: number;
  /** ms since the epoch (tests move it). */
  now?: () => number;
  /** Told about every finished solve (metrics). */
  onSolved?: (outcome: PoolSolveOutcome) => void;
  /** Told about failures outside any request (a record that could not be written). */
  onError?: (error: unknown, context: string) => void;
}

interface Running {
  stop: StopFlag;
  progress: JobProgress | null;
}

function failure(type: string, detail: string, errors?: JobError["errors"]): JobError {
  return errors === undefined ? { type, detail } : { type, detail, errors };
}

/** The queue at once; the recovery of jobs left by a previous process runs first, and every call waits for it. */
export function createEmbeddedJobQueue(options: EmbeddedJobQueueOptions): JobQueue {
  const { pool, store } = options;
  const concurrency = options.concurrency ?? pool.stats().size;
  const now = options.now ?? Date.now;
  const iso = (ms = now()) => new Date(ms).toISOString();
  const expiry = () => iso(now() + options.retentionS * 1000);
  const report = options.onError ?? (() => undefined);

  const fifo: string[] = [];
  const running = new Map<string, Running>();
  const listeners = new Map<string, Set<(event: JobEvent) => void>>();
  let closed = false;
  const idleWaiters: (() => void)[] = [];

  const emit = (id: string, event: JobEvent) => {
    for (const listener of listeners.get(id) ?? []) listener(event);
  };

  const finish = async (id: string, fields: Omit<JobFinish, "finishedAt" | "expiresAt">) => {
    await store.finishJob(id, { ...fields, finishedAt: iso(), expiresAt: expiry() });
    const stored = await store.getJob(id);
    if (stored !== null) emit(id, { type: "end", job: stored.job });
  };

  async function run(id: string, state: Running): Promise<void> {
    if (!(await store.startJob(id, iso()))) return;
    const workJson = await store.getJobWork(id);
    if (workJson === null) return;
    // Written by submit() from validated work; the store keeps it as text.
    const work = JSON.parse(workJson) as JobWork;
    let seq = 0;
    let writtenAt = -Infinity;
    const onProgress = (p: WorkProgress) => {
      const progress: JobProgress = { seq: ++seq, solve: p.solve, solvesDone: p.solvesDone, solvesTotal: p.solvesTotal };
      state.progress = progress;
      emit(id, { type: "progress", progress });
      if (performance.now() - writtenAt >= PROGRESS_WRITE_MS) {
        writtenAt = performance.now();
        store.updateJobProgress(id, progress).catch((error: unknown) => report(error, "job progress"));
      }
    };
    try {
      const result = await runJobWork(work, pool, { stop: state.stop, onProgress, admitted: true, ...(options.onSolved === undefined ? {} : { onSolved: options.onSolved }) });
      if (state.progress !== null) await store.updateJobProgress(id, state.progress);
      await finish(id, { state: state.stop.requested ? "cancelled" : "succeeded", status: result.status, resultJson: result.json, error: null });
    } catch (error) {
      if (error instanceof PoolClosedError) return; // shutting down: queued again at the next start
      if (state.progress !== null) await store.updateJobProgress(id, state.progress).catch(() => undefined);
      if (error instanceof TaskCancelledError) await finish(id, { state: "cancelled", status: null, resultJson: null, error: null });
      else if (error instanceof PlanRejectedError) {
        await finish(id, { state: "failed", status: null, resultJson: null, error: failure("invalid-plan", "A rule or score expression of the plan cannot be used for some pair.", error.errors) });
      } else if (error instanceof MemoryBudgetError) {
        await finish(id, { state: "failed", status: null, resultJson: null, error: failure("memory-budget", error.message) });
      } else {
        report(error, "job");
        await finish(id, { state: "failed", status: null, resultJson: null, error: failure("internal", `The job failed: ${error instanceof Error ? error.message : String(error)}`) });
      }
    }
  }

  const pump = () => {
    while (!closed && running.size < concurrency) {
      const id = fifo.shift();
      if (id === undefined) break;
      // Take the slot before the first await, so pump never starts more than `concurrency`.
      const state: Running = { stop: new StopFlag(), progress: null };
      running.set(id, state);
      run(id, state)
        .catch((error: unknown) => report(error, "job"))
        .finally(() => {
          running.delete(id);
          pump();
          if (running.size === 0) for (const wake of idleWaiters.splice(0)) wake();
        });
    }
  };

  const sweep = () => {
    store.deleteExpiredJobs(iso()).catch((error: unknown) => report(error, "job retention"));
  };

  // Jobs left running by a process that died, then whatever was queued.
  const left = failure("interrupted", `The service stopped while this job was running, ${MAX_ATTEMPTS} times; it is not tried again.`);
  const ready = (async () => {
    await store.recoverInterruptedJobs(MAX_ATTEMPTS, { state: "failed", status: null, resultJson: null, error: left, finishedAt: iso(), expiresAt: expiry() });
    fifo.push(...(await store.queuedJobs()));
    sweep();
    pump();
  })();
  ready.catch((error: unknown) => report(error, "job recovery"));
  const sweeper = setInterval(sweep, SWEEP_EVERY_MS);
  sweeper.unref();

  const view = async (id: string): Promise<JobView | null> => {
    await ready;
    const stored = await store.getJob(id);
    if (stored === null) return null;
    const live = running.get(id)?.progress ?? null;
    const job = live !== null && stored.job.state === "running" && (stored.job.progress?.seq ?? -1) < live.seq ? { ...stored.job, progress: live } : stored.job;
    return { job, resultJson: stored.resultJson };
  };

  return {
    backend: "embedded",

    async submit(kind: JobKind, work: JobWork): Promise<JobSummary> {
      await ready;
      const job = await store.insertJob({ id: randomUUID(), kind, workJson: JSON.stringify(work), createdAt: iso() });
      fifo.push(job.id);
      // After the caller has answered: starting a job reads and parses its work on this thread.
      setImmediate(pump);
      return job;
    },

    get: view,

    async list({ limit, cursor }) {
      await ready;
      return store.listJobs({ limit, before: cursor });
    },

    async cancel(id) {
      const current = await view(id);
      if (current === null) return null;
      const { job } = current;
      if (job.state === "queued") {
        const at = fifo.indexOf(id);
        if (at >= 0) fifo.splice(at, 1);
        await finish(id, { state: "cancelled", status: null, resultJson: null, error: null });
      } else if (job.state === "running") running.get(id)?.stop.request();
      return (await view(id))?.job ?? job;
    },

    async subscribe(id, listener) {
      let set = listeners.get(id);
      if (set === undefined) {
        set = new Set();
        listeners.set(id, set);
      }
      set.add(listener);
      return () => {
        const current = listeners.get(id);
        current?.delete(listener);
        if (current?.size === 0) listeners.delete(id);
      };
    },

    counts: async () => {
      await ready;
      return store.countJobs();
    },

    async close({ graceMs } = {}) {
      closed = true;
      clearInterval(sweeper);
      if (running.size === 0) return;
      const idle = new Promise<void>((wake) => idleWaiters.push(wake));
      let timer: NodeJS.Timeout | undefined;
      const grace = graceMs === undefined ? new Promise<never>(() => undefined) : new Promise<void>((wake) => (timer = setTimeout(wake, graceMs)));
      await Promise.race([idle, grace]);
      clearTimeout(timer);
    },
  };
}
