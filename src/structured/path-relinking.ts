import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { mulberry32 } from "../numeric/mulberry32.ts";
import { indexAt } from "./checked-read.ts";
import { overLimitPenalty } from "./over-limit-penalty.ts";
import { searchByEjectionChains } from "./ejection-chain-search.ts";
import type { WorkMeter } from "./work-budget.ts";

/**
 * Path relinking between elite plans for parts shaped like the generalized assignment problem
 * (ejectionChainsApply), after Yagiura, Ibaraki & Glover, "A path relinking approach with ejection
 * chains for the generalized assignment problem" (EJOR 169, 2006). An elite set of the best
 * distinct plans met is kept; a path walks from one elite plan towards another, one customer at a
 * time, each step moving the customer (among those the two plans place differently) whose move to
 * the guiding plan's rep costs least in score plus a penalty on workload and accounts over the
 * limits; at a few points along the path the ejection-chain search (ejection-chain-search.ts)
 * starts from the plan there, infeasible or not, and its best plan joins the elite set when it is
 * better than the worst one and new. The paths explore the region between good plans, where the
 * better plans of these problems tend to lie.
 *
 * Deterministic: elite plans, paths and steps are taken in a fixed order, ties by index, the
 * searches draw from seeded generators. Work: the searches' own, plus one unit per step looked at.
 */
export interface ElitePlan {
  choice: PairChoice;
  objective: number;
}

export interface RelinkOptions {
  /** Candidate ranking of the ejection-chain search (e.g. Lagrangian reduced scores); default the scores. */
  guide?: Float64Array;
  /** Plans kept in the elite set. */
  eliteSize: number;
  /** Restarts without a better plan after which each ejection-chain search ends. */
  patience: number;
  /** Local optima without a better plan before each search restarts. */
  restartAfter: number;
  /** Points along a path where a search starts. */
  stops: number;
  /** First seed of the searches (each gets the next). */
  seed: number;
  /** Stop once a plan reaches this objective. */
  target?: number;
}

/** The settings kept (measured on Chu & Beasley types C, D and E at 10 s, docs/scale.md). */
export const RELINKING = { eliteSize: 8, patience: 1, restartAfter: 30, stops: 5, seed: 2 };

/** Share of the customers moved at random to start a search for a new elite plan. */
const KICK_SHARE = 0.1;

const samePlan = (a: PairChoice, b: PairChoice): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** Adds `plan` to the elite set (sorted best first, at most `size`) when it is new and good enough. */
function admit(elite: ElitePlan[], plan: ElitePlan, size: number): boolean {
  if (elite.some((e) => e.objective === plan.objective && samePlan(e.choice, plan.choice))) return false;
  if (elite.length >= size && plan.objective <= (elite[elite.length - 1]?.objective ?? -Infinity)) return false;
  elite.push({ choice: plan.choice.slice(), objective: plan.objective });
  elite.sort((a, b) => b.objective - a.objective);
  if (elite.length > size) elite.pop();
  return true;
}

/**
 * The plans along the path from `from` towards `to`, at `stops` evenly spaced points (the ends
 * excluded), each step the cheapest move by penalised score.
 */
function pathPoints(problem: AssignmentProblem, from: PairChoice, to: PairChoice, stops: number, work: WorkMeter): PairChoice[] {
  const p = problem;
  const R = p.repCount;
  const { capW, capA, unitW, unitA } = overLimitPenalty(p);
  const loadW = new Float64Array(R);
  const loadA = new Float64Array(R);
  const choice = from.slice();
  for (let c = 0; c < p.customerCount; c++) {
    const k = indexAt(choice, c);
    const r = indexAt(p.pairRep, k);
    loadW[r] = (loadW[r] ?? 0) + (p.pairWorkload[k] ?? 0);
    loadA[r] = (loadA[r] ?? 0) + 1;
  }
  const over = (r: number, w: number, a: number): number => unitW * Math.max(0, w - (capW[r] ?? 0)) + unitA * Math.max(0, a - (capA[r] ?? 0));
  const differ: number[] = [];
  for (let c = 0; c < p.customerCount; c++) if (choice[c] !== to[c]) differ.push(c);
  const steps = differ.length;
  const points: PairChoice[] = [];
  if (steps < 2) return points;
  const every = Math.max(1, Math.floor(steps / (stops + 1)));
  for (let step = 1; step < steps; step++) {
    let bestAt = -1;
    let bestGain = -Infinity;
    for (let i = 0; i < differ.length; i++) {
      const c = differ[i] ?? 0;
      const k0 = indexAt(choice, c);
      const k1 = indexAt(to, c);
      const r0 = indexAt(p.pairRep, k0);
      const r1 = indexAt(p.pairRep, k1);
      const w0 = p.pairWorkload[k0] ?? 0;
      const w1 = p.pairWorkload[k1] ?? 0;
      const before = over(r0, loadW[r0] ?? 0, loadA[r0] ?? 0) + over(r1, loadW[r1] ?? 0, loadA[r1] ?? 0);
      const after = over(r0, (loadW[r0] ?? 0) - w0, (loadA[r0] ?? 0) - 1) + over(r1, (loadW[r1] ?? 0) + w1, (loadA[r1] ?? 0) + 1);
      const gain = (p.pairScore[k1] ?? 0) - (p.pairScore[k0] ?? 0) - (after - before);
      if (gain > bestGain) {
        bestGain = gain;
        bestAt = i;
      }
    }
    work.spend(differ.length);
    const c = differ[bestAt] ?? 0;
    const k0 = indexAt(choice, c);
    const k1 = indexAt(to, c);
    const r0 = indexAt(p.pairRep, k0);
    const r1 = indexAt(p.pairRep, k1);
    loadW[r0] = (loadW[r0] ?? 0) - (p.pairWorkload[k0] ?? 0);
    loadA[r0] = (loadA[r0] ?? 0) - 1;
    loadW[r1] = (loadW[r1] ?? 0) + (p.pairWorkload[k1] ?? 0);
    loadA[r1] = (loadA[r1] ?? 0) + 1;
    choice[c] = k1;
    differ.splice(bestAt, 1);
    if (step % every === 0 && points.length < stops) points.push(choice.slice());
  }
  return points;
}

/** A short fingerprint of a plan (FNV-1a over its pairs), for the pairs of plans already relinked. */
function fingerprint(choice: PairChoice): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < choice.length; i++) {
    h ^= choice[i] ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/**
 * Relinks elite plans: each `run` goes on until its work ends or the target is reached. A path
 * goes from the best plan towards the best other elite plan not yet relinked with it, and back;
 * when no such pair is left, a search from the best plan with a new seed renews the elite set.
 * The state (elite set, pairs tried, seeds) carries over from one `run` to the next.
 */
export class PathRelinking {
  readonly elite: ElitePlan[] = [];
  paths = 0;
  searches = 0;
  private seed: number;
  private readonly tried = new Set<string>();

  constructor(
    private readonly problem: AssignmentProblem,
    start: readonly ElitePlan[],
    private readonly options: RelinkOptions,
  ) {
    for (const plan of start) admit(this.elite, plan, options.eliteSize);
    if (this.elite.length === 0) throw new Error("path relinking needs at least one plan");
    this.seed = options.seed;
  }

  get best(): ElitePlan {
    const best = this.elite[0];
    if (best === undefined) throw new Error("path relinking needs at least one plan");
    return best;
  }

  private search(from: PairChoice, work: WorkMeter): void {
    const target = this.options.target;
    const result = searchByEjectionChains(this.problem, this.best.choice, { work, ...(this.options.guide === undefined ? {} : { guide: this.options.guide }), seed: this.seed++, patience: this.options.patience, restartAfter: this.options.restartAfter, from, fresh: true, ...(target === undefined ? {} : { target }) });
    this.searches++;
    admit(this.elite, { choice: result.choice, objective: result.objective }, this.options.eliteSize);
  }

  /** `choice` with KICK_SHARE of the customers moved to a pair drawn at random (seeded). */
  private kicked(choice: PairChoice): PairChoice {
    const p = this.problem;
    const out = choice.slice();
    const random = mulberry32(Math.imul(this.seed, 0x9e3779b1));
    const kicks = Math.max(2, Math.round(KICK_SHARE * p.customerCount));
    for (let i = 0; i < kicks; i++) {
      const c = Math.min(p.customerCount - 1, Math.floor(random() * p.customerCount));
      const from = indexAt(p.customerStart, c);
      const n = indexAt(p.customerStart, c + 1) - from;
      if (n > 0) out[c] = from + Math.min(n - 1, Math.floor(random() * n));
    }
    return out;
  }

  run(work: WorkMeter): void {
    const target = this.options.target ?? Infinity;
    while (!work.exhausted() && this.best.objective < target) {
      const best = this.best;
      const key = (other: ElitePlan): string => `${fingerprint(best.choice)}>${fingerprint(other.choice)}`;
      const guide = this.elite.slice(1).find((other) => !this.tried.has(key(other)));
      if (guide === undefined) {
        // Nothing left to relink: a new elite plan from a search from the best one, a share of
        // its customers first moved at random (a plan that differs, to relink with).
        this.search(this.kicked(best.choice), work);
        continue;
      }
      this.tried.add(key(guide));
      this.paths++;
      for (const [a, b] of [
        [best.choice, guide.choice],
        [guide.choice, best.choice],
      ] as const) {
        for (const point of pathPoints(this.problem, a, b, this.options.stops, work)) {
          if (work.exhausted()) break;
          this.search(point, work);
        }
      }
    }
  }
}
