/**
 * A progress bar on the terminal for solves longer than a second (cli-progress): time used of the
 * time limit, the engine's phase and the gap as it falls. Only for a terminal: when stderr is a
 * file or a pipe the command prints nothing but its usual output.
 */
import { SingleBar } from "cli-progress";
import type { SolveProgress } from "../../models/index.ts";
import { formatNumber } from "../numeric/number-format.ts";

/** A solve shows no bar until it has run this long. */
export const BAR_AFTER_MS = 1_000;

export interface ProgressBar {
  onProgress(progress: SolveProgress): void;
  /** Removes the bar (if it was shown). */
  stop(): void;
}

const seconds = (ms: number) => `${formatNumber(ms / 1000, { decimals: 1 })} s`;

export function solveProgressBar(stream: NodeJS.WritableStream & { isTTY?: boolean }, timeLimitMs: number): ProgressBar {
  let bar: SingleBar | null = null;
  const total = Math.max(1, Math.round(timeLimitMs));
  const payload = (p: SolveProgress) => ({
    phase: p.phase,
    used: seconds(p.elapsedMs),
    limit: seconds(timeLimitMs),
    gap: p.gap === null ? "gap —" : `gap ${formatNumber(p.gap * 100, { decimals: 3 })}%`,
  });
  return {
    onProgress(progress) {
      if (bar === null) {
        if (progress.elapsedMs < BAR_AFTER_MS || progress.phase === "done") return;
        bar = new SingleBar({
          stream,
          format: "solving [{bar}] {percentage}% | {used} of {limit} | {phase} | {gap}",
          barsize: 30,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 1,
        });
        bar.start(total, 0, payload(progress));
      }
      bar.update(Math.min(total, Math.round(progress.elapsedMs)), payload(progress));
    },
    stop() {
      if (bar === null) return;
      bar.stop();
      bar = null;
    },
  };
}
