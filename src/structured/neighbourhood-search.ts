import { allowance, IMPROVEMENT_TOLERANCE, SOLVER_ANSWER_TOLERANCE } from "../numeric/tolerance.ts";
import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { AssignmentState } from "./assignment-state.ts";
import { solveBounded } from "./bounded-mip-solve.ts";
import { buildRestrictedMip, decodeRestricted, type RestrictionInput } from "./restricted-mip.ts";
import { WorkBudget, type WorkMeter } from "./work-budget.ts";
import { flagAt, indexAt } from "./checked-read.ts";
import { mulberry32 } from "../numeric/mulberry32.ts";

/**
 * Large-neighbourhood search: a few reps at a time, every customer they hold (or that would stay
 * with one of them) is freed to any of those reps, everything else stays fixed, and HiGHS solves
 * that small MIP exactly from the incumbent (restricted-mip.ts gives the rows the room the fixed
 * customers leave, the move budget included). Local search moves one or two customers at a time;
 * a neighbourhood re-packs whole reps at once, which is what tight value bands with a few large
 * accounts need. An answer replaces the incumbent only when the internal check finds it feasible
 * and better; the caller still verifies the final plan independently.
 *
 * Neighbourhoods: a seed rep, taken round-robin in a seeded shuffled order, and reps that share
 * eligible customers with it (drawn by the same seeded generator; once those are used up, reps that
 * share customers with the reps drawn). With `growTo`, a full round without an improvement doubles
 * the reps of a neighbourhood instead of ending the search. Each sub-MIP is bounded by a
 * node limit and charged as work (its size times the nodes HiGHS used), so the run is reproducible
 * unless the clock stops it.
 */
export interface NeighbourhoodOptions {
  /** Where the search counts its work and learns when to stop; default: no limit but the sub-MIPs' nodes. */
  work?: WorkMeter;
  /** Reps per neighbourhood. */
  reps?: number;
  /**
   * Reps per neighbourhood the search may grow to: after a full round over the seeds without an
   * improvement it doubles the reps (up to this) and goes on, instead of ending. Default: `reps`.
   */
  growTo?: number;
  /** Cap on one sub-MIP's branch-and-bound nodes. */
  subNodes?: number;
  seed?: number;
  /** Stop as soon as the objective reaches this (the gap the caller asked for); default: never. */
  target?: number;
  /** Hears each improvement of the plan (its new objective), once per improving sub-MIP. */
  onImproved?: (objective: number) => void;
}

export interface NeighbourhoodResult {
  choice: PairChoice;
  objective: number;
  /** Sub-MIPs solved, and how many improved the plan. */
  solved: number;
  improved: number;
}

const DEFAULT_REPS = 3;
const DEFAULT_SUB_NODES = 200;
/** Work of one sub-MIP per column: for the root (presolve, cuts, heuristics) and per further node (measured). */
const SUB_MIP_ROOT_WORK_PER_COLUMN = 3_000;
const SUB_MIP_NODE_WORK_PER_COLUMN = 30;
/** Time kept back from the hard stop for the last sub-MIP's overrun. */
const MARGIN_MS = 15;


/** Reps sharing at least one eligible customer with `seed`, ascending. */
function neighbours(p: AssignmentProblem, seed: number, mark: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = indexAt(p.repStart, seed); i < indexAt(p.repStart, seed + 1); i++) {
    const c = indexAt(p.pairCustomer, indexAt(p.repPairs, i));
    for (let k = indexAt(p.customerStart, c); k < indexAt(p.customerStart, c + 1); k++) {
      const r = indexAt(p.pairRep, k);
      if (r === seed || flagAt(mark, r) === 1) continue;
      mark[r] = 1;
      out.push(r);
    }
  }
  for (const r of out) mark[r] = 0;
  return out.sort((a, b) => a - b);
}

/** Adds to `pool` (empty) the reps sharing an eligible customer with a rep of `picked`, not picked themselves, ascending. */
function widen(p: AssignmentProblem, picked: readonly number[], pool: number[], mark: Uint8Array): void {
  for (const r of picked) mark[r] = 1;
  const found = new Set<number>();
  for (const r of picked) for (const n of neighbours(p, r, mark)) found.add(n);
  for (const r of picked) mark[r] = 0;
  pool.push(...Array.from(found).sort((a, b) => a - b));
}

function restriction(p: AssignmentProblem, choice: PairChoice, chosen: Uint8Array): RestrictionInput {
  const free: number[] = [];
  const allowedStart: number[] = [0];
  const allowed: number[] = [];
  for (let c = 0; c < p.customerCount; c++) {
    const k = indexAt(choice, c);
    const stay = indexAt(p.stayPair, c);
    const held = k >= 0 && flagAt(chosen, indexAt(p.pairRep, k)) === 1;
    const wouldStay = stay >= 0 && flagAt(chosen, indexAt(p.pairRep, stay)) === 1;
    if (!held && !wouldStay) continue;
    free.push(c);
    for (let q = indexAt(p.customerStart, c); q < indexAt(p.customerStart, c + 1); q++) {
      if (q === k || flagAt(chosen, indexAt(p.pairRep, q)) === 1) allowed.push(q);
    }
    allowedStart.push(allowed.length);
  }
  return { free: Int32Array.from(free), allowedStart: Int32Array.from(allowedStart), allowed: Int32Array.from(allowed), fixed: choice };
}

export async function improveByNeighbourhoods(problem: AssignmentProblem, start: PairChoice, options: NeighbourhoodOptions): Promise<NeighbourhoodResult> {
  const p = problem;
  let size = Math.max(2, options.reps ?? DEFAULT_REPS);
  const growTo = Math.max(size, options.growTo ?? size);
  const work = options.work ?? WorkBudget.clockOnly();
  const subNodes = options.subNodes ?? DEFAULT_SUB_NODES;
  const target = options.target ?? Infinity;
  const random = mulberry32(options.seed ?? 1);
  let choice: PairChoice = start.slice();
  let objective = new AssignmentState(p, choice).objective;
  let solved = 0;
  let improved = 0;
  if (p.repCount < 2) return { choice, objective, solved, improved };

  const order = Array.from({ length: p.repCount }, (_, r) => r);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = a;
  }
  const mark = new Uint8Array(p.repCount);
  const chosen = new Uint8Array(p.repCount);
  // A full round over the seeds without an improvement ends the search.
  let sinceImprovement = 0;
  for (let step = 0; objective < target; step++) {
    if (sinceImprovement >= p.repCount) {
      // A full round without an improvement: larger neighbourhoods, or the end.
      if (size >= growTo || size >= p.repCount) break;
      size = Math.min(growTo, 2 * size);
      sinceImprovement = 0;
    }
    if (work.exhausted()) break;
    const seed = order[step % p.repCount] ?? 0;
    const pool = neighbours(p, seed, mark);
    const picked = [seed];
    while (picked.length < size) {
      // The seed's neighbours used up: those of the reps picked so far (large neighbourhoods).
      if (pool.length === 0) widen(p, picked, pool, mark);
      if (pool.length === 0) break;
      const i = Math.floor(random() * pool.length);
      picked.push(pool[i] ?? 0);
      pool.splice(i, 1);
    }
    sinceImprovement++;
    if (picked.length < 2) continue;
    for (const r of picked) chosen[r] = 1;
    const input = restriction(p, choice, chosen);
    for (const r of picked) chosen[r] = 0;
    const mip = buildRestrictedMip(p, input);
    const result = await solveBounded(mip, { work, mipGap: 0, maxNodes: subNodes, marginMs: MARGIN_MS });
    if (result === null) break;
    solved++;
    // Building the neighbourhood reads every customer; HiGHS's part grows with its columns and nodes.
    const nodes = Math.min(subNodes, result.nodes ?? subNodes);
    work.spend(2 * p.customerCount + input.allowed.length + mip.numCols * (SUB_MIP_ROOT_WORK_PER_COLUMN + SUB_MIP_NODE_WORK_PER_COLUMN * nodes));
    if (result.values === null || result.objective === null) continue;
    if (result.objective + mip.fixedObjective <= objective + allowance(objective, IMPROVEMENT_TOLERANCE)) continue;
    const next = decodeRestricted(p, input, mip, result.values);
    const state = new AssignmentState(p, next);
    if (!state.isFeasible(SOLVER_ANSWER_TOLERANCE) || state.objective <= objective + allowance(objective, IMPROVEMENT_TOLERANCE)) continue;
    choice = next;
    objective = state.objective;
    improved++;
    sinceImprovement = 0;
    options.onImproved?.(objective);
  }
  return { choice, objective, solved, improved };
}
