import type { GapInstance } from "../src/formats/gap-instance.ts";
import type { AssignmentProblem, PairChoice } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";

/** A small GAP with random integer costs, resources and capacities (tight: 90% of the mean load). */
export function smallGap(seed: number, agents: number, jobs: number): GapInstance {
  let s = seed >>> 0;
  const next = (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const cost = Array.from({ length: agents }, () => Array.from({ length: jobs }, () => 1 + next(30)));
  const resource = Array.from({ length: agents }, () => Array.from({ length: jobs }, () => 1 + next(20)));
  const capacity = resource.map((row) => Math.floor((0.9 * row.reduce((a, b) => a + b, 0)) / agents) + 5);
  return { agents, jobs, cost, resource, capacity };
}

/** Every assignment of customers to pairs: the best feasible objective (maximised), or -Infinity. */
export function bruteForceProblem(problem: AssignmentProblem): number {
  let best = -Infinity;
  const choice = new Int32Array(problem.customerCount);
  const walk = (c: number): void => {
    if (c === problem.customerCount) {
      const state = new AssignmentState(problem, choice);
      if (state.isFeasible()) best = Math.max(best, state.objective);
      return;
    }
    for (let k = problem.customerStart[c] ?? 0; k < (problem.customerStart[c + 1] ?? 0); k++) {
      choice[c] = k;
      walk(c + 1);
    }
  };
  walk(0);
  return best;
}

/** A feasible start: the greedy by least resource that fits, or null when it finds none. */
export function feasibleStart(problem: AssignmentProblem): PairChoice | null {
  const load = new Float64Array(problem.repCount);
  const choice = new Int32Array(problem.customerCount).fill(-1);
  for (let c = 0; c < problem.customerCount; c++) {
    let pick = -1;
    for (let k = problem.customerStart[c] ?? 0; k < (problem.customerStart[c + 1] ?? 0); k++) {
      const r = problem.pairRep[k] ?? 0;
      if ((load[r] ?? 0) + (problem.pairWorkload[k] ?? 0) > (problem.workloadUpper[r] ?? Infinity)) continue;
      if (pick < 0 || (problem.pairWorkload[k] ?? 0) < (problem.pairWorkload[pick] ?? 0)) pick = k;
    }
    if (pick < 0) return null;
    choice[c] = pick;
    load[problem.pairRep[pick] ?? 0] = (load[problem.pairRep[pick] ?? 0] ?? 0) + (problem.pairWorkload[pick] ?? 0);
  }
  return choice;
}
