import { allowance, GAP_TOLERANCE } from "../numeric/tolerance.ts";
import { shareOf, type AssignmentProblem, type PairChoice } from "./assignment-problem.ts";
import { countAt, flagAt, indexAt } from "./checked-read.ts";

/**
 * Lagrangian relaxation of an assignment problem: every rep row and the move budget are priced by
 * non-negative multipliers and moved into the objective, which leaves one independent choice per
 * customer (its best pair by reduced score, or nothing when it may stay unassigned). For any
 * multipliers ≥ 0 the relaxed optimum is an upper bound on the true optimum (weak duality); the
 * best such bound equals the LP relaxation's, because each customer's subproblem is integral.
 *
 * Multipliers of rows whose bound is infinite are ignored (treated as 0).
 */
export interface Multipliers {
  /** Σ x ≤ accountsUpper. */
  accountsUpper: Float64Array;
  /** Σ x ≥ accountsLower. */
  accountsLower: Float64Array;
  /** Σ workload·x ≤ workloadUpper. */
  workload: Float64Array;
  /** Value band upper row (fixed bound, or share of the assigned total). */
  valueUpper: Float64Array;
  valueLower: Float64Array;
  /** Count band rows as shares of the assigned count (only when the total is a variable). */
  countUpper: Float64Array;
  countLower: Float64Array;
  /** Σ x over current pairs ≥ minStays. */
  stays: number;
}

export function zeroMultipliers(repCount: number): Multipliers {
  return {
    accountsUpper: new Float64Array(repCount),
    accountsLower: new Float64Array(repCount),
    workload: new Float64Array(repCount),
    valueUpper: new Float64Array(repCount),
    valueLower: new Float64Array(repCount),
    countUpper: new Float64Array(repCount),
    countLower: new Float64Array(repCount),
    stays: 0,
  };
}

export function copyMultipliers(m: Multipliers): Multipliers {
  return {
    accountsUpper: m.accountsUpper.slice(),
    accountsLower: m.accountsLower.slice(),
    workload: m.workload.slice(),
    valueUpper: m.valueUpper.slice(),
    valueLower: m.valueLower.slice(),
    countUpper: m.countUpper.slice(),
    countLower: m.countLower.slice(),
    stays: m.stays,
  };
}

/** Per-rep prices derived from multipliers: reduced score of pair k = score − fixed − work·w − value·v (+ bonuses). */
export interface PairPrices {
  fixed: Float64Array;
  work: Float64Array;
  value: Float64Array;
  /** Added to every assigned pair (count share rows). */
  perAssigned: number;
  /** Added to a pair with the customer's current rep. */
  stayBonus: number;
  /** Constant term of the Lagrangian: Σ multiplier × bound. */
  constant: number;
}

const finite = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x);

/** Reduces multipliers to per-pair prices, ignoring multipliers of absent (infinite) rows. */
export function pairPrices(problem: AssignmentProblem, m: Multipliers): PairPrices {
  const R = problem.repCount;
  const fixed = new Float64Array(R);
  const work = new Float64Array(R);
  const value = new Float64Array(R);
  let constant = 0;
  let valueShareTerm = 0;
  let countShareTerm = 0;
  for (let r = 0; r < R; r++) {
    const au = finite(problem.accountsUpper[r]) ? (m.accountsUpper[r] ?? 0) : 0;
    const al = (problem.accountsLower[r] ?? 0) > 0 && finite(problem.accountsLower[r]) ? (m.accountsLower[r] ?? 0) : 0;
    const wu = finite(problem.workloadUpper[r]) ? (m.workload[r] ?? 0) : 0;
    fixed[r] = au - al;
    work[r] = wu;
    if (au !== 0) constant += au * (problem.accountsUpper[r] ?? 0);
    if (al !== 0) constant -= al * (problem.accountsLower[r] ?? 0);
    if (wu !== 0) constant += wu * (problem.workloadUpper[r] ?? 0);
    if (problem.valueShare !== null) {
      const vu = finite(problem.valueShare.upperCoef[r]) ? (m.valueUpper[r] ?? 0) : 0;
      const vl = m.valueLower[r] ?? 0;
      value[r] = vu - vl;
      if (vu !== 0) valueShareTerm += vu * (problem.valueShare.upperCoef[r] ?? 0);
      if (vl !== 0) valueShareTerm -= vl * (problem.valueShare.lowerCoef[r] ?? 0);
    } else {
      const vu = finite(problem.valueUpper[r]) ? (m.valueUpper[r] ?? 0) : 0;
      const vl = finite(problem.valueLower[r]) ? (m.valueLower[r] ?? 0) : 0;
      value[r] = vu - vl;
      if (vu !== 0) constant += vu * (problem.valueUpper[r] ?? 0);
      if (vl !== 0) constant -= vl * (problem.valueLower[r] ?? 0);
    }
    if (problem.countShare !== null) {
      const cu = finite(problem.countShare.upperCoef[r]) ? (m.countUpper[r] ?? 0) : 0;
      const cl = m.countLower[r] ?? 0;
      fixed[r] = (fixed[r] ?? 0) + cu - cl;
      if (cu !== 0) countShareTerm += cu * (problem.countShare.upperCoef[r] ?? 0);
      if (cl !== 0) countShareTerm -= cl * (problem.countShare.lowerCoef[r] ?? 0);
    }
  }
  // A share row Σ_rep a·x − coef·Σ_all a·x ≤ 0 puts +multiplier·coef·a on every assigned pair.
  for (let r = 0; r < R; r++) value[r] = (value[r] ?? 0) - valueShareTerm;
  const stayBonus = problem.minStays > 0 ? Math.max(0, m.stays) : 0;
  constant -= stayBonus * problem.minStays;
  return { fixed, work, value, perAssigned: countShareTerm, stayBonus, constant };
}

export interface RelaxedSolution {
  /** The Lagrangian value: an upper bound on the optimum (−Infinity when some customer has no option). */
  bound: number;
  /** Each customer's best pair by reduced score (or -1). */
  choice: PairChoice;
}

/**
 * What the relaxed choice puts on each rep row (and how often each pair was chosen), summed in the
 * same pass over the pairs that chooses: read afterwards, the chosen pairs' entries are scattered
 * through arrays far larger than the cache, and that second pass cost more than half the first
 * (3.4 ms against 5.9 ms a step at 20k × 400, 490,000 pairs).
 */
export interface RelaxedTally {
  /** Per rep, filled (not added to): customers, workload and value of the chosen pairs. */
  accounts: Float64Array;
  workload: Float64Array;
  value: Float64Array;
  /** Per pair: 1 added for each time it is chosen (null: not counted). */
  frequency: Float64Array | null;
  /** Set: the value and the customers assigned in all, and the customers on their current pair. */
  totalValue: number;
  assigned: number;
  stays: number;
}

/**
 * Solves the relaxed problem for the given prices: each customer's best pair by reduced score
 * (ties to the lower pair index, so the result is deterministic), or nothing when that is better
 * and allowed. `into` is reused when given; `tally`, when given, gets the rows' totals.
 */
export function solveRelaxed(problem: AssignmentProblem, prices: PairPrices, into?: PairChoice, margin?: Float64Array, tally?: RelaxedTally): RelaxedSolution {
  const C = problem.customerCount;
  const choice = into ?? new Int32Array(C);
  const { fixed, work, value, perAssigned, stayBonus } = prices;
  const start = problem.customerStart;
  const rep = problem.pairRep;
  const score = problem.pairScore;
  const workload = problem.pairWorkload;
  let total = prices.constant;
  if (tally !== undefined) {
    tally.accounts.fill(0);
    tally.workload.fill(0);
    tally.value.fill(0);
    tally.totalValue = 0;
    tally.assigned = 0;
    tally.stays = 0;
  }
  for (let c = 0; c < C; c++) {
    const v = problem.customerValue[c] ?? 0;
    const from = indexAt(start, c);
    const to = indexAt(start, c + 1);
    let best = -Infinity;
    let second = -Infinity;
    let bestPair = -1;
    for (let k = from; k < to; k++) {
      const r = indexAt(rep, k);
      const reduced = (score[k] ?? 0) - (fixed[r] ?? 0) - (work[r] ?? 0) * (workload[k] ?? 0) - (value[r] ?? 0) * v;
      if (reduced > best) {
        second = best;
        best = reduced;
        bestPair = k;
      } else if (reduced > second) {
        second = reduced;
      }
    }
    const stay = indexAt(problem.stayPair, c);
    if (stay >= 0 && stayBonus > 0) {
      // Only the stay pair gets the bonus: recompute best with it.
      const r = indexAt(rep, stay);
      const reduced = (score[stay] ?? 0) - (fixed[r] ?? 0) - (work[r] ?? 0) * (workload[stay] ?? 0) - (value[r] ?? 0) * v + stayBonus;
      if (reduced > best || (reduced === best && stay < bestPair)) {
        if (bestPair !== stay) second = best;
        best = reduced;
        bestPair = stay;
      } else if (bestPair !== stay && reduced > second) {
        second = reduced;
      }
    }
    if (bestPair >= 0) best += perAssigned;
    if (bestPair >= 0) second += perAssigned;
    if (flagAt(problem.optional, c) === 1) {
      if (best < 0 || bestPair < 0) {
        second = Math.max(best, second);
        best = 0;
        bestPair = -1;
      } else if (second < 0) {
        second = 0;
      }
    }
    choice[c] = bestPair;
    if (margin !== undefined) margin[c] = best - second;
    total += best;
    if (tally !== undefined && bestPair >= 0) {
      const r = indexAt(rep, bestPair);
      tally.accounts[r] = countAt(tally.accounts, r) + 1;
      tally.workload[r] = countAt(tally.workload, r) + (workload[bestPair] ?? 0);
      tally.value[r] = countAt(tally.value, r) + v;
      if (tally.frequency !== null) tally.frequency[bestPair] = countAt(tally.frequency, bestPair) + 1;
      tally.totalValue += v;
      tally.assigned++;
      if (bestPair === stay) tally.stays++;
    }
  }
  return { bound: total, choice };
}

/**
 * Reduced score of every pair under the given prices (the stay bonus included, the count-share
 * term and the constant left out): the price-aware desirability of a pair.
 */
export function reducedScores(problem: AssignmentProblem, prices: PairPrices): Float64Array {
  const out = new Float64Array(problem.pairCount);
  for (let k = 0; k < problem.pairCount; k++) {
    const r = indexAt(problem.pairRep, k);
    const c = indexAt(problem.pairCustomer, k);
    out[k] =
      (problem.pairScore[k] ?? 0) - (prices.fixed[r] ?? 0) - (prices.work[r] ?? 0) * (problem.pairWorkload[k] ?? 0) - (prices.value[r] ?? 0) * (problem.customerValue[c] ?? 0) + (indexAt(problem.stayPair, c) === k ? prices.stayBonus : 0);
  }
  return out;
}

/**
 * Each customer's best pair score (0 when it may stay unassigned and every pair scores below 0;
 * −Infinity when it must be assigned and has no pair): the Lagrangian at zero multipliers, customer
 * by customer. Over any set of customers the sum bounds what they can contribute to any plan, so
 * it is a sound (if loose) bound for a part that has not been searched yet.
 */
export function bestChoiceScores(problem: AssignmentProblem): Float64Array {
  const out = new Float64Array(problem.customerCount);
  for (let c = 0; c < problem.customerCount; c++) {
    let best = flagAt(problem.optional, c) === 1 ? 0 : -Infinity;
    for (let k = indexAt(problem.customerStart, c); k < indexAt(problem.customerStart, c + 1); k++) best = Math.max(best, problem.pairScore[k] ?? 0);
    out[c] = best;
  }
  return out;
}

/** The Lagrangian bound for the given multipliers. */
export function lagrangianBound(problem: AssignmentProblem, m: Multipliers): number {
  return solveRelaxed(problem, pairPrices(problem, m)).bound;
}

/**
 * Subgradient optimisation of the Lagrangian dual (Polyak steps toward a target objective, the
 * step factor halved when the bound stalls). Rows are scaled by their typical coefficient (1 for
 * counts, mean workload, mean value) so that one step moves every kind of row alike. Deterministic.
 */
export class SubgradientSolver {
  readonly problem: AssignmentProblem;
  readonly multipliers: Multipliers;
  bestBound = Infinity;
  bestMultipliers: Multipliers;
  /** The relaxed choice at the last evaluated multipliers. */
  readonly choice: PairChoice;
  /** Best − second-best reduced score per customer at the last evaluation. */
  readonly margin: Float64Array;
  iterations = 0;
  /** Per pair: how often it was chosen since the averaging window opened (an approximate LP solution). */
  readonly frequency: Float64Array;
  windowLength = 0;
  private theta = 1;
  private stall = 0;
  private readonly workloadUnit: number;
  private readonly valueUnit: number;
  /** The rows' totals of the choice at each step (and the frequencies), filled by the evaluation. */
  private readonly tally: RelaxedTally;

  constructor(problem: AssignmentProblem) {
    this.problem = problem;
    const R = problem.repCount;
    this.multipliers = zeroMultipliers(R);
    this.bestMultipliers = zeroMultipliers(R);
    this.choice = new Int32Array(problem.customerCount).fill(-1);
    this.margin = new Float64Array(problem.customerCount);
    this.frequency = new Float64Array(problem.pairCount);
    let w = 0;
    for (let k = 0; k < problem.pairCount; k++) w += problem.pairWorkload[k] ?? 0;
    this.workloadUnit = problem.pairCount > 0 && w > 0 ? w / problem.pairCount : 1;
    let v = 0;
    for (let c = 0; c < problem.customerCount; c++) v += problem.customerValue[c] ?? 0;
    this.valueUnit = problem.customerCount > 0 && v > 0 ? v / problem.customerCount : 1;
    this.tally = { accounts: new Float64Array(R), workload: new Float64Array(R), value: new Float64Array(R), frequency: this.frequency, totalValue: 0, assigned: 0, stays: 0 };
  }

  /** Starts a new averaging window. */
  resetAverage(): void {
    this.frequency.fill(0);
    this.windowLength = 0;
    this.tally.frequency = this.frequency;
  }

  /**
   * Closes the averaging window: later steps no longer count their choices (`roundedAverage` keeps
   * reading the window as it was). Counting a step's choices costs a cache miss a customer, 40% of
   * a step at 20k × 400; the search reads the average once.
   */
  endAverage(): void {
    this.tally.frequency = null;
  }

  /**
   * Rounds the averaged choices: each customer to its most frequent pair (ties to the better
   * reduced score, i.e. the current relaxed choice, then the lower index); optional customers
   * chosen less than half the time stay unassigned.
   */
  roundedAverage(): PairChoice {
    const p = this.problem;
    const out = new Int32Array(p.customerCount).fill(-1);
    for (let c = 0; c < p.customerCount; c++) {
      let best = -1;
      let bestCount = 0;
      let total = 0;
      const current = indexAt(this.choice, c);
      for (let k = indexAt(p.customerStart, c); k < indexAt(p.customerStart, c + 1); k++) {
        const f = this.frequency[k] ?? 0;
        total += f;
        if (f > bestCount || (f === bestCount && f > 0 && k === current)) {
          bestCount = f;
          best = k;
        }
      }
      if (best < 0) best = current;
      if (flagAt(p.optional, c) === 1 && this.windowLength > 0 && total < this.windowLength / 2) best = -1;
      out[c] = best;
    }
    return out;
  }

  /** Evaluates the current multipliers (bound and relaxed choice) without stepping. */
  evaluate(): number {
    return this.evaluateInto();
  }

  private evaluateInto(tally?: RelaxedTally): number {
    const { bound } = solveRelaxed(this.problem, pairPrices(this.problem, this.multipliers), this.choice, this.margin, tally);
    if (bound < this.bestBound) {
      this.bestBound = bound;
      this.bestMultipliers = copyMultipliers(this.multipliers);
      this.stall = 0;
    } else {
      this.stall++;
    }
    return bound;
  }

  /**
   * One iteration: evaluate, then step. `target` is the best known feasible objective (a lower
   * bound on the optimum), or null when none is known yet.
   */
  step(target: number | null): number {
    const tally = this.tally;
    const bound = this.evaluateInto(tally);
    this.iterations++;
    if (tally.frequency !== null) this.windowLength++;
    if (this.stall >= STALL_ITERATIONS) {
      this.theta = Math.max(MIN_THETA, this.theta / 2);
      this.stall = 0;
    }
    const p = this.problem;
    const R = p.repCount;
    const { accounts, workload, value, totalValue, assigned, stays } = tally;
    // Scaled subgradients g/s, per row; rows with infinite bounds have none.
    const m = this.multipliers;
    const vu = this.valueUnit;
    const wu = this.workloadUnit;
    const gAU = new Float64Array(R);
    const gAL = new Float64Array(R);
    const gW = new Float64Array(R);
    const gVU = new Float64Array(R);
    const gVL = new Float64Array(R);
    const gCU = new Float64Array(R);
    const gCL = new Float64Array(R);
    let norm = 0;
    for (let r = 0; r < R; r++) {
      const a = countAt(accounts, r);
      const au = p.accountsUpper[r] ?? Infinity;
      const al = p.accountsLower[r] ?? 0;
      if (au !== Infinity) gAU[r] = projected(m.accountsUpper[r] ?? 0, a - au);
      if (al > 0) gAL[r] = projected(m.accountsLower[r] ?? 0, al - a);
      const wUp = p.workloadUpper[r] ?? Infinity;
      if (wUp !== Infinity) gW[r] = projected((m.workload[r] ?? 0) * wu, ((workload[r] ?? 0) - wUp) / wu);
      let hi = p.valueUpper[r] ?? Infinity;
      let lo = p.valueLower[r] ?? -Infinity;
      if (p.valueShare !== null) {
        hi = shareOf(p.valueShare.upperCoef[r], totalValue);
        lo = (p.valueShare.lowerCoef[r] ?? 0) * totalValue;
      }
      if (hi !== Infinity) gVU[r] = projected((m.valueUpper[r] ?? 0) * vu, ((value[r] ?? 0) - hi) / vu);
      if (lo !== -Infinity && (lo > 0 || p.valueShare !== null)) gVL[r] = projected((m.valueLower[r] ?? 0) * vu, (lo - (value[r] ?? 0)) / vu);
      if (p.countShare !== null) {
        const cu = shareOf(p.countShare.upperCoef[r], assigned);
        const cl = (p.countShare.lowerCoef[r] ?? 0) * assigned;
        if (cu !== Infinity) gCU[r] = projected(m.countUpper[r] ?? 0, a - cu);
        gCL[r] = projected(m.countLower[r] ?? 0, cl - a);
      }
      norm += (gAU[r] ?? 0) ** 2 + (gAL[r] ?? 0) ** 2 + (gW[r] ?? 0) ** 2 + (gVU[r] ?? 0) ** 2 + (gVL[r] ?? 0) ** 2 + (gCU[r] ?? 0) ** 2 + (gCL[r] ?? 0) ** 2;
    }
    const gS = p.minStays > 0 ? projected(m.stays, p.minStays - stays) : 0;
    norm += gS * gS;
    if (norm === 0) return bound;
    const goal = target ?? this.bestBound - Math.max(NO_TARGET_GAP * Math.abs(this.bestBound), 1);
    const gap = Math.max(bound - goal, allowance(bound, GAP_TOLERANCE));
    const t = (this.theta * gap) / norm;
    for (let r = 0; r < R; r++) {
      m.accountsUpper[r] = Math.max(0, (m.accountsUpper[r] ?? 0) + t * (gAU[r] ?? 0));
      m.accountsLower[r] = Math.max(0, (m.accountsLower[r] ?? 0) + t * (gAL[r] ?? 0));
      m.workload[r] = Math.max(0, (m.workload[r] ?? 0) + (t * (gW[r] ?? 0)) / wu);
      m.valueUpper[r] = Math.max(0, (m.valueUpper[r] ?? 0) + (t * (gVU[r] ?? 0)) / vu);
      m.valueLower[r] = Math.max(0, (m.valueLower[r] ?? 0) + (t * (gVL[r] ?? 0)) / vu);
      m.countUpper[r] = Math.max(0, (m.countUpper[r] ?? 0) + t * (gCU[r] ?? 0));
      m.countLower[r] = Math.max(0, (m.countLower[r] ?? 0) + t * (gCL[r] ?? 0));
    }
    m.stays = Math.max(0, m.stays + t * gS);
    return bound;
  }
}

const STALL_ITERATIONS = 20;
const MIN_THETA = 1e-5;
/** Without a known feasible objective, steps aim this far (relatively) below the best bound. */
const NO_TARGET_GAP = 0.05;

/** A subgradient component that cannot move a multiplier already at 0 further down counts as 0. */
function projected(multiplier: number, g: number): number {
  return multiplier <= 0 && g < 0 ? 0 : g;
}
