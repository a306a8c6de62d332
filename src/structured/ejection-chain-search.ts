import { allowance, IMPROVEMENT_TOLERANCE } from "../numeric/tolerance.ts";
import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { AssignmentState } from "./assignment-state.ts";
import { overLimitPenalty } from "./over-limit-penalty.ts";
import { indexAt } from "./checked-read.ts";
import type { WorkMeter } from "./work-budget.ts";
import { mulberry32 } from "../numeric/mulberry32.ts";

/**
 * Local search with ejection chains and adaptive per-rep penalty weights for parts shaped like the
 * generalized assignment problem (ejectionChainsApply), after Yagiura, Ibaraki &
 * Glover, "An ejection chain approach for the generalized assignment problem" (INFORMS J. on
 * Computing 16(2), 2004). The search walks through infeasible plans too, maximising
 *
 *   Σ score − Σ_rep α_rep × (workload over its limit) − Σ_rep β_rep × (accounts over their limit)
 *
 * by improving moves: the best shift (one customer to another rep) and, when no shift improves, the
 * first improving ejection chain of length two (customer c1 moves to rep r2, a member c2 of r2 moves on to a
 * third rep or back to c1's rep: a swap). Chains start only from each customer's few best reps by
 * Lagrangian-adjusted score (`guide`: the candidate lists of the paper). At a local optimum the
 * weights adapt, rep by rep: an infeasible plan raises the weights of the reps over their limits
 * (so the same plan is no longer a local optimum), a feasible one lowers every weight (so the
 * search may cross the boundary of the feasible region again, where the good plans of these
 * problems lie). After a number of local optima without a better plan the search restarts from the
 * best plan, a few customers shifted at random, its weights reset (iterated local search). The best
 * feasible plan met is kept.
 *
 * Deterministic: moves are scanned in index order, ties keep the first, the restarts draw from a
 * seeded generator. Work: STEP_WORK units per move looked at.
 */
export interface EjectionChainOptions {
  work: WorkMeter;
  /** Per pair: the score by which candidate reps are ranked (e.g. Lagrangian reduced scores); default the scores. */
  guide?: Float64Array;
  seed?: number;
  /** Stop as soon as the best plan reaches this objective; default: never. */
  target?: number;
  /** Cap on moves made (a safeguard; the work budget normally ends the search). */
  maxMoves?: number;
  /** Stop after this many restarts in a row without a better plan (the search has settled; the work left goes to what follows). */
  patience?: number;
  /** Where the walk starts, when not at `start` (a full assignment, feasible or not); `start` stays the fallback. */
  from?: PairChoice;
  /**
   * The plans met on this walk compete among themselves, not with `start`: the result is the best
   * feasible plan met (even when worse than `start`, which is returned only when none was met).
   * Path relinking (path-relinking.ts) uses it to keep good plans that differ from the best.
   */
  fresh?: boolean;
  /** Local optima without a better plan before a restart from the best plan; default RESTART_AFTER. */
  restartAfter?: number;
}

export interface EjectionChainResult {
  /** Best feasible plan met (the start when nothing better was). */
  choice: PairChoice;
  objective: number;
  improved: boolean;
  moves: number;
  localOptima: number;
}

/** Work of one move looked at, in units of work-budget.ts (as the other searches' steps). */
const STEP_WORK = 3;
/** Candidate reps per customer for the chains: a few more than the square root of the reps. */
const candidateCount = (reps: number): number => Math.min(reps, Math.max(3, Math.ceil(Math.sqrt(reps)) + 2));
/** Candidates of the second customer of a chain (its way back to the first one's rep is always looked at). */
const SECOND_LEG = 3;
/** Weight changes at a local optimum: up for the reps over their limits, down for all when feasible. */
const RAISE = 1.3;
const LOWER = 0.85;
/** Bounds of the weights, as multiples of the starting weight. */
const WEIGHT_MIN = 1e-3;
const WEIGHT_MAX = 1e4;
/** Local optima without a better plan before a restart from the best plan, and customers shifted then. */
const RESTART_AFTER = 60;
const KICK_MIN = 2;
const KICK_SHARE = 0.03;

/** Most cells (customers × reps) for the dense pair lookup the search uses. */
export const EJECTION_CHAIN_MAX_CELLS = 2_000_000;

/** True when the part has only what the search handles: mandatory customers, workload and account limits. */
export function ejectionChainsApply(p: AssignmentProblem): boolean {
  if (p.valueShare !== null || p.countShare !== null || p.minStays > 0) return false;
  if (p.customerCount * p.repCount > EJECTION_CHAIN_MAX_CELLS || p.repCount < 2) return false;
  for (let c = 0; c < p.customerCount; c++) if ((p.optional[c] ?? 0) === 1) return false;
  for (let r = 0; r < p.repCount; r++) {
    if ((p.accountsLower[r] ?? 0) > 0) return false;
    if (Number.isFinite(p.valueLower[r] ?? -Infinity) || Number.isFinite(p.valueUpper[r] ?? Infinity)) return false;
  }
  return true;
}


export function searchByEjectionChains(problem: AssignmentProblem, start: PairChoice, options: EjectionChainOptions): EjectionChainResult {
  const p = problem;
  const C = p.customerCount;
  const R = p.repCount;
  const score = p.pairScore;
  const weight = p.pairWorkload;
  const pairRep = p.pairRep;
  const guide = options.guide ?? score;
  const random = mulberry32(options.seed ?? 1);
  const cell = new Int32Array(C * R).fill(-1);
  for (let k = 0; k < p.pairCount; k++) cell[indexAt(p.pairCustomer, k) * R + indexAt(pairRep, k)] = k;
  // Candidate lists: each customer's pairs by decreasing guide, the first few.
  const K = candidateCount(R);
  const candStart = new Int32Array(C + 1);
  for (let c = 0; c < C; c++) candStart[c + 1] = (candStart[c] ?? 0) + Math.min(K, indexAt(p.customerStart, c + 1) - indexAt(p.customerStart, c));
  const cand = new Int32Array(candStart[C] ?? 0);
  for (let c = 0; c < C; c++) {
    const from = indexAt(p.customerStart, c);
    const to = indexAt(p.customerStart, c + 1);
    const order = Array.from({ length: to - from }, (_, i) => from + i).sort((a, b) => (guide[b] ?? 0) - (guide[a] ?? 0) || a - b);
    for (let i = 0; i < (candStart[c + 1] ?? 0) - (candStart[c] ?? 0); i++) cand[(candStart[c] ?? 0) + i] = order[i] ?? 0;
  }
  const { capW, capA, unitW, unitA } = overLimitPenalty(p);
  // The assignment, its loads and each rep's members (slot lists).
  const choice = start.slice();
  const rep = new Int32Array(C);
  const loadW = new Float64Array(R);
  const loadA = new Float64Array(R);
  const members = new Int32Array(R * C);
  const memberCount = new Int32Array(R);
  const slot = new Int32Array(C);
  let total = 0;
  const place = (c: number, r: number): void => {
    const n = memberCount[r] ?? 0;
    members[r * C + n] = c;
    slot[c] = n;
    memberCount[r] = n + 1;
  };
  const unplace = (c: number, r: number): void => {
    const n = (memberCount[r] ?? 0) - 1;
    const last = members[r * C + n] ?? 0;
    const at = slot[c] ?? 0;
    members[r * C + at] = last;
    slot[last] = at;
    memberCount[r] = n;
  };
  const load = (from: PairChoice): void => {
    loadW.fill(0);
    loadA.fill(0);
    memberCount.fill(0);
    total = 0;
    for (let c = 0; c < C; c++) {
      const k = indexAt(from, c);
      const r = indexAt(pairRep, k);
      choice[c] = k;
      rep[c] = r;
      loadW[r] = (loadW[r] ?? 0) + (weight[k] ?? 0);
      loadA[r] = (loadA[r] ?? 0) + 1;
      total += score[k] ?? 0;
      place(c, r);
    }
  };
  load(options.from ?? start);
  // Starting weights (over-limit-penalty.ts).
  const alpha = new Float64Array(R).fill(unitW);
  const beta = new Float64Array(R).fill(unitA);
  const penalty = (r: number, w: number, a: number): number => {
    const ow = w - (capW[r] ?? 0);
    const oa = a - (capA[r] ?? 0);
    return (ow > 0 ? (alpha[r] ?? 0) * ow : 0) + (oa > 0 ? (beta[r] ?? 0) * oa : 0);
  };
  // Each rep's penalty at its present loads and weights, kept up to date (the scans read it for every move).
  const pen = new Float64Array(R);
  const refresh = (r: number): void => {
    pen[r] = penalty(r, loadW[r] ?? 0, loadA[r] ?? 0);
  };
  const refreshAll = (): void => {
    for (let r = 0; r < R; r++) refresh(r);
  };
  refreshAll();
  const overLimit = (r: number): boolean => (loadW[r] ?? 0) > (capW[r] ?? 0) || (loadA[r] ?? 0) > (capA[r] ?? 0);
  let broken = 0;
  for (let r = 0; r < R; r++) if (overLimit(r)) broken++;
  const move = (c: number, k: number): void => {
    const r0 = rep[c] ?? 0;
    const r1 = indexAt(pairRep, k);
    const k0 = indexAt(choice, c);
    const was0 = overLimit(r0);
    const was1 = overLimit(r1);
    loadW[r0] = (loadW[r0] ?? 0) - (weight[k0] ?? 0);
    loadA[r0] = (loadA[r0] ?? 0) - 1;
    loadW[r1] = (loadW[r1] ?? 0) + (weight[k] ?? 0);
    loadA[r1] = (loadA[r1] ?? 0) + 1;
    broken += (overLimit(r0) ? 1 : 0) - (was0 ? 1 : 0) + (overLimit(r1) ? 1 : 0) - (was1 ? 1 : 0);
    refresh(r0);
    refresh(r1);
    total += (score[k] ?? 0) - (score[k0] ?? 0);
    choice[c] = k;
    rep[c] = r1;
    unplace(c, r0);
    place(c, r1);
  };

  const startScore = new AssignmentState(p, start).objective;
  const fresh = options.fresh === true;
  let best = start.slice();
  let bestScore = fresh ? -Infinity : startScore;
  if (options.from !== undefined && broken === 0 && total > bestScore) {
    best = choice.slice();
    bestScore = total;
  }
  const better = (s: number): boolean => bestScore === -Infinity || s > bestScore + allowance(bestScore, IMPROVEMENT_TOLERANCE);
  const tolerance = allowance(unitW, IMPROVEMENT_TOLERANCE);
  const target = options.target ?? Infinity;
  const maxMoves = options.maxMoves ?? Infinity;
  let moves = 0;
  let localOptima = 0;
  let sinceBest = 0;
  let chainFrom = 0;
  let idleRestarts = 0;
  while (moves < maxMoves && !options.work.exhausted() && bestScore < target) {
    let work = 0;
    // Best shift.
    let bestGain = tolerance;
    let shiftC = -1;
    let shiftK = -1;
    for (let c = 0; c < C; c++) {
      const k0 = indexAt(choice, c);
      const r0 = rep[c] ?? 0;
      const w0 = weight[k0] ?? 0;
      const out0 = (pen[r0] ?? 0) - penalty(r0, (loadW[r0] ?? 0) - w0, (loadA[r0] ?? 0) - 1);
      const base = out0 - (score[k0] ?? 0);
      const from = indexAt(p.customerStart, c);
      const to = indexAt(p.customerStart, c + 1);
      work += to - from;
      for (let k = from; k < to; k++) {
        if (k === k0) continue;
        const r1 = indexAt(pairRep, k);
        // penalty(r1, load + weight, accounts + 1), written out: this loop is the search's hot spot.
        const ow = (loadW[r1] ?? 0) + (weight[k] ?? 0) - (capW[r1] ?? 0);
        const oa = (loadA[r1] ?? 0) + 1 - (capA[r1] ?? 0);
        const in1 = (ow > 0 ? (alpha[r1] ?? 0) * ow : 0) + (oa > 0 ? (beta[r1] ?? 0) * oa : 0);
        const gain = base + (score[k] ?? 0) - (in1 - (pen[r1] ?? 0));
        if (gain > bestGain) {
          bestGain = gain;
          shiftC = c;
          shiftK = k;
        }
      }
    }
    let chainC1 = -1;
    let chainK1 = -1;
    let chainC2 = -1;
    let chainK2 = -1;
    if (shiftC < 0) {
      // Best ejection chain of length two: c1 → r2 (a candidate), c2 of r2 → r3 (a candidate, or c1's rep).
      // First improvement, from where the last scan stopped (the scan order rotates).
      scan: for (let i1 = 0; i1 < C; i1++) {
        const c1 = (chainFrom + i1) % C;
        const k1 = indexAt(choice, c1);
        const r1 = rep[c1] ?? 0;
        const w1 = weight[k1] ?? 0;
        // What c1 leaving r1 without a replacement does to r1's penalty (the chains that end elsewhere).
        const out1 = penalty(r1, (loadW[r1] ?? 0) - w1, (loadA[r1] ?? 0) - 1) - (pen[r1] ?? 0);
        for (let i = candStart[c1] ?? 0; i < (candStart[c1 + 1] ?? 0); i++) {
          const k12 = cand[i] ?? 0;
          const r2 = indexAt(pairRep, k12);
          if (r2 === r1) continue;
          const w12 = weight[k12] ?? 0;
          const s1 = (score[k12] ?? 0) - (score[k1] ?? 0);
          const n2 = memberCount[r2] ?? 0;
          const loadW2 = loadW[r2] ?? 0;
          const loadA2 = loadA[r2] ?? 0;
          const pen2 = pen[r2] ?? 0;
          for (let m = 0; m < n2; m++) {
            const c2 = members[r2 * C + m] ?? 0;
            const k2 = indexAt(choice, c2);
            const w2 = weight[k2] ?? 0;
            const s2base = s1 - (score[k2] ?? 0);
            // r2 loses c2 and gains c1: the account count stays.
            const d2 = penalty(r2, loadW2 + w12 - w2, loadA2) - pen2;
            const back = cell[c2 * R + r1] ?? -1;
            const last = Math.min((candStart[c2 + 1] ?? 0), (candStart[c2] ?? 0) + SECOND_LEG) - 1;
            for (let j = candStart[c2] ?? 0; j <= last + 1; j++) {
              // The candidates of c2, then the way back to r1 (a swap) when it is not among them.
              let k23: number;
              if (j <= last) k23 = cand[j] ?? 0;
              else if (back >= 0 && !candHas(cand, candStart[c2] ?? 0, last, back)) k23 = back;
              else continue;
              const r3 = indexAt(pairRep, k23);
              if (r3 === r2) continue;
              work++;
              const w23 = weight[k23] ?? 0;
              let d13: number;
              if (r3 === r1) d13 = penalty(r1, (loadW[r1] ?? 0) - w1 + w23, loadA[r1] ?? 0) - (pen[r1] ?? 0);
              else d13 = out1 + penalty(r3, (loadW[r3] ?? 0) + w23, (loadA[r3] ?? 0) + 1) - (pen[r3] ?? 0);
              const gain = s2base + (score[k23] ?? 0) - d2 - d13;
              if (gain > bestGain) {
                chainC1 = c1;
                chainK1 = k12;
                chainC2 = c2;
                chainK2 = k23;
                chainFrom = (c1 + 1) % C;
                break scan;
              }
            }
          }
        }
      }
    }
    options.work.spend(STEP_WORK * work);
    if (shiftC >= 0) {
      move(shiftC, shiftK);
      moves++;
    } else if (chainC1 >= 0) {
      move(chainC1, chainK1);
      move(chainC2, chainK2);
      moves++;
    } else {
      // A local optimum of the penalised objective: adapt the weights (or restart).
      localOptima++;
      sinceBest++;
      if (broken > 0) {
        for (let r = 0; r < R; r++) {
          if ((loadW[r] ?? 0) > (capW[r] ?? 0)) alpha[r] = Math.min(unitW * WEIGHT_MAX, (alpha[r] ?? 0) * RAISE);
          if ((loadA[r] ?? 0) > (capA[r] ?? 0)) beta[r] = Math.min(unitA * WEIGHT_MAX, (beta[r] ?? 0) * RAISE);
        }
      } else {
        for (let r = 0; r < R; r++) {
          alpha[r] = Math.max(unitW * WEIGHT_MIN, (alpha[r] ?? 0) * LOWER);
          beta[r] = Math.max(unitA * WEIGHT_MIN, (beta[r] ?? 0) * LOWER);
        }
      }
      refreshAll();
      if (sinceBest >= (options.restartAfter ?? RESTART_AFTER)) {
        sinceBest = 0;
        if (++idleRestarts > (options.patience ?? Infinity)) break;
        load(best);
        broken = 0;
        alpha.fill(unitW);
        beta.fill(unitA);
        refreshAll();
        const kicks = Math.max(KICK_MIN, Math.round(KICK_SHARE * C));
        for (let i = 0; i < kicks; i++) {
          const c = Math.min(C - 1, Math.floor(random() * C));
          const n = (candStart[c + 1] ?? 0) - (candStart[c] ?? 0);
          if (n < 2) continue;
          const k = cand[(candStart[c] ?? 0) + Math.min(n - 1, Math.floor(random() * n))] ?? 0;
          if (k !== indexAt(choice, c)) move(c, k);
        }
        options.work.spend(STEP_WORK * (C + kicks));
      }
      continue;
    }
    if (broken === 0 && better(total)) {
      bestScore = total;
      best = choice.slice();
      sinceBest = 0;
      idleRestarts = 0;
    }
  }
  const startState = new AssignmentState(p, start);
  if (fresh) {
    const state = new AssignmentState(p, best);
    if (bestScore === -Infinity || !state.isFeasible()) return { choice: start.slice(), objective: startState.objective, improved: false, moves, localOptima };
    return { choice: best, objective: state.objective, improved: state.objective > startState.objective, moves, localOptima };
  }
  if (!better(startScore) && bestScore === startScore) return { choice: start.slice(), objective: startState.objective, improved: false, moves, localOptima };
  // The internal check has the last word on feasibility (the caller still verifies the plan).
  const state = new AssignmentState(p, best);
  if (!state.isFeasible() || state.objective <= startState.objective) return { choice: start.slice(), objective: startState.objective, improved: false, moves, localOptima };
  return { choice: best, objective: state.objective, improved: true, moves, localOptima };
}

function candHas(cand: Int32Array, from: number, last: number, k: number): boolean {
  for (let j = from; j <= last; j++) if (cand[j] === k) return true;
  return false;
}
