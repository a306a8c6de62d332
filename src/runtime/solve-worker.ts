/**
 * Worker-thread side of the solve pool (see solve-pool.ts). Each export is a piscina task: it
 * receives a validated Plan and returns JSON text, serialised here so that the event loop never
 * stringifies a large Solution.
 */
import type { MessagePort } from "node:worker_threads";
import type { FieldError, Plan, SolutionStatus } from "../../models/index.ts";
import { PlanExpressionError } from "../expressions/plan-expression-error.ts";
import { planReport } from "../solve/plan-statistics.ts";
import { PROGRESS_END } from "./progress-end.ts";
import { throttleProgress } from "./progress-throttle.ts";
import { runSolveJob, type SolveJob } from "./solve-job.ts";
import { stopReader } from "./stop-flag.ts";
import { solvePlan, type SolveOptions } from "../solve/solve-plan.ts";
import { getBackend } from "../mip/solver-registry.ts";
import { warmHighsThread } from "../mip/highs-on-thread.ts";

/** Every task may carry a port on which the worker says that it has started (the pool's deadline starts then). */
export interface StartAnnouncement {
  started?: MessagePort;
}

export interface SolveTask extends StartAnnouncement {
  plan: Plan;
  /** Plain data only (functions cannot cross to a thread): progress and stop come as the fields below. */
  options: Omit<SolveOptions, "onProgress" | "stopRequested" | "backends">;
  /** True: send throttled SolveProgress reports as `{ progress }` messages on `started`. */
  progress?: boolean;
  /** A StopFlag's buffer (stop-flag.ts): the solve stops cooperatively once it is set. */
  stop?: SharedArrayBuffer;
  /** What-if work around the solve (see solve-job.ts); absent = a plain solve. */
  job?: SolveJob;
}

export type SolveTaskResult =
  | {
      status: SolutionStatus;
      /** solver.backend and the final gap of the Solution (for metrics). */
      backend: string;
      gap: number | null;
      /** The Solution as JSON: the same plan and options give the same text. */
      solutionJson: string;
      timings: { totalMs: number; solveMs: number };
      /** A job's small answer for the caller (a scenario digest, a frontier sample). */
      extra?: unknown;
    }
  /** A rule or score expression failed on some pair: reported like a validation error. */
  | { invalid: FieldError[] };

export interface ReportTask extends StartAnnouncement {
  plan: Plan;
}

export interface ReportTaskResult {
  /** The PlanReport as JSON. */
  reportJson: string;
  timings: { totalMs: number };
}

// Start loading the HiGHS runtime (shared by the MIP backend and the structured path) as the thread
// starts rather than at its first solve (which awaits the same load), so that the load is not spent
// out of that solve's time limit. A failed load is not fatal here: the first solve retries it and
// reports the error. Not a top-level await: tsx cannot load a worker entry that uses one.
void getBackend("highs")
  .version()
  .catch(() => undefined);
// Likewise the helper thread of the portfolio (a solve offered a second thread runs HiGHS there).
warmHighsThread();

/** Tells the pool that this thread has begun the task (first thing every task does). */
export function announceStart(task: StartAnnouncement): void {
  // Not closed here: the pool closes its end when the task settles.
  task.started?.postMessage("started");
}

/** The task's options with its progress port and stop flag turned into the engine's hooks. */
function solveOptions(task: SolveTask): SolveOptions {
  const options: SolveOptions = { ...task.options };
  const port = task.started;
  if (task.progress === true && port !== undefined) options.onProgress = throttleProgress((progress) => port.postMessage({ progress }));
  if (task.stop !== undefined) options.stopRequested = stopReader(task.stop);
  return options;
}

export async function solve(task: SolveTask): Promise<SolveTaskResult> {
  announceStart(task);
  const options = solveOptions(task);
  try {
    if (task.job !== undefined) return await runSolveJob(task.plan, options, task.job);
    const { solution, timings } = await solvePlan(task.plan, options);
    return { status: solution.status, backend: solution.solver.backend, gap: solution.gap, solutionJson: JSON.stringify(solution), timings };
  } catch (error) {
    if (error instanceof PlanExpressionError) return { invalid: error.errors };
    throw error;
  } finally {
    // After the last progress report, on the same port: the pool relays every report before the answer.
    if (task.progress === true) task.started?.postMessage(PROGRESS_END);
  }
}

export function report(task: ReportTask): ReportTaskResult | { invalid: FieldError[] } {
  announceStart(task);
  const start = performance.now();
  try {
    const reportJson = JSON.stringify(planReport(task.plan));
    return { reportJson, timings: { totalMs: performance.now() - start } };
  } catch (error) {
    if (error instanceof PlanExpressionError) return { invalid: error.errors };
    throw error;
  }
}

export default solve;
