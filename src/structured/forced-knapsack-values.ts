/**
 * One 0–1 knapsack's optimum with each item forced in and forced out, for exact fixing by the
 * knapsack bound's reduced costs (knapsack-reduced-cost-fixing.ts at the root,
 * lagrangian-branch-and-bound.ts at every node). A suffix table (best value of items i … n−1
 * within each capacity) and a prefix row rolled forward give, for item i, the best value of every
 * other item within a capacity as the best split of it between the prefix and the suffix after i:
 * O(items × capacity) for all items, about three knapsack solves. Integer weights; items with a
 * non-positive profit are never taken.
 */
/** Largest table one knapsack may take here (8-byte cells: 64 MiB); a larger one is left unfixed by the callers. */
export const FORCED_TABLE_MAX_CELLS = 8_000_000;

export class ForcedKnapsackValues {
  /** Cells the last call filled (three tables' worth). */
  cells = 0;
  private suffix = new Float64Array(0);
  private prefix = new Float64Array(0);

  /**
   * The optimum over items 0…n−1 within `capacity`; in withIn[i] / withOut[i] the optimum with item
   * i forced in (−Infinity when it does not fit) / out, less the optimum.
   */
  solve(profit: ArrayLike<number>, weight: ArrayLike<number>, n: number, capacity: number, withIn: Float64Array, withOut: Float64Array): number {
    const B = capacity;
    const W = B + 1;
    if (this.suffix.length < (n + 1) * W) this.suffix = new Float64Array((n + 1) * W);
    if (this.prefix.length < W) this.prefix = new Float64Array(W);
    const { suffix, prefix } = this;
    // suffix[i·W + b]: best value of items i … n−1 within capacity b (row n: nothing).
    suffix.fill(0, n * W, (n + 1) * W);
    for (let i = n - 1; i >= 0; i--) {
      const g = profit[i] ?? 0;
      const w = weight[i] ?? 0;
      const row = i * W;
      const next = row + W;
      for (let b = 0; b < W; b++) {
        const skip = suffix[next + b] ?? 0;
        suffix[row + b] = g > 0 && w <= b ? Math.max(skip, (suffix[next + b - w] ?? 0) + g) : skip;
      }
    }
    const value = suffix[B] ?? 0;
    // prefix[b]: best value of items 0 … i−1 within capacity b, rolled forward.
    prefix.fill(0, 0, W);
    for (let i = 0; i < n; i++) {
      const g = profit[i] ?? 0;
      const w = weight[i] ?? 0;
      const next = (i + 1) * W;
      // Best value of every item but i within `cap`: the prefix and the suffix after i share it.
      const rest = (cap: number): number => {
        let best = 0;
        for (let a = 0; a <= cap; a++) best = Math.max(best, (prefix[a] ?? 0) + (suffix[next + cap - a] ?? 0));
        return best;
      };
      withOut[i] = rest(B) - value;
      withIn[i] = w > B ? -Infinity : g + rest(B - w) - value;
      if (g > 0) for (let b = B; b >= w; b--) prefix[b] = Math.max(prefix[b] ?? 0, (prefix[b - w] ?? 0) + g);
    }
    this.cells = 3 * n * W;
    return value;
  }
}
