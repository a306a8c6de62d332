import { allowance, IMPROVEMENT_TOLERANCE } from "../numeric/tolerance.ts";
import { pairOf, type AssignmentProblem, type PairChoice } from "./assignment-problem.ts";
import { MoveCheck } from "./move-check.ts";
import { MoveSearch } from "./move-search.ts";
import { WorkBudget, type WorkMeter } from "./work-budget.ts";
import { flagAt, indexAt } from "./checked-read.ts";

/** Reps (by decreasing gain) from which a customer starts ejection chains in one sweep. */
const CHAIN_STARTS = 4;
const EMPTY_INTS = new Int32Array(0);
const EMPTY_FLOATS = new Float64Array(0);

/** Each customer's pairs by decreasing guide score and what the chains' second leg reads of them (ChainSearch). */
interface GuideOrder {
  byGuide: Int32Array;
  rankScores: Float64Array;
  rankPairs: Int32Array;
  rankOfPair: Int32Array;
}

/**
 * The order of the problem's true scores, built once per problem: a chain search starts after
 * every round of the band-aware exchanges, and sorting every customer's pairs took 0.1–0.2 s of
 * each start at 20,000 × 400. Only read once built.
 */
const trueScoreOrders = new WeakMap<AssignmentProblem, GuideOrder>();

function guideOrder(p: AssignmentProblem, g: Float64Array): GuideOrder {
  const known = g === p.pairScore ? trueScoreOrders.get(p) : undefined;
  if (known !== undefined) return known;
  const order: GuideOrder = {
    byGuide: new Int32Array(p.pairCount),
    rankScores: new Float64Array(2 * p.pairCount),
    rankPairs: new Int32Array(2 * p.pairCount),
    rankOfPair: new Int32Array(p.pairCount),
  };
  const { byGuide } = order;
  for (let c = 0; c < p.customerCount; c++) {
    const from = indexAt(p.customerStart, c);
    const to = indexAt(p.customerStart, c + 1);
    // By decreasing score, ties by pair: an insertion sort of the customer's few pairs (in pair order).
    for (let k = from; k < to; k++) {
      const score = g[k] ?? 0;
      let i = k;
      while (i > from && (g[byGuide[i - 1] ?? 0] ?? 0) < score) {
        byGuide[i] = byGuide[i - 1] ?? 0;
        i--;
      }
      byGuide[i] = k;
    }
    for (let i = from; i < to; i++) {
      const k = byGuide[i] ?? 0;
      order.rankScores[2 * i] = g[k] ?? 0;
      order.rankScores[2 * i + 1] = p.pairWorkload[k] ?? 0;
      order.rankPairs[2 * i] = k;
      order.rankPairs[2 * i + 1] = indexAt(p.pairRep, k);
      order.rankOfPair[k] = i;
    }
  }
  if (g === p.pairScore) trueScoreOrders.set(p, order);
  return order;
}

/** Work of one step of a sweep (a pair or a chain partner looked at), in units of work-budget.ts (measured). */
const STEP_WORK = 3;

/**
 * Improvement in the feasible region: from a feasible assignment, repeated sweeps over the
 * customers, each taking the best of (a) a shift to another rep, (b) an ejection chain of length
 * two (the customer takes a place at another rep, one of that rep's members moves on to a third rep
 * or back to the first one: a swap), and (c) for customers who may stay unassigned, leaving or
 * joining. Every move keeps every row (MoveCheck), so the assignment stays feasible throughout.
 * Gains are measured in `guide` (the true scores unless told otherwise). Deterministic.
 */
export class ChainSearch extends MoveSearch {
  private readonly check: MoveCheck;
  /** Per customer: best gain of any single re-pairing, ignoring feasibility (an upper bound). */
  private readonly potential: Float64Array;
  /** Per rep: max potential over its members (refreshed each sweep; used to prune chains). */
  private readonly repPotential: Float64Array;
  /**
   * "Don't look" marks: a customer found without an improving move is not examined again until one
   * of its reps changes (`repStamp` > `customerStamp`).
   */
  private readonly repStamp: Float64Array;
  private readonly customerStamp: Float64Array;
  private clock = 1;
  /** Each customer's pairs by decreasing guide score (the order does not depend on the current pair). */
  private byGuide: Int32Array = EMPTY_INTS;
  /**
   * What the chains' second leg reads of `byGuide[i]`, side by side at 2i and 2i + 1: its guide
   * score and workload, and the pair and its rep; and each pair's place in `byGuide`.
   */
  private rankScores: Float64Array = EMPTY_FLOATS;
  private rankPairs: Int32Array = EMPTY_INTS;
  private rankOfPair: Int32Array = EMPTY_INTS;
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
  /**
   * Per ranked slot, as at the sweep's start: the member's pair with that rep, its guide score,
   * workload and place in `byGuide`. A chain's second leg reads them in slot order instead of
   * through the member's pair, far away in the pair arrays (at 10k × 200, a cache miss for each
   * of them was most of the chain search's time). A member still holds that pair when its choice
   * equals it: a customer has one pair with a rep.
   */
  private readonly rankedPair: Int32Array;
  private readonly rankedGuide: Float64Array;
  private readonly rankedWorkload: Float64Array;
  private readonly rankedRank: Int32Array;
  private maxPotential = -Infinity;
  /** Work done by the helpers since the sweep last counted it (a look at every rep when share bands move). */
  private helperWork = 0;

  constructor(problem: AssignmentProblem, start: PairChoice) {
    super(problem, start);
    this.repStamp = new Float64Array(problem.repCount).fill(1);
    this.customerStamp = new Float64Array(problem.customerCount);
    this.open = new Uint8Array(problem.repCount);
    this.ranked = new Int32Array(problem.pairCount);
    this.rankedCount = new Int32Array(problem.repCount);
    this.rankedPair = new Int32Array(problem.pairCount);
    this.rankedGuide = new Float64Array(problem.pairCount);
    this.rankedWorkload = new Float64Array(problem.pairCount);
    this.rankedRank = new Int32Array(problem.pairCount);
    let minW = Infinity;
    for (let k = 0; k < problem.pairCount; k++) minW = Math.min(minW, problem.pairWorkload[k] ?? 0);
    let minV = Infinity;
    for (let c = 0; c < problem.customerCount; c++) minV = Math.min(minV, problem.customerValue[c] ?? 0);
    this.minWorkload = Number.isFinite(minW) ? minW : 0;
    this.minValue = Number.isFinite(minV) ? minV : 0;
    this.check = new MoveCheck(this.state);
    this.potential = new Float64Array(problem.customerCount);
    this.repPotential = new Float64Array(problem.repCount);
    this.sortByGuide();
  }

  /** Judges moves by other scores (see MoveSearch); every customer is looked at again. */
  override setGuide(scores: Float64Array | null): void {
    super.setGuide(scores);
    this.customerStamp.fill(0);
    this.sortByGuide();
  }

  private sortByGuide(): void {
    const order = guideOrder(this.problem, this.guide);
    this.byGuide = order.byGuide;
    this.rankScores = order.rankScores;
    this.rankPairs = order.rankPairs;
    this.rankOfPair = order.rankOfPair;
  }

  /** True when some rep of customer c changed since c was last found without a move. */
  private worthLooking(c: number): boolean {
    const p = this.problem;
    const seen = this.customerStamp[c] ?? 0;
    for (let k = indexAt(p.customerStart, c); k < indexAt(p.customerStart, c + 1); k++) if ((this.repStamp[indexAt(p.pairRep, k)] ?? 0) > seen) return true;
    return false;
  }

  private moveTo(c: number, k: number): void {
    const old = indexAt(this.state.choice, c);
    this.clock++;
    if (old >= 0) this.repStamp[indexAt(this.problem.pairRep, old)] = this.clock;
    if (k >= 0) this.repStamp[indexAt(this.problem.pairRep, k)] = this.clock;
    this.relocate(c, k);
    if ((old < 0) !== (k < 0) && this.state.shareMode) {
      this.helperWork += 2 * this.problem.repCount;
      this.check.refreshBounds();
      for (let r = 0; r < this.problem.repCount; r++) this.refreshOpen(r);
    }
    this.potential[c] = this.potentialOf(c);
    if (old >= 0) this.refreshOpen(indexAt(this.problem.pairRep, old));
    if (k >= 0) this.refreshOpen(indexAt(this.problem.pairRep, k));
  }

  private refreshOpen(r: number): void {
    this.open[r] = this.check.repOk(r, 1, this.minWorkload, this.minValue) || this.check.repOk(r, 1, this.minWorkload, 0) ? 1 : 0;
  }

  private potentialOf(c: number): number {
    const p = this.problem;
    const g = this.guide;
    const o = indexAt(this.state.choice, c);
    const here = o >= 0 ? (g[o] ?? 0) : 0;
    let best = flagAt(p.optional, c) === 1 && o >= 0 ? -here : -Infinity;
    for (let k = indexAt(p.customerStart, c); k < indexAt(p.customerStart, c + 1); k++) if (k !== o) best = Math.max(best, (g[k] ?? 0) - here);
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
      const o = indexAt(this.state.choice, c);
      if (o >= 0) {
        const r = indexAt(p.pairRep, o);
        if (pot > (this.repPotential[r] ?? -Infinity)) this.repPotential[r] = pot;
        if (pot > this.maxPotential) this.maxPotential = pot;
      }
    }
    // Members ranked by potential: a chain scan over them stops at the first that cannot help.
    const potential = this.potential;
    for (let r = 0; r < p.repCount; r++) {
      const start = this.members.start(r);
      const count = this.members.size(r);
      const list = Array.from(this.members.slots.subarray(start, start + count));
      list.sort((a, b) => (potential[b] ?? 0) - (potential[a] ?? 0) || a - b);
      for (let i = 0; i < count; i++) {
        const c = list[i] ?? 0;
        const k = indexAt(this.state.choice, c);
        this.ranked[start + i] = c;
        this.rankedPair[start + i] = k;
        this.rankedGuide[start + i] = this.guide[k] ?? 0;
        this.rankedWorkload[start + i] = p.pairWorkload[k] ?? 0;
        this.rankedRank[start + i] = indexAt(this.rankOfPair, k);
      }
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
      if (from >= 0 && !this.check.repOk(indexAt(p.pairRep, from), -1, -(p.pairWorkload[from] ?? 0), -v)) return false;
      if (to >= 0 && !this.check.repOk(indexAt(p.pairRep, to), 1, p.pairWorkload[to] ?? 0, v)) return false;
      return true;
    }
    this.helperWork += 3 * p.repCount;
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
   * the chain search). Returns the total gain made, or -1 when the work ran out. Work: one unit per
   * customer, per pair looked at and per chain partner tried.
   */
  private sweep(work: WorkMeter, threshold: number): number {
    const p = this.problem;
    const s = this.state;
    const g = this.guide;
    const check = this.check;
    work.spend(p.pairCount + 2 * p.customerCount + p.repCount);
    this.refreshPotentials();
    let gained = 0;
    let steps = 0;
    for (let c1 = 0; c1 < p.customerCount; c1++) {
      work.spend(STEP_WORK * (steps + this.helperWork + 1));
      steps = 0;
      this.helperWork = 0;
      if (work.exhausted()) return -1;
      if ((this.potential[c1] ?? -Infinity) <= threshold) continue;
      steps += indexAt(p.customerStart, c1 + 1) - indexAt(p.customerStart, c1);
      if (!this.worthLooking(c1)) continue;
      const o1 = indexAt(s.choice, c1);
      const here = o1 >= 0 ? (g[o1] ?? 0) : 0;
      let best = Math.max(threshold, allowance(here, IMPROVEMENT_TOLERANCE));
      let m1 = -2;
      let m2 = -1;
      let mk2 = -1;
      if (o1 < 0) {
        // An unassigned (optional) customer: join a rep.
        for (let k = indexAt(p.customerStart, c1); k < indexAt(p.customerStart, c1 + 1); k++) {
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
      const r1 = indexAt(p.pairRep, o1);
      const v1 = p.customerValue[c1] ?? 0;
      const w1 = p.pairWorkload[o1] ?? 0;
      if (flagAt(p.optional, c1) === 1 && -here > best && this.statusChangeOk(c1, o1, -1)) {
        best = -here;
        m1 = -1;
      }
      const { byGuide: order, rankScores, rankPairs } = this;
      // Whether c1 may leave r1 without a replacement (else only swaps back into r1 can work).
      const leaveOk = check.repOk(r1, -1, -w1, -v1);
      let chainStarts = 0;
      for (let i1 = indexAt(p.customerStart, c1); i1 < indexAt(p.customerStart, c1 + 1); i1++) {
        const k1 = indexAt(order, i1);
        steps++;
        if (k1 === o1) continue;
        const d1 = (g[k1] ?? 0) - here;
        // Pairs come by decreasing score: the rest gain nothing (or too little for any chain).
        if (d1 <= 0 || d1 + Math.max(0, this.maxPotential) <= best) break;
        const r2 = indexAt(p.pairRep, k1);
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
        const start = indexAt(p.repStart, r2);
        const count = indexAt(this.rankedCount, r2);
        for (let i = 0; i < count; i++) {
          const slot = start + i;
          const c2 = indexAt(this.ranked, slot);
          steps++;
          // Ranked by potential at the start of the sweep: the rest cannot beat `best` either.
          if (d1 + (this.potential[c2] ?? -Infinity) <= best) break;
          // Still a member of r2 (on its one pair with r2)?
          const o2 = indexAt(this.rankedPair, slot);
          if (c2 === c1 || indexAt(s.choice, c2) !== o2) continue;
          const v2 = p.customerValue[c2] ?? 0;
          const w2 = this.rankedWorkload[slot] ?? 0;
          // r2 takes c1 in place of c2.
          if (!check.repOk(r2, 0, wk1 - w2, v1 - v2)) continue;
          const here2 = this.rankedGuide[slot] ?? 0;
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
          const rank2 = indexAt(this.rankedRank, slot);
          for (let i2 = indexAt(p.customerStart, c2); i2 < indexAt(p.customerStart, c2 + 1); i2++) {
            steps++;
            if (i2 === rank2) continue;
            const total = d1 + (rankScores[2 * i2] ?? 0) - here2;
            if (total <= best) break;
            const r3 = indexAt(rankPairs, 2 * i2 + 1);
            if (r3 !== r1 && flagAt(this.open, r3) !== 1) continue;
            const k2 = indexAt(rankPairs, 2 * i2);
            const wk2 = rankScores[2 * i2 + 1] ?? 0;
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
    work.spend(STEP_WORK * (steps + this.helperWork));
    this.helperWork = 0;
    return gained;
  }

  /**
   * Sweeps until no move gains, the sweep limit or the end of the work (default: no limit);
   * returns the sweeps made. The gain threshold starts at a quarter of the mean score of an
   * assigned pair and halves whenever a sweep makes few moves, so the large gains come first and
   * cheaply; it ends at 0.
   */
  run(options: { work?: WorkMeter; maxSweeps?: number } = {}): number {
    const maxSweeps = options.maxSweeps ?? 50;
    const work = options.work ?? WorkBudget.clockOnly();
    const p = this.problem;
    const mean = this.meanAssignedScore(this.guide);
    let threshold = mean === null ? 0 : 0.25 * mean;
    const floor = threshold * 1e-4; // the threshold's last step before 0, not a tolerance
    const fewMoves = Math.max(10, Math.ceil(0.002 * p.customerCount));
    let sweeps = 0;
    while (sweeps < maxSweeps) {
      this.moves = 0;
      const gained = this.sweep(work, threshold);
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
