import type { HireProfile, Plan, Rep } from "../../models/index.ts";

/**
 * The capacity changes whose value the advice measures, as changed plans: one more account slot
 * for a rep (maxAccounts + 1), one more workload unit (maxWorkload + 1), one more rep in a
 * territory. A change that leaves every constraint as it was (a rep without that limit, or not
 * available) is `null`: its value is exactly 0. Fair shares follow capacities (plan/fair-share.ts),
 * so a changed limit may also move every rep's band: the changed plan carries that, since it is
 * solved or priced like any plan.
 */

export function seatChange(plan: Plan, r: number): Plan | null {
  const rep = plan.reps[r];
  if (rep === undefined || rep.available === false || rep.maxAccounts === undefined) return null;
  return withRep(plan, r, { ...rep, maxAccounts: rep.maxAccounts + 1 });
}

export function workloadChange(plan: Plan, r: number): Plan | null {
  const rep = plan.reps[r];
  if (rep === undefined || rep.available === false || rep.maxWorkload === undefined) return null;
  return withRep(plan, r, { ...rep, maxWorkload: rep.maxWorkload + 1 });
}

function withRep(plan: Plan, r: number, rep: Rep): Plan {
  const reps = plan.reps.slice();
  reps[r] = rep;
  return { ...plan, reps };
}

/** The territories of the plan's customers, in code-unit order. */
export function planTerritories(plan: Plan): string[] {
  const out = new Set<string>();
  for (const c of plan.customers) if (c.territory !== undefined) out.add(c.territory);
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Capacity of a rep for the median: maxWorkload, else maxAccounts, else +∞ (no limit). */
function capacityOf(rep: Rep): number {
  return rep.maxWorkload ?? rep.maxAccounts ?? Infinity;
}

/**
 * The territory's median rep: among its available reps that name it in `territories`, the one in
 * the middle (the lower middle for an even count) by capacity, then id. Undefined when no rep names it.
 */
export function medianRep(plan: Plan, territory: string): Rep | undefined {
  const reps = plan.reps.filter((r) => r.available !== false && r.territories?.includes(territory) === true);
  reps.sort((a, b) => capacityOf(a) - capacityOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return reps[Math.floor((reps.length - 1) / 2)];
}

export interface Hire {
  territory: string;
  /** The rep the profile copies, or null when the territory has none. */
  like: string | null;
  rep: Rep;
  plan: Plan;
}

/**
 * One more rep in the territory: the median rep's limits, specialties, seniority and location (each
 * replaced by the request's profile where it gives one), covering only that territory, with a new
 * id and no history (a hire has no track record: the conversion model gives it its segments' rates).
 */
export function hireChange(plan: Plan, territory: string, profile: HireProfile = {}): Hire {
  const like = medianRep(plan, territory);
  const ids = new Set(plan.reps.map((r) => r.id));
  let id = `hire-${territory}`.slice(0, 120);
  for (let i = 2; ids.has(id); i++) id = `hire-${territory}`.slice(0, 120) + `-${i}`;
  const maxAccounts = profile.maxAccounts ?? like?.maxAccounts;
  const maxWorkload = profile.maxWorkload ?? like?.maxWorkload;
  const specialties = profile.specialties ?? like?.specialties;
  const seniority = profile.seniority ?? like?.seniority;
  const rep: Rep = {
    id,
    territories: [territory],
    ...(specialties === undefined ? {} : { specialties }),
    ...(seniority === undefined ? {} : { seniority }),
    ...(maxAccounts === undefined ? {} : { maxAccounts }),
    ...(maxWorkload === undefined ? {} : { maxWorkload }),
    ...(like?.location === undefined ? {} : { location: like.location }),
    ...(like?.maxDistanceKm === undefined ? {} : { maxDistanceKm: like.maxDistanceKm }),
  };
  return { territory, like: like?.id ?? null, rep, plan: { ...plan, reps: [...plan.reps, rep] } };
}

/** True when a planner rule or the score reads a rep's limits: changing them may then change eligibility or scores. */
export function expressionsReadLimits(plan: Plan): boolean {
  const texts = [plan.policy?.score ?? "", ...(plan.policy?.rules ?? []).flatMap((r) => [r.when ?? "", r.require])];
  return texts.some((t) => /maxAccounts|maxWorkload|minAccounts/.test(t));
}
