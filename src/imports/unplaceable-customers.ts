import type { Plan } from "../../models/index.ts";
import { buildCandidateReps } from "../plan/candidate-reps.ts";
import { buildEligibilityRules, pairExclusion } from "../plan/eligibility.ts";
import { resolvePolicy } from "../plan/resolved-policy.ts";

/**
 * Customers no rep may take under the plan's own rules (territory, required specialties, seniority,
 * distance, availability, locks and forbidden pairs, planner rules, zero capacity), each with the
 * rules that excluded its candidates. Stops at the first eligible rep, so a book where most
 * customers have one costs about one check per customer.
 */
export function unplaceableCustomers(plan: Plan): { customer: string; why: string }[] {
  const policy = resolvePolicy(plan.policy);
  const candidates = buildCandidateReps(plan, { territory: policy.territory, locks: policy.locks });
  const rules = buildEligibilityRules(plan, policy);
  const out: { customer: string; why: string }[] = [];
  for (const customer of plan.customers) {
    const reasons = new Set<string>();
    let placeable = false;
    for (const r of candidates.of(customer)) {
      const rep = plan.reps[r];
      if (rep === undefined) continue;
      const excluded = rep.maxAccounts === 0 ? "no capacity" : pairExclusion(rules, customer, rep);
      if (excluded === null) {
        placeable = true;
        break;
      }
      reasons.add(excluded);
    }
    if (!placeable) out.push({ customer: customer.id, why: reasons.size === 0 ? `no rep covers its territory${customer.territory === undefined ? "" : ` "${customer.territory}"`}` : `every candidate rep is excluded: ${[...reasons].join(", ")}` });
  }
  return out;
}
