import type { Customer, Plan, Rep } from "../../models/index.ts";
import type { AssignmentPair } from "../verify/verify-assignment.ts";
import { territoryPools } from "./territory-pools.ts";

/**
 * Splits `n` items among reps in proportion to `weights` by largest remainder: each gets
 * ⌊n·w/Σw⌋, and the items left over go one each to the largest fractional parts (ties to the rep
 * first in order). Equal weights when they sum to 0.
 */
export function largestRemainder(n: number, weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  const shares = weights.map((w) => (total > 0 ? (n * w) / total : n / weights.length));
  const quotas = shares.map(Math.floor);
  let left = n - quotas.reduce((s, q) => s + q, 0);
  const order = shares.map((s, i) => ({ i, frac: s - Math.floor(s) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    quotas[i] = (quotas[i] ?? 0) + 1;
    left -= 1;
  }
  return quotas;
}

/**
 * Value tiers, highest-value customers to the most senior reps: within each territory pool (see
 * territory-pools.ts), customers sorted by value (highest first, ties in plan order) are dealt in
 * consecutive blocks to the reps sorted by seniority (highest first, ties in plan order). Block
 * sizes split the pool's customers in proportion to the reps' maxAccounts when every rep of the pool
 * has one, else equally (largest remainder). Workload and specialties are not looked at. A rep
 * that covers several territories gets a block in each.
 */
export function valueTiers(plan: Plan): AssignmentPair[] {
  const poolOf = territoryPools(plan);
  const groups = new Map<string | null, { reps: readonly number[]; customers: { c: Customer; index: number }[] }>();
  plan.customers.forEach((c, index) => {
    const pool = poolOf(c);
    let group = groups.get(pool.key);
    if (group === undefined) groups.set(pool.key, (group = { reps: pool.reps, customers: [] }));
    group.customers.push({ c, index });
  });
  const repOf = new Map<string, string>();
  for (const group of groups.values()) {
    if (group.reps.length === 0) continue;
    const reps = group.reps
      .flatMap((i) => {
        const rep = plan.reps[i];
        return rep === undefined ? [] : [{ rep, i }];
      })
      .sort((a, b) => (b.rep.seniority ?? 0) - (a.rep.seniority ?? 0) || a.i - b.i)
      .map((x) => x.rep);
    const customers = [...group.customers].sort((a, b) => b.c.value - a.c.value || a.index - b.index);
    const capacities = reps.every((r) => r.maxAccounts !== undefined) ? reps.map((r: Rep) => r.maxAccounts ?? 0) : reps.map(() => 1);
    const quotas = largestRemainder(customers.length, capacities);
    let next = 0;
    reps.forEach((rep, k) => {
      for (let q = 0; q < (quotas[k] ?? 0); q++) {
        const item = customers[next++];
        if (item !== undefined) repOf.set(item.c.id, rep.id);
      }
    });
  }
  const out: AssignmentPair[] = [];
  for (const c of plan.customers) {
    const rep = repOf.get(c.id);
    if (rep !== undefined) out.push({ customer: c.id, rep });
  }
  return out;
}
