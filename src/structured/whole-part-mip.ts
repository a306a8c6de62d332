import type { SparseMip } from "../mip/mip-model.ts";
import { answerOrStop, solveSparseMipOnThread, type ThreadedSolve } from "../mip/highs-on-thread.ts";
import type { SparseSolveResult } from "../mip/highs-sparse-solve.ts";
import { SOLVER_ANSWER_TOLERANCE } from "../numeric/tolerance.ts";
import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { AssignmentState } from "./assignment-state.ts";
import { solveBounded } from "./bounded-mip-solve.ts";
import { finish, settle, type ComponentResult } from "./component-result.ts";
import { buildRestrictedMip, decodeRestricted, wholeProblem, type RestrictionInput } from "./restricted-mip.ts";
import type { PartProgress } from "./part-progress.ts";
import type { WorkBudget } from "./work-budget.ts";

/**
 * HiGHS on a part's whole MIP (design 3.3). The answer replaces the incumbent only when it is
 * feasible and better; HiGHS's bound tightens `bound`. HiGHS gets a node limit from the part's
 * work (the work of a node grows with the columns) and the time left before the hard stop as its
 * time limit. `progress` hears HiGHS's incumbent and bound as they improve (HiGHS then runs with
 * callbacks, which do not change its answer).
 *
 * The portfolio (`startWholeMipOnThread`): with a core to spare, HiGHS starts on a helper thread
 * when the part starts, with the node limit it would have had after the heuristics, while they
 * run on the calling thread; it then has the whole time limit instead of what the heuristics
 * leave. Its MIP never depends on the heuristics (no MIP start, below), so whenever the clock does
 * not stop HiGHS the answer is the one a single thread gives, byte for byte.
 */
export interface Incumbent {
  choice: PairChoice;
  objective: number;
  bound: number | null;
}

/** Work of the whole MIP per column and per branch-and-bound node (the root counts as one). */
const WORK_PER_COLUMN_NODE = 40;
/** Time kept back from the hard stop: HiGHS overruns its limit by a little (presolve, the last node). */
const HIGHS_TIME_MARGIN_MS = 30;

/** A part's whole MIP and HiGHS's node limit on it. */
export interface WholeMip {
  input: RestrictionInput;
  mip: SparseMip;
  nodeWork: number;
  maxNodes: number;
}

/** HiGHS started on a helper thread on a part's whole MIP (the portfolio). */
export interface WholeMipOnThread {
  whole: WholeMip;
  thread: ThreadedSolve;
}

/**
 * Work of a node of the whole MIP of a mid-size part with value bands, per column (`tail`): HiGHS's
 * nodes there re-solve an LP with every band row (measured on a realistic 1,000 × 30 book of 28,600
 * pairs: about 0.7 s a node on the bench's machine, 1,500 units per column), where a
 * GAP-shaped part's nodes are cheap.
 */
const TAIL_WORK_PER_COLUMN_NODE = 1_500;

/**
 * The whole MIP. `nodeUnits`: the work HiGHS's nodes may use (default: what is left in the budget).
 * Without `tail` the incumbent is kept aside rather than given to HiGHS as a MIP start: measured on
 * the 1k × 20 book and the Chu & Beasley and type D/E GAP instances, HiGHS from a start explores
 * fewer nodes in the same time and ends no better (often worse) than from scratch; the better of
 * its answer and the incumbent is returned. `tail` (the mid-size parts with value bands,
 * lagrangian-search.ts): the plan of the search before as the start (there HiGHS from it ended
 * better on each of three realistic 2,000 × 40 books at 60 s: 40,698,196 / 43,015,355 /
 * 38,467,120 against 40,696,820 / 43,012,383 / 38,461,082 without), nodes priced at
 * TAIL_WORK_PER_COLUMN_NODE.
 */
export function wholeMip(problem: AssignmentProblem, budget: WorkBudget, nodeUnits = budget.left(), tail?: { from: PairChoice }): WholeMip {
  if (tail === undefined) return reducedMip(problem, wholeProblem(problem, new Int32Array(problem.customerCount).fill(-1)), nodeUnits);
  const input = wholeProblem(problem, tail.from);
  const mip = buildRestrictedMip(problem, input);
  const nodeWork = TAIL_WORK_PER_COLUMN_NODE * Math.max(1, mip.numCols);
  const maxNodes = Math.max(1, Math.floor(nodeUnits / nodeWork) - 1);
  return { input, mip, nodeWork, maxNodes };
}

/**
 * The MIP of a restriction of the part without a start, nodes priced at WORK_PER_COLUMN_NODE: the
 * whole part (`wholeMip`), or the part reduced by exact fixing (knapsack-reduced-cost-fixing.ts),
 * where only the plans better than the incumbent are sure to be.
 */
export function reducedMip(problem: AssignmentProblem, input: RestrictionInput, nodeUnits: number): WholeMip {
  const mip = { ...buildRestrictedMip(problem, input), start: null };
  const nodeWork = WORK_PER_COLUMN_NODE * Math.max(1, mip.numCols);
  const maxNodes = Math.max(1, Math.floor(nodeUnits / nodeWork) - 1);
  return { input, mip, nodeWork, maxNodes };
}

/**
 * HiGHS's figures as the part's: the better of its incumbent and the one kept aside (read when
 * the report comes), the tighter bound.
 */
function progressOf(whole: WholeMip, progress: PartProgress, kept: () => { objective: number | null; bound: number | null }): (primal: number | null, dual: number | null) => void {
  return (primal, dual) => {
    const found = primal === null ? null : primal + whole.mip.fixedObjective;
    const proven = dual === null ? null : dual + whole.mip.fixedObjective;
    const { objective, bound } = kept();
    progress.figures(found === null ? objective : Math.max(found, objective ?? -Infinity), proven === null ? bound : Math.min(proven, bound ?? Infinity));
  };
}

/**
 * Starts HiGHS on a helper thread (the portfolio); null when the time is already up. `kept` gives
 * the heuristics' plan and bound for progress reports while both run.
 */
export function startWholeMipOnThread(whole: WholeMip, mipGap: number, budget: WorkBudget, progress?: PartProgress, kept?: () => { objective: number | null; bound: number | null }): WholeMipOnThread | null {
  const limitMs = budget.msLeft() - HIGHS_TIME_MARGIN_MS;
  if (!(limitMs > 0) || budget.pollStop()) return null;
  const onProgress = progress === undefined ? undefined : progressOf(whole, progress, kept ?? (() => ({ objective: null, bound: null })));
  const thread = solveSparseMipOnThread(whole.mip, { timeLimitMs: Math.min(limitMs, 2 ** 31 - 1), mipGap, maxNodes: whole.maxNodes, ...(onProgress === undefined ? {} : { onProgress }) });
  return { whole, thread };
}

/**
 * The helper's answer (highs-on-thread.ts `answerOrStop`, the caller's plan is returned when it
 * gives none); an unfinished answer below the node limit, not stopped on request, was cut by the clock.
 */
async function threadAnswer(started: WholeMipOnThread, budget: WorkBudget): Promise<SparseSolveResult | null> {
  const result = await answerOrStop(started.thread, () => budget.pollStop());
  if (result === null) return null;
  const unfinished = result.status === "feasible" || result.status === "timeout";
  // Below its node limit and not stopped on request, only its time limit stops HiGHS.
  if (unfinished && (result.nodes ?? 0) < started.whole.maxNodes && !budget.cancelled) budget.cutByClock();
  return result;
}

/**
 * HiGHS on the part's whole MIP, from scratch: on the calling thread, or the answer of the helper
 * thread started earlier (`started`; when the helper failed, on the calling thread after all).
 */
export async function solveWholeMip(
  problem: AssignmentProblem,
  mipGap: number,
  budget: WorkBudget,
  incumbent: Incumbent | null,
  algorithms: string[],
  progress?: PartProgress,
  options: { whole?: WholeMip; started?: WholeMipOnThread | null; ifCut?: { choice: PairChoice; objective: number }; onlyBetter?: boolean } = {},
): Promise<ComponentResult> {
  const ran = [...algorithms];
  // The portfolio's side search (portfolio-search.ts) counts only when the clock or a stop request
  // cut the search, which the answer then says; otherwise the answer is the one a single thread gives.
  const side = (): { choice: PairChoice; objective: number } | null => (options.ifCut !== undefined && (budget.clockCut || budget.cancelled) ? options.ifCut : null);
  const none = { choice: null, objective: null, bound: incumbent?.bound ?? null, highsVersion: null, nodes: null };
  const stop = (): ComponentResult => {
    const extra = side();
    const kept = extra !== null && (incumbent === null || extra.objective > incumbent.objective) ? { ...extra, bound: incumbent?.bound ?? null } : incumbent;
    if (kept === null) return finish({ status: "timeout", ...none, algorithms: ran }, budget);
    return settle({ ...kept, bound: kept.bound === null ? null : Math.max(kept.bound, kept.objective), algorithms: ran, highsVersion: null, nodes: null }, mipGap, budget);
  };
  const whole = options.started?.whole ?? options.whole ?? wholeMip(problem, budget);
  const { input, mip, nodeWork, maxNodes } = whole;
  progress?.phase("structured");
  let result: SparseSolveResult | null = null;
  if (options.started !== undefined && options.started !== null) result = await threadAnswer(options.started, budget);
  if (result === null && !budget.cancelled) {
    const kept = () => ({ objective: incumbent?.objective ?? null, bound: incumbent?.bound ?? null });
    const onProgress = progress === undefined ? undefined : progressOf(whole, progress, kept);
    result = await solveBounded(mip, { work: budget, mipGap, maxNodes, marginMs: HIGHS_TIME_MARGIN_MS, ...(onProgress === undefined ? {} : { onProgress }) });
  }
  if (result === null) return stop();
  ran.push("highs");
  const nodes = result.nodes;
  budget.spend(nodeWork * (1 + Math.min(maxNodes, nodes ?? maxNodes)));
  // A reduced MIP without a plan: none is better than the incumbent, which is optimal.
  if (result.status === "infeasible" && options.onlyBetter === true && incumbent !== null) {
    return settle({ choice: incumbent.choice, objective: incumbent.objective, bound: incumbent.objective, algorithms: ran, highsVersion: result.version, nodes }, mipGap, budget);
  }
  if (result.status === "infeasible") return finish({ status: "infeasible", choice: null, objective: null, bound: null, algorithms: ran, highsVersion: result.version, nodes }, budget);
  let best = incumbent;
  if (result.values !== null) {
    const choice = decodeRestricted(problem, input, mip, result.values);
    const state = new AssignmentState(problem, choice);
    if (state.isFeasible(SOLVER_ANSWER_TOLERANCE) && (best === null || state.objective > best.objective)) {
      best = { choice, objective: state.objective, bound: best?.bound ?? null };
    }
  }
  let bound = incumbent?.bound ?? null;
  if (result.bound !== null) {
    const highsBound = result.bound + mip.fixedObjective;
    bound = bound === null ? highsBound : Math.min(bound, highsBound);
  }
  const extra = side();
  if (extra !== null && (best === null || extra.objective > best.objective)) best = { choice: extra.choice, objective: extra.objective, bound: null };
  if (best === null) return finish({ status: "timeout", choice: null, objective: null, bound, algorithms: ran, highsVersion: result.version, nodes }, budget);
  if (bound !== null) bound = Math.max(bound, best.objective);
  return settle({ choice: best.choice, objective: best.objective, bound, algorithms: ran, highsVersion: result.version, nodes }, mipGap, budget);
}
