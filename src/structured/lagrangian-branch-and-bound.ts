import { pairOf, type AssignmentProblem, type PairChoice } from "./assignment-problem.ts";
import { indexAt } from "./checked-read.ts";
import { integerObjective, knapsacks, roundBoundDown, type RepKnapsack } from "./knapsack-lagrangian-bound.ts";
import type { WorkMeter } from "./work-budget.ts";
import { FORCED_TABLE_MAX_CELLS, ForcedKnapsackValues } from "./forced-knapsack-values.ts";
import { ZeroOneKnapsack } from "./zero-one-knapsack.ts";

/**
 * Depth-first branch and bound over a part shaped like the generalized assignment problem, each
 * node bounded by the knapsack Lagrangian relaxation (knapsack-lagrangian-bound.ts: the customer
 * rows priced by multipliers, one 0–1 knapsack per rep), after Ross & Soland (1975) and Fisher,
 * Jaikumar & Van Wassenhove (1986). Where the knapsack bound is within a unit or two of the
 * optimum (Chu & Beasley type C: c20200's bound rounds to its optimum, 2,391) this proves or finds
 * what HiGHS's root, its cut loop alone taking seconds on the 462 columns exact fixing leaves of
 * c20200, does not reach in the time (docs/scale.md).
 *
 * A node forces some customers onto a pair and bans some pairs. Its bound: subgradient steps on the
 * multipliers of its free customers (from its parent's best, Polyak's step aimed at the least
 * objective that would improve the plan), each rep's knapsack over its free pairs on the capacity
 * its forced pairs leave. A node is pruned when its bound falls below that objective, or when at
 * some step every free customer is taken exactly once: the knapsacks' solution is then a plan, and
 * the best of the node (its objective equals the bound at that step). Otherwise a plan is built
 * from the knapsacks' solution (each customer kept on the best of the reps that took it, the
 * others placed greedily) and the node branches on a customer taken more than once or not at all:
 * first forced onto a pair (one that took it, else its best pair that fits), then with that pair
 * banned.
 *
 * Applies when every knapsack is exact (knapsacks(): integer workloads, capacities not scaled) and
 * no rep has an account limit, so that a knapsack solution taking each customer once is a plan.
 * The tree is searched within `allowed` pairs (e.g. what exact fixing leaves); `proven` says it was
 * searched to the end: no plan within `allowed` is better than the result. Deterministic: the work
 * meter ends the search, pairs and customers are taken in index order, ties keep the first.
 */
export interface BranchAndBoundInput {
  /** Per pair: 1 when the pair may be used; null for every pair. */
  allowed: Uint8Array | null;
  /** Per customer: a pair it must take, or -1 (e.g. forced by exact fixing); null for none. */
  forced: Int32Array | null;
  /** The plan to improve and its objective. */
  incumbent: { choice: PairChoice; objective: number };
  /** Starting multipliers, one per customer (e.g. the knapsack bound's best). */
  multipliers: Float64Array;
  work: WorkMeter;
  /** Subgradient steps at the root and at each other node (defaults ROOT_STEPS, NODE_STEPS). */
  rootSteps?: number;
  nodeSteps?: number;
  /**
   * Plans built at every node from the knapsacks' solution, then shifts and swaps (default true);
   * false keeps only the plans the knapsacks give exactly (tests hold the tree alone to brute force).
   */
  heuristics?: boolean;
}

export interface BranchAndBoundResult {
  /** The best plan found (the incumbent when nothing better was) and its objective. */
  choice: PairChoice;
  objective: number;
  improved: boolean;
  /** The tree was searched to the end: no plan within the allowed pairs is better. */
  proven: boolean;
  nodes: number;
}

/** Subgradient steps at the root (from multipliers already near the bound's best) and at other nodes. */
const ROOT_STEPS = 200;
const NODE_STEPS = 30;
/** Polyak step factor at a node's start; halved after STEP_PATIENCE steps without a better bound, the node's steps end below STEP_MIN. */
const STEP_START = 1;
const STEP_PATIENCE = 5;
const STEP_MIN = 0.02;
/** Work units (work-budget.ts) of a knapsack cell and of a pair priced, as the knapsack bound counts them. */
const CELL_WORK = 0.25;
const PAIR_WORK = 3;
const SCAN_WORK = 0.5;
/** Depth of the tree at most, and of depth × customers (the multipliers each level keeps: 16 MiB per million). */
const MAX_DEPTH = 2_000;
const MAX_DEPTH_VALUES = 4_000_000;
/** Passes of shifts and swaps on a node's plan at most. */
const IMPROVE_PASSES = 10;

/** True when the branch and bound applies: exact integer knapsacks, no account limit, every customer mandatory. */
export function branchAndBoundApplies(p: AssignmentProblem, reps: readonly RepKnapsack[] = knapsacks(p)): boolean {
  for (let c = 0; c < p.customerCount; c++) if ((p.optional[c] ?? 0) === 1) return false;
  for (let r = 0; r < p.repCount; r++) {
    if (Number.isFinite(p.accountsUpper[r] ?? Infinity) || (p.accountsLower[r] ?? 0) > 0) return false;
    const limit = p.workloadUpper[r] ?? Infinity;
    if (!Number.isFinite(limit)) continue;
    const rk = reps[r];
    if (rk === undefined || rk.capacity !== Math.floor(limit)) return false;
    for (let i = 0; i < rk.pairs.length; i++) if ((rk.weights[i] ?? -1) !== (p.pairWorkload[indexAt(rk.pairs, i)] ?? NaN)) return false;
  }
  return p.valueShare === null && p.countShare === null && p.minStays === 0;
}

export function lagrangianBranchAndBound(problem: AssignmentProblem, input: BranchAndBoundInput): BranchAndBoundResult {
  const p = problem;
  const C = p.customerCount;
  const R = p.repCount;
  const reps = knapsacks(p);
  const integer = integerObjective(p);
  const unlimited = reps.map((_, r) => !Number.isFinite(p.workloadUpper[r] ?? Infinity));
  const rootSteps = input.rootSteps ?? ROOT_STEPS;
  const nodeSteps = input.nodeSteps ?? NODE_STEPS;
  const work = input.work;
  const heuristics = input.heuristics ?? true;

  let best: { choice: PairChoice; objective: number } = { choice: input.incumbent.choice.slice(), objective: input.incumbent.objective };
  let improved = false;
  // Objective a plan must reach to improve (integer objectives: the next integer).
  // With integer objectives the search looks for plans of at least `level` first (see below).
  let level = -Infinity;
  const least = (): number => {
    const eps = 1e-6 * Math.max(1, Math.abs(best.objective));
    return integer ? Math.max(best.objective + 1, level) - eps : best.objective + 1e-9 * Math.max(1, Math.abs(best.objective));
  };
  const boundOf = (value: number): number => (integer ? roundBoundDown(value) : value);

  // Node state, changed on the way down and restored on the way up.
  const banned = new Uint8Array(p.pairCount);
  if (input.allowed !== null) for (let k = 0; k < p.pairCount; k++) if ((input.allowed[k] ?? 0) === 0) banned[k] = 1;
  const forcedPair = new Int32Array(C).fill(-1);
  const capacity = new Int32Array(R);
  for (let r = 0; r < R; r++) capacity[r] = reps[r]?.capacity ?? 0;
  let forcedScore = 0;
  const force = (c: number, k: number): void => {
    forcedPair[c] = k;
    const r = indexAt(p.pairRep, k);
    capacity[r] = (capacity[r] ?? 0) - Math.round(p.pairWorkload[k] ?? 0);
    forcedScore += p.pairScore[k] ?? 0;
  };
  const release = (c: number): void => {
    const k = indexAt(forcedPair, c);
    forcedPair[c] = -1;
    const r = indexAt(p.pairRep, k);
    capacity[r] = (capacity[r] ?? 0) + Math.round(p.pairWorkload[k] ?? 0);
    forcedScore -= p.pairScore[k] ?? 0;
  };

  // The knapsacks of a node at multipliers u: L(u), and per customer how many took it and the best taken pair.
  const maxItems = reps.reduce((m, k) => Math.max(m, k.pairs.length), 0);
  const maxCap = reps.reduce((m, k) => Math.max(m, k.capacity), 0);
  const solver = new ZeroOneKnapsack(maxItems, maxCap);
  const profit = new Float64Array(maxItems);
  const weight = new Int32Array(maxItems);
  const item = new Int32Array(maxItems);
  const chosen = new Uint8Array(maxItems);
  const count = new Int32Array(C);
  const taken = new Int32Array(C);
  // The node's items of a rep's knapsack (its free pairs of free customers) at multipliers u, into item/profit/weight; their count.
  const gather = (rk: RepKnapsack, u: Float64Array): number => {
    let n = 0;
    for (let i = 0; i < rk.pairs.length; i++) {
      const k = indexAt(rk.pairs, i);
      const c = indexAt(p.pairCustomer, k);
      if ((banned[k] ?? 0) === 1 || (forcedPair[c] ?? 0) >= 0) continue;
      item[n] = k;
      profit[n] = (p.pairScore[k] ?? 0) - (u[c] ?? 0);
      weight[n] = rk.weights[i] ?? 0;
      n++;
    }
    return n;
  };
  const evaluate = (u: Float64Array): number => {
    count.fill(0);
    taken.fill(-1);
    let value = forcedScore;
    for (let c = 0; c < C; c++) if ((forcedPair[c] ?? 0) < 0) value += u[c] ?? 0;
    let cells = 0;
    let items = 0;
    for (let r = 0; r < R; r++) {
      const rk = reps[r];
      if (rk === undefined) continue;
      const n = gather(rk, u);
      items += n;
      if (unlimited[r] === true) {
        for (let i = 0; i < n; i++) if ((profit[i] ?? 0) > 0) chosen[i] = 1;
        else chosen[i] = 0;
        for (let i = 0; i < n; i++) if ((chosen[i] ?? 0) === 1) value += profit[i] ?? 0;
      } else {
        value += solver.solve(profit, weight, n, capacity[r] ?? 0, chosen);
        cells += solver.cells;
      }
      for (let i = 0; i < n; i++) {
        if ((chosen[i] ?? 0) === 0) continue;
        const k = indexAt(item, i);
        const c = indexAt(p.pairCustomer, k);
        count[c] = (count[c] ?? 0) + 1;
        const was = taken[c] ?? -1;
        if (was < 0 || (p.pairScore[k] ?? 0) > (p.pairScore[was] ?? 0)) taken[c] = k;
      }
    }
    work.spend(p.pairCount * SCAN_WORK + items * PAIR_WORK + cells * CELL_WORK);
    return value;
  };

  // A plan from the knapsacks' solution (count/taken as evaluate left them): null when the greedy placing fails.
  const load = new Float64Array(R);
  const repair = (polish: boolean): { choice: PairChoice; objective: number } | null => {
    const choice = new Int32Array(C).fill(-1);
    load.fill(0);
    let objective = 0;
    const place = (c: number, k: number): void => {
      choice[c] = k;
      const r = indexAt(p.pairRep, k);
      load[r] = (load[r] ?? 0) + (p.pairWorkload[k] ?? 0);
      objective += p.pairScore[k] ?? 0;
    };
    for (let c = 0; c < C; c++) {
      const k = forcedPair[c] ?? -1;
      if (k >= 0) place(c, k);
      else if ((count[c] ?? 0) >= 1) place(c, indexAt(taken, c));
    }
    // Customers no knapsack took: the best-scoring allowed pair that fits, in customer order.
    for (let c = 0; c < C; c++) {
      if ((choice[c] ?? 0) >= 0) continue;
      let pick = -1;
      for (let k = indexAt(p.customerStart, c); k < indexAt(p.customerStart, c + 1); k++) {
        if ((banned[k] ?? 0) === 1) continue;
        const r = indexAt(p.pairRep, k);
        if ((load[r] ?? 0) + (p.pairWorkload[k] ?? 0) > (p.workloadUpper[r] ?? Infinity)) continue;
        if (pick < 0 || (p.pairScore[k] ?? 0) > (p.pairScore[pick] ?? 0)) pick = k;
      }
      if (pick < 0) return null;
      place(c, pick);
    }
    return polish ? improve(choice, objective) : { choice, objective };
  };
  // Shifts and swaps that raise the objective within the workload limits (over every pair of the
  // part: every feasible plan may improve the incumbent), first improvement, until none is left.
  const members: number[][] = Array.from({ length: R }, () => []);
  const improve = (choice: Int32Array, start: number): { choice: PairChoice; objective: number } => {
    let objective = start;
    const fits = (r: number, extra: number): boolean => (load[r] ?? 0) + extra <= (p.workloadUpper[r] ?? Infinity);
    const move = (c: number, k: number): void => {
      const was = indexAt(choice, c);
      const from = indexAt(p.pairRep, was);
      const to = indexAt(p.pairRep, k);
      load[from] = (load[from] ?? 0) - (p.pairWorkload[was] ?? 0);
      load[to] = (load[to] ?? 0) + (p.pairWorkload[k] ?? 0);
      objective += (p.pairScore[k] ?? 0) - (p.pairScore[was] ?? 0);
      choice[c] = k;
    };
    let units = 0;
    for (let pass = 0, changed = true; changed && pass < IMPROVE_PASSES; pass++) {
      changed = false;
      for (let c = 0; c < C; c++) {
        for (let k = indexAt(p.customerStart, c); k < indexAt(p.customerStart, c + 1); k++) {
          if ((p.pairScore[k] ?? 0) > (p.pairScore[indexAt(choice, c)] ?? 0) && fits(indexAt(p.pairRep, k), p.pairWorkload[k] ?? 0)) {
            move(c, k);
            changed = true;
          }
        }
        units += indexAt(p.customerStart, c + 1) - indexAt(p.customerStart, c);
      }
      for (const list of members) list.length = 0;
      for (let c = 0; c < C; c++) members[indexAt(p.pairRep, indexAt(choice, c))]?.push(c);
      for (let c = 0; c < C; c++) {
        const a = indexAt(choice, c);
        const ra = indexAt(p.pairRep, a);
        for (let k = indexAt(p.customerStart, c); k < indexAt(p.customerStart, c + 1); k++) {
          const rb = indexAt(p.pairRep, k);
          if (rb === ra) continue;
          const gain = (p.pairScore[k] ?? 0) - (p.pairScore[a] ?? 0);
          for (const d of members[rb] ?? []) {
            units++;
            const b = indexAt(choice, d);
            if (indexAt(p.pairRep, b) !== rb) continue;
            const back = pairOf(p, d, ra);
            if (back < 0 || gain + (p.pairScore[back] ?? 0) - (p.pairScore[b] ?? 0) <= 0) continue;
            const dA = (p.pairWorkload[back] ?? 0) - (p.pairWorkload[a] ?? 0);
            const dB = (p.pairWorkload[k] ?? 0) - (p.pairWorkload[b] ?? 0);
            if (!fits(ra, dA) || !fits(rb, dB)) continue;
            move(c, k);
            move(d, back);
            changed = true;
            break;
          }
          if (indexAt(choice, c) !== a) break;
        }
      }
    }
    work.spend(units);
    return { choice, objective };
  };
  const offer = (plan: { choice: PairChoice; objective: number } | null): void => {
    if (plan === null || plan.objective < least()) return;
    best = { choice: plan.choice, objective: plan.objective };
    improved = true;
  };

  // Each free customer needs an allowed pair that fits its rep's capacity left (else the node has no plan).
  const placeable = (): boolean => {
    for (let r = 0; r < R; r++) if ((capacity[r] ?? 0) < 0 && unlimited[r] !== true) return false;
    for (let c = 0; c < C; c++) {
      if ((forcedPair[c] ?? 0) >= 0) continue;
      let any = false;
      for (let k = indexAt(p.customerStart, c); k < indexAt(p.customerStart, c + 1) && !any; k++) {
        const r = indexAt(p.pairRep, k);
        any = (banned[k] ?? 0) === 0 && (unlimited[r] === true || Math.round(p.pairWorkload[k] ?? 0) <= (capacity[r] ?? 0));
      }
      if (!any) return false;
    }
    return true;
  };

  // Exact fixing at a node (as knapsack-reduced-cost-fixing.ts at the root): at multipliers u with
  // bound L, a free pair whose forced-in bound L − V_rep + V_rep(pair in) is below `least()` is
  // banned; one whose forced-out bound is, forces its customer. Returns false when the node has no
  // better plan (a customer forced twice). Changes are pushed on `undoBans` / `undoForces`.
  const forcedValues = new ForcedKnapsackValues();
  const itemIn = new Float64Array(maxItems);
  const itemOut = new Float64Array(maxItems);
  const fixAt = (u: Float64Array, L: number, undoBans: number[], undoForces: number[]): boolean => {
    const target = least();
    const forceNow: number[] = [];
    let cells = 0;
    for (let r = 0; r < R; r++) {
      const rk = reps[r];
      if (rk === undefined || unlimited[r] === true) continue;
      const n = gather(rk, u);
      if (n === 0) continue;
      const B = capacity[r] ?? 0;
      if (B < 0) return false;
      const W = B + 1;
      // A rep too large for the tables keeps its pairs (fixing nothing is always sound).
      if ((n + 1) * W > FORCED_TABLE_MAX_CELLS) continue;
      forcedValues.solve(profit, weight, n, B, itemIn, itemOut);
      for (let i = 0; i < n; i++) {
        const k = indexAt(item, i);
        if (L + (itemIn[i] ?? 0) < target) {
          banned[k] = 1;
          undoBans.push(k);
        } else if (L + (itemOut[i] ?? 0) < target) forceNow.push(k);
      }
      cells += forcedValues.cells;
    }
    work.spend(cells * CELL_WORK);
    for (const k of forceNow) {
      const c = indexAt(p.pairCustomer, k);
      if ((forcedPair[c] ?? 0) >= 0 || (banned[k] ?? 0) === 1) return false;
      force(c, k);
      undoForces.push(c);
    }
    return true;
  };

  let nodes = 0;
  let stopped = false;
  // Depth of the tree (each level keeps two multiplier vectors): below it a subtree is left unsearched (`cut`).
  const maxDepth = Math.max(1, Math.min(MAX_DEPTH, Math.floor(MAX_DEPTH_VALUES / Math.max(1, C))));
  let depth = 0;
  let cut = false;
  // The root's best multipliers: the next level starts from them.
  let rootU = input.multipliers;
  const bestCount = new Int32Array(C);
  const bestTaken = new Int32Array(C);
  // One node: returns after its subtree is searched (or the work ran out: `stopped`).
  const node = (start: Float64Array, steps: number): void => {
    nodes++;
    if (!placeable()) return;
    if (depth >= maxDepth) {
      cut = true;
      return;
    }
    const u = start.slice();
    let bestValue = Infinity;
    let bestU = u;
    let factor = STEP_START;
    let since = 0;
    for (let step = 0; step < steps; step++) {
      if (work.exhausted()) {
        stopped = true;
        return;
      }
      const value = evaluate(u);
      let norm = 0;
      for (let c = 0; c < C; c++) {
        if ((forcedPair[c] ?? 0) >= 0) continue;
        const g = 1 - (count[c] ?? 0);
        norm += g * g;
      }
      if (norm === 0) {
        // Every free customer taken once: a plan, and the best of this node.
        offer(repair(false));
        return;
      }
      if (value < bestValue) {
        bestValue = value;
        bestU = u.slice();
        bestCount.set(count);
        bestTaken.set(taken);
        since = 0;
      } else if (++since >= STEP_PATIENCE) {
        factor /= 2;
        since = 0;
      }
      if (boundOf(bestValue) < least()) return;
      if (factor < STEP_MIN) break;
      const t = (factor * Math.max(value - least(), 1e-9 * Math.max(1, Math.abs(value)))) / norm;
      for (let c = 0; c < C; c++) if ((forcedPair[c] ?? 0) < 0) u[c] = (u[c] ?? 0) - t * (1 - (count[c] ?? 0));
    }
    if (depth === 0) rootU = bestU;
    count.set(bestCount);
    taken.set(bestTaken);
    if (heuristics) offer(repair(true));
    if (boundOf(bestValue) < least()) return;
    const undoBans: number[] = [];
    const undoForces: number[] = [];
    try {
      if (fixAt(bestU, bestValue, undoBans, undoForces) && placeable()) branch(bestU);
    } finally {
      for (const c of undoForces.reverse()) release(c);
      for (const k of undoBans) banned[k] = 0;
    }
  };
  const branch = (bestU: Float64Array): void => {
    // Branch on the violated free customer with the heaviest pair to place; on a pair that took it, else its best that fits.
    let pick = -1;
    let heaviest = -Infinity;
    for (let c = 0; c < C; c++) {
      if ((forcedPair[c] ?? 0) >= 0 || (bestCount[c] ?? 0) === 1) continue;
      let w = 0;
      for (let k = indexAt(p.customerStart, c); k < indexAt(p.customerStart, c + 1); k++) if ((banned[k] ?? 0) === 0) w = Math.max(w, p.pairWorkload[k] ?? 0);
      if (w > heaviest) {
        heaviest = w;
        pick = c;
      }
    }
    // Every violated customer was forced by the fixing: the node again, with those forced.
    if (pick < 0) {
      depth++;
      node(bestU, nodeSteps);
      depth--;
      return;
    }
    let pair = (bestCount[pick] ?? 0) > 0 ? indexAt(bestTaken, pick) : -1;
    if (pair >= 0 && (banned[pair] ?? 0) === 1) pair = -1;
    if (pair < 0) {
      for (let k = indexAt(p.customerStart, pick); k < indexAt(p.customerStart, pick + 1); k++) {
        const r = indexAt(p.pairRep, k);
        if ((banned[k] ?? 0) === 1 || (unlimited[r] !== true && Math.round(p.pairWorkload[k] ?? 0) > (capacity[r] ?? 0))) continue;
        if (pair < 0 || (p.pairScore[k] ?? 0) > (p.pairScore[pair] ?? 0)) pair = k;
      }
    }
    if (pair < 0) return;
    depth++;
    force(pick, pair);
    node(bestU, nodeSteps);
    release(pick);
    if (!stopped) {
      banned[pair] = 1;
      node(bestU, nodeSteps);
      banned[pair] = 0;
    }
    depth--;
  };

  if (input.forced !== null) for (let c = 0; c < C; c++) if ((input.forced[c] ?? -1) >= 0) force(c, indexAt(input.forced, c));
  if (!integer || !Number.isFinite(best.objective)) {
    node(input.multipliers, rootSteps);
    return { choice: best.choice, objective: best.objective, improved, proven: !stopped && !cut, nodes };
  }
  // Integer objectives: levels from the bound down (Posta, Ferland & Michelon 2012). A search for
  // plans of at least `level` prunes far more than one for any better plan; when it ends without
  // one, no plan reaches the level and the next search looks one lower. The first plan found is
  // then optimal (no plan reaches the level above it).
  level = roundBoundDown(evaluate(input.multipliers));
  while (!stopped && level > best.objective) {
    node(rootU, rootSteps);
    if (improved || stopped) break;
    level -= 1;
  }
  return { choice: best.choice, objective: best.objective, improved, proven: !stopped && !cut, nodes };
}
