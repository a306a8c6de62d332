/**
 * One 0–1 knapsack solved exactly: max Σ profit_i x_i subject to Σ weight_i x_i ≤ capacity, integer
 * weights. The knapsack Lagrangian bound (knapsack-lagrangian-bound.ts) solves one per rep at every
 * subgradient step; on the Chu & Beasley type D instances nearly every item has a positive profit at
 * the bound's multipliers, so a plain dynamic program costs items × capacity cells a knapsack.
 *
 * Before the dynamic program, the classical reduction (Dembo & Hammer; Martello & Toth, "Knapsack
 * Problems", 1990, §2.7) fixes the items whose value the LP relaxation decides: with the items in
 * decreasing order of efficiency, the break item s (the first that no longer fits the greedy fill)
 * and its efficiency e_s, the LP bound is U = Σ_{i<s} p_i + (capacity − Σ_{i<s} w_i)·e_s. Leaving out
 * an item i before the break frees w_i of capacity that the rest fill at efficiency e_s at best, so
 * every solution without i is worth at most U − p_i + w_i·e_s; putting in an item after the break
 * takes w_i of capacity worth at least e_s a unit, so every solution with it is worth at most
 * U + p_i − w_i·e_s. Where that is below a solution in hand (the greedy fill, going on past the break
 * with every later item that fits, or the caller's `hint` when it fits and is worth more: the
 * Lagrangian bound passes each rep's solution of the step before, which halves the core on type D),
 * every optimal solution takes i (leaves it out), and the dynamic program runs over the other items
 * only (the core), on the capacity the fixed items leave. The value is the knapsack's optimum either
 * way; the reduction only changes the cost. The break item is found by weighted selection (Balas &
 * Zemel), in linear time: sorting the items cost more than the dynamic program it saved.
 *
 * Deterministic: efficiencies tie by item index; the dynamic program takes the core in item order and
 * keeps an item out on ties.
 */
export class ZeroOneKnapsack {
  /** Cells the last solve's dynamic program filled (items × capacity, over the core). */
  cells = 0;
  private readonly order: Int32Array;
  private readonly state: Int8Array;
  private readonly core: Int32Array;
  private readonly dp: Float64Array;
  private readonly keep: Uint8Array;
  private readonly efficiency: Float64Array;

  /** Scratch for knapsacks of up to `maxItems` items and capacity `maxCapacity`. */
  constructor(maxItems: number, maxCapacity: number) {
    this.order = new Int32Array(maxItems);
    this.state = new Int8Array(maxItems);
    this.core = new Int32Array(maxItems);
    this.dp = new Float64Array(maxCapacity + 1);
    this.keep = new Uint8Array(Math.max(1, maxItems * (maxCapacity + 1)));
    this.efficiency = new Float64Array(maxItems);
  }

  /**
   * The optimum over items 0…n−1, and in `chosen` (0/1 per item) a solution reaching it. `reduce`
   * false runs the plain dynamic program over every positive item (the reference the tests hold the
   * reduction to).
   */
  solve(profit: Float64Array, weight: Int32Array, n: number, capacity: number, chosen: Uint8Array, reduce = true, hint?: Uint8Array): number {
    const { order, state, core, dp, keep } = this;
    this.cells = 0;
    // state: 0 out, 1 in, 2 core (left to the dynamic program).
    let candidates = 0;
    let value = 0;
    let room = capacity;
    for (let i = 0; i < n; i++) {
      chosen[i] = 0;
      state[i] = 0;
      const p = profit[i] ?? 0;
      const w = weight[i] ?? 0;
      if (p <= 0 || w > capacity) continue;
      if (w <= 0) {
        state[i] = 1;
        value += p;
        continue;
      }
      state[i] = 2;
      order[candidates++] = i;
    }
    if (reduce && candidates > 1) {
      // The break item by weighted selection (Balas & Zemel), without sorting: `order` ends with the
      // items the greedy fill takes before the break (in some order), then the break item at `s`,
      // then the others. The order: higher efficiency first, ties by item index.
      const { efficiency } = this;
      for (let j = 0; j < candidates; j++) {
        const i = order[j] ?? 0;
        efficiency[i] = (profit[i] ?? 0) / (weight[i] ?? 1);
      }
      const ahead = (a: number, b: number): boolean => {
        const ea = efficiency[a] ?? 0;
        const eb = efficiency[b] ?? 0;
        return ea > eb || (ea === eb && a < b);
      };
      let lo = 0;
      let hi = candidates;
      let left = room;
      let before = 0;
      let s = -1;
      while (lo < hi) {
        // Pivot: the middle slot's item, swapped to the end of the range; the items ahead of it to the front.
        const mid = (lo + hi) >> 1;
        const pivot = order[mid] ?? 0;
        order[mid] = order[hi - 1] ?? 0;
        order[hi - 1] = pivot;
        let store = lo;
        let aheadWeight = 0;
        let aheadProfit = 0;
        for (let j = lo; j < hi - 1; j++) {
          const i = order[j] ?? 0;
          if (ahead(i, pivot)) {
            order[j] = order[store] ?? 0;
            order[store++] = i;
            aheadWeight += weight[i] ?? 0;
            aheadProfit += profit[i] ?? 0;
          }
        }
        order[hi - 1] = order[store] ?? 0;
        order[store] = pivot;
        if (aheadWeight > left) {
          hi = store;
          continue;
        }
        left -= aheadWeight;
        before += aheadProfit;
        const w = weight[pivot] ?? 0;
        if (w > left) {
          s = store;
          break;
        }
        left -= w;
        before += profit[pivot] ?? 0;
        lo = store + 1;
      }
      if (s < 0) {
        // Everything fits: the greedy fill is the optimum.
        for (let j = 0; j < candidates; j++) state[order[j] ?? 0] = 1;
        value += before;
        candidates = 0;
      } else {
        const breakItem = order[s] ?? 0;
        const e = efficiency[breakItem] ?? 0;
        const full = room;
        const upper = before + left * e;
        // A solution in hand: the greedy fill, then every later item that fits, in the order left.
        let greedy = before;
        let rest = left;
        for (let j = s + 1; j < candidates; j++) {
          const i = order[j] ?? 0;
          const w = weight[i] ?? 0;
          if (w <= rest) {
            rest -= w;
            greedy += profit[i] ?? 0;
          }
        }
        if (hint !== undefined) {
          // Another (the last step's, at other profits): its positive items still fit.
          let hp = 0;
          let hw = 0;
          for (let i = 0; i < n; i++) {
            // The candidates only: zero-weight items are already in `value`.
            if ((hint[i] ?? 0) === 1 && state[i] === 2) {
              const p = profit[i] ?? 0;
              hp += p;
              hw += weight[i] ?? 0;
            }
          }
          if (hw <= full && hp > greedy) greedy = hp;
        }
        // A fixing needs its bound below the greedy value by more than the rounding of these sums.
        const floor = greedy - 1e-9 * Math.max(1, Math.abs(upper)) * (candidates + 1);
        for (let j = 0; j < candidates; j++) {
          const i = order[j] ?? 0;
          const p = profit[i] ?? 0;
          const w = weight[i] ?? 0;
          if (j < s) {
            if (upper - p + w * e < floor) {
              state[i] = 1;
              value += p;
              room -= w;
            }
          } else if (upper + p - w * e < floor) state[i] = 0;
        }
        if (room < 0) {
          // Not reachable when the fixing is sound; rounding could only make it so: no reduction.
          value = 0;
          room = capacity;
          for (let j = 0; j < candidates; j++) state[order[j] ?? 0] = 2;
          for (let i = 0; i < n; i++) if (state[i] === 1) value += profit[i] ?? 0;
          // Zero-weight items stay in; the candidates are all back in the core.
        }
      }
    }
    // The core, in item order.
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (state[i] === 1) chosen[i] = 1;
      else if (state[i] === 2) core[m++] = i;
    }
    if (m === 0) return value;
    const B = room;
    dp.fill(0, 0, B + 1);
    for (let j = 0; j < m; j++) {
      const i = core[j] ?? 0;
      const gain = profit[i] ?? 0;
      const w = weight[i] ?? 0;
      const row = j * (B + 1);
      keep.fill(0, row, row + B + 1);
      if (w > B) continue;
      this.cells += B + 1 - w;
      for (let b = B; b >= w; b--) {
        const withIt = (dp[b - w] ?? 0) + gain;
        if (withIt > (dp[b] ?? 0)) {
          dp[b] = withIt;
          keep[row + b] = 1;
        }
      }
    }
    value += dp[B] ?? 0;
    let b = B;
    for (let j = m - 1; j >= 0; j--) {
      if ((keep[j * (B + 1) + b] ?? 0) === 1) {
        const i = core[j] ?? 0;
        chosen[i] = 1;
        b -= weight[i] ?? 0;
      }
    }
    return value;
  }
}
