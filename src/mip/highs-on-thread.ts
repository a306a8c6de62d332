import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import type { SparseSolveResult } from "./highs-sparse-solve.ts";
import type { SparseMip } from "./mip-model.ts";
import { SIGNAL_BEGUN, SIGNAL_DONE, SIGNAL_STOP, type ProgressMessage, type ThreadRequest } from "./highs-thread-messages.ts";
import { typescriptWorkerArgs } from "./worker-loader.ts";

/**
 * HiGHS on a helper thread (highs-thread.ts), for the portfolio of a solve that has a core to
 * spare: the calling thread goes on with its own search while HiGHS works on the same part. The
 * helpers are a small piscina pool per thread that asks for them, started on first use and kept
 * for later solves. A helper that fails rejects its answer: the caller then solves on its own
 * thread.
 */
export interface ThreadedSolve {
  /** HiGHS's answer; rejects when the helper thread fails. */
  result: Promise<SparseSolveResult>;
  /** True once the helper has answered: a shared flag, readable inside a synchronous loop. */
  finished(): boolean;
  /** Asks HiGHS to stop at its next checkpoint and answer with what it has. */
  stop(): void;
  /**
   * Resolves once the helper has begun the solve (true), or after BEGIN_WAIT_MS or when it failed
   * (false). The request reaches the helper through this thread's event loop: a caller about to
   * run a long synchronous search awaits this first, or HiGHS would only start when it yields.
   */
  begun(): Promise<boolean>;
}

export interface ThreadedSolveOptions {
  timeLimitMs: number;
  mipGap: number;
  maxNodes: number;
  /** HiGHS's incumbent and bound as they improve (in the MIP's own objective), on the calling thread's event loop. */
  onProgress?: (primal: number | null, dual: number | null) => void;
}

/** Helper threads per calling thread (a solve runs one part, so one HiGHS, at a time; one more covers a stopped one still answering). */
const MAX_HELPERS = 2;
/** An idle helper ends after this long (a new one loads in a few hundred ms). */
const IDLE_TIMEOUT_MS = 120_000;
/** Longest wait for a helper to begin a solve (a helper that is not loaded yet takes a few hundred ms). */
const BEGIN_WAIT_MS = 2_000;
/** How often that wait looks at the shared flag. */
const BEGIN_POLL_MS = 1;

let helpers: Piscina | null = null;

function helperPool(): Piscina {
  helpers ??= new Piscina({
    filename: new URL("./highs-thread.ts", import.meta.url).href,
    minThreads: 0,
    maxThreads: MAX_HELPERS,
    idleTimeout: IDLE_TIMEOUT_MS,
    execArgv: typescriptWorkerArgs(),
  });
  return helpers;
}

/** Starts a helper ahead of the first portfolio solve (loading the thread and HiGHS takes a few hundred ms). */
export function warmHighsThread(): void {
  const pool = helperPool();
  if (pool.threads.length === 0) void pool.run(null, { name: "warm" }).catch(() => undefined);
}

export function solveSparseMipOnThread(mip: SparseMip, options: ThreadedSolveOptions): ThreadedSolve {
  const signals = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  const flags = new Int32Array(signals);
  const channel = new MessageChannel();
  channel.port1.on("message", (message: ProgressMessage) => options.onProgress?.(message.progress[0], message.progress[1]));
  // Never keeps the process alive on its own: the caller awaits the answer.
  channel.port1.unref();
  const request: ThreadRequest = { mip, mipGap: options.mipGap, maxNodes: options.maxNodes, deadlineEpochMs: Date.now() + options.timeLimitMs, signals, progress: channel.port2 };
  // The helper closes its end when it answers (after its last report); this end is left to close
  // with it, so that no report still on its way is dropped.
  const result = helperPool().run(request, { transferList: [channel.port2] }) as Promise<SparseSolveResult>;
  // Handled here too, so that a helper failing while the caller is busy is never an unhandled rejection.
  let failed = false;
  result.catch(() => (failed = true));
  return {
    begun: async () => {
      const until = Date.now() + BEGIN_WAIT_MS;
      while (Atomics.load(flags, SIGNAL_BEGUN) === 0) {
        if (failed || Date.now() >= until) return false;
        await new Promise((resolve) => setTimeout(resolve, BEGIN_POLL_MS));
      }
      return true;
    },
    result,
    finished: () => Atomics.load(flags, SIGNAL_DONE) !== 0,
    stop: () => {
      Atomics.store(flags, SIGNAL_STOP, 1);
    },
  };
}

/** How often a wait for a helper's answer looks at the caller's stop request. */
const STOP_POLL_MS = 20;
/** How long a stopped HiGHS on a helper thread may take to answer before its answer is given up. */
const STOPPED_WAIT_MS = 500;

/**
 * The helper's answer, passing on the caller's stop request (polled every STOP_POLL_MS); null when
 * the helper failed, or when a stop was requested and HiGHS has not answered STOPPED_WAIT_MS later
 * (it stops at its next checkpoint, which deep in a large root node can take a while).
 */
export async function answerOrStop(thread: ThreadedSolve, stopRequested: () => boolean): Promise<SparseSolveResult | null> {
  let poll: NodeJS.Timeout | undefined;
  let giveUp: NodeJS.Timeout | undefined;
  const stopped = new Promise<null>((resolve) => {
    const check = (): void => {
      if (!stopRequested()) return;
      clearInterval(poll);
      thread.stop();
      giveUp = setTimeout(() => resolve(null), STOPPED_WAIT_MS);
    };
    poll = setInterval(check, STOP_POLL_MS);
    check();
  });
  try {
    return await Promise.race([thread.result, stopped]);
  } catch {
    return null;
  } finally {
    clearInterval(poll);
    clearTimeout(giveUp);
  }
}
