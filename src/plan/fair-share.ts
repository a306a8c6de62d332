import type { Rep } from "../../models/index.ts";

/**
 * Fair shares (docs/decisions.md, "Constraints"): each available rep's share of the assigned total is proportional to its
 * capacity. The capacity measure is `maxWorkload` when every available rep has one, else
 * `maxAccounts` when every available rep has one, else 1 each (equal shares). Unavailable reps get
 * weight 0. When every weight is 0 (all capacities 0), available reps share equally.
 */
export function fairShareWeights(reps: readonly Rep[]): Float64Array {
  const weights = new Float64Array(reps.length);
  const available = reps.map((r) => r.available !== false);
  const all = (pick: (r: Rep) => number | undefined) => reps.every((r, i) => !available[i] || pick(r) !== undefined);
  const measure: (r: Rep) => number = all((r) => r.maxWorkload)
    ? (r) => r.maxWorkload ?? 0
    : all((r) => r.maxAccounts)
      ? (r) => r.maxAccounts ?? 0
      : () => 1;
  let total = 0;
  reps.forEach((r, i) => {
    const w = available[i] ? measure(r) : 0;
    weights[i] = w;
    total += w;
  });
  if (total <= 0) {
    const count = available.filter(Boolean).length;
    reps.forEach((_, i) => (weights[i] = available[i] && count > 0 ? 1 / count : 0));
    return weights;
  }
  for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] ?? 0) / total;
  return weights;
}
