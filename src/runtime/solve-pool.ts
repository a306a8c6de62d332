/**
 * A pool of worker threads that runs solves (and plan reports) off the event loop, with a bounded
 * FIFO queue and a hard deadline per task enforced from outside the solver: when a task outlives
 * its deadline its thread is terminated (piscina starts a replacement) and the caller gets a
 * `timeout` Solution instead.
 *
 * The queue lives here, not in piscina: a task is handed to piscina only when a thread is free. Its
 * deadline counts from the moment the worker says it has started the task (over a MessagePort), so
 * neither waiting in the queue nor a replacement thread's start-up eats into it; a task that a
 * thread never starts is stopped after the deadline plus STARTUP_ALLOWANCE_MS.
 */
import { availableParallelism } from "node:os";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { Piscina } from "piscina";
import { SolveProgress, type FieldError, type Plan, type SolutionStatus } from "../../models/index.ts";
import { isRecord } from "../numeric/is-record.ts";
import { deadlineSolution } from "../solve/deadline-solution.ts";
import { typescriptWorkerArgs } from "../mip/worker-loader.ts";
import type { SolveJob } from "./solve-job.ts";
import type { StopFlag } from "./stop-flag.ts";
import { PROGRESS_END } from "./progress-end.ts";

/** The queue is full: try again later (HTTP 503 with Retry-After). */
export class PoolSaturatedError extends Error {
  override readonly name = "PoolSaturatedError";
  constructor(readonly retryAfterSeconds: number) {
    super("the solve queue is full");
  }
}

/** The pool is closing or closed and takes no more tasks (or was stopped before this one finished). */
export class PoolClosedError extends Error {
  override readonly name = "PoolClosedError";
  constructor() {
    super("the solve pool is shutting down");
  }
}

/** A task without a deadline answer (a plan report) outlived its deadline and was stopped. */
export class PoolDeadlineError extends Error {
  override readonly name = "PoolDeadlineError";
  constructor(readonly deadlineMs: number) {
    super(`the task did not finish within ${deadlineMs} ms`);
  }
}

/** The plan passed validation but one of its expressions failed on some pair (HTTP 422 with paths). */
export class PlanRejectedError extends Error {
  override readonly name = "PlanRejectedError";
  constructor(readonly errors: FieldError[]) {
    super("the plan was rejected while solving");
  }
}

/** The solve's memory estimate is larger than the whole budget of the pool: it could never run (HTTP 422). */
export class MemoryBudgetError extends Error {
  override readonly name = "MemoryBudgetError";
  constructor(
    readonly estimateBytes: number,
    readonly budgetBytes: number,
  ) {
    super(`the solve needs about ${estimateBytes} bytes, more than the pool's memory budget of ${budgetBytes}`);
  }
}

/** The caller's signal cancelled the task (e.g. the HTTP client went away). */
export class TaskCancelledError extends Error {
  override readonly name = "TaskCancelledError";
  constructor() {
    super("the task was cancelled by its caller");
  }
}

export interface SolvePoolOptions {
  /** Worker threads; default os.availableParallelism(). */
  size?: number;
  /** Tasks that may wait for a free thread; more are refused with PoolSaturatedError. Default 4 × size. */
  maxQueue?: number;
  /** Added to a solve's time limit to give its hard deadline. Default 2000 ms. */
  deadlineMarginMs?: number;
  /** Worker module exporting `solve` and `report` (default ./solve-worker.ts); tests substitute a stand-in. */
  workerUrl?: URL;
  /**
   * The portfolio: a solve that starts while another thread of the pool is idle (nothing else
   * running or waiting on it) may use a second thread (SolveOptions.threads 2: HiGHS on a helper
   * thread beside the heuristics, src/structured/whole-part-mip.ts); when the pool is busy, one.
   * Default true.
   */
  portfolio?: boolean;
  /** Called with errors piscina reports outside any task (e.g. a thread failing while idle). */
  onWorkerError?: (error: unknown) => void;
  /**
   * Bytes the running solves may hold together (their estimates, src/solve/memory-estimate.ts): a
   * solve waits in the queue until it fits next to the running ones (one alone always runs), and
   * one larger than the whole budget is refused (MemoryBudgetError). Default: no budget.
   */
  memoryBudgetBytes?: number;
}

export interface PoolSolveOptions {
  /** The solver's time limit; the hard deadline is this plus the pool's margin. */
  timeLimitMs: number;
  signal?: AbortSignal;
  /** What-if work the worker does around the solve (see solve-job.ts). */
  job?: SolveJob;
  /** Added to the hard deadline, for a job's work after the solve. */
  extraDeadlineMs?: number;
  /** Throttled progress reports of the solve (SolveProgress), on the event loop. */
  onProgress?: (progress: SolveProgress) => void;
  /**
   * A cooperative stop: once requested, the solve ends as at its time limit with its best verified
   * plan (solver.stoppedBy "cancelled"); a solve that has not answered STOP_GRACE_MS later is
   * stopped like a cancelled one (TaskCancelledError).
   */
  stop?: StopFlag;
  /** Queue even when the queue is full: the work was admitted by a queue of its own (a job). */
  admitted?: boolean;
  /** The solve's estimated peak memory (src/solve/memory-estimate.ts), for the memory budget; default 0. */
  memoryBytes?: number;
}

export interface PoolTimings {
  /** Waiting for a free thread. */
  queueMs: number;
  /** From hand-over to a thread until the answer (or the deadline). */
  runMs: number;
}

export interface PoolSolveOutcome {
  status: SolutionStatus;
  /** Which solver answered (solver.backend; "deadline" for the watchdog's answer) and the final gap. */
  backend: string;
  gap: number | null;
  /** The Solution as JSON text, serialised in the worker (or here for a deadline answer). */
  solutionJson: string;
  /** True when the watchdog stopped the solve and the Solution is a deadline `timeout`. */
  deadlineHit: boolean;
  /** `engine` = solvePlan's own total, `solver` = time inside solver backends (null on a deadline). */
  timings: PoolTimings & { engineMs: number | null; solverMs: number | null };
  /** A job's small answer (unchecked: the caller validates it); absent for plain solves and deadline answers. */
  extra?: unknown;
}

export interface PoolReportOutcome {
  /** The PlanReport as JSON text. */
  reportJson: string;
  timings: PoolTimings & { engineMs: number };
}

export interface PoolStats {
  size: number;
  /** The memory budget in bytes (Infinity without one) and the estimates of the running solves. */
  memoryBudgetBytes: number;
  memoryReservedBytes: number;
  maxQueue: number;
  deadlineMarginMs: number;
  running: number;
  queued: number;
  completed: number;
  deadlinesHit: number;
  closed: boolean;
}

export interface SolvePool {
  /** Solves a validated plan. Rejects with PoolSaturatedError, PoolClosedError, TaskCancelledError or a worker error. */
  solve(plan: Plan, options: PoolSolveOptions): Promise<PoolSolveOutcome>;
  /** Plan statistics and cheap infeasibility causes; PoolDeadlineError after `deadlineMs`. */
  report(plan: Plan, options: { deadlineMs: number; signal?: AbortSignal }): Promise<PoolReportOutcome>;
  stats(): PoolStats;
  /** Seconds after which a refused caller may reasonably retry (1 … 120). */
  retryAfterSeconds(): number;
  /**
   * Takes no more tasks; lets running and queued ones finish for up to `graceMs` (default: no
   * limit), then stops what is left (those callers get PoolClosedError) and ends the threads.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

type StopReason = "deadline" | "cancel" | "shutdown";

interface Entry {
  /** The memory the task reserves while it runs. */
  bytes: number;
  start(): void;
  stop(reason: StopReason): void;
}

/** The `{ path, message }` list a worker sent back for a rejected plan. */
function fieldErrorList(items: unknown[]): FieldError[] {
  return items.map((item) => ({
    path: isRecord(item) && typeof item.path === "string" ? item.path : "",
    message: isRecord(item) && typeof item.message === "string" ? item.message : "invalid",
  }));
}

/** How long a thread may take to start a task handed to it (e.g. while a replacement thread loads). */
export const STARTUP_ALLOWANCE_MS = 30_000;

/** How long a solve may take to answer after a cooperative stop before its thread is stopped. */
export const STOP_GRACE_MS = 2_000;
/** Longest wait for a finished solve's last progress reports before its answer settles. */
const REPORTS_DRAIN_MS = 1_000;

/** Before any task has finished, a solve is assumed to take this long (for Retry-After). */
const ASSUMED_RUN_MS = 5_000;
const MAX_RETRY_AFTER_S = 120;

function numberField(record: Record<string, unknown>, key: string): number {
  const value = record[key];
  if (typeof value !== "number") throw new Error(`worker answer: ${key} is not a number`);
  return value;
}

function stringField(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (typeof value !== "string") throw new Error(`worker answer: ${key} is not a string`);
  return value;
}

const STATUSES: readonly SolutionStatus[] = ["optimal", "feasible", "infeasible", "timeout"];

export function createSolvePool(options: SolvePoolOptions = {}): SolvePool {
  const size = options.size ?? availableParallelism();
  const maxQueue = options.maxQueue ?? 4 * size;
  const marginMs = options.deadlineMarginMs ?? 2_000;
  const memoryBudget = options.memoryBudgetBytes ?? Infinity;
  const portfolio = options.portfolio ?? true;
  if (!(memoryBudget > 0)) throw new RangeError(`memoryBudgetBytes must be > 0, got ${memoryBudget}`);
  let reserved = 0;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be a positive integer, got ${size}`);
  if (!Number.isInteger(maxQueue) || maxQueue < 0) throw new RangeError(`maxQueue must be a non-negative integer, got ${maxQueue}`);
  if (!(marginMs >= 0)) throw new RangeError(`deadlineMarginMs must be ≥ 0, got ${marginMs}`);

  const piscina = new Piscina({
    filename: (options.workerUrl ?? new URL("./solve-worker.ts", import.meta.url)).href,
    minThreads: size,
    maxThreads: size,
    idleTimeout: Infinity,
    execArgv: typescriptWorkerArgs(),
  });
  piscina.on("error", (error: unknown) => options.onWorkerError?.(error));

  const queue: Entry[] = [];
  const running = new Set<Entry>();
  let completed = 0;
  let deadlinesHit = 0;
  let closed = false;
  let averageRunMs: number | null = null;
  let closing: Promise<void> | null = null;
  const idleWaiters: (() => void)[] = [];

  const pump = () => {
    while (running.size < size) {
      const next = queue[0];
      if (next === undefined) break;
      // In order: the head waits until it fits next to what runs (alone, it always runs).
      if (running.size > 0 && reserved + next.bytes > memoryBudget) break;
      queue.shift();
      running.add(next);
      reserved += next.bytes;
      next.start();
    }
    if (running.size === 0 && queue.length === 0) for (const wake of idleWaiters.splice(0)) wake();
  };

  const retryAfterSeconds = () => {
    const perTask = averageRunMs ?? ASSUMED_RUN_MS;
    const waves = (queue.length + running.size) / size;
    return Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil((waves * perTask) / 1000)));
  };

  /**
   * Queues one piscina task. `decode` checks the worker's answer; `onDeadline` gives the answer when
   * the watchdog stopped the task (or throws).
   */
  function submit<T>(
    name: "solve" | "report",
    payload: Record<string, unknown>,
    deadlineMs: number,
    signal: AbortSignal | undefined,
    decode: (value: unknown, timings: PoolTimings) => T,
    onDeadline: (timings: PoolTimings) => T,
    watch: { onProgress?: (progress: SolveProgress) => void; stop?: StopFlag; admitted?: boolean; memoryBytes?: number } = {},
  ): Promise<T> {
    if (closed) return Promise.reject(new PoolClosedError());
    const bytes = Math.max(0, watch.memoryBytes ?? 0);
    if (bytes > memoryBudget) return Promise.reject(new MemoryBudgetError(bytes, memoryBudget));
    if (signal?.aborted === true) return Promise.reject(new TaskCancelledError());
    if (watch.admitted !== true && running.size >= size && queue.length >= maxQueue) return Promise.reject(new PoolSaturatedError(retryAfterSeconds()));

    return new Promise<T>((resolve, reject) => {
      const enqueuedAt = performance.now();
      let startedAt = enqueuedAt;
      let controller: AbortController | null = null;
      let timer: NodeJS.Timeout | undefined;
      let stopReason: StopReason | null = null;
      let settled = false;

      const onAbort = () => entry.stop("cancel");
      let port: MessagePort | null = null;
      let graceTimer: NodeJS.Timeout | undefined;
      // A cooperative stop: the solve gets STOP_GRACE_MS to answer with what it has (once it runs).
      const unwatchStop = watch.stop?.onRequest(() => {
        if (controller !== null) graceTimer = setTimeout(() => entry.stop("cancel"), STOP_GRACE_MS);
      });
      const settle = (action: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(graceTimer);
        unwatchStop?.();
        port?.close();
        signal?.removeEventListener("abort", onAbort);
        if (running.delete(entry)) {
          reserved -= entry.bytes;
          const runMs = performance.now() - startedAt;
          completed += 1;
          averageRunMs = averageRunMs === null ? runMs : 0.8 * averageRunMs + 0.2 * runMs;
        }
        action();
        pump();
      };
      const timings = (): PoolTimings => ({ queueMs: startedAt - enqueuedAt, runMs: performance.now() - startedAt });

      const entry: Entry = {
        bytes,
        start() {
          startedAt = performance.now();
          const ac = new AbortController();
          controller = ac;
          timer = setTimeout(() => entry.stop("deadline"), deadlineMs + STARTUP_ALLOWANCE_MS);
          const channel = new MessageChannel();
          port = channel.port1;
          let announced = false;
          // The worker's last word on the port (solve-worker.ts PROGRESS_END): every report relayed.
          let reportsEnded = false;
          let onReportsEnded: (() => void) | null = null;
          channel.port1.on("message", (message: unknown) => {
            if (settled) return;
            if (!announced) {
              announced = true;
              clearTimeout(timer);
              timer = setTimeout(() => entry.stop("deadline"), deadlineMs);
              return;
            }
            if (message === PROGRESS_END) {
              reportsEnded = true;
              onReportsEnded?.();
              return;
            }
            if (watch.onProgress !== undefined && isRecord(message)) {
              const progress = SolveProgress.safeParse(message.progress);
              if (progress.success) watch.onProgress(progress.data);
            }
          });
          if (watch.stop?.requested === true) graceTimer = setTimeout(() => entry.stop("cancel"), STOP_GRACE_MS);
          // A thread to spare (nothing else running or waiting): the solve may use two.
          const spare = portfolio && name === "solve" && running.size + queue.length < size && isRecord(payload.options);
          const task = {
            ...payload,
            ...(spare ? { options: { ...(payload.options as Record<string, unknown>), threads: 2 } } : {}),
            started: channel.port2,
            ...(watch.onProgress === undefined ? {} : { progress: true }),
            ...(watch.stop === undefined ? {} : { stop: watch.stop.buffer }),
          };
          // The answer and the port are two channels: with reports asked for, the answer waits for
          // the port's last reports (the final "done" among them; at most REPORTS_DRAIN_MS).
          const reportsRelayed = (): Promise<void> =>
            watch.onProgress === undefined || reportsEnded
              ? Promise.resolve()
              : new Promise<void>((done) => {
                  const wait = setTimeout(done, REPORTS_DRAIN_MS);
                  onReportsEnded = () => {
                    clearTimeout(wait);
                    done();
                  };
                });
          piscina.run(task, { name, signal: ac.signal, transferList: [channel.port2] }).then(
            async (value: unknown) => {
              await reportsRelayed();
              settle(() => {
                try {
                  resolve(decode(value, timings()));
                } catch (error) {
                  reject(error);
                }
              });
            },
            (error: unknown) =>
              settle(() => {
                if (stopReason === "deadline") {
                  deadlinesHit += 1;
                  try {
                    resolve(onDeadline(timings()));
                  } catch (failure) {
                    reject(failure);
                  }
                } else if (stopReason === "cancel") reject(new TaskCancelledError());
                else if (stopReason === "shutdown") reject(new PoolClosedError());
                else reject(error);
              }),
          );
        },
        stop(reason) {
          if (settled || stopReason !== null) return;
          if (controller === null) {
            // Still queued: leave the queue without ever reaching a thread.
            const at = queue.indexOf(entry);
            if (at >= 0) queue.splice(at, 1);
            settle(() => reject(reason === "cancel" ? new TaskCancelledError() : new PoolClosedError()));
            return;
          }
          stopReason = reason;
          controller.abort();
        },
      };

      signal?.addEventListener("abort", onAbort, { once: true });
      queue.push(entry);
      pump();
    });
  }

  /** Takes no more tasks, waits for the running and queued ones up to the grace period, stops the rest. */
  async function shutDown(graceMs: number | undefined): Promise<void> {
    closed = true;
    if (running.size > 0 || queue.length > 0) {
      const idle = new Promise<void>((wake) => idleWaiters.push(wake));
      let graceTimer: NodeJS.Timeout | undefined;
      const grace =
        graceMs === undefined
          ? new Promise<never>(() => undefined)
          : new Promise<void>((wake) => {
              graceTimer = setTimeout(wake, graceMs);
            });
      await Promise.race([idle, grace]);
      clearTimeout(graceTimer);
      for (const entry of [...queue, ...running]) entry.stop("shutdown");
      // Stopped tasks settle when piscina reports their abort; destroy() below ends the threads.
    }
    await piscina.destroy();
  }

  return {
    solve(plan, { timeLimitMs, signal, job, extraDeadlineMs, onProgress, stop, admitted, memoryBytes }) {
      const deadlineMs = timeLimitMs + marginMs + (extraDeadlineMs ?? 0);
      return submit<PoolSolveOutcome>(
        "solve",
        job === undefined ? { plan, options: { timeLimitMs } } : { plan, options: { timeLimitMs }, job },
        deadlineMs,
        signal,
        (value, timings) => {
          if (isRecord(value) && Array.isArray(value.invalid)) throw new PlanRejectedError(fieldErrorList(value.invalid));
          if (!isRecord(value) || !isRecord(value.timings)) throw new Error("worker answer: not a solve result");
          const status = STATUSES.find((s) => s === value.status);
          if (status === undefined) throw new Error("worker answer: unknown status");
          return {
            status,
            backend: typeof value.backend === "string" ? value.backend : "unknown",
            gap: typeof value.gap === "number" ? value.gap : null,
            solutionJson: stringField(value, "solutionJson"),
            deadlineHit: false,
            timings: { ...timings, engineMs: numberField(value.timings, "totalMs"), solverMs: numberField(value.timings, "solveMs") },
            ...(value.extra === undefined ? {} : { extra: value.extra }),
          };
        },
        (timings) => {
          const solution = deadlineSolution(plan, { timeLimitMs, deadlineMs });
          return {
            status: solution.status,
            backend: solution.solver.backend,
            gap: solution.gap,
            solutionJson: JSON.stringify(solution),
            deadlineHit: true,
            timings: { ...timings, engineMs: null, solverMs: null },
          };
        },
        { ...(onProgress === undefined ? {} : { onProgress }), ...(stop === undefined ? {} : { stop }), ...(admitted === true ? { admitted } : {}), ...(memoryBytes === undefined ? {} : { memoryBytes }) },
      );
    },

    report(plan, { deadlineMs, signal }) {
      return submit<PoolReportOutcome>(
        "report",
        { plan },
        deadlineMs,
        signal,
        (value, timings) => {
          if (isRecord(value) && Array.isArray(value.invalid)) throw new PlanRejectedError(fieldErrorList(value.invalid));
          if (!isRecord(value) || !isRecord(value.timings)) throw new Error("worker answer: not a report result");
          return { reportJson: stringField(value, "reportJson"), timings: { ...timings, engineMs: numberField(value.timings, "totalMs") } };
        },
        () => {
          throw new PoolDeadlineError(deadlineMs);
        },
      );
    },

    stats: () => ({
      size,
      memoryBudgetBytes: memoryBudget,
      memoryReservedBytes: reserved,
      maxQueue,
      deadlineMarginMs: marginMs,
      running: running.size,
      queued: queue.length,
      completed,
      deadlinesHit,
      closed,
    }),

    retryAfterSeconds,

    close(options = {}) {
      closing ??= shutDown(options.graceMs);
      return closing;
    },
  };
}
