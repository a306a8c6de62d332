import type { DealOutcome, Outcome, Plan } from "../../models/index.ts";

/**
 * Recorded deals as conversion history: one row per rep and segment (the customer's segment in the
 * plan; none for a customer the plan does not list, e.g. one routed live), wins and attempts
 * summed, rows ordered by rep then segment (code-unit order, no segment last) so that the same
 * outcomes give the same history.
 */
export function outcomesAsHistory(plan: Plan, outcomes: readonly Pick<DealOutcome, "customer" | "rep" | "won">[]): Outcome[] {
  const segmentOf = new Map(plan.customers.map((c) => [c.id, c.segment] as const));
  const cells = new Map<string, Outcome>();
  for (const o of outcomes) {
    const segment = segmentOf.get(o.customer);
    const key = JSON.stringify([o.rep, segment ?? null]);
    let cell = cells.get(key);
    if (cell === undefined) {
      cell = segment === undefined ? { rep: o.rep, wins: 0, attempts: 0 } : { rep: o.rep, segment, wins: 0, attempts: 0 };
      cells.set(key, cell);
    }
    cell.attempts += 1;
    if (o.won) cell.wins += 1;
  }
  const order = (a: string | undefined, b: string | undefined) => (a === b ? 0 : a === undefined ? 1 : b === undefined ? -1 : a < b ? -1 : 1);
  return [...cells.values()].sort((a, b) => order(a.rep, b.rep) || order(a.segment, b.segment));
}

/** The plan's history followed by the recorded deals (outcomesAsHistory). */
export function historyWithOutcomes(plan: Plan, outcomes: readonly Pick<DealOutcome, "customer" | "rep" | "won">[]): Outcome[] {
  return [...(plan.history ?? []), ...outcomesAsHistory(plan, outcomes)];
}
