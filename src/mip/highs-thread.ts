/**
 * The piscina task of the HiGHS helper threads (highs-on-thread.ts): solves one `SparseMip` with
 * HiGHS, posts its progress on the request's port, and marks the shared "done" slot as it answers,
 * so that a synchronous search on the calling thread sees it without waiting for a message. The
 * caller's stop request is a shared slot too, read at HiGHS's checkpoints.
 */
import { highsRuntime } from "./highs-runtime.ts";
import { solveSparseMip, type SparseSolveResult } from "./highs-sparse-solve.ts";
import { SIGNAL_BEGUN, SIGNAL_DONE, SIGNAL_STOP, type ProgressMessage, type ThreadRequest } from "./highs-thread-messages.ts";

// Load the runtime as the thread starts, not at its first solve (not a top-level await: tsx
// cannot load a worker entry that uses one). A failed load is retried by the first solve.
void highsRuntime().catch(() => undefined);

export default async function solveOnThread(request: ThreadRequest): Promise<SparseSolveResult> {
  const signals = new Int32Array(request.signals);
  Atomics.store(signals, SIGNAL_BEGUN, 1);
  try {
    return await solveSparseMip(request.mip, {
      timeLimitMs: Math.max(1, request.deadlineEpochMs - Date.now()),
      mipGap: request.mipGap,
      maxNodes: request.maxNodes,
      hooks: {
        stopRequested: () => Atomics.load(signals, SIGNAL_STOP) !== 0,
        onProgress: (primal, dual) => request.progress.postMessage({ progress: [primal, dual] } satisfies ProgressMessage),
      },
    });
  } finally {
    request.progress.close();
    Atomics.store(signals, SIGNAL_DONE, 1);
  }
}

/** A task that only loads the thread and HiGHS (warmHighsThread). */
export async function warm(): Promise<void> {
  await highsRuntime();
}
