import { solverSlack } from "../numeric/tolerance.ts";
import type { AssignmentProblem } from "./assignment-problem.ts";

/**
 * What the searches through infeasible plans of GAP-shaped parts (ejection-chain-search.ts,
 * path-relinking.ts) price: each rep's workload and account limits (with the solvers' slack), and
 * the starting price of a unit over them: the mean |score| per unit of workload, and per account.
 */
export interface OverLimitPenalty {
  capW: Float64Array;
  capA: Float64Array;
  unitW: number;
  unitA: number;
}

export function overLimitPenalty(p: AssignmentProblem): OverLimitPenalty {
  const R = p.repCount;
  const capW = new Float64Array(R);
  const capA = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    const w = p.workloadUpper[r] ?? Infinity;
    const a = p.accountsUpper[r] ?? Infinity;
    capW[r] = w + solverSlack(w);
    capA[r] = a + solverSlack(a);
  }
  let meanScore = 0;
  let meanWork = 0;
  for (let k = 0; k < p.pairCount; k++) {
    meanScore += Math.abs(p.pairScore[k] ?? 0);
    meanWork += p.pairWorkload[k] ?? 0;
  }
  const unitW = meanWork > 0 ? meanScore / meanWork : 1;
  const unitA = p.pairCount > 0 ? Math.max(meanScore / p.pairCount, 1e-9 /* keeps the weight positive, not a tolerance */) : 1;
  return { capW, capA, unitW, unitA };
}
