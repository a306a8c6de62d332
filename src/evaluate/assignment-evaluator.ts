import type { BrokenConstraint, Customer, Plan, Rep, RepPicture } from "../../models/index.ts";
import { atLeast, atMost } from "../numeric/tolerance.ts";
import { buildConversionModel } from "../plan/conversion-model.ts";
import { buildPairScoreIndex, scorePair, type ScoringContext } from "../plan/expected-value.ts";
import { fairShareWeights } from "../plan/fair-share.ts";
import { softValueBand, valueBandExcess } from "../plan/value-band-excess.ts";
import { classifyMove } from "../verify/move-classification.ts";
import { buildPairRuleContext, pairBreach, pairKey, pairWorkload, type PairBreach, type PairRuleContext } from "../verify/pair-rules.ts";

/** At most this many customers are named in one broken constraint (max-moves). */
export const MAX_NAMED_CUSTOMERS = 100;

/** The figures of an assignment that cost O(reps) to read. */
export interface EvaluatorTotals {
  objective: number;
  expectedValue: number;
  fairnessPenalty: number;
  assigned: number;
  assignedValue: number;
  moves: number;
  voluntaryMoves: number;
  /** Broken constraints of each kind (max-moves counts once). */
  brokenByKind: Record<string, number>;
  feasible: boolean;
}

/** The running float sums of an evaluator (see `AssignmentEvaluator.sums`). */
export interface EvaluatorSums {
  sumEv: number;
  assignedValue: number;
  workload: Float64Array;
  value: Float64Array;
  repEv: Float64Array;
}

/**
 * An assignment held as loads, so that one customer's move costs O(1) plus one pair's score and
 * rule check, and reading the totals O(reps): per customer its rep, pair value, workload and broken
 * pair rule; per rep accounts, workload, value and expected value; sets of the customers that
 * break a pair rule, a lock, the no-unassigned rule, or move voluntarily.
 *
 * It reads the plan the way the verifier does (verify/pair-rules, verify/move-classification, the
 * same objective definition), and test/evaluate-assignment.test.ts holds it to verifyAssignment on
 * random plans and random move sequences.
 */
export class AssignmentEvaluator {
  readonly plan: Plan;
  readonly ctx: PairRuleContext;
  private readonly scoring: ScoringContext;
  private readonly customers: readonly Customer[];
  private readonly reps: readonly Rep[];
  private readonly customerIndex = new Map<string, number>();
  private readonly repIndex = new Map<string, number>();
  private readonly weights: Float64Array;
  private readonly available: boolean[];
  private readonly lockIndex = new Map<string, number>();

  private readonly repOf: Int32Array;
  private readonly pairValue: Float64Array;
  private readonly pairLoad: Float64Array;
  private readonly breach: (PairBreach | null)[];
  /** 0 no current rep, 1 current pair may stay, 2 current pair must go. */
  private readonly currentState: Uint8Array;
  private readonly currentRepIndex: Int32Array;

  private readonly accounts: Float64Array;
  private readonly workload: Float64Array;
  private readonly value: Float64Array;
  private readonly repEv: Float64Array;

  private sumEv = 0;
  private assignedCount = 0;
  private assignedValue = 0;
  private readonly breaches = new Set<number>();
  private readonly lockBreaks = new Set<number>();
  private readonly missing = new Set<number>();
  private readonly moved = new Set<number>();
  private readonly voluntary = new Set<number>();

  constructor(plan: Plan) {
    this.plan = plan;
    this.ctx = buildPairRuleContext(plan);
    this.scoring = { policy: this.ctx.policy, conversion: buildConversionModel(plan.history), pairScores: buildPairScoreIndex(plan.pairs) };
    this.customers = plan.customers;
    this.reps = plan.reps;
    this.customers.forEach((c, i) => {
      if (!this.customerIndex.has(c.id)) this.customerIndex.set(c.id, i);
    });
    this.reps.forEach((r, i) => {
      if (!this.repIndex.has(r.id)) this.repIndex.set(r.id, i);
    });
    this.ctx.policy.locks.forEach((l, i) => {
      if (!this.lockIndex.has(l.customer)) this.lockIndex.set(l.customer, i);
    });
    this.weights = fairShareWeights(this.reps);
    this.available = this.reps.map((r) => r.available !== false);
    const nC = this.customers.length;
    const nR = this.reps.length;
    this.repOf = new Int32Array(nC).fill(-1);
    this.pairValue = new Float64Array(nC);
    this.pairLoad = new Float64Array(nC);
    this.breach = new Array<PairBreach | null>(nC).fill(null);
    this.currentState = new Uint8Array(nC);
    this.currentRepIndex = new Int32Array(nC).fill(-1);
    this.accounts = new Float64Array(nR);
    this.workload = new Float64Array(nR);
    this.value = new Float64Array(nR);
    this.repEv = new Float64Array(nR);
    this.customers.forEach((c, i) => {
      if (c.currentRep !== undefined) {
        this.currentState[i] = classifyMove(this.ctx, c, undefined) === "forced" ? 2 : 1;
        this.currentRepIndex[i] = this.repIndex.get(c.currentRep) ?? -1;
      }
      this.settle(i);
    });
  }

  customerCount(): number {
    return this.customers.length;
  }

  /** The index of a customer id, or undefined. */
  indexOfCustomer(id: string): number | undefined {
    return this.customerIndex.get(id);
  }

  /** The index of a rep id, or undefined. */
  indexOfRep(id: string): number | undefined {
    return this.repIndex.get(id);
  }

  /** The rep index of customer `c`'s current rep, or -1 (none, or not in the plan). */
  currentRepOf(c: number): number {
    return this.currentRepIndex[c] ?? -1;
  }

  /** The rep index customer `c` is assigned to, or -1. */
  repIndexOf(c: number): number {
    return this.repOf[c] ?? -1;
  }

  /** The objective term of customer `c`'s pair (0 when unassigned or the pair has no score). */
  pairValueOf(c: number): number {
    return this.pairValue[c] ?? 0;
  }

  /** The objective term customer `c` would have with rep `r` (0 when the pair has no score). */
  valueWith(c: number, r: number): number {
    const customer = this.customers[c];
    const rep = this.reps[r];
    if (customer === undefined || rep === undefined) return 0;
    if (this.ctx.pairs !== null && !this.ctx.pairs.has(pairKey(customer.id, rep.id))) return 0;
    return scorePair(this.scoring, customer, rep).expectedValue;
  }

  /** Puts customer `c` with rep `r` (-1: unassigned). O(1) plus one pair's score and rule check. */
  assign(c: number, r: number): void {
    const customer = this.customers[c];
    if (customer === undefined) throw new RangeError(`no customer at index ${c}`);
    if (r >= this.reps.length || r < -1) throw new RangeError(`no rep at index ${r}`);
    const old = this.repOf[c] ?? -1;
    if (old === r) return;
    if (old >= 0) {
      this.accounts[old] = (this.accounts[old] ?? 0) - 1;
      this.workload[old] = (this.workload[old] ?? 0) - (this.pairLoad[c] ?? 0);
      this.value[old] = (this.value[old] ?? 0) - customer.value;
      this.repEv[old] = (this.repEv[old] ?? 0) - (this.pairValue[c] ?? 0);
      this.sumEv -= this.pairValue[c] ?? 0;
      this.assignedCount -= 1;
      this.assignedValue -= customer.value;
    }
    this.repOf[c] = r;
    this.pairValue[c] = 0;
    this.pairLoad[c] = 0;
    this.breach[c] = null;
    const rep = this.reps[r];
    if (rep !== undefined) {
      const breach = pairBreach(this.ctx, customer, rep);
      const unscored = this.ctx.pairs !== null && !this.ctx.pairs.has(pairKey(customer.id, rep.id));
      const ev = unscored ? 0 : scorePair(this.scoring, customer, rep).expectedValue;
      const load = pairWorkload(this.ctx, customer, rep);
      this.breach[c] = breach;
      this.pairValue[c] = ev;
      this.pairLoad[c] = load;
      this.accounts[r] = (this.accounts[r] ?? 0) + 1;
      this.workload[r] = (this.workload[r] ?? 0) + load;
      this.value[r] = (this.value[r] ?? 0) + customer.value;
      this.repEv[r] = (this.repEv[r] ?? 0) + ev;
      this.sumEv += ev;
      this.assignedCount += 1;
      this.assignedValue += customer.value;
    }
    this.settle(c);
  }

  /**
   * A copy of the running float sums, O(reps). Moving a customer away and back can leave a rounding
   * difference in a float sum; `restoreSums` after putting every customer back makes the evaluator
   * exactly as it was, so the same changes over it always give the same bytes.
   */
  sums(): EvaluatorSums {
    return { sumEv: this.sumEv, assignedValue: this.assignedValue, workload: this.workload.slice(), value: this.value.slice(), repEv: this.repEv.slice() };
  }

  /** Puts back sums taken with `sums()`, once every customer is back where it was then. */
  restoreSums(sums: EvaluatorSums): void {
    this.sumEv = sums.sumEv;
    this.assignedValue = sums.assignedValue;
    this.workload.set(sums.workload);
    this.value.set(sums.value);
    this.repEv.set(sums.repEv);
  }

  /** Re-files customer `c` in the sets of broken rules and moves. */
  private settle(c: number): void {
    const customer = this.customers[c];
    if (customer === undefined) return;
    const r = this.repOf[c] ?? -1;
    const repId = r >= 0 ? this.reps[r]?.id : undefined;
    toggle(this.breaches, c, this.breach[c] !== null && this.breach[c] !== undefined);
    toggle(this.missing, c, r < 0 && !this.ctx.policy.allowUnassigned);
    const lock = this.ctx.lockedRep.get(customer.id);
    toggle(this.lockBreaks, c, lock !== undefined && lock !== repId);
    const state = this.currentState[c] ?? 0;
    const moved = state !== 0 && repId !== customer.currentRep;
    toggle(this.moved, c, moved);
    toggle(this.voluntary, c, moved && state === 1);
  }

  /** Objective, counts and how many constraints of each kind are broken: O(reps). */
  totals(): EvaluatorTotals {
    const penalty = this.penalty();
    const brokenByKind: Record<string, number> = {};
    const add = (kind: string, n = 1) => {
      if (n > 0) brokenByKind[kind] = (brokenByKind[kind] ?? 0) + n;
    };
    // Pair-rule kinds are counted by a pass over the (usually few) breaking customers.
    for (const c of this.breaches) add(this.breach[c]?.kind ?? "rule");
    add("missing", this.missing.size);
    add("lock", this.lockBreaks.size);
    this.forEachRepBreak((kind) => add(kind));
    if (this.movesOverBudget()) add("max-moves");
    const feasible = Object.keys(brokenByKind).length === 0;
    return {
      objective: this.sumEv - penalty.total,
      expectedValue: this.sumEv,
      fairnessPenalty: penalty.total,
      assigned: this.assignedCount,
      assignedValue: this.assignedValue,
      moves: this.moved.size,
      voluntaryMoves: this.voluntary.size,
      brokenByKind,
      feasible,
    };
  }

  /** Per rep (plan order): loads, capacities, share and bands. */
  repPictures(): RepPicture[] {
    const penalty = this.penalty();
    const policy = this.ctx.policy;
    return this.reps.map((r, i) => {
      const share = this.available[i] === true ? (this.weights[i] ?? 0) * this.assignedValue : null;
      const countShare = this.available[i] === true ? (this.weights[i] ?? 0) * this.assignedCount : null;
      return {
        id: r.id,
        accounts: this.accounts[i] ?? 0,
        workload: this.workload[i] ?? 0,
        value: this.value[i] ?? 0,
        expectedValue: this.repEv[i] ?? 0,
        maxAccounts: r.maxAccounts ?? null,
        minAccounts: r.minAccounts ?? null,
        maxWorkload: r.maxWorkload ?? null,
        fairShare: share,
        valueBand: share === null || policy.valueBand === null ? null : [(1 - policy.valueBand) * share, (1 + policy.valueBand) * share],
        countBand: countShare === null || policy.countBand === null ? null : [(1 - policy.countBand) * countShare, (1 + policy.countBand) * countShare],
        outsideBand: penalty.perRep[i] ?? 0,
      };
    });
  }

  /**
   * Every broken constraint, in a fixed order (pair rules by customer, missing, locks, capacities
   * and bands by rep, moves). Paths name plan fields; `customerPath` names where a customer's
   * decision came from (default `customers[i]`). O(broken + reps).
   */
  broken(customerPath: (c: number) => string = (c) => `customers[${c}]`): BrokenConstraint[] {
    const out: BrokenConstraint[] = [];
    const id = (c: number) => this.customers[c]?.id ?? "";
    const repId = (r: number) => this.reps[r]?.id ?? "";
    for (const c of sorted(this.breaches)) {
      const b = this.breach[c];
      if (b === null || b === undefined) continue;
      out.push({ kind: b.kind, message: b.message, path: customerPath(c), customers: [id(c)], reps: [repId(this.repOf[c] ?? -1)] });
    }
    for (const c of sorted(this.missing)) {
      out.push({ kind: "missing", message: `customer "${id(c)}" is not assigned (policy.allowUnassigned is false)`, path: customerPath(c), customers: [id(c)], reps: [] });
    }
    for (const c of sorted(this.lockBreaks)) {
      const lock = this.ctx.lockedRep.get(id(c)) ?? "";
      const r = this.repOf[c] ?? -1;
      const actual = r < 0 ? "is unassigned" : `is assigned to rep "${repId(r)}"`;
      out.push({
        kind: "lock",
        message: `customer "${id(c)}" is locked to rep "${lock}" but ${actual}`,
        path: this.lockPath(id(c)),
        customers: [id(c)],
        reps: r < 0 ? [lock] : [lock, repId(r)],
      });
    }
    this.forEachRepBreak((kind, r, message, path) => out.push({ kind, message, path, customers: [], reps: [repId(r)] }));
    const maxMoves = this.ctx.policy.maxMoves;
    if (maxMoves !== null && this.movesOverBudget()) {
      const voluntary = sorted(this.voluntary);
      out.push({
        kind: "max-moves",
        message: `${voluntary.length} voluntary moves > maxMoves ${maxMoves}`,
        path: "policy.stability.maxMoves",
        customers: voluntary.slice(0, MAX_NAMED_CUSTOMERS).map(id),
        reps: [],
      });
    }
    return out;
  }

  /** policy.locks[i], or policy.overrides[j] for an override (resolved after the locks). */
  private lockPath(customer: string): string {
    const i = this.lockIndex.get(customer) ?? 0;
    const locks = this.plan.policy?.locks?.length ?? 0;
    return i < locks ? `policy.locks[${i}]` : `policy.overrides[${i - locks}]`;
  }

  private movesOverBudget(): boolean {
    const maxMoves = this.ctx.policy.maxMoves;
    return maxMoves !== null && this.voluntary.size > maxMoves;
  }

  private penalty(): { total: number; perRep: Float64Array } {
    const excess = valueBandExcess(this.ctx.policy, this.value, this.weights, this.available, this.assignedValue);
    return { total: excess.penalty, perRep: excess.perRep };
  }

  /** Capacity and band breaks, by rep in plan order, capacities before bands (as the verifier reports them). */
  private forEachRepBreak(emit: (kind: string, rep: number, message: string, path: string) => void): void {
    const policy = this.ctx.policy;
    this.reps.forEach((r, i) => {
      const accounts = this.accounts[i] ?? 0;
      const workload = this.workload[i] ?? 0;
      if (r.maxAccounts !== undefined && !atMost(accounts, r.maxAccounts)) {
        emit("max-accounts", i, `rep "${r.id}" has ${accounts} accounts > maxAccounts ${r.maxAccounts}`, `reps[${i}].maxAccounts`);
      }
      if (r.available !== false && r.minAccounts !== undefined && !atLeast(accounts, r.minAccounts)) {
        emit("min-accounts", i, `rep "${r.id}" has ${accounts} accounts < minAccounts ${r.minAccounts}`, `reps[${i}].minAccounts`);
      }
      if (r.maxWorkload !== undefined && !atMost(workload, r.maxWorkload)) {
        emit("max-workload", i, `rep "${r.id}" has workload ${num(workload)} > maxWorkload ${num(r.maxWorkload)}`, `reps[${i}].maxWorkload`);
      }
    });
    const bands = [
      { band: softValueBand(policy) ? null : policy.valueBand, kind: "value-band", what: "value", path: "policy.fairness.valueBand", total: this.assignedValue, amount: this.value },
      { band: policy.countBand, kind: "count-band", what: "accounts", path: "policy.fairness.countBand", total: this.assignedCount, amount: this.accounts },
    ];
    for (const { band, kind, what, path, total, amount } of bands) {
      if (band === null) continue;
      this.reps.forEach((r, i) => {
        if (r.available === false) return;
        const share = (this.weights[i] ?? 0) * total;
        const lower = (1 - band) * share;
        const upper = (1 + band) * share;
        const x = amount[i] ?? 0;
        if (!atLeast(x, lower)) emit(kind, i, `rep "${r.id}" has ${what} ${num(x)} < ${num(lower)} = (1 − ${band}) × fair share ${num(share)}`, path);
        else if (!atMost(x, upper)) emit(kind, i, `rep "${r.id}" has ${what} ${num(x)} > ${num(upper)} = (1 + ${band}) × fair share ${num(share)}`, path);
      });
    }
  }
}

function toggle(set: Set<number>, c: number, on: boolean): void {
  if (on) set.add(c);
  else set.delete(c);
}

function sorted(set: ReadonlySet<number>): number[] {
  return [...set].sort((a, b) => a - b);
}

function num(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 1e6) / 1e6);
}
