import type { Customer, Rep } from "../../models/index.ts";
import { pairWorkload, type PairRuleContext } from "./pair-rules.ts";

/** What one rep carries under an assignment. */
export interface RepLoad {
  accounts: number;
  workload: number;
  value: number;
}

/** Per-rep loads, indexed like `reps`, from (customer, rep) pairs whose ids are known. */
export function repLoads(ctx: PairRuleContext, reps: readonly Rep[], pairs: readonly { customer: Customer; rep: Rep }[]): RepLoad[] {
  const index = new Map<string, number>();
  reps.forEach((r, i) => {
    if (!index.has(r.id)) index.set(r.id, i);
  });
  const loads: RepLoad[] = reps.map(() => ({ accounts: 0, workload: 0, value: 0 }));
  for (const { customer, rep } of pairs) {
    const i = index.get(rep.id);
    const load = i === undefined ? undefined : loads[i];
    if (load === undefined) continue;
    load.accounts += 1;
    load.workload += pairWorkload(ctx, customer, rep);
    load.value += customer.value;
  }
  return loads;
}
