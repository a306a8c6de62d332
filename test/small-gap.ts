import type { Plan } from "../models/index.ts";
import { gapToPlan, type GapInstance } from "../src/formats/gap-instance.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { buildAssignmentProblem, type AssignmentProblem, type PairChoice } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";

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
  eachFeasiblePlan(problem, (_, state) => (best = Math.max(best, state.objective)));
  return best;
}

/** Every feasible plan (each customer on one of its pairs), in lexicographic order of pairs. */
export function feasiblePlans(problem: AssignmentProblem): PairChoice[] {
  const out: PairChoice[] = [];
  eachFeasiblePlan(problem, (choice) => out.push(choice.slice()));
  return out;
}

/** Calls `visit` on every feasible assignment (the choice is reused: copy it to keep it). */
function eachFeasiblePlan(problem: AssignmentProblem, visit: (choice: Int32Array, state: AssignmentState) => void): void {
  const choice = new Int32Array(problem.customerCount);
  const walk = (c: number): void => {
    if (c === problem.customerCount) {
      const state = new AssignmentState(problem, choice);
      if (state.isFeasible()) visit(choice, state);
      return;
    }
    for (let k = problem.customerStart[c] ?? 0; k < (problem.customerStart[c + 1] ?? 0); k++) {
      choice[c] = k;
      walk(c + 1);
    }
  };
  walk(0);
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

/** The engine's problem of a plan, under the plan's own policy. */
export function problemOf(plan: Plan): AssignmentProblem {
  const policy = resolvePolicy(plan.policy);
  return buildAssignmentProblem(plan, buildPairTable(plan, policy), policy);
}

/** A small GAP as a plan, its problem and the greedy feasible start as the incumbent; null when the greedy finds none. */
export function smallGapCase(seed: number, agents: number, jobs: number): { plan: Plan; problem: AssignmentProblem; incumbent: { choice: PairChoice; objective: number } } | null {
  const plan = gapToPlan(smallGap(seed, agents, jobs));
  const problem = problemOf(plan);
  const start = feasibleStart(problem);
  if (start === null) return null;
  return { plan, problem, incumbent: { choice: start, objective: new AssignmentState(problem, start).objective } };
}

/** Whether the independent verifier passes the plan's assignment given as a choice of pairs. */
export function choiceVerified(plan: Plan, problem: AssignmentProblem, choice: PairChoice): boolean {
  return verifyAssignment(
    plan,
    Array.from(choice, (k, c) => ({ customer: plan.customers[c]?.id ?? "", rep: plan.reps[problem.pairRep[k] ?? 0]?.id ?? "" })),
  ).passed;
}
