import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { lagrangianBound, zeroMultipliers } from "./lagrangian-bound.ts";
import { solveMinCostFlow, type FlowNetwork } from "./network-simplex.ts";
import { flagAt, indexAt } from "./checked-read.ts";

/**
 * The exact algorithm for transportation structure (only count capacities: no workloads, value
 * bands or binding move budget): an assignment problem is then a minimum-cost flow
 *
 *   customer (supply 1) → rep (cost −score) → sink (capacity accountsUpper − accountsLower),
 *   rep demand accountsLower, optional customer → sink (cost 0),
 *
 * solved by network simplex. The proof of optimality does not trust the flow code: the rep prices
 * read from its potentials are turned into Lagrangian multipliers and the bound is recomputed from
 * the problem data (lagrangian-bound.ts).
 */
export interface TransportationResult {
  status: "optimal" | "infeasible" | "stopped";
  choice: PairChoice | null;
  objective: number | null;
  /** Lagrangian bound from the flow's duals: ≥ every feasible objective. */
  bound: number | null;
  pivots: number;
}

export function solveTransportation(problem: AssignmentProblem, shouldStop?: () => boolean): TransportationResult {
  const C = problem.customerCount;
  const R = problem.repCount;
  const sink = C + R;
  for (let r = 0; r < R; r++) {
    if ((problem.accountsUpper[r] ?? Infinity) < (problem.accountsLower[r] ?? 0)) {
      return { status: "infeasible", choice: null, objective: null, bound: null, pivots: 0 };
    }
  }
  let optionalCount = 0;
  for (let c = 0; c < C; c++) optionalCount += flagAt(problem.optional, c);
  const n = problem.pairCount;
  const arcs = n + R + optionalCount;
  const arcSource = new Int32Array(arcs);
  const arcTarget = new Int32Array(arcs);
  const arcCapacity = new Float64Array(arcs).fill(Infinity);
  const arcCost = new Float64Array(arcs);
  for (let k = 0; k < n; k++) {
    arcSource[k] = indexAt(problem.pairCustomer, k);
    arcTarget[k] = C + indexAt(problem.pairRep, k);
    arcCost[k] = -(problem.pairScore[k] ?? 0);
  }
  let lowerTotal = 0;
  const supply = new Float64Array(C + R + 1);
  for (let c = 0; c < C; c++) supply[c] = 1;
  for (let r = 0; r < R; r++) {
    const lower = problem.accountsLower[r] ?? 0;
    lowerTotal += lower;
    supply[C + r] = -lower;
    arcSource[n + r] = C + r;
    arcTarget[n + r] = sink;
    arcCapacity[n + r] = (problem.accountsUpper[r] ?? Infinity) - lower;
  }
  supply[sink] = -(C - lowerTotal);
  let a = n + R;
  for (let c = 0; c < C; c++) {
    if (flagAt(problem.optional, c) !== 1) continue;
    arcSource[a] = c;
    arcTarget[a] = sink;
    a++;
  }
  const network: FlowNetwork = { nodes: C + R + 1, supply, arcSource, arcTarget, arcCapacity, arcCost };
  const result = solveMinCostFlow(network, shouldStop === undefined ? {} : { shouldStop });
  if (result.status !== "optimal") return { status: result.status, choice: null, objective: null, bound: null, pivots: result.pivots };

  const choice = new Int32Array(C).fill(-1);
  let objective = 0;
  for (let k = 0; k < n; k++) {
    if ((result.flow[k] ?? 0) > 0.5) {
      choice[indexAt(problem.pairCustomer, k)] = k;
      objective += problem.pairScore[k] ?? 0;
    }
  }
  // Rep price p = π(sink) − π(rep): full reps have p ≥ 0 (upper multiplier), reps held at their
  // lower bound p ≤ 0 (lower multiplier).
  const multipliers = zeroMultipliers(R);
  const sinkPotential = result.potential[sink] ?? 0;
  for (let r = 0; r < R; r++) {
    const price = sinkPotential - (result.potential[C + r] ?? 0);
    multipliers.accountsUpper[r] = Math.max(0, price);
    multipliers.accountsLower[r] = Math.max(0, -price);
  }
  const bound = lagrangianBound(problem, multipliers);
  return { status: "optimal", choice, objective, bound: Math.max(bound, objective), pivots: result.pivots };
}
