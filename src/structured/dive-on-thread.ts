import { answerOrStop, solveSparseMipOnThread } from "../mip/highs-on-thread.ts";
import type { SparseMip } from "../mip/mip-model.ts";
import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { diveAnswer, type FixingDiveResult } from "./knapsack-fixing-mip.ts";
import { buildRestrictedMip, type RestrictionInput } from "./restricted-mip.ts";

/**
 * A fixing dive's MIP (restricted-mip.ts) solved by HiGHS on a helper thread (highs-on-thread.ts),
 * for a solve with a core to spare: the calling thread goes on with its own search meanwhile and
 * reads `finished()` (a shared flag) inside its loops. The answer is decoded and verified on the
 * calling thread, against the plan the dive started from, like a dive on the calling thread
 * (knapsack-fixing-mip.ts `diveAnswer`).
 */
export interface DiveOnThread {
  /** True once HiGHS has answered (or the helper failed). */
  finished(): boolean;
  /**
   * The dive's plan, once HiGHS answers; `stopRequested` is polled meanwhile, and a stop request
   * stops HiGHS (whose answer then still counts if it has one). `cut`: HiGHS ended unfinished.
   */
  answer(stopRequested: () => boolean): Promise<ThreadDiveResult>;
}

/** A dive's plan (knapsack-fixing-mip.ts), and whether HiGHS ended unfinished (its time limit, a stop or a failure). */
export interface ThreadDiveResult extends FixingDiveResult {
  cut: boolean;
}

/** Time HiGHS may run past its limit, kept back from the time given. */
const MARGIN_MS = 15;

/**
 * Starts the dive from `incumbent` with time limit `maxMs`, and resolves once HiGHS has begun it
 * (highs-on-thread.ts `begun`); null when there is no time for it.
 */
export async function startDiveOnThread(problem: AssignmentProblem, input: RestrictionInput, maxMs: number, incumbent: { choice: PairChoice; objective: number }): Promise<DiveOnThread | null> {
  const limitMs = Math.floor(maxMs - MARGIN_MS);
  if (!(limitMs > 0)) return null;
  const mip: SparseMip = buildRestrictedMip(problem, input);
  let failed = false;
  const thread = solveSparseMipOnThread(mip, { timeLimitMs: limitMs, mipGap: 0, maxNodes: Number.MAX_SAFE_INTEGER });
  thread.result.catch(() => (failed = true));
  await thread.begun();
  return {
    finished: () => failed || thread.finished(),
    answer: async (stopRequested) => {
      const result = await answerOrStop(thread, stopRequested);
      const cut = result === null || result.status === "feasible" || result.status === "timeout";
      return { ...diveAnswer(problem, input, mip, result, incumbent), cut };
    },
  };
}
