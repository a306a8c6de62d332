import { pairOf, type AssignmentProblem, type PairChoice } from "./assignment-problem.ts";
import { AssignmentState } from "./assignment-state.ts";
import { MoveCheck } from "./move-check.ts";
import { WorkBudget, type WorkMeter } from "./work-budget.ts";
import { flagAt, indexAt } from "./checked-read.ts";

/**
 * Greedy repair of a rounded (usually slightly infeasible) assignment, one broken rep at a time:
 * the single shifts into and out of the rep, cheapest first by `guide` (Lagrangian reduced scores:
 * the price-aware cost of a move), each taken while it still reduces the rep's violation and
 * makes no other rep worse (a feasible rep stays feasible); then, if the rep is still broken, the cheapest swap with a customer of
 * another rep. Then the move budget, by sending customers back to their current rep at the least
 * cost. Passes repeat until nothing is broken. When it gets stuck or its work runs out it returns
 * how far it got (the caller then finishes with the penalty search). Deterministic.
 */
export interface RepairOptions {
  /** Where the repair counts its work (one unit per candidate move) and learns when to stop; default: no limit. */
  work?: WorkMeter;
  /** Passes over the broken reps before giving up. */
  maxPasses?: number;
}

export interface RepairResult {
  /** The repaired assignment, or as far as the repair got. */
  choice: PairChoice;
  feasible: boolean;
}

const SWAPS_PER_REP = 8;
/** Work of one candidate move looked at or sorted, in units of work-budget.ts (measured). */
const CANDIDATE_WORK = 10;

export function repairGreedy(problem: AssignmentProblem, start: PairChoice, guide: Float64Array, options: RepairOptions = {}): RepairResult {
  const p = problem;
  const C = p.customerCount;
  const initial = new Int32Array(C);
  for (let c = 0; c < C; c++) {
    let k = indexAt(start, c);
    if (k < 0 && flagAt(p.optional, c) !== 1) {
      for (let j = indexAt(p.customerStart, c); j < indexAt(p.customerStart, c + 1); j++) if (k < 0 || (guide[j] ?? 0) > (guide[k] ?? 0)) k = j;
    }
    initial[c] = k;
  }
  const state = new AssignmentState(p, initial);
  const check = new MoveCheck(state);
  // Each customer's best pair by guide: an upper bound on what moving it anywhere can score.
  const bestOf = new Int32Array(C).fill(-1);
  for (let c = 0; c < C; c++) {
    for (let j = indexAt(p.customerStart, c); j < indexAt(p.customerStart, c + 1); j++) if (indexAt(bestOf, c) < 0 || (guide[j] ?? 0) > (guide[indexAt(bestOf, c)] ?? 0)) bestOf[c] = j;
  }
  const cheapestOf = (c: number): number => indexAt(bestOf, c);
  const violationOf = (r: number, dA: number, dW: number, dV: number): number => check.violation(r, dA, dW, dV);
  /** A move may touch another rep only when that rep's violation does not grow (a feasible rep stays feasible). */
  const notWorse = (r: number, dA: number, dW: number, dV: number): boolean => {
    const now = check.violation(r, 0, 0, 0);
    return now <= 0 ? check.repOk(r, dA, dW, dV) : check.violation(r, dA, dW, dV) <= now;
  };
  const maxPasses = options.maxPasses ?? 100;
  const work = options.work ?? WorkBudget.clockOnly();
  const stopped = (): RepairResult => ({ choice: state.choice.slice(), feasible: false });
  for (let pass = 0; pass < maxPasses; pass++) {
    let broken = 0;
    let progress = false;
    let shifted = false;
    work.spend(CANDIDATE_WORK * p.repCount);
    for (let r = 0; r < p.repCount; r++) {
      if (violationOf(r, 0, 0, 0) <= 0) continue;
      if (work.exhausted()) return stopped();
      broken++;
      if (shiftRepair(r)) shifted = true;
    }
    // Swaps are dearer to look for: only once shifts have done what they can.
    if (!shifted) {
      for (let r = 0; r < p.repCount; r++) {
        if (violationOf(r, 0, 0, 0) <= 0) continue;
        if (work.exhausted()) return stopped();
        // Several swaps per rep while they keep helping.
        for (let i = 0; i < SWAPS_PER_REP && violationOf(r, 0, 0, 0) > 0 && swapRepair(r); i++) progress = true;
      }
    }
    if (shifted) progress = true;
    if (staysRepair()) progress = true;
    const short = p.minStays > 0 ? p.minStays - state.stays : 0;
    if (broken === 0 && short <= 0) return { choice: state.choice.slice(), feasible: state.isFeasible() };
    if (!progress) return stopped();
  }
  return stopped();

  /** Shifts in and out of rep r, cheapest first, while they reduce its violation. */
  function shiftRepair(r: number): boolean {
    const candidates: { cost: number; c: number; k: number }[] = [];
    for (let e = indexAt(p.repStart, r); e < indexAt(p.repStart, r + 1); e++) {
      const k = indexAt(p.repPairs, e);
      const c = indexAt(p.pairCustomer, k);
      const o = indexAt(state.choice, c);
      if (o === k) {
        for (let j = indexAt(p.customerStart, c); j < indexAt(p.customerStart, c + 1); j++) {
          if (j !== k) candidates.push({ cost: (guide[j] ?? 0) - (guide[k] ?? 0), c, k: j });
        }
      } else if (o >= 0) {
        candidates.push({ cost: (guide[k] ?? 0) - (guide[o] ?? 0), c, k });
      }
    }
    candidates.sort((a, b) => b.cost - a.cost || a.c - b.c || a.k - b.k);
    work.spend(CANDIDATE_WORK * sortWork(candidates.length));
    let moved = false;
    for (const { c, k } of candidates) {
      const before = violationOf(r, 0, 0, 0);
      if (before <= 0) break;
      const o = indexAt(state.choice, c);
      if (o < 0 || o === k) continue;
      const v = p.customerValue[c] ?? 0;
      const from = indexAt(p.pairRep, o);
      const to = indexAt(p.pairRep, k);
      if (from !== r && to !== r) continue;
      const leaving = from === r;
      const after = leaving ? violationOf(r, -1, -(p.pairWorkload[o] ?? 0), -v) : violationOf(r, 1, p.pairWorkload[k] ?? 0, v);
      if (after >= before) continue;
      const otherOk = leaving ? notWorse(to, 1, p.pairWorkload[k] ?? 0, v) : notWorse(from, -1, -(p.pairWorkload[o] ?? 0), -v);
      if (!otherOk || !check.staysOk(check.staysDelta(c, o, k))) continue;
      state.move(c, k);
      moved = true;
    }
    return moved;
  }

  /** The cheapest swap between a member of rep r and a customer of another rep that reduces r's violation. */
  function swapRepair(r: number): boolean {
    const before = violationOf(r, 0, 0, 0);
    // A swap keeps r's count: only its workload and value can change, in the needed direction
    // (probed with a step of 1e-3 of a typical customer: a direction, not a tolerance).
    const workloadOver = violationOf(r, 0, -state.workloadUnit * 1e-3, 0) < before;
    const valueOver = violationOf(r, 0, 0, -state.valueUnit * 1e-3) < before;
    const valueUnder = violationOf(r, 0, 0, state.valueUnit * 1e-3) < before;
    if (!workloadOver && !valueOver && !valueUnder) return false;
    const members: number[] = [];
    for (let f = indexAt(p.repStart, r); f < indexAt(p.repStart, r + 1); f++) {
      const k = indexAt(p.repPairs, f);
      if (indexAt(state.choice, indexAt(p.pairCustomer, k)) === k) members.push(k);
    }
    // Upper bound on what sending a member elsewhere can gain; customers to bring in, cheapest first.
    let maxOut = -Infinity;
    for (const k of members) maxOut = Math.max(maxOut, (guide[cheapestOf(indexAt(p.pairCustomer, k))] ?? 0) - (guide[k] ?? 0));
    const incoming: { cost: number; k: number }[] = [];
    for (let e = indexAt(p.repStart, r); e < indexAt(p.repStart, r + 1); e++) {
      const kIn = indexAt(p.repPairs, e);
      const oIn = indexAt(state.choice, indexAt(p.pairCustomer, kIn));
      if (oIn >= 0 && oIn !== kIn) incoming.push({ cost: (guide[kIn] ?? 0) - (guide[oIn] ?? 0), k: kIn });
    }
    incoming.sort((a, b) => b.cost - a.cost || a.k - b.k);
    work.spend(CANDIDATE_WORK * (members.length + sortWork(incoming.length)));
    let bestCost = -Infinity;
    let move: [number, number, number, number] | null = null;
    for (const { cost: costIn, k: kIn } of incoming) {
      if (costIn + maxOut <= bestCost) break;
      const cIn = indexAt(p.pairCustomer, kIn);
      const oIn = indexAt(state.choice, cIn);
      const other = indexAt(p.pairRep, oIn);
      const vIn = p.customerValue[cIn] ?? 0;
      const wIn = p.pairWorkload[kIn] ?? 0;
      work.spend(CANDIDATE_WORK * (1 + members.length));
      for (const kOutHere of members) {
        const cOut = indexAt(p.pairCustomer, kOutHere);
        const vOut = p.customerValue[cOut] ?? 0;
        const dW = wIn - (p.pairWorkload[kOutHere] ?? 0);
        // Direction first (cheap): the swap must move r's loads the way its violation needs.
        if (!((workloadOver && dW < 0) || (valueOver && vIn < vOut) || (valueUnder && vIn > vOut))) continue;
        if (costIn + (guide[cheapestOf(cOut)] ?? 0) - (guide[kOutHere] ?? 0) <= bestCost) continue;
        const kOut = pairOf(p, cOut, other);
        if (kOut < 0) continue;
        const cost = costIn + (guide[kOut] ?? 0) - (guide[kOutHere] ?? 0);
        if (cost <= bestCost) continue;
        if (!notWorse(other, 0, (p.pairWorkload[kOut] ?? 0) - (p.pairWorkload[oIn] ?? 0), vOut - vIn)) continue;
        if (!check.staysOk(check.staysDelta(cIn, oIn, kIn) + check.staysDelta(cOut, kOutHere, kOut))) continue;
        if (violationOf(r, 0, dW, vIn - vOut) >= before) continue;
        bestCost = cost;
        move = [cIn, kIn, cOut, kOut];
      }
    }
    if (move === null) return false;
    state.move(move[0], move[1]);
    state.move(move[2], move[3]);
    return true;
  }

  /** Customers back to their current rep, cheapest first, until the move budget holds. */
  function staysRepair(): boolean {
    if (p.minStays <= 0 || state.stays >= p.minStays) return false;
    const candidates: { cost: number; c: number }[] = [];
    for (let c = 0; c < C; c++) {
      const stay = indexAt(p.stayPair, c);
      const o = indexAt(state.choice, c);
      if (stay >= 0 && o !== stay) candidates.push({ cost: (guide[stay] ?? 0) - (o >= 0 ? (guide[o] ?? 0) : 0), c });
    }
    candidates.sort((a, b) => b.cost - a.cost || a.c - b.c);
    work.spend(CANDIDATE_WORK * (C + sortWork(candidates.length)));
    let moved = false;
    for (const { c } of candidates) {
      if (state.stays >= p.minStays) break;
      const stay = indexAt(p.stayPair, c);
      const o = indexAt(state.choice, c);
      const v = p.customerValue[c] ?? 0;
      if (!notWorse(indexAt(p.pairRep, stay), 1, p.pairWorkload[stay] ?? 0, v)) continue;
      if (o >= 0 && !notWorse(indexAt(p.pairRep, o), -1, -(p.pairWorkload[o] ?? 0), -v)) continue;
      state.move(c, stay);
      if (o < 0) check.refreshBounds();
      moved = true;
    }
    return moved;
  }
}

/** Work of sorting n candidates: about n log₂ n comparisons (in integers: the same count everywhere). */
function sortWork(n: number): number {
  return n * (32 - Math.clz32(n));
}
