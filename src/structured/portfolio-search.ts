import type { ThreadedSolve } from "../mip/highs-on-thread.ts";
import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { PathRelinking, RELINKING } from "./path-relinking.ts";
import type { WorkBudget, WorkMeter } from "./work-budget.ts";

/**
 * The calling thread's share of the portfolio: while HiGHS works on the part on its helper thread
 * (whole-part-mip.ts), path relinking between elite plans with ejection chains
 * (path-relinking.ts), from the heuristics' plan, until HiGHS answers, the hard stop nears or the
 * caller asks to stop. Its plan may replace HiGHS's only when the clock stopped HiGHS: the answer
 * then differs from run to run anyway, and says so (stoppedBy "time-limit"); when HiGHS ends by
 * itself, the answer is the one a single thread gives. Its work is its own, never drawn from the
 * part's budget (which the parts after it share).
 */
export interface SideSearchOptions {
  guide: Float64Array;
  /** Stop when the best plan reaches this objective. */
  target?: number;
}

/** Time kept back from the hard stop for HiGHS's answer and the part's assembly. */
const SIDE_MARGIN_MS = 60;
/** First seed of the side search's relinking. */
const SIDE_SEED = 1_000;
/** Calls between two looks at the shared flags and the clock. */
const CHECK_CALLS = 8;
/** Work of one round between two yields to the event loop (HiGHS's progress reports come through then). */
const ROUND_WORK = 100_000_000;

export async function searchBesideHighs(problem: AssignmentProblem, start: { choice: PairChoice; objective: number }, thread: ThreadedSolve, budget: WorkBudget, options: SideSearchOptions): Promise<{ choice: PairChoice; objective: number } | null> {
  let over = false;
  let countdown = 0;
  const ended = (): boolean => {
    if (over) return true;
    if (--countdown > 0) return false;
    countdown = CHECK_CALLS;
    over = thread.finished() || budget.pollStop() || budget.msLeft() < SIDE_MARGIN_MS;
    return over;
  };
  // Seeds of its own: the part's relinking (lagrangian-search.ts) may have drawn RELINKING.seed's already.
  const relinking = new PathRelinking(problem, [start], { guide: options.guide, ...RELINKING, seed: SIDE_SEED, ...(options.target === undefined ? {} : { target: options.target }) });
  const target = options.target ?? Infinity;
  while (!ended() && relinking.best.objective < target) {
    let used = 0;
    const round: WorkMeter = {
      spend: (units) => {
        used += units;
      },
      exhausted: () => used >= ROUND_WORK || ended(),
      left: () => Math.max(0, ROUND_WORK - used),
      msLeft: () => budget.msLeft(),
      cutByClock: () => undefined,
      stopHook: () => budget.stopHook(),
    };
    relinking.run(round);
    // Let HiGHS's progress reports and the caller's stop request through.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const best = relinking.best;
  return best.objective > start.objective ? best : null;
}
