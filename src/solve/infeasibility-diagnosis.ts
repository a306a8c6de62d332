import type { DiagnosisCause, Plan } from "../../models/index.ts";
import { atLeast, atMost, fitAllowance } from "../numeric/tolerance.ts";
import { formatNumber } from "../numeric/number-format.ts";
import { excludingRule, pairExclusion, type ExclusionRule } from "../plan/eligibility.ts";
import { fairShareWeights } from "../plan/fair-share.ts";
import { softValueBand } from "../plan/value-band-excess.ts";
import type { PairTable } from "../plan/pair-table.ts";
import type { ResolvedPolicy } from "../plan/resolved-policy.ts";

const MAX_IDS = 20;
const RULE_WORDS: Record<ExclusionRule, string> = {
  unavailable: "unavailable",
  forbidden: "forbidden by policy.forbid",
  "not-in-pairs": "not listed in pairs",
  "locked-elsewhere": "excluded by its lock to another rep",
  territory: "outside its territory (hard)",
  requires: "missing a required specialty",
  seniority: "below the required seniority",
  distance: "beyond their maxDistanceKm",
  rule: "excluded by a planner rule",
};

const fmt = (x: number) => formatNumber(x, { style: "integer-or-fixed" });
const ids = (list: readonly string[]) => list.slice(0, MAX_IDS);

/** Customers with no eligible rep, each with the rules that removed its reps. */
function customersWithoutReps(plan: Plan, table: PairTable): DiagnosisCause[] {
  const causes: DiagnosisCause[] = [];
  plan.customers.forEach((customer, c) => {
    if ((table.byCustomer[c]?.length ?? 0) > 0 || table.rules.lockOf.has(customer.id)) return;
    const byRule = new Map<string, string[]>();
    for (const rep of plan.reps) {
      const rule = pairExclusion(table.rules, customer, rep);
      if (rule === null) continue;
      const named = rule === "rule" ? excludingRule(table.rules, customer, rep) : null;
      const words = named === null ? RULE_WORDS[rule] : `excluded by rule "${named.name}" (policy.rules[${named.index}])`;
      const list = byRule.get(words) ?? [];
      list.push(rep.id);
      byRule.set(words, list);
    }
    const parts = [...byRule].map(([words, reps]) => `${reps.length} ${words} (${ids(reps).join(", ")}${reps.length > MAX_IDS ? ", …" : ""})`);
    causes.push({
      kind: "no-eligible-rep",
      message: `Customer "${customer.id}" has no eligible rep: ${parts.join("; ")}.`,
      customers: [customer.id],
      reps: ids([...byRule.values()].flat()),
    });
  });
  return causes;
}

/**
 * Σ capacity of the given reps for accounts and workload (null when some rep has no limit), and the
 * most the verifier lets them hold together: each limit plus its fit allowance.
 */
function capacityOf(plan: Plan, reps: readonly number[]) {
  let accounts: number | null = 0;
  let workload: number | null = 0;
  let accountsFit = 0;
  let workloadFit = 0;
  for (const r of reps) {
    const rep = plan.reps[r];
    if (rep === undefined || rep.available === false) continue;
    accounts = accounts === null || rep.maxAccounts === undefined ? null : accounts + rep.maxAccounts;
    workload = workload === null || rep.maxWorkload === undefined ? null : workload + rep.maxWorkload;
    if (rep.maxAccounts !== undefined) accountsFit += rep.maxAccounts + fitAllowance(rep.maxAccounts);
    if (rep.maxWorkload !== undefined) workloadFit += rep.maxWorkload + fitAllowance(rep.maxWorkload);
  }
  return { accounts, workload, accountsFit, workloadFit };
}

/** Smallest workload a customer can bring, over its eligible pairs. */
function minWorkload(table: PairTable, c: number): number {
  let best = Infinity;
  for (const k of table.byCustomer[c] ?? []) best = Math.min(best, table.workload[k] ?? 0);
  return Number.isFinite(best) ? best : 0;
}

function capacityShortfalls(plan: Plan, table: PairTable, policy: ResolvedPolicy): DiagnosisCause[] {
  const causes: DiagnosisCause[] = [];
  const allReps = plan.reps.map((_, i) => i);
  const cap = capacityOf(plan, allReps);
  const n = plan.customers.length;
  if (cap.accounts !== null && n > cap.accountsFit) {
    causes.push({ kind: "capacity", message: `${n} customers must be placed but the available reps can take only ${cap.accounts} accounts in total (Σ maxAccounts).` });
  }
  const demand = plan.customers.reduce((s, _, c) => s + minWorkload(table, c), 0);
  if (cap.workload !== null && demand > cap.workloadFit) {
    causes.push({ kind: "capacity", message: `The customers need at least ${fmt(demand)} workload units but the available reps offer ${fmt(cap.workload)} in total (Σ maxWorkload).` });
  }
  if (policy.territory !== "hard") return causes;
  const territories = new Map<string, number[]>();
  plan.customers.forEach((customer, c) => {
    if (customer.territory === undefined || table.rules.lockOf.has(customer.id)) return;
    const list = territories.get(customer.territory) ?? [];
    list.push(c);
    territories.set(customer.territory, list);
  });
  for (const [territory, members] of [...territories].sort(([a], [b]) => a.localeCompare(b))) {
    const reps = allReps.filter((r) => {
      const rep = plan.reps[r];
      return rep !== undefined && rep.available !== false && (rep.territories === undefined || rep.territories.includes(territory));
    });
    const repIds = reps.map((r) => plan.reps[r]?.id ?? "");
    const tcap = capacityOf(plan, reps);
    if (tcap.accounts !== null && members.length > tcap.accountsFit) {
      causes.push({
        kind: "territory-capacity",
        message: `Territory "${territory}" has ${members.length} customers but its ${reps.length} reps can take only ${tcap.accounts} accounts.`,
        territory,
        reps: ids(repIds),
      });
    }
    const need = members.reduce((s, c) => s + minWorkload(table, c), 0);
    if (tcap.workload !== null && need > tcap.workloadFit) {
      causes.push({
        kind: "territory-capacity",
        message: `Territory "${territory}" needs ${fmt(need)} workload units but its ${reps.length} reps offer ${fmt(tcap.workload)}.`,
        territory,
        reps: ids(repIds),
      });
    }
  }
  return causes;
}

function lockConflicts(plan: Plan, table: PairTable): DiagnosisCause[] {
  const causes: DiagnosisCause[] = [];
  plan.customers.forEach((customer, c) => {
    const lock = table.rules.lockOf.get(customer.id);
    if (lock === undefined || (table.lockedPair[c] ?? -1) >= 0) return;
    const rep = plan.reps.find((r) => r.id === lock);
    const rule = rep === undefined ? "unknown" : pairExclusion(table.rules, customer, rep);
    causes.push({ kind: "locks", message: `Customer "${customer.id}" is locked to rep "${lock}", who cannot take it (${rule === null ? "ineligible" : RULE_WORDS[rule as ExclusionRule] ?? rule}).`, customers: [customer.id], reps: [lock] });
  });
  plan.reps.forEach((rep, r) => {
    const locked = (table.byRep[r] ?? []).filter((k) => table.lockedPair[table.customer[k] ?? -1] === k);
    if (locked.length === 0) return;
    const customers = locked.map((k) => plan.customers[table.customer[k] ?? -1]?.id ?? "");
    const load = locked.reduce((s, k) => s + (table.workload[k] ?? 0), 0);
    if (rep.maxAccounts !== undefined && !atMost(locked.length, rep.maxAccounts)) {
      causes.push({ kind: "locks", message: `${locked.length} customers are locked to rep "${rep.id}" but its maxAccounts is ${rep.maxAccounts}.`, reps: [rep.id], customers: ids(customers) });
    }
    if (rep.maxWorkload !== undefined && !atMost(load, rep.maxWorkload)) {
      causes.push({ kind: "locks", message: `Customers locked to rep "${rep.id}" bring ${fmt(load)} workload but its maxWorkload is ${fmt(rep.maxWorkload)}.`, reps: [rep.id], customers: ids(customers) });
    }
  });
  return causes;
}

function minAccountConflicts(plan: Plan, table: PairTable): DiagnosisCause[] {
  const causes: DiagnosisCause[] = [];
  let total = 0;
  // The fewest accounts the verifier accepts for all reps together (each minimum less its allowance).
  let fewest = 0;
  plan.reps.forEach((rep, r) => {
    const min = rep.available === false ? 0 : (rep.minAccounts ?? 0);
    total += min;
    fewest += Math.max(0, Math.ceil(min - fitAllowance(min)));
    const eligible = table.byRep[r]?.length ?? 0;
    if (!atLeast(eligible, min)) {
      causes.push({ kind: "min-accounts", message: `Rep "${rep.id}" needs at least ${min} accounts but only ${eligible} customers are eligible for it.`, reps: [rep.id] });
    }
  });
  if (fewest > plan.customers.length) {
    causes.push({ kind: "min-accounts", message: `The reps' minAccounts add up to ${total}, more than the ${plan.customers.length} customers in the plan.` });
  }
  return causes;
}

function bandConflicts(plan: Plan, table: PairTable, policy: ResolvedPolicy): DiagnosisCause[] {
  if (policy.allowUnassigned) return [];
  const causes: DiagnosisCause[] = [];
  const weights = fairShareWeights(plan.reps);
  const totalValue = plan.customers.reduce((s, c) => s + c.value, 0);
  const n = plan.customers.length;
  plan.reps.forEach((rep, r) => {
    if (rep.available === false) return;
    const w = weights[r] ?? 0;
    const pairs = table.byRep[r] ?? [];
    const locked = pairs.filter((k) => table.lockedPair[table.customer[k] ?? -1] === k);
    const valueOf = (k: number) => plan.customers[table.customer[k] ?? -1]?.value ?? 0;
    if (policy.valueBand !== null && !softValueBand(policy)) {
      const lo = (1 - policy.valueBand) * w * totalValue;
      const hi = (1 + policy.valueBand) * w * totalValue;
      const reachable = pairs.reduce((s, k) => s + valueOf(k), 0);
      const lockedValue = locked.reduce((s, k) => s + valueOf(k), 0);
      if (!atLeast(reachable, lo)) {
        causes.push({ kind: "fairness", message: `Rep "${rep.id}" must receive at least ${fmt(lo)} of value (value band ±${policy.valueBand}) but all its eligible customers together are worth ${fmt(reachable)}.`, reps: [rep.id] });
      }
      if (!atMost(lockedValue, hi)) {
        causes.push({ kind: "fairness", message: `Customers locked to rep "${rep.id}" are worth ${fmt(lockedValue)}, above its value band maximum ${fmt(hi)}.`, reps: [rep.id] });
      }
    }
    if (policy.countBand !== null) {
      // The fewest and most whole accounts the verifier accepts in the band.
      const lower = (1 - policy.countBand) * w * n;
      const upper = (1 + policy.countBand) * w * n;
      const lo = Math.ceil(lower - fitAllowance(lower));
      const hi = Math.floor(upper + fitAllowance(upper));
      if (lo > hi) {
        causes.push({ kind: "fairness", message: `No whole number of accounts for rep "${rep.id}" lies in its count band [${fmt((1 - policy.countBand) * w * n)}, ${fmt((1 + policy.countBand) * w * n)}]; widen policy.fairness.countBand.`, reps: [rep.id] });
      } else if (pairs.length < lo) {
        causes.push({ kind: "fairness", message: `Rep "${rep.id}" must receive at least ${lo} accounts (count band) but only ${pairs.length} customers are eligible for it.`, reps: [rep.id] });
      } else if (locked.length > hi) {
        causes.push({ kind: "fairness", message: `${locked.length} customers are locked to rep "${rep.id}", above its count band maximum ${hi}.`, reps: [rep.id] });
      } else if (rep.maxAccounts !== undefined && rep.maxAccounts < lo) {
        causes.push({ kind: "fairness", message: `Rep "${rep.id}" must receive at least ${lo} accounts (count band) but its maxAccounts is ${rep.maxAccounts}.`, reps: [rep.id] });
      }
    }
  });
  return causes;
}

/**
 * Cheap, certain causes of infeasibility, found without a solver: each cause listed is enough on
 * its own to make the plan infeasible. An empty list means none of the simple causes applies.
 */
export function findInfeasibilityCauses(plan: Plan, table: PairTable, policy: ResolvedPolicy): DiagnosisCause[] {
  const lockCauses = lockConflicts(plan, table);
  const minCauses = minAccountConflicts(plan, table);
  if (policy.allowUnassigned) return [...lockCauses, ...minCauses, ...bandConflicts(plan, table, policy)];
  return [
    ...customersWithoutReps(plan, table),
    ...capacityShortfalls(plan, table, policy),
    ...lockCauses,
    ...minCauses,
    ...bandConflicts(plan, table, policy),
  ];
}
