import type { Customer } from "../../models/index.ts";
import { pairBreach, type PairRuleContext } from "./pair-rules.ts";

/**
 * How a customer's ownership changes: "stay" (no current rep, or kept by it), "forced" (moved, and
 * the current rep can no longer hold it: the current pair breaks a rule or the customer is locked to
 * another rep) or "voluntary" (moved although it could have stayed). Unassigned counts as moved.
 */
export type MoveKind = "stay" | "forced" | "voluntary";

export function classifyMove(ctx: PairRuleContext, c: Customer, assignedRep: string | undefined): MoveKind {
  const current = c.currentRep;
  if (current === undefined || assignedRep === current) return "stay";
  return currentPairMustGo(ctx, c, current) ? "forced" : "voluntary";
}

function currentPairMustGo(ctx: PairRuleContext, c: Customer, current: string): boolean {
  const lock = ctx.lockedRep.get(c.id);
  if (lock !== undefined && lock !== current) return true;
  const rep = ctx.repById.get(current);
  if (rep === undefined) return true;
  return pairBreach(ctx, c, rep) !== null;
}
