import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { copyMultipliers, pairPrices, solveRelaxed, zeroMultipliers, type Multipliers } from "./lagrangian-bound.ts";

/**
 * The volume algorithm (Barahona & Anbil, 2000) on the Lagrangian dual of lagrangian-bound.ts: a
 * subgradient method that also keeps x̄, an exponentially weighted average of the relaxed choices,
 * and steps the multipliers along the rows' violation at x̄ rather than at the last choice. x̄
 * converges toward an optimal solution of the LP relaxation, which is what a rounding heuristic
 * needs (the plain relaxed choice piles tied customers onto one rep). Every evaluated multiplier
 * vector gives a valid bound; the best one is kept.
 *
 * Rows are scaled by their typical coefficient (counts 1, mean workload, mean customer value), as in
 * SubgradientSolver. Deterministic.
 */
export class VolumeSolver {
  readonly problem: AssignmentProblem;
  /** λ̄: the multipliers of the best bound so far (the volume algorithm's stability centre). */
  centre: Multipliers;
  bestBound = Infinity;
  /** x̄ per pair. */
  readonly average: Float64Array;
  /** The relaxed choice at the last evaluation, and its margins. */
  readonly choice: PairChoice;
  readonly margin: Float64Array;
  iterations = 0;
  private theta = 0.1;
  private redStreak = 0;
  private readonly trial: Multipliers;
  // Loads of x̄ (fractional).
  private readonly avgAccounts: Float64Array;
  private readonly avgWorkload: Float64Array;
  private readonly avgValue: Float64Array;
  private avgTotalValue = 0;
  private avgAssigned = 0;
  private avgStays = 0;
  // Loads of the last choice.
  private readonly accounts: Float64Array;
  private readonly workload: Float64Array;
  private readonly value: Float64Array;
  private totalValue = 0;
  private assigned = 0;
  private stays = 0;
  private readonly workloadUnit: number;
  private readonly valueUnit: number;
  private started = false;

  constructor(problem: AssignmentProblem, start?: Multipliers) {
    this.problem = problem;
    const R = problem.repCount;
    this.centre = start === undefined ? zeroMultipliers(R) : copyMultipliers(start);
    this.trial = copyMultipliers(this.centre);
    this.average = new Float64Array(problem.pairCount);
    this.choice = new Int32Array(problem.customerCount).fill(-1);
    this.margin = new Float64Array(problem.customerCount);
    this.avgAccounts = new Float64Array(R);
    this.avgWorkload = new Float64Array(R);
    this.avgValue = new Float64Array(R);
    this.accounts = new Float64Array(R);
    this.workload = new Float64Array(R);
    this.value = new Float64Array(R);
    let w = 0;
    for (let k = 0; k < problem.pairCount; k++) w += problem.pairWorkload[k] ?? 0;
    this.workloadUnit = problem.pairCount > 0 && w > 0 ? w / problem.pairCount : 1;
    let v = 0;
    for (let c = 0; c < problem.customerCount; c++) v += problem.customerValue[c] ?? 0;
    this.valueUnit = problem.customerCount > 0 && v > 0 ? v / problem.customerCount : 1;
  }

  /** Solves the relaxation at `m` and records the choice's loads; returns the bound. */
  private evaluate(m: Multipliers): number {
    const p = this.problem;
    const { bound } = solveRelaxed(p, pairPrices(p, m), this.choice, this.margin);
    this.accounts.fill(0);
    this.workload.fill(0);
    this.value.fill(0);
    this.totalValue = 0;
    this.assigned = 0;
    this.stays = 0;
    for (let c = 0; c < p.customerCount; c++) {
      const k = this.choice[c] ?? -1;
      if (k < 0) continue;
      const r = p.pairRep[k] ?? 0;
      const v = p.customerValue[c] ?? 0;
      this.accounts[r] = (this.accounts[r] ?? 0) + 1;
      this.workload[r] = (this.workload[r] ?? 0) + (p.pairWorkload[k] ?? 0);
      this.value[r] = (this.value[r] ?? 0) + v;
      this.totalValue += v;
      this.assigned++;
      if (k === p.stayPair[c]) this.stays++;
    }
    return bound;
  }

  /** x̄ ← α·x + (1 − α)·x̄, pairs and loads. */
  private blend(alpha: number): void {
    const p = this.problem;
    const keep = 1 - alpha;
    const avg = this.average;
    for (let k = 0; k < avg.length; k++) avg[k] = (avg[k] ?? 0) * keep;
    for (let c = 0; c < p.customerCount; c++) {
      const k = this.choice[c] ?? -1;
      if (k >= 0) avg[k] = (avg[k] ?? 0) + alpha;
    }
    for (let r = 0; r < p.repCount; r++) {
      this.avgAccounts[r] = keep * (this.avgAccounts[r] ?? 0) + alpha * (this.accounts[r] ?? 0);
      this.avgWorkload[r] = keep * (this.avgWorkload[r] ?? 0) + alpha * (this.workload[r] ?? 0);
      this.avgValue[r] = keep * (this.avgValue[r] ?? 0) + alpha * (this.value[r] ?? 0);
    }
    this.avgTotalValue = keep * this.avgTotalValue + alpha * this.totalValue;
    this.avgAssigned = keep * this.avgAssigned + alpha * this.assigned;
    this.avgStays = keep * this.avgStays + alpha * this.stays;
  }

  /**
   * Scaled row violations (positive = broken) at loads (accounts, workload, value, totals), in a
   * fixed row order: per rep [accountsUpper, accountsLower, workload, valueUpper, valueLower,
   * countUpper, countLower], then stays.
   */
  private violations(accounts: Float64Array, workload: Float64Array, value: Float64Array, totalValue: number, assigned: number, stays: number, out: Float64Array): void {
    const p = this.problem;
    const vu = this.valueUnit;
    const wu = this.workloadUnit;
    for (let r = 0; r < p.repCount; r++) {
      const base = r * ROWS_PER_REP;
      const a = accounts[r] ?? 0;
      const au = p.accountsUpper[r] ?? Infinity;
      const al = p.accountsLower[r] ?? 0;
      out[base] = au === Infinity ? 0 : a - au;
      out[base + 1] = al > 0 ? al - a : 0;
      const wUp = p.workloadUpper[r] ?? Infinity;
      out[base + 2] = wUp === Infinity ? 0 : ((workload[r] ?? 0) - wUp) / wu;
      let hi = p.valueUpper[r] ?? Infinity;
      let lo = p.valueLower[r] ?? -Infinity;
      let hasLower = lo !== -Infinity && lo > 0;
      if (p.valueShare !== null) {
        hi = (p.valueShare.upperCoef[r] ?? Infinity) * totalValue;
        lo = (p.valueShare.lowerCoef[r] ?? 0) * totalValue;
        hasLower = true;
      }
      out[base + 3] = hi === Infinity ? 0 : ((value[r] ?? 0) - hi) / vu;
      out[base + 4] = hasLower ? (lo - (value[r] ?? 0)) / vu : 0;
      if (p.countShare !== null) {
        const cu = (p.countShare.upperCoef[r] ?? Infinity) * assigned;
        out[base + 5] = cu === Infinity ? 0 : a - cu;
        out[base + 6] = (p.countShare.lowerCoef[r] ?? 0) * assigned - a;
      } else {
        out[base + 5] = 0;
        out[base + 6] = 0;
      }
    }
    out[p.repCount * ROWS_PER_REP] = p.minStays > 0 ? p.minStays - stays : 0;
  }

  /**
   * One iteration. `target`: best known feasible objective, or null. Returns the bound at the
   * trial point.
   */
  step(target: number | null): number {
    const p = this.problem;
    const R = p.repCount;
    const rows = R * ROWS_PER_REP + 1;
    if (!this.started) {
      this.started = true;
      this.bestBound = this.evaluate(this.centre);
      this.average.fill(0);
      this.blend(1);
    }
    // Direction: violation at x̄, projected so that a multiplier at 0 is not pushed below.
    const dir = new Float64Array(rows);
    this.violations(this.avgAccounts, this.avgWorkload, this.avgValue, this.avgTotalValue, this.avgAssigned, this.avgStays, dir);
    const c = this.centre;
    const scaled = (r: number, j: number): number => {
      const wu = this.workloadUnit;
      const vu = this.valueUnit;
      switch (j) {
        case 0:
          return c.accountsUpper[r] ?? 0;
        case 1:
          return c.accountsLower[r] ?? 0;
        case 2:
          return (c.workload[r] ?? 0) * wu;
        case 3:
          return (c.valueUpper[r] ?? 0) * vu;
        case 4:
          return (c.valueLower[r] ?? 0) * vu;
        case 5:
          return c.countUpper[r] ?? 0;
        default:
          return c.countLower[r] ?? 0;
      }
    };
    let norm = 0;
    for (let r = 0; r < R; r++) {
      for (let j = 0; j < ROWS_PER_REP; j++) {
        const i = r * ROWS_PER_REP + j;
        if (scaled(r, j) <= 0 && (dir[i] ?? 0) < 0) dir[i] = 0;
        norm += (dir[i] ?? 0) ** 2;
      }
    }
    const si = R * ROWS_PER_REP;
    if (c.stays <= 0 && (dir[si] ?? 0) < 0) dir[si] = 0;
    norm += (dir[si] ?? 0) ** 2;
    if (norm === 0) return this.bestBound;
    const goal = target ?? this.bestBound - Math.max(NO_TARGET_GAP * Math.abs(this.bestBound), 1);
    const t = (this.theta * Math.max(this.bestBound - goal, 1e-9 * Math.max(1, Math.abs(this.bestBound)))) / norm;

    const m = this.trial;
    const wu = this.workloadUnit;
    const vu = this.valueUnit;
    for (let r = 0; r < R; r++) {
      const b = r * ROWS_PER_REP;
      m.accountsUpper[r] = Math.max(0, (c.accountsUpper[r] ?? 0) + t * (dir[b] ?? 0));
      m.accountsLower[r] = Math.max(0, (c.accountsLower[r] ?? 0) + t * (dir[b + 1] ?? 0));
      m.workload[r] = Math.max(0, (c.workload[r] ?? 0) + (t * (dir[b + 2] ?? 0)) / wu);
      m.valueUpper[r] = Math.max(0, (c.valueUpper[r] ?? 0) + (t * (dir[b + 3] ?? 0)) / vu);
      m.valueLower[r] = Math.max(0, (c.valueLower[r] ?? 0) + (t * (dir[b + 4] ?? 0)) / vu);
      m.countUpper[r] = Math.max(0, (c.countUpper[r] ?? 0) + t * (dir[b + 5] ?? 0));
      m.countLower[r] = Math.max(0, (c.countLower[r] ?? 0) + t * (dir[b + 6] ?? 0));
    }
    m.stays = Math.max(0, c.stays + t * (dir[si] ?? 0));

    const bound = this.evaluate(m);
    this.iterations++;
    // α: the weight on the new choice minimising the norm of the blended violation, in [0.01, 0.1].
    const vNew = new Float64Array(rows);
    this.violations(this.accounts, this.workload, this.value, this.totalValue, this.assigned, this.stays, vNew);
    const vOld = new Float64Array(rows);
    this.violations(this.avgAccounts, this.avgWorkload, this.avgValue, this.avgTotalValue, this.avgAssigned, this.avgStays, vOld);
    let num = 0;
    let den = 0;
    let dot = 0;
    for (let i = 0; i < rows; i++) {
      const d = (vNew[i] ?? 0) - (vOld[i] ?? 0);
      num -= (vOld[i] ?? 0) * d;
      den += d * d;
      dot += (vNew[i] ?? 0) * (dir[i] ?? 0);
    }
    const alpha = Math.min(MAX_ALPHA, Math.max(MIN_ALPHA, den > 0 ? num / den : MAX_ALPHA));
    this.blend(alpha);

    if (bound < this.bestBound) {
      // Serious step: move the centre. Green when the new choice still violates along the step.
      this.bestBound = bound;
      this.centre = copyMultipliers(m);
      this.redStreak = 0;
      if (dot >= 0) this.theta = Math.min(MAX_THETA, this.theta * 1.1);
    } else {
      this.redStreak++;
      if (this.redStreak >= RED_LIMIT) {
        this.theta = Math.max(MIN_THETA, this.theta * 0.66);
        this.redStreak = 0;
      }
    }
    return bound;
  }

  /** Each customer on its largest share of x̄ (ties to the lower pair); optional ones below ½ unassigned. */
  rounded(): PairChoice {
    const p = this.problem;
    const out = new Int32Array(p.customerCount).fill(-1);
    for (let c = 0; c < p.customerCount; c++) {
      let best = -1;
      let bestShare = 0;
      let total = 0;
      for (let k = p.customerStart[c] ?? 0; k < (p.customerStart[c + 1] ?? 0); k++) {
        const share = this.average[k] ?? 0;
        total += share;
        if (share > bestShare) {
          bestShare = share;
          best = k;
        }
      }
      if (p.optional[c] === 1 && total < 0.5) best = -1;
      out[c] = best;
    }
    return out;
  }
}

const ROWS_PER_REP = 7;
const NO_TARGET_GAP = 0.05;
const MIN_ALPHA = 0.01;
const MAX_ALPHA = 0.1;
const MIN_THETA = 1e-4;
const MAX_THETA = 2;
const RED_LIMIT = 20;
