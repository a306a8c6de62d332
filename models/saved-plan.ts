import { z } from "zod";
import { ActivationSchedule } from "./activation-schedule.ts";
import { PlanApproval } from "./plan-approval.ts";
import { Plan } from "./plan.ts";
import { hasNoNul, Id, NO_NUL_MESSAGE } from "./primitives.ts";
import { ScoreComponents, Solution, SolutionStatus } from "./solution.ts";

export const PlanState = z.enum(["draft", "active", "archived"]).describe("draft → active → archived; one plan at most is active.");
export type PlanState = z.infer<typeof PlanState>;

export const PlanLabel = z
  .string()
  .trim()
  .min(1, "must be a non-empty string")
  .max(200, "must be at most 200 characters")
  .refine(hasNoNul, NO_NUL_MESSAGE)
  .describe('A planner\'s name for a saved plan, e.g. "2027-Q1 draft".');

export const SavePlanRequest = z
  .strictObject({
    label: PlanLabel,
    plan: Plan.describe("The plan to solve and save, validated like the body of /v1/solve; its problems are reported with paths under `plan`."),
  })
  .describe("Body of POST /v1/plans: a label and the plan to solve and save as a new draft version.");
export type SavePlanRequest = z.infer<typeof SavePlanRequest>;

export const PlanVersion = z
  .strictObject({
    id: Id.describe("The version's id (its URL is /v1/plans/{id})."),
    version: z.int().min(1).describe("1, 2, 3, … in the order the versions were saved."),
    label: z.string(),
    state: PlanState,
    status: SolutionStatus.describe("The solve's status; only optimal and feasible (verified) plans can be activated."),
    activatable: z.boolean().describe("The plan can be made active (its solve found a verified plan and it is not archived)."),
    objective: z.number().nullable(),
    expectedValue: z.number(),
    inputHash: z.string().describe("sha256 of the canonical JSON of the plan (the Solution's solver.inputHash)."),
    solver: z.strictObject({ backend: z.string(), version: z.string() }).describe("The solver that solved it (the Solution's solver.backend and version)."),
    customers: z.int().min(0),
    reps: z.int().min(0),
    assigned: z.int().min(0),
    unassigned: z.int().min(0),
    createdAt: z.string().describe("When the version was saved (ISO 8601, UTC)."),
    activatedAt: z.string().nullable().describe("When it was made active; null if never."),
    archivedAt: z.string().nullable().describe("When it was archived; null if not."),
  })
  .describe("One saved, immutable plan version (without its input and solution, which have their own endpoints): only its state changes.");
export type PlanVersion = z.infer<typeof PlanVersion>;

export const SolutionOverview = Solution.omit({ assignments: true }).describe("A Solution without its assignments (read those page by page with GET /v1/plans/{id}/assignments).");
export type SolutionOverview = z.infer<typeof SolutionOverview>;

export const PlanVersionDetail = z
  .strictObject({
    plan: PlanVersion,
    solution: SolutionOverview,
    approval: PlanApproval.describe("Its approval state and history."),
    schedules: z.array(ActivationSchedule).describe("Its scheduled activations, newest first (waiting, done, skipped or cancelled)."),
  })
  .describe("GET /v1/plans/{id}: the version, its solution (assignments are paginated separately), its approval and its scheduled activations.");
export type PlanVersionDetail = z.infer<typeof PlanVersionDetail>;

export const PlanVersionPage = z
  .strictObject({
    items: z.array(PlanVersion),
    nextCursor: z.string().nullable().describe("Pass as `?cursor=` for the next page; null on the last page."),
  })
  .describe("Plan versions, newest first.");
export type PlanVersionPage = z.infer<typeof PlanVersionPage>;

export const AssignmentSource = z.enum(["plan", "routed"]).describe("plan: from the solve; routed: assigned live by POST /v1/route while the plan was active.");

export const AssignmentRecord = z
  .strictObject({
    customer: Id,
    rep: Id.nullable().describe("null = unassigned."),
    expectedValue: z.number().nullable(),
    components: ScoreComponents.nullable(),
    source: AssignmentSource,
    reason: z.string().nullable().describe("Why the customer is unassigned, or why routing chose this rep; null for a solved assignment."),
    routedAt: z.string().nullable().describe("When a routed customer was recorded; null for the solve's own customers."),
  })
  .describe("One customer of a saved plan: its rep (null = unassigned) and why.");
export type AssignmentRecord = z.infer<typeof AssignmentRecord>;

export const AssignmentPage = z
  .strictObject({
    items: z.array(AssignmentRecord),
    nextCursor: z.string().nullable().describe("Pass as `?cursor=` for the next page; null on the last page."),
  })
  .describe("A page of a plan's customers: the solve's, in solution order, then routed ones in routing order.");
export type AssignmentPage = z.infer<typeof AssignmentPage>;

export const PlanActivation = z
  .strictObject({
    plan: PlanVersion.describe("The plan now active."),
    archived: PlanVersion.nullable().describe("The plan it replaced, now archived; null when none, or when it already was active."),
  })
  .describe("POST /v1/plans/{id}/activate: the plan now active and the one it replaced.");
export type PlanActivation = z.infer<typeof PlanActivation>;
