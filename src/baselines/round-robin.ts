import type { Plan } from "../../models/index.ts";
import type { AssignmentPair } from "../verify/verify-assignment.ts";
import { territoryPools } from "./territory-pools.ts";

/**
 * Round robin within territory: customers in plan order; each territory keeps a cursor over its
 * pool of reps (see territory-pools.ts) and gives each customer to the next rep in the cycle. It
 * looks at nothing else: not capacity, specialties, seniority, value or the current owner. A
 * customer whose territory no available rep covers is left unassigned.
 */
export function roundRobin(plan: Plan): AssignmentPair[] {
  const poolOf = territoryPools(plan);
  const cursors = new Map<string | null, number>();
  const out: AssignmentPair[] = [];
  for (const c of plan.customers) {
    const pool = poolOf(c);
    if (pool.reps.length === 0) continue;
    const turn = cursors.get(pool.key) ?? 0;
    cursors.set(pool.key, turn + 1);
    const rep = plan.reps[pool.reps[turn % pool.reps.length] ?? -1];
    if (rep !== undefined) out.push({ customer: c.id, rep: rep.id });
  }
  return out;
}
