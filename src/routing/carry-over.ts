/**
 * Carrying customers over in a roll back (pure; called inside the store's transaction,
 * plan-control-store.ts): each customer routed under the version rolled back from is re-checked,
 * in routing order, against the earlier version's reps and current loads, with the rules of live
 * routing (live-routing.ts):
 *
 * - the earlier version already has the customer (its own, or routed while it was active):
 *   `already-present`, that placement stands;
 * - routed unassigned: carried over unassigned (`unassigned`);
 * - its rep is not in the earlier version, or is unavailable there: `rep-missing`;
 * - accounts + 1 > maxAccounts, or workload + w > maxWorkload (hard, with the solvers' slack):
 *   `no-room`;
 * - otherwise kept with its rep: `kept`, or `kept-outside-band` when the rep goes above the upper
 *   limit of its value or count band ((1 + band) × fair share × the totals with the customer),
 *   which is a soft preference in routing too.
 *
 * A misfit (`rep-missing`, `no-room`) is recorded under the earlier version as unassigned with the
 * reason: reported, never dropped. Each kept customer adds to the loads the next one is checked
 * against. A customer routed before workloads were kept counts the default workload, 1.
 */
import type { LoadTotals, RepLoadState } from "../storage/plan-store.ts";
import type { CarryCandidate, CarryDecision } from "../storage/plan-control-store.ts";
import { formatNumber } from "../numeric/number-format.ts";
import { atMost, SOLVER_SLACK } from "../numeric/tolerance.ts";
import type { RoutingContext } from "./live-routing.ts";

const EMPTY: RepLoadState = { accounts: 0, workload: 0, value: 0, expectedValue: 0 };
const fmt = (x: number) => formatNumber(x, { style: "short" });

export function carryOver(ctx: RoutingContext, candidates: readonly CarryCandidate[], startLoads: ReadonlyMap<string, RepLoadState>, startTotals: LoadTotals): CarryDecision[] {
  const loads = new Map(startLoads);
  const totals = { ...startTotals };
  const reps = new Map(ctx.plan.reps.map((r) => [r.id, r]));
  return candidates.map((c): CarryDecision => {
    const workload = c.workload ?? 1;
    const base = { customer: c.customer, from: c.rep, workload, value: c.value };
    if (c.present !== null) {
      const where = c.present.rep === null ? "unassigned" : `with rep ${c.present.rep}`;
      return { ...base, rep: c.present.rep, outcome: "already-present", reason: `already ${c.present.source === "plan" ? "a customer of" : "routed under"} the earlier version (${where}); that placement stands` };
    }
    if (c.rep === null) return { ...base, rep: null, outcome: "unassigned", reason: "routed unassigned; carried over unassigned" };
    const rep = reps.get(c.rep);
    if (rep === undefined || rep.available === false) {
      return { ...base, rep: null, outcome: "rep-missing", reason: `rep ${c.rep} is ${rep === undefined ? "not in" : "unavailable in"} the earlier version: recorded unassigned` };
    }
    const load = loads.get(rep.id) ?? EMPTY;
    if (rep.maxAccounts !== undefined && load.accounts + 1 > rep.maxAccounts) {
      return { ...base, rep: null, outcome: "no-room", reason: `rep ${rep.id} is at maxAccounts (${load.accounts} of ${rep.maxAccounts}) under the earlier version: recorded unassigned` };
    }
    if (rep.maxWorkload !== undefined && !atMost(load.workload + workload, rep.maxWorkload, SOLVER_SLACK)) {
      return {
        ...base,
        rep: null,
        outcome: "no-room",
        reason: `rep ${rep.id} has no workload room (${fmt(load.workload)} + ${fmt(workload)} > maxWorkload ${fmt(rep.maxWorkload)}) under the earlier version: recorded unassigned`,
      };
    }
    const share = ctx.shares.get(rep.id) ?? 0;
    let band: string | null = null;
    if (ctx.valueBand !== null && !atMost(load.value + c.value, (1 + ctx.valueBand) * share * (totals.value + c.value), SOLVER_SLACK)) band = "value band";
    else if (ctx.countBand !== null && !atMost(load.accounts + 1, (1 + ctx.countBand) * share * (totals.accounts + 1), SOLVER_SLACK)) band = "count band";
    loads.set(rep.id, { accounts: load.accounts + 1, workload: load.workload + workload, value: load.value + c.value, expectedValue: load.expectedValue + (c.expectedValue ?? 0) });
    totals.accounts += 1;
    totals.value += c.value;
    return band === null
      ? { ...base, rep: rep.id, outcome: "kept", reason: `carried over: rep ${rep.id} has room under the earlier version` }
      : { ...base, rep: rep.id, outcome: "kept-outside-band", reason: `carried over: rep ${rep.id} has room but goes above its ${band} under the earlier version` };
  });
}
