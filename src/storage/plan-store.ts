/**
 * The storage behind saved plans, live routing and the audit log, as an interface so that another
 * database can be added without touching the routes (the SQLite implementation is sqlite-store.ts).
 *
 * Contract every implementation keeps:
 * - A saved plan version is immutable: its input, solution and label never change; only its state
 *   moves draft → active → archived, and at most one version is active.
 * - Every state change is one transaction together with its audit entry.
 * - `route` reads the loads, asks `decide`, records the customer and the new load in one
 *   transaction that excludes every other writer (also in other processes), so no two routings
 *   can both take a rep's last seat.
 */
import type { ApprovalState, AssignmentRecord, AuditEntry, Plan, PlanVersion, ScoreComponents, Solution, SolutionOverview } from "../../models/index.ts";
import type { ActivationOptions, PlanControlStore } from "./plan-control-store.ts";

/** Who caused a state change: recorded in the audit log. */
export interface AuditContext {
  requestId: string;
  /** The API key's identity (short sha256 prefix), never the key; null when authentication is off. */
  keyId: string | null;
  /** The key's label and role (`ALLOT_API_KEYS` for a bootstrap key); absent or null when authentication is off. */
  keyLabel?: string | null;
  keyRole?: string | null;
}

export interface NewPlanVersion {
  label: string;
  /** The validated plan, as it will be stored (JSON). */
  plan: Plan;
  /** Its verified Solution (whatever the status). */
  solution: Solution;
}

export interface PageRequest {
  /** 1 … 500. */
  limit: number;
  /** The position after which the page starts (from the previous page's `next`); null = first page. */
  after: number | null;
}

export interface Page<T> {
  items: T[];
  /** Position to pass as `after` for the next page; null on the last page. */
  next: number | null;
}

/** One customer of a saved plan, as the diff needs it. */
export interface CustomerPlacement {
  customer: string;
  rep: string | null;
  expectedValue: number | null;
}

/** A rep's load under the active plan: the plan's own assignments plus the customers routed to it. */
export interface RepLoadState {
  accounts: number;
  workload: number;
  value: number;
  expectedValue: number;
}

/** Totals over every rep of the active plan (for fair shares). */
export interface LoadTotals {
  accounts: number;
  value: number;
}

/** What a routing decision changes: the customer's row and, when a rep is chosen, that rep's load. */
export interface RouteEffect {
  rep: string | null;
  /** Workload and value added to the rep's load (ignored when rep is null). */
  workload: number;
  value: number;
  expectedValue: number | null;
  components: ScoreComponents | null;
  reason: string;
}

export interface RouteAttempt<D extends RouteEffect> {
  /** The active plan the caller built its decision context for. */
  planId: string;
  customerId: string;
  /** Reps whose loads `decide` needs (the eligible ones). */
  reps: readonly string[];
  /** Pure: called inside the transaction with the current loads (a missing rep has no row: treat as empty). */
  decide(loads: ReadonlyMap<string, RepLoadState>, totals: LoadTotals): D;
  audit: AuditContext;
}

export type RouteOutcome<D extends RouteEffect> =
  | { kind: "routed"; decision: D; routedAt: string; load: RepLoadState | null }
  | { kind: "no-active-plan" }
  /** Another plan became active since the caller looked: decide again against it. */
  | { kind: "plan-changed"; activePlanId: string }
  | { kind: "customer-exists"; rep: string | null; source: "plan" | "routed"; routedAt: string | null };

export type ActivationOutcome =
  | { kind: "activated"; plan: PlanVersion; archived: PlanVersion | null }
  | { kind: "already-active"; plan: PlanVersion }
  | { kind: "not-found" }
  | { kind: "not-activatable"; plan: PlanVersion; why: string }
  /** ALLOT_REQUIRE_APPROVAL is on and the version is not approved. */
  | { kind: "not-approved"; plan: PlanVersion; approval: ApprovalState };

export interface PlanStore extends PlanControlStore {
  /** Saves a new draft version (with its assignments and per-rep loads) and audits it. */
  savePlan(input: NewPlanVersion, audit: AuditContext): Promise<PlanVersion>;
  getPlan(id: string): Promise<PlanVersion | null>;
  /** Newest first. */
  listPlans(page: PageRequest): Promise<Page<PlanVersion>>;
  /** The plan's stored input as JSON text. */
  getPlanInput(id: string): Promise<string | null>;
  getSolutionOverview(id: string): Promise<SolutionOverview | null>;
  /** Every customer of the plan as solved (not the routed ones), in solution order. */
  getPlacements(id: string): Promise<CustomerPlacement[] | null>;
  /** Archives the active version (if another) and activates this one, in one transaction. */
  activatePlan(id: string, audit: AuditContext, options?: ActivationOptions): Promise<ActivationOutcome>;
  /** The active version, after promoting any due scheduled activation. */
  activePlan(): Promise<PlanVersion | null>;
  /** The solve's customers in solution order, then routed ones in routing order; null for an unknown plan. */
  listAssignments(id: string, page: PageRequest): Promise<Page<AssignmentRecord> | null>;
  route<D extends RouteEffect>(attempt: RouteAttempt<D>): Promise<RouteOutcome<D>>;
  /** The current loads of the given reps under a plan (for tests and tools). */
  repLoads(planId: string): Promise<Map<string, RepLoadState> | null>;
  /** Newest first. */
  listAudit(page: PageRequest): Promise<Page<AuditEntry>>;
}
