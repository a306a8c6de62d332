import { allowance, IMPROVEMENT_TOLERANCE } from "../numeric/tolerance.ts";
import { pairOf, type AssignmentProblem, type PairChoice } from "./assignment-problem.ts";
import { MoveSearch } from "./move-search.ts";
import { WorkBudget, type WorkMeter } from "./work-budget.ts";
import { countAt, flagAt, indexAt } from "./checked-read.ts";

export interface SearchOptions {
  /** Where the search counts its work (one unit per move looked at) and learns when to stop; default: no limit. */
  work?: WorkMeter;
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
/** Work of one move looked at (a shift or swap gain, a rep's penalty), in units of work-budget.ts (measured). */
const MOVE_WORK = 6;

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
export class PenaltySearch extends MoveSearch {
  /** Per rep × kind (accounts, workload, value, count share). */
  readonly weight: Float64Array;
  staysWeight: number;
  /** Current weighted violation per rep. */
  private readonly repPenalty: Float64Array;
  private readonly parts = new Float64Array(KINDS);
  best: PairChoice | null = null;
  bestObjective = -Infinity;

  constructor(problem: AssignmentProblem, start: PairChoice, baseWeight?: number) {
    super(problem, withMandatoryPlaced(problem, start));
    const R = problem.repCount;
    const base = baseWeight ?? Math.max(1e-6 /* a floor that keeps penalty weights positive, not a tolerance */, this.meanAssignedScore(problem.pairScore) ?? 1);
    this.weight = new Float64Array(R * KINDS).fill(base);
    this.staysWeight = base;
    this.repPenalty = new Float64Array(R);
    for (let r = 0; r < R; r++) this.repPenalty[r] = this.repPenaltyAt(r, countAt(this.state.accounts, r), this.state.workload[r] ?? 0, this.state.value[r] ?? 0, this.state.totalValue, this.state.assigned);
    this.recordIfFeasible();
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
      total += this.repPenaltyAt(r, countAt(s.accounts, r), s.workload[r] ?? 0, s.value[r] ?? 0, totalValue, assigned);
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
    const old = indexAt(s.choice, c);
    if (old === k) return 0;
    const v = p.customerValue[c] ?? 0;
    const r0 = s.repOfPair(old);
    const r1 = s.repOfPair(k);
    const g = this.guide;
    let gain = (k >= 0 ? (g[k] ?? 0) : 0) - (old >= 0 ? (g[old] ?? 0) : 0);
    const stay = indexAt(p.stayPair, c);
    const stays = s.stays + (k === stay ? 1 : 0) - (old === stay ? 1 : 0);
    if (stays !== s.stays) gain -= this.staysPenalty(stays) - this.staysPenalty(s.stays);
    const totalsChange = s.shareMode && (old < 0) !== (k < 0);
    const totalValue = s.totalValue + (k >= 0 ? v : 0) - (old >= 0 ? v : 0);
    const assigned = s.assigned + (k >= 0 ? 1 : 0) - (old >= 0 ? 1 : 0);
    if (r0 >= 0) {
      const after = this.repPenaltyAt(r0, countAt(s.accounts, r0) - 1, (s.workload[r0] ?? 0) - (p.pairWorkload[old] ?? 0), (s.value[r0] ?? 0) - v, totalValue, assigned);
      gain -= after - (this.repPenalty[r0] ?? 0);
    }
    if (r1 >= 0) {
      const after = this.repPenaltyAt(r1, countAt(s.accounts, r1) + 1, (s.workload[r1] ?? 0) + (p.pairWorkload[k] ?? 0), (s.value[r1] ?? 0) + v, totalValue, assigned);
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
    const old = indexAt(s.choice, c);
    const r0 = s.repOfPair(old);
    const r1 = s.repOfPair(k);
    const totalsChange = s.shareMode && (old < 0) !== (k < 0);
    this.relocate(c, k);
    if (totalsChange) {
      for (let r = 0; r < this.problem.repCount; r++) this.refreshRep(r);
    } else {
      if (r0 >= 0) this.refreshRep(r0);
      if (r1 >= 0) this.refreshRep(r1);
    }
  }

  private refreshRep(r: number): void {
    const s = this.state;
    this.repPenalty[r] = this.repPenaltyAt(r, countAt(s.accounts, r), s.workload[r] ?? 0, s.value[r] ?? 0, s.totalValue, s.assigned);
  }

  /** Gain of swapping c1 (to pair k1 at c2's rep) and c2 (to pair k2 at c1's rep); both assigned. */
  swapGain(c1: number, k1: number, c2: number, k2: number): number {
    const p = this.problem;
    const s = this.state;
    const o1 = indexAt(s.choice, c1);
    const o2 = indexAt(s.choice, c2);
    const r1 = s.repOfPair(o1);
    const r2 = s.repOfPair(o2);
    const v1 = p.customerValue[c1] ?? 0;
    const v2 = p.customerValue[c2] ?? 0;
    const g = this.guide;
    let gain = (g[k1] ?? 0) + (g[k2] ?? 0) - (g[o1] ?? 0) - (g[o2] ?? 0);
    const stay1 = indexAt(p.stayPair, c1);
    const stay2 = indexAt(p.stayPair, c2);
    const stays = s.stays + (k1 === stay1 ? 1 : 0) - (o1 === stay1 ? 1 : 0) + (k2 === stay2 ? 1 : 0) - (o2 === stay2 ? 1 : 0);
    if (stays !== s.stays) gain -= this.staysPenalty(stays) - this.staysPenalty(s.stays);
    const after1 = this.repPenaltyAt(
      r1,
      countAt(s.accounts, r1),
      (s.workload[r1] ?? 0) - (p.pairWorkload[o1] ?? 0) + (p.pairWorkload[k2] ?? 0),
      (s.value[r1] ?? 0) - v1 + v2,
      s.totalValue,
      s.assigned,
    );
    const after2 = this.repPenaltyAt(
      r2,
      countAt(s.accounts, r2),
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
      s.repViolationParts(r, countAt(s.accounts, r), s.workload[r] ?? 0, s.value[r] ?? 0, s.totalValue, s.assigned, parts);
      for (let kind = 0; kind < KINDS; kind++) {
        if ((parts[kind] ?? 0) > 0) this.weight[r * KINDS + kind] = (this.weight[r * KINDS + kind] ?? 0) * WEIGHT_GROWTH;
      }
      this.refreshRep(r);
    }
    if (s.staysShortfall(s.stays) > 0) this.staysWeight *= WEIGHT_GROWTH;
  }

  /** Work of one shift gain: 1, or a look at every rep when the move changes the assigned totals a share band follows. */
  private shiftCost(old: number, k: number): number {
    return this.state.shareMode && (old < 0) !== (k < 0) ? this.problem.repCount : 1;
  }

  /** One pass of best-shift per customer; returns the number of moves made (or -1 when the work ran out). */
  private shiftSweep(work: WorkMeter): number {
    const p = this.problem;
    const s = this.state;
    let moves = 0;
    for (let c = 0; c < p.customerCount; c++) {
      if (work.exhausted()) return -1;
      const from = indexAt(p.customerStart, c);
      const to = indexAt(p.customerStart, c + 1);
      const old = indexAt(s.choice, c);
      work.spend(MOVE_WORK * (1 + (to - from) * this.shiftCost(old, from)));
      if (to - from <= 1 && (old >= 0 || flagAt(p.optional, c) !== 1)) continue;
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
      if (flagAt(p.optional, c) === 1 && old >= 0) {
        work.spend(MOVE_WORK * this.shiftCost(old, -1));
        const gain = this.shiftGain(c, -1);
        if (gain > bestGain) {
          bestGain = gain;
          bestMove = -1;
        }
      }
      if (bestMove !== old) {
        work.spend(MOVE_WORK * this.shiftCost(old, bestMove));
        this.applyShift(c, bestMove);
        moves++;
      }
    }
    return moves;
  }

  /**
   * For each customer and each rep it would rather be with, the best trade with a member of that
   * rep who may take its place. Returns the number of swaps made (or -1 when the work ran out).
   */
  private swapSweep(work: WorkMeter): number {
    const p = this.problem;
    const s = this.state;
    let swaps = 0;
    for (let c1 = 0; c1 < p.customerCount; c1++) {
      if (work.exhausted()) return -1;
      const o1 = indexAt(s.choice, c1);
      work.spend(MOVE_WORK);
      if (o1 < 0) continue;
      const r1 = indexAt(p.pairRep, o1);
      const from = indexAt(p.customerStart, c1);
      const to = indexAt(p.customerStart, c1 + 1);
      let bestGain = allowance(p.pairScore[o1] ?? 0, IMPROVEMENT_TOLERANCE);
      let best2 = -1;
      let bestK1 = -1;
      let bestK2 = -1;
      for (let k1 = from; k1 < to; k1++) {
        if (k1 === o1) continue;
        const r2 = indexAt(p.pairRep, k1);
        const start = this.members.start(r2);
        const count = this.members.size(r2);
        work.spend(MOVE_WORK * (1 + count));
        for (let i = 0; i < count; i++) {
          const c2 = indexAt(this.members.slots, start + i);
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
   * workload mix). Returns the number of swaps made (or -1 when the work ran out).
   */
  private repairSwapSweep(work: WorkMeter): number {
    const p = this.problem;
    const s = this.state;
    let swaps = 0;
    for (let r = 0; r < p.repCount; r++) {
      if ((this.repPenalty[r] ?? 0) <= 0) continue;
      if (work.exhausted()) return -1;
      const start = this.members.start(r);
      let bestGain = allowance(this.repPenalty[r] ?? 0, IMPROVEMENT_TOLERANCE);
      let bestIn = -1;
      let bestOut = -1;
      let bestKIn = -1;
      let bestKOut = -1;
      for (let e = indexAt(p.repStart, r); e < indexAt(p.repStart, r + 1); e++) {
        const kIn = indexAt(p.repPairs, e);
        const cIn = indexAt(p.pairCustomer, kIn);
        const current = indexAt(s.choice, cIn);
        if (current < 0 || current === kIn) continue;
        const other = indexAt(p.pairRep, current);
        const count = this.members.size(r);
        work.spend(MOVE_WORK * (1 + count));
        for (let i = 0; i < count; i++) {
          const cOut = indexAt(this.members.slots, start + i);
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
   * Runs shift (and swap) sweeps until a feasible local optimum, the sweep limit or the end of the
   * work. At an infeasible local optimum the broken rows' weights grow and the search continues.
   */
  run(options: SearchOptions = {}): SearchResult {
    const maxSweeps = options.maxSweeps ?? 200;
    const work = options.work ?? WorkBudget.clockOnly();
    let sweeps = 0;
    while (sweeps < maxSweeps) {
      const moved = this.shiftSweep(work);
      sweeps++;
      if (moved < 0) break;
      this.recordIfFeasible();
      if (moved > 0) continue;
      if (this.violation() > 0) {
        const repaired = this.repairSwapSweep(work);
        if (repaired < 0) break;
        this.recordIfFeasible();
        if (repaired > 0) continue;
      }
      if (options.shiftsOnly !== true) {
        const swapped = this.swapSweep(work);
        if (swapped < 0) break;
        this.recordIfFeasible();
        if (swapped > 0) continue;
      }
      if (this.violation() === 0) break;
      work.spend(MOVE_WORK * this.problem.repCount);
      this.growWeights();
    }
    this.recordIfFeasible();
    return { best: this.best, objective: this.bestObjective, sweeps };
  }
}

/** The start, with every mandatory customer it leaves out on its best-scoring pair. */
function withMandatoryPlaced(problem: AssignmentProblem, start: PairChoice): PairChoice {
  const choice = new Int32Array(problem.customerCount);
  for (let c = 0; c < problem.customerCount; c++) {
    const k = indexAt(start, c);
    choice[c] = k >= 0 || flagAt(problem.optional, c) === 1 ? k : bestPair(problem, c);
  }
  return choice;
}

function bestPair(p: AssignmentProblem, c: number): number {
  let best = -1;
  for (let k = indexAt(p.customerStart, c); k < indexAt(p.customerStart, c + 1); k++) if (best < 0 || (p.pairScore[k] ?? 0) > (p.pairScore[best] ?? 0)) best = k;
  return best;
}

