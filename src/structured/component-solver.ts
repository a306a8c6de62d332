import { FULL_MIP_COLUMNS, chooseAlgorithm, type ComponentAlgorithm } from "./algorithm-choice.ts";
import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { AssignmentState } from "./assignment-state.ts";
import { SubgradientSolver, pairPrices, reducedScores } from "./lagrangian-bound.ts";
import { ChainSearch } from "./chain-search.ts";
import { PenaltySearch } from "./penalty-search.ts";
import { repairGreedy } from "./greedy-repair.ts";
import { buildRestrictedMip, decodeRestricted, wholeProblem } from "./restricted-mip.ts";
import { solveSparseMip } from "../mip/highs-sparse-solve.ts";
import { solveTransportation } from "./transportation-flow.ts";
import { improveByNeighbourhoods } from "./neighbourhood-search.ts";
import { allowance, BOUND_CONVERGENCE, GAP_TOLERANCE, relativeGap, SOLVER_ANSWER_TOLERANCE } from "../numeric/tolerance.ts";

/**
 * Solves one independent part of a plan with the algorithm its structure calls for
 * (algorithm-choice.ts) and says how good the answer is: `bound` is only set when proven (by the
 * network simplex's duals, a Lagrangian bound recomputed from the data, or HiGHS), and every
 * returned choice has passed the internal feasibility check. The caller still verifies the merged
 * plan independently.
 */
export interface ComponentResult {
  /** "optimal": proven within mipGap; "timeout": no feasible choice found in time. */
  status: "optimal" | "feasible" | "infeasible" | "timeout";
  choice: PairChoice | null;
  objective: number | null;
  bound: number | null;
  /** Algorithms that ran, in order (e.g. ["lagrangian", "local-search", "highs"]). */
  algorithms: string[];
  /** HiGHS version when HiGHS ran. */
  highsVersion: string | null;
  nodes: number | null;
}

export interface ComponentContext {
  /** performance.now() value by which the component must be done. */
  deadline: number;
  mipGap: number;
}

const HIGHS_TIME_SHARE = 0.97;
const HIGHS_TIME_MARGIN_MS = 30;

function settle(result: Omit<ComponentResult, "status">, mipGap: number): ComponentResult {
  if (result.choice === null || result.objective === null) return { ...result, status: "timeout" };
  const proven = result.bound !== null && relativeGap(result.bound, result.objective) <= mipGap + GAP_TOLERANCE;
  return { ...result, status: proven ? "optimal" : "feasible" };
}

export async function solveComponent(problem: AssignmentProblem, context: ComponentContext): Promise<ComponentResult> {
  const algorithm: ComponentAlgorithm = chooseAlgorithm(problem);
  switch (algorithm) {
    case "empty":
      return solveEmpty(problem);
    case "network-simplex":
      return solveByFlow(problem, context);
    case "highs":
      return solveByMip(problem, context, null, []);
    case "lagrangian-search":
      return solveByLagrangianSearch(problem, context);
  }
}

/** No pairs: nobody can be assigned; feasible exactly when every row admits zero load. */
function solveEmpty(problem: AssignmentProblem): ComponentResult {
  const choice = new Int32Array(problem.customerCount).fill(-1);
  const state = new AssignmentState(problem, choice);
  if (!state.isFeasible()) return { status: "infeasible", choice: null, objective: null, bound: null, algorithms: ["presolve"], highsVersion: null, nodes: null };
  return { status: "optimal", choice, objective: 0, bound: 0, algorithms: ["presolve"], highsVersion: null, nodes: null };
}

function solveByFlow(problem: AssignmentProblem, context: ComponentContext): ComponentResult {
  const result = solveTransportation(problem, () => performance.now() > context.deadline);
  const algorithms = ["network-simplex"];
  if (result.status === "infeasible") return { status: "infeasible", choice: null, objective: null, bound: null, algorithms, highsVersion: null, nodes: null };
  if (result.status === "stopped" || result.choice === null) return { status: "timeout", choice: null, objective: null, bound: null, algorithms, highsVersion: null, nodes: null };
  const state = new AssignmentState(problem, result.choice);
  if (!state.isFeasible()) return { status: "timeout", choice: null, objective: null, bound: null, algorithms, highsVersion: null, nodes: null };
  return settle({ choice: result.choice, objective: state.objective, bound: result.bound, algorithms, highsVersion: null, nodes: null }, context.mipGap);
}

/**
 * HiGHS on the part's whole MIP, from `incumbent` when given. The answer replaces the incumbent only
 * when it is feasible and better; HiGHS's bound tightens `bound`.
 */
async function solveByMip(
  problem: AssignmentProblem,
  context: ComponentContext,
  incumbent: { choice: PairChoice; objective: number; bound: number | null } | null,
  algorithms: string[],
): Promise<ComponentResult> {
  const left = context.deadline - performance.now();
  const ran = [...algorithms];
  const none = { choice: null, objective: null, bound: incumbent?.bound ?? null, highsVersion: null, nodes: null };
  if (left <= 0) return incumbent === null ? { status: "timeout", ...none, algorithms: ran } : settle({ ...incumbent, algorithms: ran, highsVersion: null, nodes: null }, context.mipGap);
  const input = wholeProblem(problem, incumbent?.choice ?? new Int32Array(problem.customerCount).fill(-1));
  // The incumbent is kept aside rather than given to HiGHS as a MIP start: measured on the 1k × 20
  // book and the Chu & Beasley and type D/E GAP instances, HiGHS from a start explores fewer nodes
  // in the same time and ends no better (often worse) than from scratch; the better of its answer
  // and the incumbent is returned.
  const mip = { ...buildRestrictedMip(problem, input), start: null };
  // HiGHS overruns its limit by a little (presolve, the last node): keep a margin.
  const result = await solveSparseMip(mip, { timeLimitMs: Math.max(1, HIGHS_TIME_SHARE * left - HIGHS_TIME_MARGIN_MS), mipGap: context.mipGap });
  ran.push("highs");
  const nodes = result.nodes;
  if (result.status === "infeasible") return { status: "infeasible", choice: null, objective: null, bound: null, algorithms: ran, highsVersion: result.version, nodes };
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
  if (best === null) return { status: "timeout", choice: null, objective: null, bound, algorithms: ran, highsVersion: result.version, nodes };
  if (bound !== null) bound = Math.max(bound, best.objective);
  return settle({ choice: best.choice, objective: best.objective, bound, algorithms: ran, highsVersion: result.version, nodes }, context.mipGap);
}

/** Subgradient iterations: the cap of the first phase, and of all phases together. */
const FIRST_ITERATIONS = 300;
const TOTAL_ITERATIONS = 1_500;
/** Iterations over which the bound must improve by more than BOUND_CONVERGENCE (numeric/tolerance.ts) to go on. */
const CONVERGENCE_WINDOW = 50;
const PENALTY_SWEEPS = 60;
const CHAIN_SWEEPS = 400;
/** Time the repair path needs, in subgradient iterations of the same part (measured: 200–530). */
const REPAIR_PATH_ITERATIONS = 600;
/** Share of a part's time by which the first neighbourhood-search phase hands over to the bound. */
const LNS_SHARE_END = 0.85;

/**
 * Large parts: the Lagrangian dual by subgradient steps (the bound); a plan by rounding the averaged
 * relaxed choices, repairing them greedily by reduced-score cost (greedy-repair.ts; the penalty
 * search finishes what the greedy repair cannot), then improving it by shifts, swaps and ejection
 * chains in the feasible region (chain-search.ts); more subgradient steps aimed at the plan's
 * objective when time is left, with exact sub-MIPs over a few reps (neighbourhood-search.ts) around
 * it; or, when the part is small enough, HiGHS on the whole part (the better plan is kept). Phases end by iteration caps and convergence; the clock only cuts them short.
 */
async function solveByLagrangianSearch(problem: AssignmentProblem, context: ComponentContext): Promise<ComponentResult> {
  const start = performance.now();
  const total = Math.max(0, context.deadline - start);
  const mipAfter = problem.pairCount <= FULL_MIP_COLUMNS;
  // Shares of the time: with HiGHS to follow, the heuristics get a third of it.
  const at = (share: number) => start + share * total;
  const heuristicEnd = mipAfter ? at(0.3) : context.deadline;
  const boundEnd = mipAfter ? at(0.1) : at(0.25);
  const repairEnd = mipAfter ? at(0.2) : at(0.6);
  const algorithms = ["lagrangian", "local-search"];
  const solver = new SubgradientSolver(problem);

  const iterate = (until: number, cap: number, target: number | null): void => {
    let windowStart = Infinity;
    for (let i = 0; i < cap; i++) {
      if (performance.now() > until) return;
      if (solver.iterations === Math.floor(FIRST_ITERATIONS / 2)) solver.resetAverage();
      solver.step(target);
      if (i % CONVERGENCE_WINDOW === 0) {
        if (windowStart !== Infinity && windowStart - solver.bestBound <= allowance(solver.bestBound, BOUND_CONVERGENCE)) return;
        windowStart = solver.bestBound;
      }
    }
  };
  iterate(boundEnd, FIRST_ITERATIONS, null);

  // A plan: rounded, repaired, improved.
  let incumbent: { choice: PairChoice; objective: number } | null = null;
  const guide = reducedScores(problem, pairPrices(problem, solver.bestMultipliers));
  // The greedy repair gives the better start but is slow on large parts; when the time left looks
  // too short for it (measured in subgradient iterations, a yardstick of this part on this
  // machine), the penalty search starts from the rounded choices directly: a plan first.
  const perIteration = solver.iterations > 0 ? (performance.now() - start) / solver.iterations : 0;
  const hurry = heuristicEnd - performance.now() < REPAIR_PATH_ITERATIONS * perIteration;
  const rounded = solver.roundedAverage();
  const repaired = hurry ? { choice: rounded, feasible: false } : repairGreedy(problem, rounded, guide, { deadline: repairEnd });
  let feasible: PairChoice | null = repaired.feasible ? repaired.choice : null;
  if (feasible === null) {
    for (const from of [repaired.choice, solver.choice]) {
      const search = new PenaltySearch(problem, from);
      search.setGuide(guide);
      // Without a plan nothing else matters: the penalty search may use all the heuristics' time.
      search.run({ deadline: heuristicEnd, maxSweeps: PENALTY_SWEEPS, shiftsOnly: true });
      if (search.best !== null) {
        feasible = search.best;
        break;
      }
    }
  }
  if (feasible !== null) {
    const chain = new ChainSearch(problem, feasible);
    chain.run({ deadline: heuristicEnd, maxSweeps: CHAIN_SWEEPS });
    if (chain.state.isFeasible()) incumbent = { choice: chain.state.choice.slice(), objective: chain.state.objective };
  }
  // Time left: re-pack a few reps at a time by exact sub-MIPs (neighbourhood-search.ts), aim the
  // subgradient at the plan's objective for a tighter bound, then re-pack again with what is left.
  const lns = async (until: number): Promise<void> => {
    if (incumbent === null || performance.now() >= until) return;
    const better = await improveByNeighbourhoods(problem, incumbent.choice, { deadline: until });
    if (better.solved > 0 && !algorithms.includes("neighbourhood-mip")) algorithms.push("neighbourhood-mip");
    if (better.objective > incumbent.objective) incumbent = { choice: better.choice, objective: better.objective };
  };
  if (!mipAfter) {
    await lns(at(LNS_SHARE_END));
    if (solver.iterations < TOTAL_ITERATIONS) iterate(context.deadline, TOTAL_ITERATIONS - solver.iterations, incumbent?.objective ?? null);
    await lns(context.deadline);
  }

  const bound = Number.isFinite(solver.bestBound) ? solver.bestBound : null;
  if (incumbent !== null && bound !== null && relativeGap(bound, incumbent.objective) <= context.mipGap) {
    return settle({ choice: incumbent.choice, objective: incumbent.objective, bound: Math.max(bound, incumbent.objective), algorithms, highsVersion: null, nodes: null }, context.mipGap);
  }
  if (mipAfter) return solveByMip(problem, context, incumbent === null ? null : { ...incumbent, bound }, algorithms);
  if (incumbent === null) return { status: "timeout", choice: null, objective: null, bound, algorithms, highsVersion: null, nodes: null };
  return settle({ choice: incumbent.choice, objective: incumbent.objective, bound: bound === null ? null : Math.max(bound, incumbent.objective), algorithms, highsVersion: null, nodes: null }, context.mipGap);
}
