import type { Customer, Outcome, Rep } from "../models/index.ts";
import { SeededRandom } from "./seeded-random.ts";

/**
 * A seeded simulated world for the proof of value over quarters (`npm run bench:value`): reps with
 * hidden true conversion rates per segment, a fresh book of deals each quarter, reps who leave and
 * are replaced by new ones without history. The world does not depend on how deals are assigned:
 * its roster, books and the uniform draw that decides each deal are fixed by the seed, so every
 * method faces the same quarters and the same luck (common random numbers) and differs only by
 * whom it gives each deal to.
 *
 * - A rep's true rate in segment s is base(s) × skill × affinity(s), clamped to [0.01, 0.9], with
 *   skill and affinity log-normal (σ `skillSigma` and `affinitySigma`): reps differ, and each is better in
 *   some segments than others.
 * - Reps present at the start have history: per segment a log-normal number of past attempts
 *   (median `historyMedian`, σ 1: some have a handful, some hundreds) drawn from their true rates.
 * - Each quarter brings `customersPerQuarter` deals (territory uniform, segment by weight, value
 *   log-normal with median 50,000); each rep can work `capacitySlack` × its territory's deals ÷ its
 *   territory's reps (rounded up). A deal is won when its uniform draw is below the true rate of
 *   the rep who works it; a rep works at most its maxAccounts deals (the first in plan order), the
 *   rest of its deals are not worked and are lost.
 * - After each quarter every rep leaves with probability `turnover` (at least two stay per
 *   territory) and is replaced by a new rep of the same territory, with no history.
 */

export interface ValueWorldOptions {
  seed: number;
  quarters?: number;
  territories?: number;
  repsPerTerritory?: number;
  customersPerQuarter?: number;
  segments?: number;
  skillSigma?: number;
  affinitySigma?: number;
  historyMedian?: number;
  turnover?: number;
  capacitySlack?: number;
}

export const DEFAULT_VALUE_WORLD = {
  quarters: 8,
  territories: 3,
  repsPerTerritory: 4,
  customersPerQuarter: 180,
  segments: 4,
  skillSigma: 0.35,
  affinitySigma: 0.25,
  historyMedian: 25,
  turnover: 0.12,
  capacitySlack: 1.2,
} as const;

const SEGMENT_RATES = [0.12, 0.18, 0.24, 0.3, 0.15, 0.21];
const VALUE_MEDIAN = 50_000;

export interface WorldRep {
  id: string;
  territory: string;
  /** Segment → true conversion rate (hidden from every method). */
  rates: ReadonlyMap<string, number>;
  /** First quarter the rep works (0 = from the start, with history). */
  joined: number;
  /** Last quarter the rep works (inclusive). */
  last: number;
}

export interface QuarterBook {
  customers: Customer[];
  /** Per customer (same order): the uniform draw that decides the deal. */
  luck: Float64Array;
}

export class ValueWorld {
  readonly quarters: number;
  readonly segments: readonly string[];
  readonly territories: readonly string[];
  readonly roster: readonly WorldRep[];
  private readonly options: Required<ValueWorldOptions>;
  private readonly history: Outcome[];

  constructor(options: ValueWorldOptions) {
    const o: Required<ValueWorldOptions> = { ...DEFAULT_VALUE_WORLD, ...options };
    this.options = o;
    this.quarters = o.quarters;
    this.segments = Array.from({ length: o.segments }, (_, s) => `segment-${s + 1}`);
    this.territories = Array.from({ length: o.territories }, (_, t) => `territory-${t + 1}`);
    const rng = new SeededRandom(o.seed);
    const roster: WorldRep[] = [];
    const history: Outcome[] = [];
    let next = 0;
    const newRep = (territory: string, joined: number): WorldRep => {
      const skill = rng.lognormal(1, o.skillSigma);
      const rates = new Map<string, number>();
      this.segments.forEach((segment, s) => {
        const base = SEGMENT_RATES[s % SEGMENT_RATES.length] ?? 0.2;
        rates.set(segment, Math.min(0.9, Math.max(0.01, base * skill * rng.lognormal(1, o.affinitySigma))));
      });
      next += 1;
      return { id: `rep-${String(next).padStart(3, "0")}`, territory, rates, joined, last: o.quarters - 1 };
    };
    for (const territory of this.territories) {
      for (let k = 0; k < o.repsPerTerritory; k++) {
        const rep = newRep(territory, 0);
        roster.push(rep);
        for (const segment of this.segments) {
          const attempts = o.historyMedian === 0 ? 0 : Math.round(rng.lognormal(o.historyMedian, 1));
          if (attempts === 0) continue;
          history.push({ rep: rep.id, segment, wins: rng.binomial(attempts, rep.rates.get(segment) ?? 0), attempts });
        }
      }
    }
    for (let q = 0; q < o.quarters - 1; q++) {
      for (const territory of this.territories) {
        const present = roster.filter((r) => r.territory === territory && r.joined <= q && r.last >= q);
        let staying = present.length;
        for (const rep of present) {
          if (staying <= 2 || !rng.chance(o.turnover)) continue;
          rep.last = q;
          staying -= 1;
          roster.push(newRep(territory, q + 1));
        }
      }
    }
    this.roster = roster;
    this.history = history;
  }

  /** The history known before the first quarter. */
  initialHistory(): Outcome[] {
    return this.history.map((h) => ({ ...h }));
  }

  /** The reps working in quarter q, in roster order. */
  repsAt(q: number): WorldRep[] {
    return this.roster.filter((r) => r.joined <= q && r.last >= q);
  }

  trueRate(rep: string, segment: string): number {
    return this.roster.find((r) => r.id === rep)?.rates.get(segment) ?? 0;
  }

  /** Quarter q's deals and their draws (the same for every method). */
  book(q: number): QuarterBook {
    const rng = new SeededRandom(this.options.seed * 1_000 + q + 1);
    const weights = this.segments.map((_, s) => 1 + 0.5 * Math.cos(s));
    const customers: Customer[] = [];
    const luck = new Float64Array(this.options.customersPerQuarter);
    for (let i = 0; i < this.options.customersPerQuarter; i++) {
      customers.push({
        id: `q${q + 1}-c${String(i + 1).padStart(4, "0")}`,
        value: Math.max(1_000, Math.round(rng.lognormal(VALUE_MEDIAN, 1) / 100) * 100),
        territory: rng.choice(this.territories),
        segment: this.segments[rng.weightedIndex(weights)] ?? "segment-1",
      });
      luck[i] = rng.next();
    }
    return { customers, luck };
  }

  /** The reps of quarter q as a plan's reps: each can work slack × its territory's deals ÷ its territory's reps. */
  planReps(q: number, customers: readonly Customer[]): Rep[] {
    const reps = this.repsAt(q);
    return reps.map((r) => {
      const deals = customers.filter((c) => c.territory === r.territory).length;
      const colleagues = reps.filter((x) => x.territory === r.territory).length;
      return { id: r.id, territories: [r.territory], maxAccounts: Math.max(1, Math.ceil((this.options.capacitySlack * deals) / colleagues)) };
    });
  }
}
