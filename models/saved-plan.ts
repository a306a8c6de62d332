import { z } from "zod";
import { Plan } from "./plan.ts";
import { Id } from "./primitives.ts";
import { ScoreComponents, Solution, SolutionStatus } from "./solution.ts";

/** draft → active → archived; one plan at most is active. */
export const PlanState = z.enum(["draft", "active", "archived"]);
export type PlanState = z.infer<typeof PlanState>;

/** A planner's name for a saved plan, e.g. "2027-Q1 draft". */
export const PlanLabel = z.string().trim().min(1, "must be a non-empty string").max(200, "must be at most 200 characters");

/** Body of POST /v1/plans: the label and the plan to solve and save. */
export const SavePlanRequest = z.strictObject({
  label: PlanLabel,
  /** Validated like the body of /v1/solve; its problems are reported with paths under `plan`. */
  plan: Plan,
});
export type SavePlanRequest = z.infer<typeof SavePlanRequest>;

/** One saved, immutable plan version (without its input and solution, which have their own endpoints). */
export const PlanVersion = z.strictObject({
  id: Id,
  /** 1, 2, 3, … in the order the versions were saved. */
  version: z.int().min(1),
  label: z.string(),
  state: PlanState,
  /** The solve's status; only optimal and feasible (verified) plans can be activated. */
  status: SolutionStatus,
  activatable: z.boolean(),
  objective: z.number().nullable(),
  expectedValue: z.number(),
  /** sha256 of the canonical JSON of the plan (the Solution's solver.inputHash). */
  inputHash: z.string(),
  solver: z.strictObject({ backend: z.string(), version: z.string() }),
  customers: z.int().min(0),
  reps: z.int().min(0),
  assigned: z.int().min(0),
  unassigned: z.int().min(0),
  createdAt: z.string(),
  activatedAt: z.string().nullable(),
  archivedAt: z.string().nullable(),
});
export type PlanVersion = z.infer<typeof PlanVersion>;

/** The Solution of a saved plan without its assignments (read those page by page). */
export const SolutionOverview = Solution.omit({ assignments: true });
export type SolutionOverview = z.infer<typeof SolutionOverview>;

/** GET /v1/plans/{id}: the version and its solution (assignments are paginated separately). */
export const PlanVersionDetail = z.strictObject({
  plan: PlanVersion,
  solution: SolutionOverview,
});
export type PlanVersionDetail = z.infer<typeof PlanVersionDetail>;

/** A page of plan versions, newest first. */
export const PlanVersionPage = z.strictObject({
  items: z.array(PlanVersion),
  /** Pass as `?cursor=` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type PlanVersionPage = z.infer<typeof PlanVersionPage>;

/** Where a customer of a saved plan stands: from the solve, or routed live while the plan was active. */
export const AssignmentSource = z.enum(["plan", "routed"]);

/** One customer of a saved plan: its rep (null = unassigned) and why. */
export const AssignmentRecord = z.strictObject({
  customer: Id,
  rep: Id.nullable(),
  expectedValue: z.number().nullable(),
  components: ScoreComponents.nullable(),
  source: AssignmentSource,
  /** Why the customer is unassigned, or why routing chose this rep; null for a solved assignment. */
  reason: z.string().nullable(),
  /** When a routed customer was recorded; null for the solve's own customers. */
  routedAt: z.string().nullable(),
});
export type AssignmentRecord = z.infer<typeof AssignmentRecord>;

/** A page of a plan's customers: the solve's, in solution order, then routed ones in routing order. */
export const AssignmentPage = z.strictObject({
  items: z.array(AssignmentRecord),
  nextCursor: z.string().nullable(),
});
export type AssignmentPage = z.infer<typeof AssignmentPage>;

/** POST /v1/plans/{id}/activate: the plan now active and the one it replaced (null when none, or when it already was active). */
export const PlanActivation = z.strictObject({
  plan: PlanVersion,
  archived: PlanVersion.nullable(),
});
export type PlanActivation = z.infer<typeof PlanActivation>;
