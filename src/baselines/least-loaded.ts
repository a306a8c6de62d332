import type { Plan } from "../../models/index.ts";
import type { AssignmentPair } from "../verify/verify-assignment.ts";
import { territoryPools } from "./territory-pools.ts";

/**
 * Least loaded: customers in plan order; each goes to the rep of its territory pool (see
 * territory-pools.ts) with the least workload given so far in this run (Σ of the customers'
 * `workload`, default 1), ties to the rep with fewer accounts, then to the rep listed first.
 * Loads start at zero (the current book is not carried over) and limits are not looked at.
 */
export function leastLoaded(plan: Plan): AssignmentPair[] {
  const poolOf = territoryPools(plan);
  const workload = new Float64Array(plan.reps.length);
  const accounts = new Int32Array(plan.reps.length);
  const out: AssignmentPair[] = [];
  for (const c of plan.customers) {
    let best = -1;
    for (const i of poolOf(c).reps) {
      if (best < 0) {
        best = i;
        continue;
      }
      const w = workload[i] ?? 0;
      const bw = workload[best] ?? 0;
      if (w < bw || (w === bw && (accounts[i] ?? 0) < (accounts[best] ?? 0))) best = i;
    }
    const rep = plan.reps[best];
    if (rep === undefined) continue;
    workload[best] = (workload[best] ?? 0) + (c.workload ?? 1);
    accounts[best] = (accounts[best] ?? 0) + 1;
    out.push({ customer: c.id, rep: rep.id });
  }
  return out;
}
