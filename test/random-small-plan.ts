import type { Plan, Policy } from "../models/index.ts";

import { mulberry32 } from "../src/numeric/mulberry32.ts";

/** A tiny deterministic PRNG for test fixtures: the engine's mulberry32. */
export const prng = mulberry32;

/**
 * A random small plan with every constraint type switched on at random: territories (hard, soft,
 * ignore), required and needed specialties, seniority, distance, availability, capacities, workloads,
 * fairness bands, moves, locks, forbidden pairs, unassigned customers, history and external pairs.
 */
export function randomSmallPlan(seed: number, maxCustomers = 8, maxReps = 3): Plan {
  const rnd = prng(seed);
  const chance = (p: number) => rnd() < p;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const nC = int(1, maxCustomers);
  const nR = int(1, maxReps);
  const territories = ["north", "south"];
  const skills = ["erp", "cloud"];
  const segments = ["smb", "ent"];
  const near = () => ({ lat: 48 + rnd() * 2, lon: 2 + rnd() * 2 });

  const reps: Plan["reps"] = Array.from({ length: nR }, (_, r) => ({
    id: `r${r}`,
    ...(chance(0.6) ? { territories: chance(0.7) ? [pick(territories)] : [...territories] } : {}),
    ...(chance(0.6) ? { specialties: skills.filter(() => chance(0.5)) } : {}),
    ...(chance(0.5) ? { seniority: int(0, 3) } : {}),
    ...(chance(0.5) ? { maxAccounts: int(1, nC) } : {}),
    ...(chance(0.2) ? { minAccounts: int(0, 2) } : {}),
    ...(chance(0.4) ? { maxWorkload: int(2, 3 * nC) } : {}),
    ...(chance(0.4) ? { location: near() } : {}),
    ...(chance(0.2) ? { maxDistanceKm: 50 + rnd() * 200 } : {}),
    ...(chance(0.1) ? { available: false } : {}),
  }));
  for (const rep of reps) {
    if (rep.minAccounts !== undefined && rep.maxAccounts !== undefined && rep.minAccounts > rep.maxAccounts) rep.minAccounts = rep.maxAccounts;
  }
  const customers: Plan["customers"] = Array.from({ length: nC }, (_, c) => ({
    id: `c${c}`,
    value: chance(0.1) ? 0 : Math.round(1000 + rnd() * 99000),
    ...(chance(0.8) ? { territory: pick(territories) } : {}),
    ...(chance(0.7) ? { segment: pick(segments) } : {}),
    ...(chance(0.4) ? { needs: skills.filter(() => chance(0.6)) } : {}),
    ...(chance(0.15) ? { requires: [pick(skills)] } : {}),
    ...(chance(0.5) ? { workload: int(1, 4) } : {}),
    ...(chance(0.4) ? { location: near() } : {}),
    ...(chance(0.5) ? { currentRep: `r${int(0, nR - 1)}` } : {}),
  }));

  const policy: Policy = {
    territory: pick(["hard", "hard", "soft", "ignore"] as const),
    territoryPenalty: int(0, 5000),
    travelCostPerKm: chance(0.3) ? rnd() * 20 : 0,
  };
  if (chance(0.3)) policy.specialtyBonus = rnd();
  if (chance(0.3)) policy.fairness = { ...(chance(0.6) ? { valueBand: 0.3 + rnd() * 1.2 } : {}), ...(chance(0.5) ? { countBand: 0.3 + rnd() * 1.2 } : {}) };
  if (chance(0.4)) policy.stability = { ...(chance(0.7) ? { maxMoves: int(0, 3) } : {}), ...(chance(0.5) ? { movePenalty: int(0, 20000) } : {}) };
  if (chance(0.3)) policy.seniority = [{ minValue: 50000, minSeniority: int(1, 3) }];
  if (chance(0.25)) policy.locks = [{ customer: `c${int(0, nC - 1)}`, rep: `r${int(0, nR - 1)}` }];
  if (chance(0.3)) {
    const locked = new Set((policy.locks ?? []).map((l) => `${l.customer}|${l.rep}`));
    policy.forbid = Array.from({ length: int(1, 2) }, () => ({ customer: `c${int(0, nC - 1)}`, rep: `r${int(0, nR - 1)}` })).filter(
      (f) => !locked.has(`${f.customer}|${f.rep}`),
    );
  }
  if (chance(0.3)) policy.allowUnassigned = true;

  const plan: Plan = { customers, reps, policy };
  if (chance(0.5)) {
    plan.history = reps.flatMap((r) =>
      segments.filter(() => chance(0.6)).map((segment) => {
        const attempts = int(0, 40);
        return { rep: r.id, segment, attempts, wins: int(0, attempts) };
      }),
    );
  }
  if (chance(0.2)) {
    plan.pairs = customers.flatMap((c) =>
      reps.filter(() => chance(0.7)).map((r) => ({ customer: c.id, rep: r.id, score: Math.round(rnd() * 20000 - 2000), ...(chance(0.5) ? { workload: int(1, 3) } : {}) })),
    );
    const listed = new Set(plan.pairs.map((p) => `${p.customer}|${p.rep}`));
    policy.locks = (policy.locks ?? []).filter((l) => listed.has(`${l.customer}|${l.rep}`));
  }
  return plan;
}
