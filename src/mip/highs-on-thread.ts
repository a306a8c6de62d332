import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import type { SparseSolveResult } from "./highs-sparse-solve.ts";
import type { SparseMip } from "./mip-model.ts";
import { SIGNAL_DONE, SIGNAL_STOP, type ProgressMessage, type ThreadRequest } from "./highs-thread-messages.ts";
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
  const signals = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
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
  result.catch(() => undefined);
  return {
    result,
    finished: () => Atomics.load(flags, SIGNAL_DONE) !== 0,
    stop: () => {
      Atomics.store(flags, SIGNAL_STOP, 1);
    },
  };
}
