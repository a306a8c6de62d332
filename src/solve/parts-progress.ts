import type { PartProgress } from "../structured/part-progress.ts";
import type { SolveHooks } from "./solve-hooks.ts";

/**
 * Whole-plan progress of the structured path from its parts' own reports. Parts are solved one
 * after the other, and the plan's objective and bound are sums over the parts, so:
 * - the objective is known only once every other part has finished with a plan (before the last
 *   part reports one, it is null);
 * - the bound is the finished parts' proven bounds, plus the running part's, plus for the parts not
 *   started yet the loose bound `pending` says (each customer's best pair: always sound), and null
 *   as soon as one of those is unknown.
 */
export class PartsProgress {
  private readonly hooks: SolveHooks;
  /** Per part, in solving order: a sound bound before it is searched (null when none, e.g. infeasible). */
  private readonly pending: (number | null)[];
  /** after[i]: the sum of pending bounds of the parts after part i (null when one is unknown). */
  private readonly after: (number | null)[];
  /** Sum of the finished parts' objectives; null once one finished without a plan. */
  private doneObjective: number | null = 0;
  private doneBound: number | null = 0;

  constructor(hooks: SolveHooks, pending: (number | null)[]) {
    this.hooks = hooks;
    this.pending = pending;
    this.after = new Array<number | null>(pending.length);
    let sum: number | null = 0;
    for (let i = pending.length - 1; i >= 0; i--) {
      this.after[i] = sum;
      const b = pending[i] ?? null;
      sum = sum === null || b === null ? null : sum + b;
    }
    // Before any part is searched: the pending bounds of them all.
    this.hooks.improve(null, sum);
  }

  /** The reports of the part at position `index` of the solving order (parts before it have finished). */
  part(index: number): PartProgress {
    const last = index === this.pending.length - 1;
    return {
      phase: (phase) => this.hooks.enter(phase),
      figures: (objective, bound) => {
        const rest = this.after[index] ?? null;
        const wholeBound = bound === null || this.doneBound === null || rest === null ? null : this.doneBound + bound + rest;
        this.hooks.improve(last && objective !== null && this.doneObjective !== null ? this.doneObjective + objective : null, wholeBound);
      },
    };
  }

  /** The part at `index` finished with these figures (a null objective: no plan, the solve ends). */
  finished(index: number, objective: number | null, bound: number | null): void {
    this.doneObjective = this.doneObjective === null || objective === null ? null : this.doneObjective + objective;
    this.doneBound = this.doneBound === null || bound === null ? null : this.doneBound + bound;
    const rest = this.after[index] ?? null;
    const last = index === this.pending.length - 1;
    this.hooks.improve(last ? this.doneObjective : null, this.doneBound === null || rest === null ? null : this.doneBound + rest);
  }
}
