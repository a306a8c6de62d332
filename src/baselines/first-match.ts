import type { Plan, Rep } from "../../models/index.ts";
import type { AssignmentPair } from "../verify/verify-assignment.ts";
import { territoryPools } from "./territory-pools.ts";

const hasAll = (rep: Rep, wanted: readonly string[] | undefined) => (wanted ?? []).every((s) => rep.specialties?.includes(s) === true);
const hasAny = (rep: Rep, wanted: readonly string[] | undefined) =>
  wanted === undefined || wanted.length === 0 || wanted.some((s) => rep.specialties?.includes(s) === true);

/**
 * Territory + specialty first match, the rule list of a CRM: customers in plan order; each goes to
 * the first rep (plan order) of its territory pool (see territory-pools.ts) that has every specialty
 * the customer `requires` and at least one it `needs` (when it has needs); failing that, the first
 * with every required specialty; failing that, the first rep of the pool. Capacity is not looked at.
 */
export function firstMatch(plan: Plan): AssignmentPair[] {
  const poolOf = territoryPools(plan);
  const out: AssignmentPair[] = [];
  for (const c of plan.customers) {
    const reps = poolOf(c).reps.flatMap((i) => plan.reps[i] ?? []);
    const rep = reps.find((r) => hasAll(r, c.requires) && hasAny(r, c.needs)) ?? reps.find((r) => hasAll(r, c.requires)) ?? reps[0];
    if (rep !== undefined) out.push({ customer: c.id, rep: rep.id });
  }
  return out;
}
