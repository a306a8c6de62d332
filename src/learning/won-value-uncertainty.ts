import type { Customer, Plan, Rep, RepWonValue, Solution, SolutionUncertainty } from "../../models/index.ts";
import { sampleBeta } from "../numeric/beta-sampling.ts";
import { gini } from "../numeric/gini.ts";
import { RandomStream } from "../numeric/random-stream.ts";
import { buildConversionModel, type ConversionEstimate } from "../plan/conversion-model.ts";
import { specialtyFit } from "../plan/expected-value.ts";
import { resolvePolicy } from "../plan/resolved-policy.ts";

/**
 * The spread of what each rep may win with a Solution's book (`?uncertainty=true`): posterior
 * sampling of conversion rates. Each sample draws every (rep, segment) conversion rate the book
 * uses from its posterior Beta (the conversion model's, whose mean the plan optimised), then each
 * assigned customer is won with probability min(1, rate × fit) and, when won, brings its `value`.
 * Both what is not known about the rates and the luck of each deal are in the spread; travel costs
 * and penalties are costs, not wins, and are left out. Percentiles are nearest-rank (the smallest
 * sampled value with at least that share of the samples at or below it), so the same plan, seed and
 * sample count give the same figures.
 */

export interface UncertaintyOptions {
  /** Draws asked for. */
  samples: number;
  seed: number;
}

export const DEFAULT_UNCERTAINTY_SAMPLES = 2_000;
export const MAX_UNCERTAINTY_SAMPLES = 20_000;
export const DEFAULT_UNCERTAINTY_SEED = 1;
/** Most customer draws (samples × assigned customers) one Solution's uncertainty makes: bounds the work on big books. */
export const MAX_CUSTOMER_DRAWS = 20_000_000;

export const UNCERTAINTY_METHOD =
  "Posterior sampling: each sample draws every (rep, segment) conversion rate of the book from its posterior Beta, then wins each assigned customer " +
  "with probability min(1, rate × fit), adding its value when won. Percentiles are nearest-rank over the samples; travel costs and penalties are not won value.";

/** The q-quantile of sorted values by nearest rank. */
export function nearestRank(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

interface Draw {
  customer: Customer;
  rep: number;
  cell: number;
  fit: number;
}

function notModelled(options: UncertaintyOptions, samples: number): SolutionUncertainty {
  return { method: UNCERTAINTY_METHOD, modelled: false, seed: options.seed, samples, reps: [], total: null, fairness: null };
}

export function wonValueUncertainty(plan: Plan, solution: Solution, options: UncertaintyOptions): SolutionUncertainty {
  const model = buildConversionModel(plan.history);
  if (plan.pairs !== undefined || model.globalRate === null || solution.assignments.length === 0) return notModelled(options, 0);
  const policy = resolvePolicy(plan.policy);
  const samples = Math.max(1, Math.min(options.samples, Math.floor(MAX_CUSTOMER_DRAWS / solution.assignments.length)));

  const customerById = new Map(plan.customers.map((c) => [c.id, c] as const));
  const repIndex = new Map(plan.reps.map((r, i) => [r.id, i] as const));
  const cells: ConversionEstimate[] = [];
  const cellIndex = new Map<string, number>();
  const draws: Draw[] = [];
  for (const a of solution.assignments) {
    const customer = customerById.get(a.customer);
    const r = repIndex.get(a.rep);
    const rep: Rep | undefined = r === undefined ? undefined : plan.reps[r];
    if (customer === undefined || r === undefined || rep === undefined) throw new Error(`the Solution assigns ${a.customer} to ${a.rep}, which the plan does not have`);
    const key = JSON.stringify([a.rep, customer.segment ?? null]);
    let cell = cellIndex.get(key);
    if (cell === undefined) {
      cell = cells.length;
      cellIndex.set(key, cell);
      cells.push(model.estimate(a.rep, customer.segment));
    }
    draws.push({ customer, rep: r, cell, fit: specialtyFit(customer, rep, policy.specialtyBonus) });
  }

  const rng = new RandomStream(options.seed);
  const repCount = plan.reps.length;
  const won = Array.from({ length: repCount }, () => new Float64Array(samples));
  const total = new Float64Array(samples);
  const rates = new Float64Array(cells.length);
  for (let s = 0; s < samples; s++) {
    for (let k = 0; k < cells.length; k++) {
      const e = cells[k];
      rates[k] = e?.posterior === undefined ? (e?.p ?? 0) : sampleBeta(rng, e.posterior.alpha, e.posterior.beta);
    }
    for (const d of draws) {
      const chance = Math.min(1, (rates[d.cell] ?? 0) * d.fit);
      if (rng.next() < chance) {
        const row = won[d.rep];
        if (row !== undefined) row[s] = (row[s] ?? 0) + d.customer.value;
        total[s] = (total[s] ?? 0) + d.customer.value;
      }
    }
  }

  const accounts = new Map(solution.reps.map((r) => [r.id, r.accounts] as const));
  const mean = (values: Float64Array) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const reps: RepWonValue[] = [];
  plan.reps.forEach((rep, i) => {
    if (rep.available === false) return;
    const values = won[i] ?? new Float64Array(samples);
    const expectedWonValue = mean(values);
    const quotaProbability = rep.quota === undefined ? null : values.reduce((n, v) => n + (v >= (rep.quota ?? 0) ? 1 : 0), 0) / samples;
    values.sort();
    reps.push({
      rep: rep.id,
      accounts: accounts.get(rep.id) ?? 0,
      expectedWonValue,
      p10: nearestRank(values, 0.1),
      p50: nearestRank(values, 0.5),
      p90: nearestRank(values, 0.9),
      quota: rep.quota ?? null,
      quotaProbability,
    });
  });
  const expectedTotal = mean(total);
  total.sort();
  const chances = reps.flatMap((r) => (r.quotaProbability === null ? [] : [r.quotaProbability]));
  const min = chances.length === 0 ? null : Math.min(...chances);
  const max = chances.length === 0 ? null : Math.max(...chances);
  return {
    method: UNCERTAINTY_METHOD,
    modelled: true,
    seed: options.seed,
    samples,
    reps,
    total: { expectedWonValue: expectedTotal, p10: nearestRank(total, 0.1), p50: nearestRank(total, 0.5), p90: nearestRank(total, 0.9) },
    fairness: {
      repsWithQuota: chances.length,
      quotaProbabilityMin: min,
      quotaProbabilityMax: max,
      quotaProbabilitySpread: min === null || max === null ? null : max - min,
      valueGini: solution.metrics.valueGini,
      expectedWonValueGini: gini(reps.map((r) => r.expectedWonValue)),
    },
  };
}
