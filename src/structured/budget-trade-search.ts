import { allowance, IMPROVEMENT_TOLERANCE } from "../numeric/tolerance.ts";
import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { ExchangeSides, exchangeRowsHold, scanExchanges } from "./exchange-sides.ts";
import { MoveCandidates } from "./move-candidates.ts";
import { MoveCheck } from "./move-check.ts";
import { MoveSearch } from "./move-search.ts";
import { WorkBudget, type WorkMeter } from "./work-budget.ts";
import { indexAt } from "./checked-read.ts";

/** Candidates kept per ordered pair of reps by gain, and as many more that send a customer back to its current rep. */
const CANDIDATES = 8;
const HOME_CANDIDATES = 8;
const SINGLES = CANDIDATES + HOME_CANDIDATES;
const MAX_SIDES = 1 + SINGLES + (SINGLES * (SINGLES - 1)) / 2;
/** Work of one candidate listed, and of one exchange judged (units of work-budget.ts). */
const ENTRY_WORK = 4;
const COMBO_WORK = 1;
/** The largest change in stays an exchange is kept for (each way). */
const MAX_DELTA = 2;
const NO_PAIRS = new Int32Array(0);

/** The best exchanges of the sweep, one per pair of reps and change in stays. */
interface Exchanges {
  size: number;
  gain: Float64Array;
  delta: Int32Array;
  repA: Int32Array;
  repB: Int32Array;
  /** Four destination pairs per exchange (-1 when unused): the first two leave rep A, the others rep B. */
  pairs: Int32Array;
  /** Per exchange, the change in accounts, workload and value of rep A, then of rep B. */
  effects: Float64Array;
}

function exchanges(capacity: number): Exchanges {
  return { size: 0, gain: new Float64Array(capacity), delta: new Int32Array(capacity), repA: new Int32Array(capacity), repB: new Int32Array(capacity), pairs: new Int32Array(4 * capacity), effects: new Float64Array(6 * capacity) };
}

/**
 * Trades of the move budget. Where the budget on moves away from the current rep is spent to the
 * last customer, every exchange that costs a move is refused however much it gains, and the
 * band-aware exchanges (band-exchange-search.ts) stop there. This search pairs, over the whole
 * part, an exchange between two reps that spends moves and gains with exchanges elsewhere that
 * give moves back (customers going back to their current rep) and lose less: together they keep
 * the budget and every rep's rows, and gain.
 *
 * Each sweep takes, for every two reps that share a customer, the best exchange (up to two
 * customers each way, both reps' rows kept, `MoveCheck`, the budget left aside) for each change in
 * stays from -MAX_DELTA to MAX_DELTA but 0, from candidate lists of each ordered pair's best moves
 * (by `rank`) and its best moves home; then takes the spenders by decreasing gain, each with the
 * givers that cover the moves it spends, cheapest per move first (`pair`). Deterministic.
 */
export class BudgetTradeSearch extends MoveSearch {
  private readonly check: MoveCheck;
  /** Trades made so far. */
  trades = 0;
  private readonly sidesA = new ExchangeSides(MAX_SIDES);
  private readonly sidesB = new ExchangeSides(MAX_SIDES);
  private readonly singles = new Int32Array(SINGLES);
  private readonly candidates = new MoveCandidates();
  private spenders = exchanges(0);
  private givers = exchanges(0);
  /** Per pair of reps being judged, the best gain and its sides for each change in stays (index delta + MAX_DELTA). */
  private readonly bestGain = new Float64Array(2 * MAX_DELTA + 1);
  private readonly bestX = new Int32Array(2 * MAX_DELTA + 1);
  private readonly bestY = new Int32Array(2 * MAX_DELTA + 1);

  /** Scores the candidate lists are ranked by (e.g. Lagrangian reduced scores); null: the guide. */
  private rank: Float64Array | null = null;

  constructor(problem: AssignmentProblem, start: PairChoice) {
    super(problem, start);
    this.check = new MoveCheck(this.state);
  }

  /** Ranks the candidate lists by these per-pair scores (null: by the guide's gains). */
  setRank(scores: Float64Array | null): void {
    this.rank = scores;
  }

  /** Sweeps until one makes no trade, the sweep limit or the end of the work; returns the trades made. */
  run(options: { work?: WorkMeter; maxSweeps?: number } = {}): number {
    if (this.problem.minStays <= 0) return 0;
    const maxSweeps = options.maxSweeps ?? 20;
    const work = options.work ?? WorkBudget.clockOnly();
    const before = this.trades;
    const tolerance = allowance(this.meanAssignedScore(this.guide) ?? 0, IMPROVEMENT_TOLERANCE);
    for (let sweep = 0; sweep < maxSweeps; sweep++) {
      if (work.exhausted()) break;
      if (this.sweep(work, tolerance) <= 0) break;
    }
    return this.trades - before;
  }

  private gainOf(c: number, k: number): number {
    return (this.guide[k] ?? 0) - (this.guide[indexAt(this.state.choice, c)] ?? 0);
  }

  /** One sweep; returns the trades made, or -1 when the work ran out. */
  private sweep(work: WorkMeter, tolerance: number): number {
    const p = this.problem;
    const s = this.state;
    const R = p.repCount;
    if (!this.candidates.startSweep(work)) return -1;
    // Per ordered pair of reps, its best moves by rank and its best moves home.
    const score = (c: number, k: number, old: number): number => (this.rank === null ? this.gainOf(c, k) : (this.rank[k] ?? 0) - (this.rank[old] ?? 0));
    const lists = this.candidates.lists(p, s.choice, CANDIDATES, score);
    const entries = this.candidates.entries;
    const homeLists = this.candidates.lists(p, s.choice, HOME_CANDIDATES, score, (c, k) => k === indexAt(p.stayPair, c));
    work.spend(ENTRY_WORK * (entries + this.candidates.entries + 2 * p.customerCount));
    this.candidates.endSweep();
    if (work.exhausted()) return -1;
    const repPairs: number[] = [];
    const seen = new Set<number>();
    for (const key of [...lists.keys(), ...homeLists.keys()]) {
      const a = Math.floor(key / R);
      const b = key - a * R;
      const unordered = Math.min(a, b) * R + Math.max(a, b);
      if (seen.has(unordered)) continue;
      seen.add(unordered);
      repPairs.push(unordered);
    }
    repPairs.sort((x, y) => x - y);
    const capacity = repPairs.length * MAX_DELTA;
    if (this.spenders.gain.length < capacity) {
      this.spenders = exchanges(capacity);
      this.givers = exchanges(capacity);
    }
    this.spenders.size = 0;
    this.givers.size = 0;
    // The spenders first, for the best of their gains: a giver is only wanted when it loses less.
    let bestSpend = -Infinity;
    for (let pass = 0; pass < 2; pass++) {
      const floor = pass === 0 ? tolerance : tolerance - bestSpend;
      if (pass === 1 && this.spenders.size === 0) break;
      for (const unordered of repPairs) {
        const a = Math.floor(unordered / R);
        const b = unordered - a * R;
        const fromA = this.sides(lists.get(a * R + b) ?? NO_PAIRS, homeLists.get(a * R + b) ?? NO_PAIRS, a, this.sidesA);
        const fromB = this.sides(lists.get(b * R + a) ?? NO_PAIRS, homeLists.get(b * R + a) ?? NO_PAIRS, b, this.sidesB);
        work.spend(ENTRY_WORK * (fromA.size + fromB.size));
        this.best(a, b, fromA, fromB, pass === 0 ? -1 : 1, floor, work);
        for (let d = 1; d <= MAX_DELTA; d++) {
          const delta = pass === 0 ? -d : d;
          const i = delta + MAX_DELTA;
          const gain = this.bestGain[i] ?? -Infinity;
          if (gain === -Infinity) continue;
          const list = pass === 0 ? this.spenders : this.givers;
          this.record(list, gain, delta, a, b, fromA, this.bestX[i] ?? 0, fromB, this.bestY[i] ?? 0);
          if (pass === 0) bestSpend = Math.max(bestSpend, gain);
        }
        if (work.exhausted()) return -1;
      }
    }
    return this.pair(tolerance);
  }

  /** Rep `giver`'s sides: none, each candidate still with it (the best moves and the moves home, once each), each two of them. */
  private sides(list: Int32Array, homeList: Int32Array, giver: number, out: ExchangeSides): ExchangeSides {
    const p = this.problem;
    const s = this.state;
    out.clear();
    out.add(0, -1, -1, 0, 0, 0, 0, 0);
    let n = 0;
    for (const source of [list, homeList]) {
      for (const k of source) {
        const c = indexAt(p.pairCustomer, k);
        const old = indexAt(s.choice, c);
        if (s.repOfPair(old) !== giver) continue;
        let dup = false;
        for (let i = 0; i < n; i++) if (this.singles[i] === k) dup = true;
        if (dup) continue;
        this.singles[n++] = k;
        out.add(this.gainOf(c, k), k, -1, 1, p.pairWorkload[old] ?? 0, p.pairWorkload[k] ?? 0, p.customerValue[c] ?? 0, this.check.staysDelta(c, old, k));
      }
    }
    const count = out.size;
    for (let i = 1; i < count; i++) for (let j = i + 1; j < count; j++) out.addBoth(i, j);
    out.sort();
    return out;
  }

  /**
   * The best exchange between reps a and b for each change in stays of the sign `sign` (-1: the
   * spenders, 1: the givers), above `floor`, every row but the budget kept; into bestGain/X/Y.
   */
  private best(a: number, b: number, fromA: ExchangeSides, fromB: ExchangeSides, sign: number, floor: number, work: WorkMeter): void {
    this.bestGain.fill(-Infinity);
    let worst = floor;
    const judged = scanExchanges(fromA, fromB, () => worst, (x, y, gain) => {
      const delta = (fromA.stays[x] ?? 0) + (fromB.stays[y] ?? 0);
      if (delta * sign <= 0 || delta * sign > MAX_DELTA) return false;
      const i = delta + MAX_DELTA;
      if (gain <= (this.bestGain[i] ?? -Infinity)) return false;
      if (!exchangeRowsHold(this.check, a, b, fromA, x, fromB, y)) return true;
      this.bestGain[i] = gain;
      this.bestX[i] = x;
      this.bestY[i] = y;
      // Below the worst bucket's best nothing is wanted any more.
      let low = Infinity;
      for (let d = 1; d <= MAX_DELTA; d++) low = Math.min(low, this.bestGain[sign * d + MAX_DELTA] ?? -Infinity);
      worst = Math.max(floor, low);
      return true;
    });
    work.spend(COMBO_WORK * judged);
  }

  private record(list: Exchanges, gain: number, delta: number, a: number, b: number, fromA: ExchangeSides, x: number, fromB: ExchangeSides, y: number): void {
    const i = list.size++;
    list.gain[i] = gain;
    list.delta[i] = delta;
    list.repA[i] = a;
    list.repB[i] = b;
    list.pairs[4 * i] = fromA.first[x] ?? -1;
    list.pairs[4 * i + 1] = fromA.second[x] ?? -1;
    list.pairs[4 * i + 2] = fromB.first[y] ?? -1;
    list.pairs[4 * i + 3] = fromB.second[y] ?? -1;
    const countA = fromA.count[x] ?? 0;
    const countB = fromB.count[y] ?? 0;
    const dValue = (fromB.value[y] ?? 0) - (fromA.value[x] ?? 0);
    list.effects.set(
      [countB - countA, (fromB.workIn[y] ?? 0) - (fromA.workOut[x] ?? 0), dValue, countA - countB, (fromA.workIn[x] ?? 0) - (fromB.workOut[y] ?? 0), -dValue],
      6 * i,
    );
  }

  /**
   * Pairs spenders with givers, greedily: each spender by decreasing gain with the givers that
   * cover the moves it spends, cheapest per move first, while every rep they touch keeps its rows
   * (judged on the plan as it is, so reps may take part in more than one trade of a sweep, as long
   * as the customers of an exchange are still where it found them). Returns the trades made.
   */
  private pair(tolerance: number): number {
    const spenders = this.spenders;
    const givers = this.givers;
    const spendOrder = Array.from({ length: spenders.size }, (_, i) => i).sort((x, y) => (spenders.gain[y] ?? 0) - (spenders.gain[x] ?? 0) || x - y);
    const giveOrder = Array.from({ length: givers.size }, (_, i) => i).sort(
      (x, y) => (givers.gain[y] ?? 0) / (givers.delta[y] ?? 1) - (givers.gain[x] ?? 0) / (givers.delta[x] ?? 1) || x - y,
    );
    let bestGive = -Infinity;
    for (let g = 0; g < givers.size; g++) bestGive = Math.max(bestGive, givers.gain[g] ?? -Infinity);
    let made = 0;
    const trade = new TradeDraft(this.problem);
    for (const u of spendOrder) {
      const gainU = spenders.gain[u] ?? 0;
      if (gainU <= tolerance) break;
      if (!this.current(spenders, u)) continue;
      const du = spenders.delta[u] ?? 0;
      if (this.state.stays - this.problem.minStays + du < 0 && gainU + bestGive <= tolerance) continue;
      trade.clear();
      trade.add(spenders, u);
      let covered = this.state.stays - this.problem.minStays + du;
      let gain = gainU;
      const chosen: number[] = [];
      for (const g of giveOrder) {
        if (covered >= 0) break;
        const gainG = givers.gain[g] ?? 0;
        if (gain + gainG <= tolerance) continue;
        if (!this.current(givers, g) || trade.sharesCustomer(givers, g)) continue;
        trade.add(givers, g);
        if (!trade.rowsHold(this.check)) {
          trade.undo(givers, g);
          continue;
        }
        chosen.push(g);
        gain += gainG;
        covered += givers.delta[g] ?? 0;
      }
      if (covered < 0 || gain <= tolerance || !trade.rowsHold(this.check)) continue;
      this.apply(spenders, u);
      for (const g of chosen) this.apply(givers, g);
      this.trades++;
      made++;
    }
    return made;
  }

  /** True when the customers of exchange i are all still on the reps it moves them from. */
  private current(list: Exchanges, i: number): boolean {
    const p = this.problem;
    for (let j = 0; j < 4; j++) {
      const k = list.pairs[4 * i + j] ?? -1;
      if (k < 0) continue;
      const from = j < 2 ? list.repA[i] : list.repB[i];
      if (this.state.repOfPair(indexAt(this.state.choice, indexAt(p.pairCustomer, k))) !== from) return false;
    }
    return true;
  }

  private apply(list: Exchanges, i: number): void {
    for (let j = 0; j < 4; j++) {
      const k = list.pairs[4 * i + j] ?? -1;
      if (k >= 0) this.relocate(indexAt(this.problem.pairCustomer, k), k);
    }
  }
}

/** A trade being put together: the exchanges' summed effects per rep, and their customers. */
class TradeDraft {
  private readonly effects = new Map<number, [number, number, number]>();
  private readonly customers = new Set<number>();
  private readonly pairCustomer: Int32Array;

  constructor(problem: AssignmentProblem) {
    this.pairCustomer = problem.pairCustomer;
  }

  clear(): void {
    this.effects.clear();
    this.customers.clear();
  }

  add(list: Exchanges, i: number, sign = 1): void {
    for (let side = 0; side < 2; side++) {
      const r = (side === 0 ? list.repA[i] : list.repB[i]) ?? 0;
      const e = this.effects.get(r) ?? [0, 0, 0];
      for (let j = 0; j < 3; j++) e[j] = (e[j] ?? 0) + sign * (list.effects[6 * i + 3 * side + j] ?? 0);
      this.effects.set(r, e);
    }
    for (let j = 0; j < 4; j++) {
      const k = list.pairs[4 * i + j] ?? -1;
      if (k >= 0) this.customers.add(indexAt(this.pairCustomer, k));
    }
  }

  undo(list: Exchanges, i: number): void {
    this.add(list, i, -1);
    for (let j = 0; j < 4; j++) {
      const k = list.pairs[4 * i + j] ?? -1;
      if (k >= 0) this.customers.delete(indexAt(this.pairCustomer, k));
    }
  }

  sharesCustomer(list: Exchanges, i: number): boolean {
    for (let j = 0; j < 4; j++) {
      const k = list.pairs[4 * i + j] ?? -1;
      if (k >= 0 && this.customers.has(indexAt(this.pairCustomer, k))) return true;
    }
    return false;
  }

  rowsHold(check: MoveCheck): boolean {
    for (const [r, [dA, dW, dV]] of this.effects) if (!check.repOk(r, dA, dW, dV)) return false;
    return true;
  }
}
