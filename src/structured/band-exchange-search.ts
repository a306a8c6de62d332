import { allowance, IMPROVEMENT_TOLERANCE } from "../numeric/tolerance.ts";
import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { ExchangeSides, exchangeRowsHold, scanExchanges } from "./exchange-sides.ts";
import { MoveCandidates } from "./move-candidates.ts";
import { MoveCheck } from "./move-check.ts";
import { MoveSearch } from "./move-search.ts";
import { WorkBudget, type WorkMeter } from "./work-budget.ts";
import { indexAt } from "./checked-read.ts";

/** Candidates kept per ordered pair of reps (rep A's members that could go to rep B), by gain. */
const CANDIDATES = 8;
/** Work of one candidate looked at when the lists are built, and of one exchange judged (units of work-budget.ts). */
const ENTRY_WORK = 4;
const COMBO_WORK = 1;
const NO_PAIRS = new Int32Array(0);

/**
 * True when some rep of the part has a value band (fixed bounds or a share of the assigned total):
 * the parts on which single shifts and swaps stall, since every move must keep both reps' values
 * inside their bands.
 */
export function hasValueBands(problem: AssignmentProblem): boolean {
  if (problem.valueShare !== null) return true;
  for (let r = 0; r < problem.repCount; r++) {
    if ((problem.valueLower[r] ?? -Infinity) > -Infinity || (problem.valueUpper[r] ?? Infinity) < Infinity) return true;
  }
  return false;
}

/** Sides a rep can give: the empty one, each of its CANDIDATES alone, and each two of them. */
const MAX_SIDES = 1 + CANDIDATES + (CANDIDATES * (CANDIDATES - 1)) / 2;

/**
 * Band-aware exchanges between two reps, in the feasible region: up to two of rep A's customers go
 * to rep B while up to two of B's go to A (a shift, a swap, a 2-for-1, a 1-for-2 or a 2-for-2), chosen
 * so that both reps stay inside their value bands and every other row (accounts, workload, the
 * move budget; MoveCheck). Where bands are tight, a single shift or swap cannot keep both reps in
 * band while a 2-for-1 can. Each sweep lists, for every ordered pair of reps that share a
 * customer, the CANDIDATES members of the first whose move to the second gains most (by `guide`),
 * then takes the best exchange of each pair of reps. Deterministic.
 */
export class BandExchangeSearch extends MoveSearch {
  private readonly check: MoveCheck;
  /** Exchanges made so far. */
  moves = 0;
  /** Scores the candidate lists are ranked by (e.g. Lagrangian reduced scores); null: the guide. */
  private rank: Float64Array | null = null;

  /** Ranks each pair of reps' candidates by these per-pair scores (null: by the guide's gains). */
  setRank(scores: Float64Array | null): void {
    this.rank = scores;
  }

  /** The two reps' sides of the exchange being judged. */
  private readonly lowSides = new ExchangeSides(MAX_SIDES);
  private readonly highSides = new ExchangeSides(MAX_SIDES);

  /** The candidate lists' buffers, reused from sweep to sweep. */
  private readonly candidates = new MoveCandidates();

  constructor(problem: AssignmentProblem, start: PairChoice) {
    super(problem, start);
    this.check = new MoveCheck(this.state);
  }

  /** Sweeps until one makes no exchange, the sweep limit or the end of the work; returns the exchanges made. */
  run(options: { work?: WorkMeter; maxSweeps?: number } = {}): number {
    const maxSweeps = options.maxSweeps ?? 20;
    const work = options.work ?? WorkBudget.clockOnly();
    const before = this.moves;
    const mean = this.meanAssignedScore(this.guide);
    const tolerance = allowance(mean ?? 0, IMPROVEMENT_TOLERANCE);
    for (let sweep = 0; sweep < maxSweeps; sweep++) {
      if (work.exhausted()) break;
      const made = this.sweep(work, tolerance);
      if (made <= 0) break;
    }
    return this.moves - before;
  }

  /** Change in guide score when customer c goes to pair k from its current pair. */
  private gainOf(c: number, k: number): number {
    const old = indexAt(this.state.choice, c);
    return (this.guide[k] ?? 0) - (this.guide[old] ?? 0);
  }

  /** One sweep; returns the exchanges made, or -1 when the work ran out. */
  private sweep(work: WorkMeter, tolerance: number): number {
    const p = this.problem;
    const s = this.state;
    const R = p.repCount;
    if (!this.candidates.startSweep(work)) return -1;
    // Per ordered pair of reps, its CANDIDATES moves of highest gain (or rank).
    const rank = this.rank;
    const lists = this.candidates.lists(p, s.choice, CANDIDATES, rank === null ? (c, k) => this.gainOf(c, k) : (_c, k, old) => (rank[k] ?? 0) - (rank[old] ?? 0));
    work.spend(ENTRY_WORK * (this.candidates.entries + p.customerCount));
    if (work.exhausted()) return -1;
    this.candidates.endSweep();
    let made = 0;
    const seen = new Set<number>();
    for (const key of lists.keys()) {
      const a = Math.floor(key / R);
      const b = key - a * R;
      const low = Math.min(a, b);
      const high = Math.max(a, b);
      const unordered = low * R + high;
      if (seen.has(unordered)) continue;
      seen.add(unordered);
      const fromLow = this.sides(lists.get(low * R + high) ?? NO_PAIRS, low, this.lowSides);
      const fromHigh = this.sides(lists.get(high * R + low) ?? NO_PAIRS, high, this.highSides);
      work.spend(ENTRY_WORK * (fromLow.size + fromHigh.size));
      if (this.exchange(low, high, fromLow, fromHigh, tolerance, work)) made++;
      if (work.exhausted()) return made > 0 ? made : -1;
    }
    return made;
  }

  /**
   * The possible sides for rep `giver`, into `out`: the empty one and every one or two of its
   * candidates still with it, by decreasing gain.
   */
  private sides(list: Int32Array, giver: number, out: ExchangeSides): ExchangeSides {
    const p = this.problem;
    const s = this.state;
    out.clear();
    out.add(0, -1, -1, 0, 0, 0, 0, 0);
    for (const k of list) {
      const c = indexAt(p.pairCustomer, k);
      const old = indexAt(s.choice, c);
      if (s.repOfPair(old) !== giver) continue;
      out.add(this.gainOf(c, k), k, -1, 1, p.pairWorkload[old] ?? 0, p.pairWorkload[k] ?? 0, p.customerValue[c] ?? 0, this.check.staysDelta(c, old, k));
    }
    const singles = out.size;
    for (let i = 1; i < singles; i++) for (let j = i + 1; j < singles; j++) out.addBoth(i, j);
    // Stable: ties keep the order above, which follows the lists' (deterministic) order.
    out.sort();
    return out;
  }

  /** The best exchange between reps a and b that keeps every row; made when it gains. */
  private exchange(a: number, b: number, fromA: ExchangeSides, fromB: ExchangeSides, tolerance: number, work: WorkMeter): boolean {
    let best = tolerance;
    let bestA = -1;
    let bestB = -1;
    const judged = scanExchanges(fromA, fromB, () => best, (x, y, gain) => {
      if (this.check.staysOk((fromA.stays[x] ?? 0) + (fromB.stays[y] ?? 0)) && exchangeRowsHold(this.check, a, b, fromA, x, fromB, y)) {
        best = gain;
        bestA = x;
        bestB = y;
      }
      return true;
    });
    work.spend(COMBO_WORK * judged);
    if (bestA < 0 || bestB < 0) return false;
    for (const k of [fromA.first[bestA] ?? -1, fromA.second[bestA] ?? -1, fromB.first[bestB] ?? -1, fromB.second[bestB] ?? -1]) {
      if (k >= 0) this.relocate(indexAt(this.problem.pairCustomer, k), k);
    }
    this.moves++;
    return true;
  }
}
