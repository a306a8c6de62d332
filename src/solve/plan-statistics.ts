import { z } from "zod";
import { DiagnosisCause, type Customer, type Plan, type Rep } from "../../models/index.ts";
import { findInfeasibilityCauses } from "./infeasibility-diagnosis.ts";
import { buildCandidateReps } from "../plan/candidate-reps.ts";
import { buildPairTable, type PairTable } from "../plan/pair-table.ts";
import { resolvePolicy } from "../plan/resolved-policy.ts";

/** Σ capacity of a set of available reps; null when at least one of them has no such limit. */
export const CapacityFigures = z.strictObject({
  accounts: z.int().nullable(),
  workload: z.number().nullable(),
});
export type CapacityFigures = z.infer<typeof CapacityFigures>;

/** What a set of customers needs: one account each, and the least workload each can bring. */
export const DemandFigures = z.strictObject({
  accounts: z.int(),
  workload: z.number(),
});
export type DemandFigures = z.infer<typeof DemandFigures>;

export const TerritoryStatistics = z.strictObject({
  territory: z.string(),
  /** Customers whose `territory` is this one. */
  customers: z.int(),
  /** Available reps who may work here (listed in their `territories`, or working everywhere). */
  reps: z.int(),
  capacity: CapacityFigures,
  demand: DemandFigures,
});
export type TerritoryStatistics = z.infer<typeof TerritoryStatistics>;

export const PlanStatistics = z.strictObject({
  customers: z.int(),
  reps: z.int(),
  /** Reps that may take customers (`available` is not false). */
  availableReps: z.int(),
  /** (customer, rep) pairs that pass every eligibility rule: the model's variables. */
  eligiblePairs: z.int(),
  customersWithoutEligibleRep: z.int(),
  totalValue: z.number(),
  territoryMode: z.enum(["hard", "soft", "ignore"]),
  capacity: CapacityFigures,
  demand: DemandFigures,
  /** Every territory named by a customer or a rep, in code-unit order. */
  territories: z.array(TerritoryStatistics),
});
export type PlanStatistics = z.infer<typeof PlanStatistics>;

/** What /v1/validate answers for a plan that satisfies the contract. */
export const PlanReport = z.strictObject({
  /**
   * Cheap, certain causes of infeasibility found without solving (each one alone makes the plan
   * infeasible). Empty does not prove feasibility: only a solve can.
   */
  problems: z.array(DiagnosisCause),
  statistics: PlanStatistics,
});
export type PlanReport = z.infer<typeof PlanReport>;

function capacityOf(reps: readonly Rep[]): CapacityFigures {
  let accounts: number | null = 0;
  let workload: number | null = 0;
  for (const rep of reps) {
    accounts = accounts === null || rep.maxAccounts === undefined ? null : accounts + rep.maxAccounts;
    workload = workload === null || rep.maxWorkload === undefined ? null : workload + rep.maxWorkload;
  }
  return { accounts, workload };
}

/** Least workload customer c can bring: the smallest over its eligible pairs, else its own workload. */
function leastWorkload(table: PairTable, customer: Customer, c: number): number {
  let best = Infinity;
  for (const k of table.byCustomer[c] ?? []) best = Math.min(best, table.workload[k] ?? Infinity);
  return Number.isFinite(best) ? best : (customer.workload ?? 1);
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Statistics of a valid plan and the cheap infeasibility causes, without solving. Builds the pair
 * table, so it costs O(eligible pairs): run it off the event loop for large plans.
 */
export function planReport(plan: Plan): PlanReport {
  const policy = resolvePolicy(plan.policy);
  const table = buildPairTable(plan, policy);
  const candidates = buildCandidateReps(plan, policy);
  const isAvailable = (r: Rep | undefined): r is Rep => r !== undefined && r.available !== false;
  const available = plan.reps.filter(isAvailable);
  const least = plan.customers.map((customer, c) => leastWorkload(table, customer, c));

  const names = new Set<string>();
  for (const c of plan.customers) if (c.territory !== undefined) names.add(c.territory);
  for (const r of plan.reps) for (const t of r.territories ?? []) names.add(t);
  const members = new Map<string, number[]>();
  plan.customers.forEach((c, i) => {
    if (c.territory === undefined) return;
    const list = members.get(c.territory) ?? [];
    list.push(i);
    members.set(c.territory, list);
  });
  const territories = [...names].sort(byCodeUnits).map((territory): TerritoryStatistics => {
    const reps = candidates.inTerritory(territory).map((r) => plan.reps[r]).filter(isAvailable);
    const inside = members.get(territory) ?? [];
    return {
      territory,
      customers: inside.length,
      reps: reps.length,
      capacity: capacityOf(reps),
      demand: { accounts: inside.length, workload: inside.reduce((s, i) => s + (least[i] ?? 0), 0) },
    };
  });

  return {
    problems: findInfeasibilityCauses(plan, table, policy),
    statistics: {
      customers: plan.customers.length,
      reps: plan.reps.length,
      availableReps: available.length,
      eligiblePairs: table.count,
      customersWithoutEligibleRep: table.byCustomer.filter((pairs) => pairs.length === 0).length,
      totalValue: plan.customers.reduce((s, c) => s + c.value, 0),
      territoryMode: policy.territory,
      capacity: capacityOf(available),
      demand: { accounts: plan.customers.length, workload: least.reduce((s, w) => s + w, 0) },
      territories,
    },
  };
}

/**
 * An upper bound on the number of eligible pairs: the size of the candidate-rep index
 * (candidate-reps.ts), counted in O(customers + reps) without building pairs or lists:
 * `pairs.length` when the plan lists pairs; otherwise, per customer, the reps that cover its
 * territory when territories are hard (1 for a locked customer), else every rep. Used to refuse
 * plans over the server's pair limit before any heavy work, so it reads the unresolved policy.
 */
export function estimatePairCount(plan: Plan): number {
  return buildCandidateReps(plan, { territory: plan.policy?.territory ?? "hard", locks: [...(plan.policy?.locks ?? []), ...(plan.policy?.overrides ?? [])] }).total();
}
