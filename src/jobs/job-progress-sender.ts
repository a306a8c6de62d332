/**
 * A job's progress on its way out of a worker: numbered (`seq`), at most `perSecond` reports a
 * second (a batch's solves report independently, so the work as a whole may report faster), the
 * latest one always delivered (a report that comes too soon waits, and a newer one replaces it),
 * and sent one after another in order. `flush()` sends what waits and resolves once everything
 * sent has landed, so the job's last progress is written before its end.
 */
import type { JobProgress } from "../../models/index.ts";
import type { WorkProgress } from "./job-work.ts";

export interface ProgressSender {
  report(progress: WorkProgress): void;
  flush(): Promise<void>;
}

export interface ProgressSenderOptions {
  /** Most reports a second (default 5). */
  perSecond?: number;
  /** The first report's `seq` (a job tried again continues its numbering). */
  firstSeq?: number;
  /** A failed send (e.g. Redis away): reported here, never thrown; later reports still go. */
  onError?: (error: unknown) => void;
  now?: () => number;
}

export function createProgressSender(send: (progress: JobProgress) => Promise<void>, options: ProgressSenderOptions = {}): ProgressSender {
  const minIntervalMs = 1000 / (options.perSecond ?? 5);
  const now = options.now ?? (() => performance.now());
  let seq = options.firstSeq ?? 0;
  let lastSentAt = -Infinity;
  let waiting: WorkProgress | null = null;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();

  const sendWaiting = () => {
    clearTimeout(timer);
    timer = undefined;
    if (waiting === null) return;
    const progress: JobProgress = { seq, solve: waiting.solve, solvesDone: waiting.solvesDone, solvesTotal: waiting.solvesTotal };
    seq += 1;
    waiting = null;
    lastSentAt = now();
    chain = chain.then(() => send(progress)).catch((error: unknown) => options.onError?.(error));
  };

  return {
    report(progress) {
      waiting = progress;
      if (timer !== undefined) return;
      const dueIn = lastSentAt + minIntervalMs - now();
      if (dueIn <= 0) sendWaiting();
      else timer = setTimeout(sendWaiting, dueIn);
    },
    async flush() {
      sendWaiting();
      await chain;
    },
  };
}
