import type { AssignmentProblem } from "./assignment-problem.ts";
import { indexAt } from "./checked-read.ts";

/**
 * Each rep's current customers, kept up to date move by move, for the moves that pick a partner
 * among a rep's members (swaps, ejection chains). All lists share one typed array: rep r's slots
 * start where its eligible pairs start in `repPairs` (its pair count bounds its members). Removing
 * a member moves the rep's last member into its slot, so the order is a deterministic function of
 * the moves made.
 */
export class RepMembers {
  /** Customers by slot: rep r's members are slots start(r) … start(r) + size(r) − 1. */
  readonly slots: Int32Array;
  private readonly first: Int32Array;
  private readonly count: Int32Array;
  /** Per customer: its slot, or -1 when unassigned. */
  private readonly slotOf: Int32Array;

  constructor(problem: AssignmentProblem) {
    this.first = problem.repStart;
    this.slots = new Int32Array(problem.pairCount);
    this.slotOf = new Int32Array(problem.customerCount).fill(-1);
    this.count = new Int32Array(problem.repCount);
  }

  /** First slot of rep r. */
  start(r: number): number {
    return indexAt(this.first, r);
  }

  /** Number of members of rep r. */
  size(r: number): number {
    return indexAt(this.count, r);
  }

  /** Adds customer c to rep r's list (no-op for r < 0). */
  add(c: number, r: number): void {
    if (r < 0) return;
    const n = indexAt(this.count, r);
    const slot = indexAt(this.first, r) + n;
    this.slots[slot] = c;
    this.slotOf[c] = slot;
    this.count[r] = n + 1;
  }

  /** Removes customer c from rep r's list (no-op for r < 0); the rep's last member takes its slot. */
  remove(c: number, r: number): void {
    if (r < 0) return;
    const n = indexAt(this.count, r) - 1;
    const lastSlot = indexAt(this.first, r) + n;
    const slot = indexAt(this.slotOf, c);
    if (slot < lastSlot - n || slot > lastSlot) throw new RangeError(`customer ${c} is not a member of rep ${r}`);
    const last = indexAt(this.slots, lastSlot);
    this.slots[slot] = last;
    this.slotOf[last] = slot;
    this.slotOf[c] = -1;
    this.count[r] = n;
  }
}
