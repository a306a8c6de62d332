import { chooseAlgorithm, type ComponentAlgorithm } from "./algorithm-choice.ts";
import type { AssignmentProblem } from "./assignment-problem.ts";
import { AssignmentState } from "./assignment-state.ts";
import { finish, settle, type ComponentContext, type ComponentResult } from "./component-result.ts";
import { solveByLagrangianSearch } from "./lagrangian-search.ts";
import { solveTransportation } from "./transportation-flow.ts";
import { solveWholeMip } from "./whole-part-mip.ts";
import { WorkBudget } from "./work-budget.ts";

export { mergeStoppedBy, type ComponentContext, type ComponentResult, type StoppedBy } from "./component-result.ts";

/**
 * Solves one independent part of a plan with the algorithm its structure calls for
 * (algorithm-choice.ts), within the part's work budget (work-budget.ts) and its hard stop on the
 * clock, and says how good the answer is and how the search stopped (component-result.ts).
 */
export async function solveComponent(problem: AssignmentProblem, context: ComponentContext): Promise<ComponentResult> {
  const budget = WorkBudget.forTime(context.budgetMs, context.deadline, context.stopRequested);
  const algorithm: ComponentAlgorithm = chooseAlgorithm(problem);
  switch (algorithm) {
    case "empty":
      return solveEmpty(problem, budget);
    case "network-simplex":
      return solveByFlow(problem, context.mipGap, budget);
    case "highs":
      return solveWholeMip(problem, context.mipGap, budget, null, [], context.progress);
    case "lagrangian-search":
      return solveByLagrangianSearch(problem, context.mipGap, budget, context.progress, context.threads ?? 1);
  }
}

/** No pairs: nobody can be assigned; feasible exactly when every row admits zero load. */
function solveEmpty(problem: AssignmentProblem, budget: WorkBudget): ComponentResult {
  const choice = new Int32Array(problem.customerCount).fill(-1);
  const state = new AssignmentState(problem, choice);
  const none = { algorithms: ["presolve"], highsVersion: null, nodes: null };
  if (!state.isFeasible()) return finish({ status: "infeasible", choice: null, objective: null, bound: null, ...none }, budget);
  return finish({ status: "optimal", choice, objective: 0, bound: 0, ...none }, budget);
}

/** Work of the network simplex per pair (building the network, the bound) and per pivot. */
const FLOW_WORK_PER_PAIR = 4;
const FLOW_WORK_PER_PIVOT = 64;

/** Exact by network simplex; only the clock or a stop request stops it early. */
function solveByFlow(problem: AssignmentProblem, mipGap: number, budget: WorkBudget): ComponentResult {
  const result = solveTransportation(problem, () => {
    if (budget.pollStop()) return true;
    if (performance.now() <= budget.deadline) return false;
    budget.cutByClock();
    return true;
  });
  budget.spend(FLOW_WORK_PER_PAIR * problem.pairCount + FLOW_WORK_PER_PIVOT * result.pivots);
  const algorithms = ["network-simplex"];
  const none = { choice: null, objective: null, bound: null, algorithms, highsVersion: null, nodes: null };
  if (result.status === "infeasible") return finish({ status: "infeasible", ...none }, budget);
  if (result.status === "stopped" || result.choice === null) return finish({ status: "timeout", ...none }, budget);
  const state = new AssignmentState(problem, result.choice);
  if (!state.isFeasible()) return finish({ status: "timeout", ...none }, budget);
  return settle({ choice: result.choice, objective: state.objective, bound: result.bound, algorithms, highsVersion: null, nodes: null }, mipGap, budget);
}
