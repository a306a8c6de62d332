/**
 * The storage of closed deals (POST /v1/outcomes), as an interface beside PlanStore so that another
 * database can implement it without touching the routes (the SQLite implementation is
 * sqlite-deal-outcomes.ts).
 *
 * Contract every implementation keeps:
 * - An outcome is recorded once per deal id, for ever: never changed, never deleted. A batch is
 *   recorded whole or not at all, in one transaction with its audit entry.
 * - Outcomes are recorded against the plan version active at that moment, read in the same
 *   transaction; the customer must be one of that plan's (solved or routed) and the rep one of its
 *   reps.
 */
import type { DealOutcome, RecordedOutcome } from "../../models/index.ts";
import type { AuditContext, Page, PageRequest } from "./plan-store.ts";

/** A reference in the batch that the active plan does not know: `outcomes[index].field`. */
export interface UnknownReference {
  index: number;
  field: "customer" | "rep";
  id: string;
}

/** A deal of the batch that already has an outcome. */
export interface RecordedDeal {
  index: number;
  deal: string;
  planId: string;
  recordedAt: string;
}

export type RecordOutcomesResult =
  | { kind: "recorded"; planId: string; outcomes: RecordedOutcome[] }
  | { kind: "no-active-plan" }
  | { kind: "unknown-references"; planId: string; references: UnknownReference[] }
  | { kind: "deal-exists"; deals: RecordedDeal[] };

export interface OutcomeStore {
  /** Records the batch against the active plan, all or nothing (deal ids are distinct within the batch). */
  recordOutcomes(outcomes: readonly DealOutcome[], audit: AuditContext): Promise<RecordOutcomesResult>;
  /** A plan's outcomes in recording order; null for an unknown plan. */
  listOutcomes(planId: string, page: PageRequest): Promise<Page<RecordedOutcome> | null>;
  /** Every outcome of a plan in recording order; null for an unknown plan. */
  planOutcomes(planId: string): Promise<RecordedOutcome[] | null>;
}
