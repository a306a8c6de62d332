import type { AssignmentProblem } from "./assignment-problem.ts";

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
    return this.first[r] ?? 0;
  }

  /** Number of members of rep r. */
  size(r: number): number {
    return this.count[r] ?? 0;
  }

  /** Adds customer c to rep r's list (no-op for r < 0). */
  add(c: number, r: number): void {
    if (r < 0) return;
    const n = this.count[r] ?? 0;
    const slot = (this.first[r] ?? 0) + n;
    this.slots[slot] = c;
    this.slotOf[c] = slot;
    this.count[r] = n + 1;
  }

  /** Removes customer c from rep r's list (no-op for r < 0); the rep's last member takes its slot. */
  remove(c: number, r: number): void {
    if (r < 0) return;
    const n = (this.count[r] ?? 1) - 1;
    const lastSlot = (this.first[r] ?? 0) + n;
    const slot = this.slotOf[c] ?? lastSlot;
    const last = this.slots[lastSlot] ?? c;
    this.slots[slot] = last;
    this.slotOf[last] = slot;
    this.slotOf[c] = -1;
    this.count[r] = n;
  }
}
