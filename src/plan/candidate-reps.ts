import type { Customer, Plan } from "../../models/index.ts";
import type { ResolvedPolicy } from "./resolved-policy.ts";

/**
 * The reps that may serve each customer before the per-pair rules (eligibility.ts): a cheap index
 * that spares callers a customer × rep scan, shared by the pair table, the explanations and the
 * plan statistics. A plan that lists `pairs` allows a customer only its listed reps. Otherwise,
 * under hard territories, a locked customer may have only its lock's rep, a customer with a
 * territory the reps who list it plus those without `territories` (they work everywhere), and a
 * customer without one any rep; under soft or ignored territories, every rep.
 *
 * Lists hold indices into plan.reps, ascending. Customers with the same candidates share one array,
 * so callers may cache work per list. Lists are built on first use.
 */
export interface CandidateReps {
  /** Every rep of the plan. */
  readonly all: readonly number[];
  /** The customer's candidate reps. */
  of(customer: Customer): readonly number[];
  /** The reps who may work in a territory: those listing it and those without `territories`. */
  inTerritory(territory: string): readonly number[];
  /**
   * An upper bound on Σ of(customer).length over the plan's customers, in O(customers + reps) and
   * without building any list: the number of pairs when the plan lists them, 1 per locked customer.
   * Exact for a valid plan (its pairs and locks name known customers and reps, each pair once).
   */
  total(): number;
}

/** What decides the candidates besides the plan: the territory mode and the locks (as in the policy). */
export interface CandidateScope {
  territory: ResolvedPolicy["territory"];
  locks: readonly { customer: string; rep: string }[];
}

const NONE: readonly number[] = [];

function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

export function buildCandidateReps(plan: Plan, scope: CandidateScope): CandidateReps {
  const all = plan.reps.map((_, i) => i);
  const repIndex = new Map<string, number>();
  plan.reps.forEach((r, i) => {
    if (!repIndex.has(r.id)) repIndex.set(r.id, i);
  });
  const hard = scope.territory === "hard";
  const lockOf = new Map<string, string>();
  if (hard) for (const l of scope.locks) lockOf.set(l.customer, l.rep);
  const single = new Map<number, readonly number[]>();
  const only = (r: number): readonly number[] => {
    let list = single.get(r);
    if (list === undefined) single.set(r, (list = [r]));
    return list;
  };

  /** customer id → its listed reps (plans with pairs). */
  const listed = once(() => {
    const out = new Map<string, number[]>();
    for (const p of plan.pairs ?? []) {
      const r = repIndex.get(p.rep);
      if (r === undefined) continue;
      let list = out.get(p.customer);
      if (list === undefined) out.set(p.customer, (list = []));
      list.push(r);
    }
    for (const list of out.values()) list.sort((a, b) => a - b);
    return out;
  });

  /** Reps without territories, and the reps listing each territory. */
  const coverage = once(() => {
    const everywhere: number[] = [];
    const covering = new Map<string, number[]>();
    plan.reps.forEach((rep, i) => {
      if (rep.territories === undefined) {
        everywhere.push(i);
        return;
      }
      for (const t of new Set(rep.territories)) {
        let list = covering.get(t);
        if (list === undefined) covering.set(t, (list = []));
        list.push(i);
      }
    });
    return { everywhere, covering };
  });
  const merged = new Map<string, readonly number[]>();
  const inTerritory = (territory: string): readonly number[] => {
    let list = merged.get(territory);
    if (list === undefined) {
      const { everywhere, covering } = coverage();
      const own = covering.get(territory);
      list = own === undefined ? everywhere : [...own, ...everywhere].sort((a, b) => a - b);
      merged.set(territory, list);
    }
    return list;
  };

  const of = (customer: Customer): readonly number[] => {
    if (plan.pairs !== undefined) return listed().get(customer.id) ?? NONE;
    if (!hard) return all;
    const lock = lockOf.get(customer.id);
    if (lock !== undefined) {
      const r = repIndex.get(lock);
      return r === undefined ? NONE : only(r);
    }
    return customer.territory === undefined ? all : inTerritory(customer.territory);
  };

  return {
    all,
    of,
    inTerritory,
    total() {
      if (plan.pairs !== undefined) return plan.pairs.length;
      if (!hard) return plan.customers.length * all.length;
      const { everywhere, covering } = coverage();
      let sum = 0;
      for (const customer of plan.customers) {
        if (lockOf.has(customer.id)) sum += 1;
        else if (customer.territory === undefined) sum += all.length;
        else sum += (covering.get(customer.territory)?.length ?? 0) + everywhere.length;
      }
      return sum;
    },
  };
}
