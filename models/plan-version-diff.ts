import { z } from "zod";
import { Id } from "./primitives.ts";
import { SolutionStatus } from "./solution.ts";

export const NumberChange = z
  .strictObject({
    from: z.number(),
    to: z.number(),
    delta: z.number(),
  })
  .describe("A figure in the first plan (`from`), the second (`to`), and delta = to − from.");
export type NumberChange = z.infer<typeof NumberChange>;

export const NullableNumberChange = z
  .strictObject({
    from: z.number().nullable(),
    to: z.number().nullable(),
    delta: z.number().nullable(),
  })
  .describe("As NumberChange, for figures that may be absent (null delta when either side is null).");
export type NullableNumberChange = z.infer<typeof NullableNumberChange>;

export const CustomerMove = z
  .strictObject({
    customer: Id,
    from: Id.nullable(),
    to: Id.nullable(),
    expectedValueFrom: z.number().nullable(),
    expectedValueTo: z.number().nullable(),
    delta: z.number().describe("(expectedValueTo ?? 0) − (expectedValueFrom ?? 0)."),
  })
  .describe("A customer present in both plans whose rep differs (null = unassigned on that side).");
export type CustomerMove = z.infer<typeof CustomerMove>;

export const CustomerPresence = z
  .strictObject({
    customer: Id,
    rep: Id.nullable(),
    expectedValue: z.number().nullable(),
  })
  .describe("A customer in only one of the two plans, with its rep there (null = unassigned).");
export type CustomerPresence = z.infer<typeof CustomerPresence>;

export const RepLoadChange = z
  .strictObject({
    rep: Id,
    inFrom: z.boolean().describe("The rep is in plan `from`."),
    inTo: z.boolean().describe("The rep is in plan `to`."),
    accounts: NumberChange,
    workload: NumberChange,
    value: NumberChange,
    expectedValue: NumberChange,
    gained: z.int().describe("Customers the rep gained between the two plans (moves and additions)."),
    lost: z.int().describe("Customers the rep lost between the two plans (moves and removals)."),
  })
  .describe("One rep's load in both plans (zeros on the side where the rep does not exist).");
export type RepLoadChange = z.infer<typeof RepLoadChange>;

export const PlanVersionRef = z
  .strictObject({
    id: Id,
    version: z.int(),
    label: z.string(),
    status: SolutionStatus,
  })
  .describe("Which saved plan version a side of the diff is.");

/**
 * The fields of a comparison of two solved plans (`from` → `to`), shared by saved-plan diffs and
 * what-if scenario diffs.
 */
export const solvedPlanChangeFields = {
  objective: NullableNumberChange.describe("The objective of each plan (null for a plan without one)."),
  expectedValue: NumberChange.describe("metrics.expectedValue of each plan (Σ expected value of its assignments)."),
  assignedValue: NumberChange.describe("metrics.assignedValue of each plan."),
  assigned: NumberChange.describe("Customers assigned in each plan."),
  unassigned: NumberChange.describe("Customers unassigned in each plan."),
  fairness: z
    .strictObject({
      valueGini: NumberChange,
      countGini: NumberChange,
      maxValueOverFairShare: NullableNumberChange,
    })
    .describe("The fairness metrics of each plan."),
  customers: z
    .strictObject({
      moved: z.int().describe("In both plans, with a different rep (or assigned on one side only)."),
      unchanged: z.int().describe("In both plans, with the same rep (or unassigned in both)."),
      added: z.int().describe("Only in `to`."),
      removed: z.int().describe("Only in `from`."),
    })
    .describe("Customer counts by what happened to them."),
  moves: z.array(CustomerMove).describe("Customers in both with a different rep (null = unassigned), in `from` order."),
  added: z.array(CustomerPresence).describe("Customers only in `to`."),
  removed: z.array(CustomerPresence).describe("Customers only in `from`."),
  reps: z.array(RepLoadChange).describe("Every rep of either plan: `from`'s reps in order, then reps only in `to`."),
};

export const PlanVersionDiff = z
  .strictObject({
    from: PlanVersionRef,
    to: PlanVersionRef,
    ...solvedPlanChangeFields,
  })
  .describe("GET /v1/plans/{id}/diff/{otherId}: what changes from plan `from` to plan `to`, as solved (routed customers are not part of a version).");
export type PlanVersionDiff = z.infer<typeof PlanVersionDiff>;
