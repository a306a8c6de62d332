import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { indexAt } from "./checked-read.ts";
import { topPerKey } from "./top-per-key.ts";
import type { WorkMeter } from "./work-budget.ts";

/**
 * The candidate lists of the exchange searches (band-exchange-search.ts, budget-trade-search.ts):
 * per ordered pair of reps (key: from rep × reps + to rep), the `keep` moves of assigned customers
 * from the first to the second that score highest, best first (ties: the lower pair), as their
 * destination pairs. The entry buffers are reused from one call to the next.
 */
export class MoveCandidates {
  private keys = new Int32Array(0);
  private pairs = new Int32Array(0);
  private gains = new Float64Array(0);
  /** Moves listed by the last call (for the callers' work accounting). */
  entries = 0;
  /** Time the last sweep's lists took (ms), and when this sweep's started. */
  private sweepMs = 0;
  private sweepStart = 0;

  /**
   * Whether a sweep may build its lists: they are built and sorted without a look at the clock
   * (seconds on a 100k × 1k part), so when the last sweep's took longer than the time left the
   * clock would end this one inside them; then the cut is noted and the answer is false.
   */
  startSweep(work: WorkMeter): boolean {
    if (work.msLeft() <= this.sweepMs) {
      work.cutByClock();
      return false;
    }
    this.sweepStart = performance.now();
    return true;
  }

  /** This sweep's lists are built. */
  endSweep(): void {
    this.sweepMs = performance.now() - this.sweepStart;
  }

  /**
   * The lists for `choice`, scoring the move of customer c from pair `old` to pair k by
   * `score(c, k, old)`; only the moves `admit` lets through (default: every move to another rep).
   */
  lists(problem: AssignmentProblem, choice: PairChoice, keep: number, score: (c: number, k: number, old: number) => number, admit?: (c: number, k: number, old: number) => boolean): Map<number, Int32Array> {
    const p = problem;
    const R = p.repCount;
    if (this.keys.length < p.pairCount) {
      this.keys = new Int32Array(p.pairCount);
      this.pairs = new Int32Array(p.pairCount);
      this.gains = new Float64Array(p.pairCount);
    }
    const { keys, pairs, gains } = this;
    let entries = 0;
    for (let c = 0; c < p.customerCount; c++) {
      const old = indexAt(choice, c);
      if (old < 0) continue;
      const a = indexAt(p.pairRep, old);
      const end = indexAt(p.customerStart, c + 1);
      for (let k = indexAt(p.customerStart, c); k < end; k++) {
        const b = indexAt(p.pairRep, k);
        if (b === a || (admit !== undefined && !admit(c, k, old))) continue;
        keys[entries] = a * R + b;
        pairs[entries] = k;
        gains[entries] = score(c, k, old);
        entries++;
      }
    }
    this.entries = entries;
    const top = topPerKey(entries, keys, gains, pairs, R * R, keep);
    const lists = new Map<number, Int32Array>();
    top.keys.forEach((key, i) => lists.set(key, top.items.subarray(top.start[i] ?? 0, top.start[i + 1] ?? 0)));
    return lists;
  }
}
