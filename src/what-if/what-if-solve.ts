import type { SolutionStatus } from "../../models/index.ts";

/**
 * What a what-if workflow (scenario-batch.ts, reassignment-run.ts) needs from one solve, however
 * its caller runs it (the service and the benches: on the solve pool, as a job of
 * runtime/solve-job.ts). The caller's own fields (timings, …) come back to it untouched.
 */
export interface WhatIfSolveOutcome {
  status: SolutionStatus;
  /** The answer as JSON text ("" when the job was asked not to send it). */
  solutionJson: string;
  /** True when a hard deadline stopped the solve: the answer is a `timeout` Solution without assignments. */
  deadlineHit: boolean;
  /** The job's small answer (a digest, a frontier sample), unchecked; absent from a deadline answer. */
  extra?: unknown;
}

/**
 * Runs the solves of one workflow under one signal, aborted when the caller's `signal` is, or when
 * any solve fails, so that its siblings stop too instead of running on for nobody.
 */
export async function solvingTogether<T>(signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  signal?.addEventListener("abort", () => controller.abort(), { once: true });
  try {
    return await work(controller.signal);
  } catch (error) {
    controller.abort();
    throw error;
  }
}
