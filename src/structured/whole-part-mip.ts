import { SOLVER_ANSWER_TOLERANCE } from "../numeric/tolerance.ts";
import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { AssignmentState } from "./assignment-state.ts";
import { solveBounded } from "./bounded-mip-solve.ts";
import { finish, settle, type ComponentResult } from "./component-result.ts";
import { buildRestrictedMip, decodeRestricted, wholeProblem } from "./restricted-mip.ts";
import type { PartProgress } from "./part-progress.ts";
import type { WorkBudget } from "./work-budget.ts";

/**
 * HiGHS on a part's whole MIP (design 3.3), from `incumbent` when given. The answer replaces the
 * incumbent only when it is feasible and better; HiGHS's bound tightens `bound`. HiGHS gets the
 * work left in the budget as a node limit (the work of a node grows with the columns), and the
 * time left before the hard stop as its time limit. `progress` hears HiGHS's incumbent and bound
 * as they improve (HiGHS then runs with callbacks, which do not change its answer).
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


export async function solveWholeMip(problem: AssignmentProblem, mipGap: number, budget: WorkBudget, incumbent: Incumbent | null, algorithms: string[], progress?: PartProgress): Promise<ComponentResult> {
  const ran = [...algorithms];
  const none = { choice: null, objective: null, bound: incumbent?.bound ?? null, highsVersion: null, nodes: null };
  const stop = (): ComponentResult => (incumbent === null ? finish({ status: "timeout", ...none, algorithms: ran }, budget) : settle({ ...incumbent, algorithms: ran, highsVersion: null, nodes: null }, mipGap, budget));
  const input = wholeProblem(problem, incumbent?.choice ?? new Int32Array(problem.customerCount).fill(-1));
  // The incumbent is kept aside rather than given to HiGHS as a MIP start: measured on the 1k × 20
  // book and the Chu & Beasley and type D/E GAP instances, HiGHS from a start explores fewer nodes
  // in the same time and ends no better (often worse) than from scratch; the better of its answer
  // and the incumbent is returned.
  const mip = { ...buildRestrictedMip(problem, input), start: null };
  const nodeWork = WORK_PER_COLUMN_NODE * Math.max(1, mip.numCols);
  const maxNodes = Math.max(1, Math.floor(budget.left() / nodeWork) - 1);
  // HiGHS's figures as the part's: the better of its incumbent and the one kept aside, the tighter bound.
  const onProgress =
    progress === undefined
      ? undefined
      : (primal: number | null, dual: number | null) => {
          const found = primal === null ? null : primal + mip.fixedObjective;
          const proven = dual === null ? null : dual + mip.fixedObjective;
          const kept = incumbent?.bound ?? null;
          progress.figures(
            found === null ? (incumbent?.objective ?? null) : Math.max(found, incumbent?.objective ?? -Infinity),
            proven === null ? kept : Math.min(proven, kept ?? Infinity),
          );
        };
  progress?.phase("structured");
  const result = await solveBounded(mip, { work: budget, mipGap, maxNodes, marginMs: HIGHS_TIME_MARGIN_MS, ...(onProgress === undefined ? {} : { onProgress }) });
  if (result === null) return stop();
  ran.push("highs");
  const nodes = result.nodes;
  budget.spend(nodeWork * (1 + Math.min(maxNodes, nodes ?? maxNodes)));
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
  if (best === null) return finish({ status: "timeout", choice: null, objective: null, bound, algorithms: ran, highsVersion: result.version, nodes }, budget);
  if (bound !== null) bound = Math.max(bound, best.objective);
  return settle({ choice: best.choice, objective: best.objective, bound, algorithms: ran, highsVersion: result.version, nodes }, mipGap, budget);
}
