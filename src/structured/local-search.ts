import { pairOf, type AssignmentProblem, type PairChoice } from "./assignment-problem.ts";
import { AssignmentState } from "./assignment-state.ts";
import { MoveCheck } from "./move-check.ts";
import { allowance, IMPROVEMENT_TOLERANCE } from "../numeric/tolerance.ts";

/**
 * Local search over assignments with adaptive penalty weights (in the spirit of the
 * ejection-chain and tabu methods for the generalized assignment problem): the search maximises
 *
 *   Σ score − Σ_rows weight_row × violation_row
 *
 * by shift moves (one customer to another eligible rep, or out/in when it may stay unassigned) and
 * swap moves (two customers of two reps trade places). At a local optimum that still breaks rows,
 * the weights of the broken rows grow and the search goes on, so it walks from an infeasible start
 * (e.g. the Lagrangian choice) to feasible plans and keeps the best feasible one it meets. It only
 * ever reports an assignment that `AssignmentState.isFeasible()` accepts; the caller still has the
 * independent verifier check it.
 *
 * Deterministic: customers and moves are scanned in index order, ties keep the first move found.
 */
export interface SearchOptions {
  /** performance.now() value at which to stop. */
  deadline: number;
  /** Upper limit on sweeps over all customers (each sweep is O(pairs)). */
  maxSweeps?: number;
  /** Skip swap moves (faster sweeps; shifts only). */
  shiftsOnly?: boolean;
}

export interface SearchResult {
  /** Best feasible assignment met, or null when none was. */
  best: PairChoice | null;
  objective: number;
  sweeps: number;
}

const KINDS = 4;
const WEIGHT_GROWTH = 1.5;
const CLOCK_CHECK_CUSTOMERS = 512;
/** Reps (by decreasing gain) from which a customer starts ejection chains in one sweep. */
const CHAIN_STARTS = 4;

export class PenaltySearch {
  readonly problem: AssignmentProblem;
  readonly state: AssignmentState;
  /** Per rep × kind (accounts, workload, value, count share). */
  readonly weight: Float64Array;
  staysWeight: number;
  /** Current weighted violation per rep. */
  private readonly repPenalty: Float64Array;
  private readonly parts = new Float64Array(KINDS);
  /** Members of each rep, for swap moves: members[memberStart[r] … +accounts[r]). */
  private readonly members: Int32Array;
  private readonly memberStart: Int32Array;
  private readonly memberPos: Int32Array;
  private readonly memberCount: Int32Array;
  best: PairChoice | null = null;
  bestObjective = -Infinity;
  /** Scores the moves are judged by: the pair scores, or (for repair) Lagrangian reduced scores. */
  private guide: Float64Array;

  constructor(problem: AssignmentProblem, start: PairChoice, baseWeight?: number) {
    this.problem = problem;
    const C = problem.customerCount;
    const R = problem.repCount;
    const startChoice = new Int32Array(C);
    for (let c = 0; c < C; c++) {
      const k = start[c] ?? -1;
      // A mandatory customer always has a rep: take its best-scoring pair when the start has none.
      startChoice[c] = k >= 0 || problem.optional[c] === 1 ? k : bestPair(problem, c);
    }
    this.state = new AssignmentState(problem, startChoice);
    this.guide = problem.pairScore;
    let scale = 0;
    let count = 0;
    for (let c = 0; c < C; c++) {
      const k = startChoice[c] ?? -1;
      if (k >= 0) {
        scale += Math.abs(problem.pairScore[k] ?? 0);
        count++;
      }
    }
    // 1e-6 is a floor that keeps penalty weights positive, not a tolerance.
    const base = baseWeight ?? Math.max(1e-6, count > 0 ? scale / count : 1);
    this.weight = new Float64Array(R * KINDS).fill(base);
    this.staysWeight = base;
    this.repPenalty = new Float64Array(R);
    for (let r = 0; r < R; r++) this.repPenalty[r] = this.repPenaltyAt(r, this.state.accounts[r] ?? 0, this.state.workload[r] ?? 0, this.state.value[r] ?? 0, this.state.totalValue, this.state.assigned);
    // Membership lists sized by each rep's eligible pairs (an upper bound on its members).
    this.memberStart = problem.repStart;
    this.members = new Int32Array(problem.pairCount);
    this.memberPos = new Int32Array(C).fill(-1);
    this.memberCount = new Int32Array(R);
    for (let c = 0; c < C; c++) this.addMember(c, this.state.repOfPair(startChoice[c] ?? -1));
    this.recordIfFeasible();
  }

  /** Judges moves by these per-pair scores instead of the true ones (null: back to the true scores). */
  setGuide(scores: Float64Array | null): void {
    this.guide = scores ?? this.problem.pairScore;
  }

  private addMember(c: number, r: number): void {
    if (r < 0) return;
    const n = this.memberCount[r] ?? 0;
    const slot = (this.memberStart[r] ?? 0) + n;
    this.members[slot] = c;
    this.memberPos[c] = slot;
    this.memberCount[r] = n + 1;
  }

  private removeMember(c: number, r: number): void {
    if (r < 0) return;
    const n = (this.memberCount[r] ?? 1) - 1;
    const lastSlot = (this.memberStart[r] ?? 0) + n;
    const slot = this.memberPos[c] ?? lastSlot;
    const last = this.members[lastSlot] ?? c;
    this.members[slot] = last;
    this.memberPos[last] = slot;
    this.memberPos[c] = -1;
    this.memberCount[r] = n;
  }

  private repPenaltyAt(r: number, accounts: number, workload: number, value: number, totalValue: number, assigned: number): number {
    const parts = this.parts;
    this.state.repViolationParts(r, accounts, workload, value, totalValue, assigned, parts);
    const base = r * KINDS;
    const w = this.weight;
    return (w[base] ?? 0) * (parts[0] ?? 0) + (w[base + 1] ?? 0) * (parts[1] ?? 0) + (w[base + 2] ?? 0) * (parts[2] ?? 0) + (w[base + 3] ?? 0) * (parts[3] ?? 0);
  }

  /** Σ weighted violations of every rep for hypothetical totals (share bands depend on them). */
  private allRepPenalty(totalValue: number, assigned: number, skipA: number, skipB: number): number {
    let total = 0;
    const s = this.state;
    for (let r = 0; r < this.problem.repCount; r++) {
      if (r === skipA || r === skipB) continue;
      total += this.repPenaltyAt(r, s.accounts[r] ?? 0, s.workload[r] ?? 0, s.value[r] ?? 0, totalValue, assigned);
    }
    return total;
  }

  private staysPenalty(stays: number): number {
    return this.staysWeight * this.state.staysShortfall(stays);
  }

  /** Change of the penalised objective if customer c moved from its pair to pair k (-1 = none). */
  shiftGain(c: number, k: number): number {
    const p = this.problem;
    const s = this.state;
    const old = s.choice[c] ?? -1;
    if (old === k) return 0;
    const v = p.customerValue[c] ?? 0;
    const r0 = s.repOfPair(old);
    const r1 = s.repOfPair(k);
    const g = this.guide;
    let gain = (k >= 0 ? (g[k] ?? 0) : 0) - (old >= 0 ? (g[old] ?? 0) : 0);
    const stay = p.stayPair[c] ?? -1;
    const stays = s.stays + (k === stay ? 1 : 0) - (old === stay ? 1 : 0);
    if (stays !== s.stays) gain -= this.staysPenalty(stays) - this.staysPenalty(s.stays);
    const totalsChange = s.shareMode && (old < 0) !== (k < 0);
    const totalValue = s.totalValue + (k >= 0 ? v : 0) - (old >= 0 ? v : 0);
    const assigned = s.assigned + (k >= 0 ? 1 : 0) - (old >= 0 ? 1 : 0);
    if (r0 >= 0) {
      const after = this.repPenaltyAt(r0, (s.accounts[r0] ?? 0) - 1, (s.workload[r0] ?? 0) - (p.pairWorkload[old] ?? 0), (s.value[r0] ?? 0) - v, totalValue, assigned);
      gain -= after - (this.repPenalty[r0] ?? 0);
    }
    if (r1 >= 0) {
      const after = this.repPenaltyAt(r1, (s.accounts[r1] ?? 0) + 1, (s.workload[r1] ?? 0) + (p.pairWorkload[k] ?? 0), (s.value[r1] ?? 0) + v, totalValue, assigned);
      gain -= after - (this.repPenalty[r1] ?? 0);
    }
    if (totalsChange) {
      let before = 0;
      for (let r = 0; r < p.repCount; r++) if (r !== r0 && r !== r1) before += this.repPenalty[r] ?? 0;
      gain -= this.allRepPenalty(totalValue, assigned, r0, r1) - before;
    }
    return gain;
  }

  /** Applies a shift and refreshes the penalties it touches. */
  applyShift(c: number, k: number): void {
    const s = this.state;
    const old = s.choice[c] ?? -1;
    const r0 = s.repOfPair(old);
    const r1 = s.repOfPair(k);
    const totalsChange = s.shareMode && (old < 0) !== (k < 0);
    s.move(c, k);
    this.removeMember(c, r0);
    this.addMember(c, r1);
    if (totalsChange) {
      for (let r = 0; r < this.problem.repCount; r++) this.refreshRep(r);
    } else {
      if (r0 >= 0) this.refreshRep(r0);
      if (r1 >= 0) this.refreshRep(r1);
    }
  }

  private refreshRep(r: number): void {
    const s = this.state;
    this.repPenalty[r] = this.repPenaltyAt(r, s.accounts[r] ?? 0, s.workload[r] ?? 0, s.value[r] ?? 0, s.totalValue, s.assigned);
  }

  /** Gain of swapping c1 (to pair k1 at c2's rep) and c2 (to pair k2 at c1's rep); both assigned. */
  swapGain(c1: number, k1: number, c2: number, k2: number): number {
    const p = this.problem;
    const s = this.state;
    const o1 = s.choice[c1] ?? -1;
    const o2 = s.choice[c2] ?? -1;
    const r1 = s.repOfPair(o1);
    const r2 = s.repOfPair(o2);
    const v1 = p.customerValue[c1] ?? 0;
    const v2 = p.customerValue[c2] ?? 0;
    const g = this.guide;
    let gain = (g[k1] ?? 0) + (g[k2] ?? 0) - (g[o1] ?? 0) - (g[o2] ?? 0);
    const stay1 = p.stayPair[c1] ?? -1;
    const stay2 = p.stayPair[c2] ?? -1;
    const stays = s.stays + (k1 === stay1 ? 1 : 0) - (o1 === stay1 ? 1 : 0) + (k2 === stay2 ? 1 : 0) - (o2 === stay2 ? 1 : 0);
    if (stays !== s.stays) gain -= this.staysPenalty(stays) - this.staysPenalty(s.stays);
    const after1 = this.repPenaltyAt(
      r1,
      s.accounts[r1] ?? 0,
      (s.workload[r1] ?? 0) - (p.pairWorkload[o1] ?? 0) + (p.pairWorkload[k2] ?? 0),
      (s.value[r1] ?? 0) - v1 + v2,
      s.totalValue,
      s.assigned,
    );
    const after2 = this.repPenaltyAt(
      r2,
      s.accounts[r2] ?? 0,
      (s.workload[r2] ?? 0) - (p.pairWorkload[o2] ?? 0) + (p.pairWorkload[k1] ?? 0),
      (s.value[r2] ?? 0) - v2 + v1,
      s.totalValue,
      s.assigned,
    );
    return gain - (after1 - (this.repPenalty[r1] ?? 0)) - (after2 - (this.repPenalty[r2] ?? 0));
  }

  /** Total weighted violation (0 when feasible up to mandatory customers). */
  violation(): number {
    let total = this.staysPenalty(this.state.stays);
    for (let r = 0; r < this.problem.repCount; r++) total += this.repPenalty[r] ?? 0;
    return total;
  }

  private recordIfFeasible(): boolean {
    const s = this.state;
    if (s.objective > this.bestObjective && this.violation() === 0 && s.isFeasible()) {
      this.bestObjective = s.objective;
      if (this.best === null) this.best = s.choice.slice();
      else this.best.set(s.choice);
      return true;
    }
    return false;
  }

  /** Raises the weights of the rows that are broken now. */
  private growWeights(): void {
    const s = this.state;
    const parts = this.parts;
    for (let r = 0; r < this.problem.repCount; r++) {
      s.repViolationParts(r, s.accounts[r] ?? 0, s.workload[r] ?? 0, s.value[r] ?? 0, s.totalValue, s.assigned, parts);
      for (let kind = 0; kind < KINDS; kind++) {
        if ((parts[kind] ?? 0) > 0) this.weight[r * KINDS + kind] = (this.weight[r * KINDS + kind] ?? 0) * WEIGHT_GROWTH;
      }
      this.refreshRep(r);
    }
    if (s.staysShortfall(s.stays) > 0) this.staysWeight *= WEIGHT_GROWTH;
  }

  /** One pass of best-shift per customer; returns the number of moves made (or -1 if the clock ran out). */
  private shiftSweep(deadline: number): number {
    const p = this.problem;
    const s = this.state;
    let moves = 0;
    for (let c = 0; c < p.customerCount; c++) {
      if (c % CLOCK_CHECK_CUSTOMERS === 0 && performance.now() > deadline) return -1;
      const from = p.customerStart[c] ?? 0;
      const to = p.customerStart[c + 1] ?? 0;
      const old = s.choice[c] ?? -1;
      if (to - from <= 1 && (old >= 0 || p.optional[c] !== 1)) continue;
      let bestGain = allowance(old >= 0 ? (p.pairScore[old] ?? 0) : 0, IMPROVEMENT_TOLERANCE);
      let bestMove = old;
      for (let k = from; k < to; k++) {
        if (k === old) continue;
        const gain = this.shiftGain(c, k);
        if (gain > bestGain) {
          bestGain = gain;
          bestMove = k;
        }
      }
      if (p.optional[c] === 1 && old >= 0) {
        const gain = this.shiftGain(c, -1);
        if (gain > bestGain) {
          bestGain = gain;
          bestMove = -1;
        }
      }
      if (bestMove !== old) {
        this.applyShift(c, bestMove);
        moves++;
      }
    }
    return moves;
  }

  /**
   * For each customer and each rep it would rather be with, the best trade with a member of that
   * rep who may take its place. Returns the number of swaps made (or -1 if the clock ran out).
   */
  private swapSweep(deadline: number): number {
    const p = this.problem;
    const s = this.state;
    let swaps = 0;
    for (let c1 = 0; c1 < p.customerCount; c1++) {
      if (c1 % CLOCK_CHECK_CUSTOMERS === 0 && performance.now() > deadline) return -1;
      const o1 = s.choice[c1] ?? -1;
      if (o1 < 0) continue;
      const r1 = p.pairRep[o1] ?? 0;
      const from = p.customerStart[c1] ?? 0;
      const to = p.customerStart[c1 + 1] ?? 0;
      let bestGain = allowance(p.pairScore[o1] ?? 0, IMPROVEMENT_TOLERANCE);
      let best2 = -1;
      let bestK1 = -1;
      let bestK2 = -1;
      for (let k1 = from; k1 < to; k1++) {
        if (k1 === o1) continue;
        const r2 = p.pairRep[k1] ?? 0;
        const start = this.memberStart[r2] ?? 0;
        const count = this.memberCount[r2] ?? 0;
        for (let i = 0; i < count; i++) {
          const c2 = this.members[start + i] ?? 0;
          const k2 = pairOf(p, c2, r1);
          if (k2 < 0) continue;
          const gain = this.swapGain(c1, k1, c2, k2);
          if (gain > bestGain) {
            bestGain = gain;
            best2 = c2;
            bestK1 = k1;
            bestK2 = k2;
          }
        }
      }
      if (best2 >= 0) {
        this.applyShift(c1, bestK1);
        this.applyShift(best2, bestK2);
        swaps++;
      }
    }
    return swaps;
  }

  /**
   * For each rep that breaks a row, the best trade between one of its members and a customer of
   * another rep who is eligible for it (the moves a full rep needs to change its value or
   * workload mix). Returns the number of swaps made (or -1 if the clock ran out).
   */
  private repairSwapSweep(deadline: number): number {
    const p = this.problem;
    const s = this.state;
    let swaps = 0;
    for (let r = 0; r < p.repCount; r++) {
      if ((this.repPenalty[r] ?? 0) <= 0) continue;
      if (performance.now() > deadline) return -1;
      const start = this.memberStart[r] ?? 0;
      let bestGain = allowance(this.repPenalty[r] ?? 0, IMPROVEMENT_TOLERANCE);
      let bestIn = -1;
      let bestOut = -1;
      let bestKIn = -1;
      let bestKOut = -1;
      for (let e = p.repStart[r] ?? 0; e < (p.repStart[r + 1] ?? 0); e++) {
        const kIn = p.repPairs[e] ?? 0;
        const cIn = p.pairCustomer[kIn] ?? 0;
        const current = s.choice[cIn] ?? -1;
        if (current < 0 || current === kIn) continue;
        const other = p.pairRep[current] ?? 0;
        const count = this.memberCount[r] ?? 0;
        for (let i = 0; i < count; i++) {
          const cOut = this.members[start + i] ?? 0;
          const kOut = pairOf(p, cOut, other);
          if (kOut < 0) continue;
          const gain = this.swapGain(cIn, kIn, cOut, kOut);
          if (gain > bestGain) {
            bestGain = gain;
            bestIn = cIn;
            bestOut = cOut;
            bestKIn = kIn;
            bestKOut = kOut;
          }
        }
      }
      if (bestIn >= 0) {
        this.applyShift(bestIn, bestKIn);
        this.applyShift(bestOut, bestKOut);
        swaps++;
      }
    }
    return swaps;
  }

  /**
   * Runs shift (and swap) sweeps until a feasible local optimum, the sweep limit or the deadline.
   * At an infeasible local optimum the broken rows' weights grow and the search continues.
   */
  run(options: SearchOptions): SearchResult {
    const maxSweeps = options.maxSweeps ?? 200;
    let sweeps = 0;
    while (sweeps < maxSweeps) {
      const moved = this.shiftSweep(options.deadline);
      sweeps++;
      if (moved < 0) break;
      this.recordIfFeasible();
      if (moved > 0) continue;
      if (this.violation() > 0) {
        const repaired = this.repairSwapSweep(options.deadline);
        if (repaired < 0) break;
        this.recordIfFeasible();
        if (repaired > 0) continue;
      }
      if (options.shiftsOnly !== true) {
        const swapped = this.swapSweep(options.deadline);
        if (swapped < 0) break;
        this.recordIfFeasible();
        if (swapped > 0) continue;
      }
      if (this.violation() === 0) break;
      this.growWeights();
    }
    this.recordIfFeasible();
    return { best: this.best, objective: this.bestObjective, sweeps };
  }
}


function bestPair(p: AssignmentProblem, c: number): number {
  let best = -1;
  for (let k = p.customerStart[c] ?? 0; k < (p.customerStart[c + 1] ?? 0); k++) if (best < 0 || (p.pairScore[k] ?? 0) > (p.pairScore[best] ?? 0)) best = k;
  return best;
}

/**
 * Improvement in the feasible region: from a feasible assignment, repeated sweeps over the
 * customers, each taking the best of (a) a shift to another rep, (b) an ejection chain of length
 * two (the customer takes a place at another rep, one of that rep's members moves on to a third rep
 * or back to the first one: a swap), and (c) for customers who may stay unassigned, leaving or
 * joining. Every move keeps every row (MoveCheck), so the assignment stays feasible throughout.
 * Gains are measured in `guide` (the true scores unless told otherwise). Deterministic.
 */
export class ChainSearch {
  readonly problem: AssignmentProblem;
  readonly state: AssignmentState;
  private readonly check: MoveCheck;
  private guide: Float64Array;
  /** Per customer: best gain of any single re-pairing, ignoring feasibility (an upper bound). */
  private readonly potential: Float64Array;
  /** Per rep: max potential over its members (refreshed each sweep; used to prune chains). */
  private readonly repPotential: Float64Array;
  private readonly members: Int32Array;
  private readonly memberPos: Int32Array;
  private readonly memberCount: Int32Array;
  /**
   * "Don't look" marks: a customer found without an improving move is not examined again until one
   * of its reps changes (`repStamp` > `customerStamp`).
   */
  private readonly repStamp: Float64Array;
  private readonly customerStamp: Float64Array;
  private clock = 1;
  /** Each customer's pairs by decreasing guide score (the order does not depend on the current pair). */
  private readonly byGuide: Int32Array;
  /** Per rep: 1 when it could take one more customer of the smallest workload and value (a cheap pre-check). */
  private readonly open: Uint8Array;
  private minWorkload = 0;
  private minValue = 0;
  /** Take the first rep (in score order) that yields an improving move instead of scanning all. */
  firstImprovement = false;
  /** Moves made in the current sweep. */
  private moves = 0;
  /** Per-sweep snapshot of each rep's members by decreasing potential (slots as in `members`). */
  private readonly ranked: Int32Array;
  private readonly rankedCount: Int32Array;
  private maxPotential = -Infinity;

  constructor(problem: AssignmentProblem, start: PairChoice) {
    this.problem = problem;
    this.state = new AssignmentState(problem, start);
    this.repStamp = new Float64Array(problem.repCount).fill(1);
    this.customerStamp = new Float64Array(problem.customerCount);
    this.byGuide = new Int32Array(problem.pairCount);
    this.open = new Uint8Array(problem.repCount);
    this.ranked = new Int32Array(problem.pairCount);
    this.rankedCount = new Int32Array(problem.repCount);
    let minW = Infinity;
    for (let k = 0; k < problem.pairCount; k++) minW = Math.min(minW, problem.pairWorkload[k] ?? 0);
    let minV = Infinity;
    for (let c = 0; c < problem.customerCount; c++) minV = Math.min(minV, problem.customerValue[c] ?? 0);
    this.minWorkload = Number.isFinite(minW) ? minW : 0;
    this.minValue = Number.isFinite(minV) ? minV : 0;
    this.check = new MoveCheck(this.state);
    this.guide = problem.pairScore;
    const C = problem.customerCount;
    const R = problem.repCount;
    this.potential = new Float64Array(C);
    this.repPotential = new Float64Array(R);
    this.members = new Int32Array(problem.pairCount);
    this.memberPos = new Int32Array(C).fill(-1);
    this.memberCount = new Int32Array(R);
    for (let c = 0; c < C; c++) this.addMember(c);
    this.sortByGuide();
  }

  setGuide(scores: Float64Array | null): void {
    this.guide = scores ?? this.problem.pairScore;
    this.customerStamp.fill(0);
    this.sortByGuide();
  }

  private sortByGuide(): void {
    const p = this.problem;
    const g = this.guide;
    for (let c = 0; c < p.customerCount; c++) {
      const from = p.customerStart[c] ?? 0;
      const to = p.customerStart[c + 1] ?? 0;
      const list: number[] = [];
      for (let k = from; k < to; k++) list.push(k);
      list.sort((a, b) => (g[b] ?? 0) - (g[a] ?? 0) || a - b);
      for (let i = 0; i < list.length; i++) this.byGuide[from + i] = list[i] ?? 0;
    }
  }

  /** True when some rep of customer c changed since c was last found without a move. */
  private worthLooking(c: number): boolean {
    const p = this.problem;
    const seen = this.customerStamp[c] ?? 0;
    for (let k = p.customerStart[c] ?? 0; k < (p.customerStart[c + 1] ?? 0); k++) if ((this.repStamp[p.pairRep[k] ?? 0] ?? 0) > seen) return true;
    return false;
  }

  private addMember(c: number): void {
    const k = this.state.choice[c] ?? -1;
    if (k < 0) return;
    const r = this.problem.pairRep[k] ?? 0;
    const n = this.memberCount[r] ?? 0;
    const slot = (this.problem.repStart[r] ?? 0) + n;
    this.members[slot] = c;
    this.memberPos[c] = slot;
    this.memberCount[r] = n + 1;
  }

  private removeMember(c: number): void {
    const k = this.state.choice[c] ?? -1;
    if (k < 0) return;
    const r = this.problem.pairRep[k] ?? 0;
    const n = (this.memberCount[r] ?? 1) - 1;
    const lastSlot = (this.problem.repStart[r] ?? 0) + n;
    const slot = this.memberPos[c] ?? lastSlot;
    const last = this.members[lastSlot] ?? c;
    this.members[slot] = last;
    this.memberPos[last] = slot;
    this.memberPos[c] = -1;
    this.memberCount[r] = n;
  }

  private moveTo(c: number, k: number): void {
    const old = this.state.choice[c] ?? -1;
    this.clock++;
    if (old >= 0) this.repStamp[this.problem.pairRep[old] ?? 0] = this.clock;
    if (k >= 0) this.repStamp[this.problem.pairRep[k] ?? 0] = this.clock;
    this.removeMember(c);
    this.state.move(c, k);
    this.addMember(c);
    if ((old < 0) !== (k < 0) && this.state.shareMode) {
      this.check.refreshBounds();
      for (let r = 0; r < this.problem.repCount; r++) this.refreshOpen(r);
    }
    this.potential[c] = this.potentialOf(c);
    if (old >= 0) this.refreshOpen(this.problem.pairRep[old] ?? 0);
    if (k >= 0) this.refreshOpen(this.problem.pairRep[k] ?? 0);
  }

  private refreshOpen(r: number): void {
    this.open[r] = this.check.repOk(r, 1, this.minWorkload, this.minValue) || this.check.repOk(r, 1, this.minWorkload, 0) ? 1 : 0;
  }

  private potentialOf(c: number): number {
    const p = this.problem;
    const g = this.guide;
    const o = this.state.choice[c] ?? -1;
    const here = o >= 0 ? (g[o] ?? 0) : 0;
    let best = p.optional[c] === 1 && o >= 0 ? -here : -Infinity;
    for (let k = p.customerStart[c] ?? 0; k < (p.customerStart[c + 1] ?? 0); k++) if (k !== o) best = Math.max(best, (g[k] ?? 0) - here);
    return best;
  }

  private refreshPotentials(): void {
    const p = this.problem;
    for (let r = 0; r < p.repCount; r++) this.refreshOpen(r);
    this.repPotential.fill(-Infinity);
    this.maxPotential = -Infinity;
    for (let c = 0; c < p.customerCount; c++) {
      const pot = this.potentialOf(c);
      this.potential[c] = pot;
      const o = this.state.choice[c] ?? -1;
      if (o >= 0) {
        const r = p.pairRep[o] ?? 0;
        if (pot > (this.repPotential[r] ?? -Infinity)) this.repPotential[r] = pot;
        if (pot > this.maxPotential) this.maxPotential = pot;
      }
    }
    // Members ranked by potential: a chain scan over them stops at the first that cannot help.
    const potential = this.potential;
    for (let r = 0; r < p.repCount; r++) {
      const start = p.repStart[r] ?? 0;
      const count = this.memberCount[r] ?? 0;
      const list = Array.from(this.members.subarray(start, start + count));
      list.sort((a, b) => (potential[b] ?? 0) - (potential[a] ?? 0) || a - b);
      for (let i = 0; i < count; i++) this.ranked[start + i] = list[i] ?? 0;
      this.rankedCount[r] = count;
    }
  }

  /** Feasibility of assigning or unassigning one optional customer (totals change: share bands move). */
  private statusChangeOk(c: number, from: number, to: number): boolean {
    const p = this.problem;
    const s = this.state;
    if (!this.check.staysOk(this.check.staysDelta(c, from, to))) return false;
    if (!s.shareMode) {
      const v = p.customerValue[c] ?? 0;
      if (from >= 0 && !this.check.repOk(p.pairRep[from] ?? 0, -1, -(p.pairWorkload[from] ?? 0), -v)) return false;
      if (to >= 0 && !this.check.repOk(p.pairRep[to] ?? 0, 1, p.pairWorkload[to] ?? 0, v)) return false;
      return true;
    }
    s.move(c, to);
    this.check.refreshBounds();
    let ok = true;
    for (let r = 0; r < p.repCount && ok; r++) ok = this.check.repOkNow(r);
    s.move(c, from);
    this.check.refreshBounds();
    return ok;
  }

  /**
   * One sweep; only moves gaining more than `threshold` are taken (a high threshold prunes most of
   * the chain search). Returns the total gain made, or -1 when the clock ran out.
   */
  private sweep(deadline: number, threshold: number): number {
    const p = this.problem;
    const s = this.state;
    const g = this.guide;
    const check = this.check;
    this.refreshPotentials();
    let gained = 0;
    for (let c1 = 0; c1 < p.customerCount; c1++) {
      if (c1 % CLOCK_CHECK_CUSTOMERS === 0 && performance.now() > deadline) return -1;
      if ((this.potential[c1] ?? -Infinity) <= threshold || !this.worthLooking(c1)) continue;
      const o1 = s.choice[c1] ?? -1;
      const here = o1 >= 0 ? (g[o1] ?? 0) : 0;
      let best = Math.max(threshold, allowance(here, IMPROVEMENT_TOLERANCE));
      let m1 = -2;
      let m2 = -1;
      let mk2 = -1;
      if (o1 < 0) {
        // An unassigned (optional) customer: join a rep.
        for (let k = p.customerStart[c1] ?? 0; k < (p.customerStart[c1 + 1] ?? 0); k++) {
          const gain = g[k] ?? 0;
          if (gain > best && this.statusChangeOk(c1, -1, k)) {
            best = gain;
            m1 = k;
          }
        }
        if (m1 >= 0) {
          this.moveTo(c1, m1);
          this.moves++;
          gained += best;
        }
        continue;
      }
      const r1 = p.pairRep[o1] ?? 0;
      const v1 = p.customerValue[c1] ?? 0;
      const w1 = p.pairWorkload[o1] ?? 0;
      if (p.optional[c1] === 1 && -here > best && this.statusChangeOk(c1, o1, -1)) {
        best = -here;
        m1 = -1;
      }
      const order = this.byGuide;
      // Whether c1 may leave r1 without a replacement (else only swaps back into r1 can work).
      const leaveOk = check.repOk(r1, -1, -w1, -v1);
      let chainStarts = 0;
      for (let i1 = p.customerStart[c1] ?? 0; i1 < (p.customerStart[c1 + 1] ?? 0); i1++) {
        const k1 = order[i1] ?? 0;
        if (k1 === o1) continue;
        const d1 = (g[k1] ?? 0) - here;
        // Pairs come by decreasing score: the rest gain nothing (or too little for any chain).
        if (d1 <= 0 || d1 + Math.max(0, this.maxPotential) <= best) break;
        const r2 = p.pairRep[k1] ?? 0;
        const wk1 = p.pairWorkload[k1] ?? 0;
        const s1 = check.staysDelta(c1, o1, k1);
        if (d1 > best && leaveOk && check.staysOk(s1) && check.repOk(r2, 1, wk1, v1)) {
          best = d1;
          m1 = k1;
          m2 = -1;
        }
        // Chains start with a customer who gains by its own step (the mirror chains are found
        // from the other customer's side). The first rep (by score) that gives an improving move
        // ends the scan: later reps offer c1 less.
        if (m1 !== -2 && this.firstImprovement) break;
        if (d1 + (this.repPotential[r2] ?? -Infinity) <= best || chainStarts >= CHAIN_STARTS) continue;
        chainStarts++;
        const start = p.repStart[r2] ?? 0;
        const count = this.rankedCount[r2] ?? 0;
        for (let i = 0; i < count; i++) {
          const c2 = this.ranked[start + i] ?? 0;
          // Ranked by potential at the start of the sweep: the rest cannot beat `best` either.
          if (d1 + (this.potential[c2] ?? -Infinity) <= best) break;
          const o2 = s.choice[c2] ?? -1;
          if (c2 === c1 || o2 < 0 || p.pairRep[o2] !== r2) continue;
          const v2 = p.customerValue[c2] ?? 0;
          const w2 = p.pairWorkload[o2] ?? 0;
          // r2 takes c1 in place of c2.
          if (!check.repOk(r2, 0, wk1 - w2, v1 - v2)) continue;
          const here2 = g[o2] ?? 0;
          if (!leaveOk) {
            // Only a swap can keep r1 whole: c2 must go to r1.
            const k2 = pairOf(p, c2, r1);
            if (k2 < 0) continue;
            const total = d1 + (g[k2] ?? 0) - here2;
            if (total <= best || !check.staysOk(s1 + check.staysDelta(c2, o2, k2))) continue;
            if (!check.repOk(r1, 0, (p.pairWorkload[k2] ?? 0) - w1, v2 - v1)) continue;
            best = total;
            m1 = k1;
            m2 = c2;
            mk2 = k2;
            continue;
          }
          for (let i2 = p.customerStart[c2] ?? 0; i2 < (p.customerStart[c2 + 1] ?? 0); i2++) {
            const k2 = order[i2] ?? 0;
            if (k2 === o2) continue;
            const total = d1 + (g[k2] ?? 0) - here2;
            if (total <= best) break;
            const r3 = p.pairRep[k2] ?? 0;
            if (r3 !== r1 && this.open[r3] !== 1) continue;
            const wk2 = p.pairWorkload[k2] ?? 0;
            if (!check.staysOk(s1 + check.staysDelta(c2, o2, k2))) continue;
            if (r3 === r1 ? !check.repOk(r1, 0, wk2 - w1, v2 - v1) : !check.repOk(r3, 1, wk2, v2)) continue;
            best = total;
            m1 = k1;
            m2 = c2;
            mk2 = k2;
          }
        }
      }
      if (m1 === -2) {
        this.customerStamp[c1] = this.clock;
        continue;
      }
      // Eject first so that the rep c1 enters never holds both.
      if (m2 >= 0) this.moveTo(m2, mk2);
      this.moveTo(c1, m1);
      this.moves++;
      gained += best;
    }
    return gained;
  }

  /**
   * Sweeps until no move gains, the sweep limit or the deadline; returns the sweeps made. The gain
   * threshold starts at a quarter of the mean score of an assigned pair and halves whenever a
   * sweep makes few moves, so the large gains come first and cheaply; it ends at 0.
   */
  run(options: { deadline: number; maxSweeps?: number }): number {
    const maxSweeps = options.maxSweeps ?? 50;
    const p = this.problem;
    let scale = 0;
    let count = 0;
    for (let c = 0; c < p.customerCount; c++) {
      const k = this.state.choice[c] ?? -1;
      if (k >= 0) {
        scale += Math.abs(this.guide[k] ?? 0);
        count++;
      }
    }
    let threshold = count > 0 ? (0.25 * scale) / count : 0;
    const floor = threshold * 1e-4; // the threshold's last step before 0, not a tolerance
    const fewMoves = Math.max(10, Math.ceil(0.002 * p.customerCount));
    let sweeps = 0;
    while (sweeps < maxSweeps) {
      this.moves = 0;
      const gained = this.sweep(options.deadline, threshold);
      sweeps++;
      if (gained < 0) break;
      if (threshold === 0 && this.moves === 0) break;
      if (this.moves < fewMoves) {
        threshold = threshold / 2 < floor ? 0 : threshold / 2;
        this.customerStamp.fill(0);
      }
    }
    return sweeps;
  }
}
