import { allowance, IMPROVEMENT_TOLERANCE, solverSlack } from "../numeric/tolerance.ts";
import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { AssignmentState } from "./assignment-state.ts";
import { indexAt } from "./checked-read.ts";
import type { WorkMeter } from "./work-budget.ts";

/**
 * Tabu search with strategic oscillation for parts shaped like the generalized assignment problem
 * (every customer assigned, per-rep workload and account limits, no band, no move budget): the
 * search walks through infeasible plans too, maximising
 *
 *   Σ score − α × Σ_rep (workload over its limit) − β × Σ_rep (accounts over their limit)
 *
 * by the best shift (one customer to another rep) each step, or, at a local optimum of the shifts,
 * the best swap (two customers of two reps trade reps). Moving a customer away from a rep makes
 * the way back tabu for a few steps, unless it would give a feasible plan better than the best
 * found. The penalty weights oscillate: they grow while the plan is infeasible and shrink while it
 * is feasible, so the search crosses the boundary of the feasible region back and forth, where
 * the good plans of these problems lie (Díaz & Fernández 2001; the same idea as penalty-search.ts,
 * whose weights only grow). The best feasible plan met is kept.
 *
 * Deterministic: moves are scanned in index order, ties keep the first; the tabu tenure varies by
 * a seeded generator. Work: one unit per move looked at (× STEP_WORK).
 */
export interface OscillationOptions {
  work: WorkMeter;
  /** Cap on steps. */
  maxSteps: number;
  /** Stop after this many steps without a better feasible plan (the search has settled; the work left goes to what follows). */
  patience?: number;
  seed?: number;
  /** Stop as soon as the best plan reaches this objective (the gap the caller asked for); default: never. */
  target?: number;
}

export interface OscillationResult {
  /** Best feasible plan met (the start when nothing better was). */
  choice: PairChoice;
  objective: number;
  steps: number;
  improved: boolean;
}

/** Work of one move looked at, in units of work-budget.ts (as chain-search.ts's steps). */
const STEP_WORK = 3;
const TENURE_MIN = 5;
const TENURE_SPREAD = 10;
/** Weight change per step while on one side of the boundary. */
const GROWTH = 1.1;
/** Most cells (customers × reps) for the dense pair lookup the search uses. */
export const OSCILLATION_MAX_CELLS = 2_000_000;

/** True when the part has only what the search handles: mandatory customers, workload and account limits. */
export function oscillationApplies(p: AssignmentProblem): boolean {
  if (p.valueShare !== null || p.countShare !== null || p.minStays > 0) return false;
  if (p.customerCount * p.repCount > OSCILLATION_MAX_CELLS || p.repCount < 2) return false;
  for (let c = 0; c < p.customerCount; c++) if ((p.optional[c] ?? 0) === 1) return false;
  for (let r = 0; r < p.repCount; r++) {
    if ((p.accountsLower[r] ?? 0) > 0) return false;
    if (Number.isFinite(p.valueLower[r] ?? -Infinity) || Number.isFinite(p.valueUpper[r] ?? Infinity)) return false;
  }
  return true;
}

/** A small deterministic generator (mulberry32). */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function searchByOscillation(problem: AssignmentProblem, start: PairChoice, options: OscillationOptions): OscillationResult {
  const p = problem;
  const C = p.customerCount;
  const R = p.repCount;
  const random = generator(options.seed ?? 1);
  // Dense lookup: pair of (customer, rep), or -1.
  const cell = new Int32Array(C * R).fill(-1);
  for (let k = 0; k < p.pairCount; k++) cell[indexAt(p.pairCustomer, k) * R + indexAt(p.pairRep, k)] = k;
  const capW = new Float64Array(R);
  const capA = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    const w = p.workloadUpper[r] ?? Infinity;
    const a = p.accountsUpper[r] ?? Infinity;
    capW[r] = w + solverSlack(w);
    capA[r] = a + solverSlack(a);
  }
  const choice = start.slice();
  const rep = new Int32Array(C);
  const loadW = new Float64Array(R);
  const loadA = new Float64Array(R);
  let score = 0;
  for (let c = 0; c < C; c++) {
    const k = indexAt(choice, c);
    const r = indexAt(p.pairRep, k);
    rep[c] = r;
    loadW[r] = (loadW[r] ?? 0) + (p.pairWorkload[k] ?? 0);
    loadA[r] = (loadA[r] ?? 0) + 1;
    score += p.pairScore[k] ?? 0;
  }
  let best = choice.slice();
  let bestScore = score;
  const startScore = score;
  // Weights: a score per unit of overload, starting at the mean |score| per unit of workload.
  let meanScore = 0;
  let meanWork = 0;
  for (let k = 0; k < p.pairCount; k++) {
    meanScore += Math.abs(p.pairScore[k] ?? 0);
    meanWork += p.pairWorkload[k] ?? 0;
  }
  const unitW = meanWork > 0 ? meanScore / meanWork : 1;
  const unitA = p.pairCount > 0 ? Math.max(meanScore / p.pairCount, 1e-9 /* keeps the weight positive, not a tolerance */) : 1;
  let alpha = unitW;
  let beta = unitA;
  const tabuUntil = new Float64Array(C * R);
  const over = (load: number, cap: number): number => (load > cap ? load - cap : 0);
  const shiftDelta = (c: number, k: number): number => {
    const r0 = rep[c] ?? 0;
    const r1 = indexAt(p.pairRep, k);
    const k0 = indexAt(choice, c);
    const w0 = p.pairWorkload[k0] ?? 0;
    const w1 = p.pairWorkload[k] ?? 0;
    const l0 = loadW[r0] ?? 0;
    const l1 = loadW[r1] ?? 0;
    const a0 = loadA[r0] ?? 0;
    const a1 = loadA[r1] ?? 0;
    const dW = over(l0 - w0, capW[r0] ?? 0) - over(l0, capW[r0] ?? 0) + over(l1 + w1, capW[r1] ?? 0) - over(l1, capW[r1] ?? 0);
    const dA = over(a0 - 1, capA[r0] ?? 0) - over(a0, capA[r0] ?? 0) + over(a1 + 1, capA[r1] ?? 0) - over(a1, capA[r1] ?? 0);
    return (p.pairScore[k] ?? 0) - (p.pairScore[k0] ?? 0) - alpha * dW - beta * dA;
  };
  let infeasibleReps = 0;
  const countInfeasible = (): number => {
    let n = 0;
    for (let r = 0; r < R; r++) if ((loadW[r] ?? 0) > (capW[r] ?? 0) || (loadA[r] ?? 0) > (capA[r] ?? 0)) n++;
    return n;
  };
  infeasibleReps = countInfeasible();
  const move = (c: number, k: number, step: number): void => {
    const r0 = rep[c] ?? 0;
    const r1 = indexAt(p.pairRep, k);
    const k0 = indexAt(choice, c);
    loadW[r0] = (loadW[r0] ?? 0) - (p.pairWorkload[k0] ?? 0);
    loadA[r0] = (loadA[r0] ?? 0) - 1;
    loadW[r1] = (loadW[r1] ?? 0) + (p.pairWorkload[k] ?? 0);
    loadA[r1] = (loadA[r1] ?? 0) + 1;
    score += (p.pairScore[k] ?? 0) - (p.pairScore[k0] ?? 0);
    choice[c] = k;
    rep[c] = r1;
    tabuUntil[c * R + r0] = step + TENURE_MIN + Math.floor(random() * TENURE_SPREAD);
  };
  // Would this move leave every rep within its limits (for the aspiration test)?
  const feasibleAfter = (moves: readonly (readonly [number, number])[]): boolean => {
    const touched: number[] = [];
    for (const [c, k] of moves) touched.push(rep[c] ?? 0, indexAt(p.pairRep, k));
    let broken = infeasibleReps;
    for (const r of new Set(touched)) if ((loadW[r] ?? 0) > (capW[r] ?? 0) || (loadA[r] ?? 0) > (capA[r] ?? 0)) broken--;
    if (broken > 0) return false;
    const dW = new Map<number, number>();
    const dA = new Map<number, number>();
    for (const [c, k] of moves) {
      const r0 = rep[c] ?? 0;
      const r1 = indexAt(p.pairRep, k);
      dW.set(r0, (dW.get(r0) ?? 0) - (p.pairWorkload[indexAt(choice, c)] ?? 0));
      dA.set(r0, (dA.get(r0) ?? 0) - 1);
      dW.set(r1, (dW.get(r1) ?? 0) + (p.pairWorkload[k] ?? 0));
      dA.set(r1, (dA.get(r1) ?? 0) + 1);
    }
    for (const r of new Set(touched)) {
      if ((loadW[r] ?? 0) + (dW.get(r) ?? 0) > (capW[r] ?? 0) || (loadA[r] ?? 0) + (dA.get(r) ?? 0) > (capA[r] ?? 0)) return false;
    }
    return true;
  };
  const better = (s: number): boolean => s > bestScore + allowance(bestScore, IMPROVEMENT_TOLERANCE);

  let steps = 0;
  let lastBest = 0;
  const patience = options.patience ?? Infinity;
  const target = options.target ?? Infinity;
  for (; steps < options.maxSteps; steps++) {
    if (options.work.exhausted() || steps - lastBest > patience || bestScore >= target) break;
    let bestDelta = -Infinity;
    let moveA: [number, number] | null = null;
    let moveB: [number, number] | null = null;
    for (let c = 0; c < C; c++) {
      const k0 = indexAt(choice, c);
      for (let k = indexAt(p.customerStart, c); k < indexAt(p.customerStart, c + 1); k++) {
        if (k === k0) continue;
        const d = shiftDelta(c, k);
        if (d <= bestDelta) continue;
        const tabu = (tabuUntil[c * R + indexAt(p.pairRep, k)] ?? 0) > steps;
        if (tabu && !(better(score + (p.pairScore[k] ?? 0) - (p.pairScore[k0] ?? 0)) && feasibleAfter([[c, k]]))) continue;
        bestDelta = d;
        moveA = [c, k];
      }
    }
    let work = p.pairCount;
    if (bestDelta <= 0) {
      // A local optimum of the shifts: look at the swaps too.
      for (let c1 = 0; c1 < C; c1++) {
        const r1 = rep[c1] ?? 0;
        const k1 = indexAt(choice, c1);
        for (let c2 = c1 + 1; c2 < C; c2++) {
          const r2 = rep[c2] ?? 0;
          if (r2 === r1) continue;
          const k12 = cell[c1 * R + r2] ?? -1;
          const k21 = cell[c2 * R + r1] ?? -1;
          if (k12 < 0 || k21 < 0) continue;
          const k2 = indexAt(choice, c2);
          const dScore = (p.pairScore[k12] ?? 0) + (p.pairScore[k21] ?? 0) - (p.pairScore[k1] ?? 0) - (p.pairScore[k2] ?? 0);
          const l1 = loadW[r1] ?? 0;
          const l2 = loadW[r2] ?? 0;
          const n1 = l1 - (p.pairWorkload[k1] ?? 0) + (p.pairWorkload[k21] ?? 0);
          const n2 = l2 - (p.pairWorkload[k2] ?? 0) + (p.pairWorkload[k12] ?? 0);
          const dW = over(n1, capW[r1] ?? 0) - over(l1, capW[r1] ?? 0) + over(n2, capW[r2] ?? 0) - over(l2, capW[r2] ?? 0);
          const d = dScore - alpha * dW;
          if (d <= bestDelta) continue;
          const tabu = (tabuUntil[c1 * R + r1] ?? 0) > steps || (tabuUntil[c2 * R + r2] ?? 0) > steps;
          if (tabu && !(better(score + dScore) && feasibleAfter([[c1, k12], [c2, k21]]))) continue;
          bestDelta = d;
          moveA = [c1, k12];
          moveB = [c2, k21];
        }
      }
      work += (C * (C - 1)) / 2;
    }
    options.work.spend(STEP_WORK * work);
    if (moveA === null) break;
    // Tabu marks are set as the customers leave: the pair (customer, old rep).
    move(moveA[0], moveA[1], steps);
    if (moveB !== null) move(moveB[0], moveB[1], steps);
    infeasibleReps = countInfeasible();
    if (infeasibleReps === 0) {
      if (better(score)) {
        bestScore = score;
        best = choice.slice();
        lastBest = steps;
      }
      alpha /= GROWTH;
      beta /= GROWTH;
    } else {
      alpha *= GROWTH;
      beta *= GROWTH;
    }
  }
  if (!better(startScore) && bestScore === startScore) return { choice: start.slice(), objective: new AssignmentState(p, start).objective, steps, improved: false };
  // The internal check has the last word on feasibility (the caller still verifies the plan).
  const state = new AssignmentState(p, best);
  if (!state.isFeasible()) return { choice: start.slice(), objective: new AssignmentState(p, start).objective, steps, improved: false };
  return { choice: best, objective: state.objective, steps, improved: state.objective > new AssignmentState(p, start).objective };
}
