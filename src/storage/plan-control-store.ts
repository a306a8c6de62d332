/**
 * The planner's control over which version is active, as part of the storage contract every store
 * keeps (plan-store.ts): approval steps on a version, activations scheduled for a time, and rolling
 * back to an earlier (archived) version with the customers routed since carried over.
 *
 * Contract:
 * - Every state change (an approval step, a schedule made, cancelled, carried out or skipped, a roll
 *   back) is one transaction together with its audit entries.
 * - A scheduled activation needs no timer to be correct: every read of "the active plan"
 *   (`activePlan`, `route`, recording outcomes) first promotes the schedules that are due, in
 *   `activateAt` order, in one transaction that excludes other promoters (in other processes too),
 *   so it happens once, and the version active at a moment is the one scheduled last before it.
 * - A roll back archives the active version, activates the earlier one and writes every customer
 *   routed under the replaced version into the earlier version's live routing state (kept with its
 *   rep when it fits, recorded unassigned with the reason when it does not, never dropped), as one
 *   transaction; a dry run decides the same and writes nothing.
 */
import type { ActivationSchedule, ApprovalAction, ApprovalState, CarriedCustomer, PlanApproval, PlanVersion } from "../../models/index.ts";
import type { ActivationOutcome, AuditContext, LoadTotals, Page, PageRequest, RepLoadState } from "./plan-store.ts";

export interface ActivationOptions {
  /** ALLOT_REQUIRE_APPROVAL: only an approved version may become active. */
  requireApproval: boolean;
}

export interface ApprovalStepInput {
  action: ApprovalAction;
  by: string;
  comment: string | null;
}

export type ApprovalOutcome =
  | { kind: "recorded"; approval: PlanApproval }
  | { kind: "not-found" }
  /** The step does not follow from the state, or an approval by whoever submitted. */
  | { kind: "refused"; approval: PlanApproval; why: string; self: boolean };

export type ScheduleOutcome = ActivationOutcome | { kind: "scheduled"; schedule: ActivationSchedule };

export type CancelOutcome = { kind: "cancelled"; schedule: ActivationSchedule } | { kind: "not-found" } | { kind: "not-waiting"; schedule: ActivationSchedule };

/** One customer routed under the version rolled back from, as the carry-over decision needs it. */
export interface CarryCandidate {
  customer: string;
  /** Its rep under that version; null when it was routed unassigned. */
  rep: string | null;
  /** Its value and workload (null for a customer routed before workloads were kept). */
  value: number;
  workload: number | null;
  expectedValue: number | null;
  /** The score components as stored (JSON), carried unchanged with the customer. */
  components: string | null;
  routedAt: string | null;
  /** The customer as the earlier version already has it, if it does. */
  present: { rep: string | null; source: "plan" | "routed" } | null;
}

/** What happens to one candidate (kept ones are written with `rep`, misfits unassigned with `reason`). */
export interface CarryDecision extends CarriedCustomer {
  workload: number;
  value: number;
}

export interface RollBackAttempt {
  planId: string;
  dryRun: boolean;
  requireApproval: boolean;
  /**
   * Pure: called inside the transaction with the candidates in routing order and the earlier
   * version's current loads (every rep with a row) and totals; one decision per candidate, in order.
   */
  decide(candidates: readonly CarryCandidate[], loads: ReadonlyMap<string, RepLoadState>, totals: LoadTotals): CarryDecision[];
  audit: AuditContext;
}

export type RollBackOutcome =
  | { kind: "rolled-back"; dryRun: boolean; plan: PlanVersion; archived: PlanVersion | null; decisions: CarryDecision[] }
  | { kind: "not-found" }
  | { kind: "not-rollbackable"; plan: PlanVersion; why: string }
  | { kind: "not-approved"; plan: PlanVersion; approval: ApprovalState };

export interface PlanControlStore {
  /** One approval step on a version, with its audit entry. */
  recordApproval(id: string, step: ApprovalStepInput, audit: AuditContext): Promise<ApprovalOutcome>;
  /** The version's approval state and history; null for an unknown version. */
  getApproval(id: string): Promise<PlanApproval | null>;
  /** Activates at `activateAt` (ISO): at once when it is now or past (as activatePlan), else a waiting schedule. */
  scheduleActivation(id: string, activateAt: string, audit: AuditContext, options: ActivationOptions): Promise<ScheduleOutcome>;
  cancelSchedule(scheduleId: string, audit: AuditContext): Promise<CancelOutcome>;
  /** Newest first. */
  listSchedules(page: PageRequest): Promise<Page<ActivationSchedule>>;
  /** A version's schedules, newest first; null for an unknown version. */
  schedulesOf(id: string): Promise<ActivationSchedule[] | null>;
  /** Carries out (or skips) every due schedule; returns how many it handled. Every read of the active plan calls it first. */
  promoteDueActivations(): Promise<number>;
  rollBack(attempt: RollBackAttempt): Promise<RollBackOutcome>;
}
