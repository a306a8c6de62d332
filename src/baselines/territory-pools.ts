import type { Customer, Plan } from "../../models/index.ts";

/**
 * The reps a classic method may give a customer: the available reps whose `territories` include the
 * customer's territory, or who have no `territories` (they work everywhere), in plan order. A
 * customer without a territory may go to any available rep. Customers of the same territory share
 * one pool (the pool's `key`), so methods can keep per-pool state such as a round-robin cursor.
 */
export interface TerritoryPool {
  /** The customer's territory; null for customers without one. */
  key: string | null;
  /** Indices into plan.reps, ascending. */
  reps: readonly number[];
}

export function territoryPools(plan: Plan): (c: Customer) => TerritoryPool {
  const all: number[] = [];
  const everywhere: number[] = [];
  const covering = new Map<string, number[]>();
  plan.reps.forEach((r, i) => {
    if (r.available === false) return;
    all.push(i);
    if (r.territories === undefined) {
      everywhere.push(i);
      return;
    }
    for (const t of new Set(r.territories)) {
      let list = covering.get(t);
      if (list === undefined) covering.set(t, (list = []));
      list.push(i);
    }
  });
  const pools = new Map<string, TerritoryPool>();
  const none: TerritoryPool = { key: null, reps: all };
  return (c) => {
    if (c.territory === undefined) return none;
    let pool = pools.get(c.territory);
    if (pool === undefined) {
      const reps = [...(covering.get(c.territory) ?? []), ...everywhere].sort((a, b) => a - b);
      pool = { key: c.territory, reps };
      pools.set(c.territory, pool);
    }
    return pool;
  };
}
