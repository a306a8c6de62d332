import type { SolveProgress } from "../../models/index.ts";

/** Reports a second at most, besides phase changes and the final report. */
export const PROGRESS_REPORTS_PER_SECOND = 5;

/**
 * Passes on at most PROGRESS_REPORTS_PER_SECOND reports a second, but always a phase change and
 * the final ("done") report, so a reader sees every phase and the answer's figures. Synchronous
 * (a busy solver thread runs no timers): a report that comes too soon is dropped, and the next one
 * carries newer figures.
 */
export function throttleProgress(send: (progress: SolveProgress) => void, now: () => number = () => performance.now()): (progress: SolveProgress) => void {
  const minIntervalMs = 1000 / PROGRESS_REPORTS_PER_SECOND;
  let lastAt = -Infinity;
  let lastPhase: SolveProgress["phase"] | null = null;
  return (progress) => {
    const at = now();
    if (progress.phase === lastPhase && progress.phase !== "done" && at - lastAt < minIntervalMs) return;
    lastAt = at;
    lastPhase = progress.phase;
    send(progress);
  };
}
