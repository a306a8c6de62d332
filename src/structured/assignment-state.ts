import { atLeast, atMost, SOLVER_SLACK, solverSlack } from "../numeric/tolerance.ts";
import { shareOf, type AssignmentProblem, type PairChoice } from "./assignment-problem.ts";
import { countAt, flagAt, indexAt } from "./checked-read.ts";

/**
 * An assignment with its per-rep loads, kept up to date move by move, and the amount by which it
 * breaks each row. Violations are measured in row units divided by the row's typical coefficient
 * (1 for counts, the mean workload, the mean customer value), so that one unit of violation means
 * about "one customer too many" whatever the row. Bounds get the solvers' relative slack
 * (SOLVER_SLACK, numeric/tolerance.ts), far inside the verifier's FIT_TOLERANCE, so an assignment
 * this code calls feasible passes the verifier.
 */
export class AssignmentState {
  readonly problem: AssignmentProblem;
  readonly choice: PairChoice;
  readonly accounts: Float64Array;
  readonly workload: Float64Array;
  readonly value: Float64Array;
  totalValue = 0;
  assigned = 0;
  stays = 0;
  objective = 0;
  /** Mean workload and mean value per pair / customer: the violation units. */
  readonly workloadUnit: number;
  readonly valueUnit: number;
  readonly shareMode: boolean;

  constructor(problem: AssignmentProblem, choice?: PairChoice) {
    this.problem = problem;
    const C = problem.customerCount;
    const R = problem.repCount;
    this.choice = new Int32Array(C).fill(-1);
    this.accounts = new Float64Array(R);
    this.workload = new Float64Array(R);
    this.value = new Float64Array(R);
    let w = 0;
    for (let k = 0; k < problem.pairCount; k++) w += problem.pairWorkload[k] ?? 0;
    this.workloadUnit = problem.pairCount > 0 && w > 0 ? w / problem.pairCount : 1;
    let v = 0;
    for (let c = 0; c < C; c++) v += problem.customerValue[c] ?? 0;
    this.valueUnit = C > 0 && v > 0 ? v / C : 1;
    this.shareMode = problem.valueShare !== null || problem.countShare !== null;
    if (choice !== undefined) for (let c = 0; c < C; c++) this.move(c, indexAt(choice, c));
  }

  copyFrom(other: AssignmentState): void {
    this.choice.set(other.choice);
    this.accounts.set(other.accounts);
    this.workload.set(other.workload);
    this.value.set(other.value);
    this.totalValue = other.totalValue;
    this.assigned = other.assigned;
    this.stays = other.stays;
    this.objective = other.objective;
  }

  repOfPair(k: number): number {
    return k < 0 ? -1 : indexAt(this.problem.pairRep, k);
  }

  /** Puts customer c on pair k (-1 = unassigned). */
  move(c: number, k: number): void {
    const p = this.problem;
    const old = indexAt(this.choice, c);
    if (old === k) return;
    const v = p.customerValue[c] ?? 0;
    const stay = indexAt(p.stayPair, c);
    if (old >= 0) {
      const r = indexAt(p.pairRep, old);
      this.accounts[r] = countAt(this.accounts, r) - 1;
      this.workload[r] = (this.workload[r] ?? 0) - (p.pairWorkload[old] ?? 0);
      this.value[r] = (this.value[r] ?? 0) - v;
      this.totalValue -= v;
      this.assigned--;
      this.objective -= p.pairScore[old] ?? 0;
      if (old === stay) this.stays--;
    }
    if (k >= 0) {
      const r = indexAt(p.pairRep, k);
      this.accounts[r] = countAt(this.accounts, r) + 1;
      this.workload[r] = (this.workload[r] ?? 0) + (p.pairWorkload[k] ?? 0);
      this.value[r] = (this.value[r] ?? 0) + v;
      this.totalValue += v;
      this.assigned++;
      this.objective += p.pairScore[k] ?? 0;
      if (k === stay) this.stays++;
    }
    this.choice[c] = k;
  }

  /**
   * Violation of rep r's rows for hypothetical loads, by row kind: [accounts, workload, value,
   * count share]. Share bands use the given totals.
   */
  repViolationParts(r: number, accounts: number, workload: number, value: number, totalValue: number, assigned: number, out: Float64Array): void {
    const p = this.problem;
    const au = p.accountsUpper[r] ?? Infinity;
    const al = p.accountsLower[r] ?? 0;
    out[0] = over(accounts, au) + under(accounts, al);
    out[1] = over(workload, p.workloadUpper[r] ?? Infinity) / this.workloadUnit;
    let vLo = p.valueLower[r] ?? -Infinity;
    let vHi = p.valueUpper[r] ?? Infinity;
    if (p.valueShare !== null) {
      vLo = (p.valueShare.lowerCoef[r] ?? 0) * totalValue;
      vHi = shareOf(p.valueShare.upperCoef[r], totalValue);
    }
    out[2] = (over(value, vHi) + under(value, vLo)) / this.valueUnit;
    if (p.countShare !== null) {
      out[3] = over(accounts, shareOf(p.countShare.upperCoef[r], assigned)) + under(accounts, (p.countShare.lowerCoef[r] ?? 0) * assigned);
    } else {
      out[3] = 0;
    }
  }

  /** Shortfall of the move budget (customers that should have stayed), ≥ 0. */
  staysShortfall(stays: number): number {
    return this.problem.minStays > 0 ? Math.max(0, this.problem.minStays - stays) : 0;
  }

  /** Rep r's rows hold with a relative tolerance (bounds ± tolerance × max(1, |bound|)). */
  private repWithin(r: number, tolerance: number): boolean {
    const p = this.problem;
    const within = (x: number, lo: number, hi: number) => atLeast(x, lo, tolerance) && atMost(x, hi, tolerance);
    const a = countAt(this.accounts, r);
    if (!within(a, p.accountsLower[r] ?? 0, p.accountsUpper[r] ?? Infinity)) return false;
    if (!within(this.workload[r] ?? 0, -Infinity, p.workloadUpper[r] ?? Infinity)) return false;
    let lo = p.valueLower[r] ?? -Infinity;
    let hi = p.valueUpper[r] ?? Infinity;
    if (p.valueShare !== null) {
      lo = (p.valueShare.lowerCoef[r] ?? 0) * this.totalValue;
      hi = shareOf(p.valueShare.upperCoef[r], this.totalValue);
    }
    if (!within(this.value[r] ?? 0, lo, hi)) return false;
    if (p.countShare !== null) {
      if (!within(a, (p.countShare.lowerCoef[r] ?? 0) * this.assigned, shareOf(p.countShare.upperCoef[r], this.assigned))) return false;
    }
    return true;
  }

  /**
   * True when every row holds and every mandatory customer is placed. Rows are checked with the
   * internal slack, or with `relativeTolerance` when given (for answers from a solver with its own
   * feasibility tolerance; keep it well inside the verifier's FIT_TOLERANCE).
   */
  isFeasible(relativeTolerance?: number): boolean {
    const parts = new Float64Array(4);
    const slack = relativeTolerance ?? SOLVER_SLACK;
    for (let r = 0; r < this.problem.repCount; r++) {
      if (relativeTolerance === undefined) {
        this.repViolationParts(r, countAt(this.accounts, r), this.workload[r] ?? 0, this.value[r] ?? 0, this.totalValue, this.assigned, parts);
        if ((parts[0] ?? 0) > 0 || (parts[1] ?? 0) > 0 || (parts[2] ?? 0) > 0 || (parts[3] ?? 0) > 0) return false;
      } else if (!this.repWithin(r, slack)) {
        return false;
      }
    }
    if (this.problem.minStays > 0 && this.stays < this.problem.minStays) return false;
    for (let c = 0; c < this.problem.customerCount; c++) if (indexAt(this.choice, c) < 0 && flagAt(this.problem.optional, c) !== 1) return false;
    return true;
  }
}

/** Amount above an upper bound, ignoring the internal slack. */
export function over(x: number, upper: number): number {
  if (upper === Infinity) return 0;
  const d = x - upper;
  return d > solverSlack(upper) ? d : 0;
}

/** Amount below a lower bound, ignoring the internal slack. */
export function under(x: number, lower: number): number {
  if (lower === -Infinity || lower <= 0) return x < lower - solverSlack(lower) ? lower - x : 0;
  const d = lower - x;
  return d > solverSlack(lower) ? d : 0;
}
