import { solverSlack } from "../numeric/tolerance.ts";
import { shareOf, type AssignmentProblem } from "./assignment-problem.ts";
import type { AssignmentState } from "./assignment-state.ts";
import { countAt, indexAt } from "./checked-read.ts";

/**
 * Feasibility of compound moves that keep every customer's assigned/unassigned status (shifts
 * between reps, swaps, ejection chains): such moves leave the assigned totals unchanged, so a
 * share band's bounds stay where they are and only the touched reps and the move budget need a
 * look. Each rep's bounds are precomputed with the internal slack folded in (as in
 * AssignmentState.isFeasible); call `refreshBounds()` after a move that assigns or unassigns a
 * customer, since share bands follow the totals.
 */
export class MoveCheck {
  readonly problem: AssignmentProblem;
  readonly state: AssignmentState;
  private readonly accountsLow: Float64Array;
  private readonly accountsHigh: Float64Array;
  private readonly workloadHigh: Float64Array;
  private readonly valueLow: Float64Array;
  private readonly valueHigh: Float64Array;

  constructor(state: AssignmentState) {
    this.state = state;
    this.problem = state.problem;
    const R = this.problem.repCount;
    this.accountsLow = new Float64Array(R);
    this.accountsHigh = new Float64Array(R);
    this.workloadHigh = new Float64Array(R);
    this.valueLow = new Float64Array(R);
    this.valueHigh = new Float64Array(R);
    this.refreshBounds();
  }

  /** Recomputes every rep's bounds (needed when the assigned totals changed and a share band applies). */
  refreshBounds(): void {
    const p = this.problem;
    const s = this.state;
    for (let r = 0; r < p.repCount; r++) {
      let alo = p.accountsLower[r] ?? 0;
      let ahi = p.accountsUpper[r] ?? Infinity;
      if (p.countShare !== null) {
        alo = Math.max(alo, (p.countShare.lowerCoef[r] ?? 0) * s.assigned);
        ahi = Math.min(ahi, shareOf(p.countShare.upperCoef[r], s.assigned));
      }
      let vlo = p.valueLower[r] ?? -Infinity;
      let vhi = p.valueUpper[r] ?? Infinity;
      if (p.valueShare !== null) {
        vlo = (p.valueShare.lowerCoef[r] ?? 0) * s.totalValue;
        vhi = shareOf(p.valueShare.upperCoef[r], s.totalValue);
      }
      const wu = p.workloadUpper[r] ?? Infinity;
      this.accountsLow[r] = alo - solverSlack(alo);
      this.accountsHigh[r] = ahi + solverSlack(ahi);
      this.workloadHigh[r] = wu + solverSlack(wu);
      this.valueLow[r] = vlo === -Infinity ? -Infinity : vlo - solverSlack(vlo);
      this.valueHigh[r] = vhi + solverSlack(vhi);
    }
  }

  /** True when rep r's rows hold after changing its loads by the deltas. */
  repOk(r: number, dAccounts: number, dWorkload: number, dValue: number): boolean {
    const s = this.state;
    const a = countAt(s.accounts, r) + dAccounts;
    if (a > (this.accountsHigh[r] ?? Infinity) || a < (this.accountsLow[r] ?? -Infinity)) return false;
    if ((s.workload[r] ?? 0) + dWorkload > (this.workloadHigh[r] ?? Infinity)) return false;
    const v = (s.value[r] ?? 0) + dValue;
    return v <= (this.valueHigh[r] ?? Infinity) && v >= (this.valueLow[r] ?? -Infinity);
  }

  /**
   * How far rep r's rows are broken after changing its loads by the deltas: the sum of the
   * amounts outside the bounds, in units of a count, the mean workload and the mean value (0 when
   * every row holds).
   */
  violation(r: number, dAccounts: number, dWorkload: number, dValue: number): number {
    const s = this.state;
    const a = countAt(s.accounts, r) + dAccounts;
    const w = (s.workload[r] ?? 0) + dWorkload;
    const v = (s.value[r] ?? 0) + dValue;
    let total = 0;
    const ahi = this.accountsHigh[r] ?? Infinity;
    const alo = this.accountsLow[r] ?? -Infinity;
    if (a > ahi) total += a - ahi;
    else if (a < alo) total += alo - a;
    const whi = this.workloadHigh[r] ?? Infinity;
    if (w > whi) total += (w - whi) / this.state.workloadUnit;
    const vhi = this.valueHigh[r] ?? Infinity;
    const vlo = this.valueLow[r] ?? -Infinity;
    if (v > vhi) total += (v - vhi) / this.state.valueUnit;
    else if (v < vlo) total += (vlo - v) / this.state.valueUnit;
    return total;
  }

  /** True when rep r's rows hold now. */
  repOkNow(r: number): boolean {
    return this.repOk(r, 0, 0, 0);
  }

  /** True when the move budget holds after `dStays` more customers stay. */
  staysOk(dStays: number): boolean {
    const need = this.problem.minStays;
    return need <= 0 || this.state.stays + dStays >= need;
  }

  /** Change in stays when customer c moves from pair `from` to pair `to`. */
  staysDelta(c: number, from: number, to: number): number {
    const stay = indexAt(this.problem.stayPair, c);
    if (stay < 0) return 0;
    return (to === stay ? 1 : 0) - (from === stay ? 1 : 0);
  }

  /** Shift of an assigned customer c to pair k of another rep: feasible? */
  shiftOk(c: number, k: number): boolean {
    const p = this.problem;
    const s = this.state;
    const old = indexAt(s.choice, c);
    if (old < 0 || k < 0) return false;
    const r0 = indexAt(p.pairRep, old);
    const r1 = indexAt(p.pairRep, k);
    if (r0 === r1) return false;
    const v = p.customerValue[c] ?? 0;
    return this.staysOk(this.staysDelta(c, old, k)) && this.repOk(r0, -1, -(p.pairWorkload[old] ?? 0), -v) && this.repOk(r1, 1, p.pairWorkload[k] ?? 0, v);
  }
}
