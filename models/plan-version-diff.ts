import { z } from "zod";
import { Id } from "./primitives.ts";
import { SolutionStatus } from "./solution.ts";

/** A figure in the first plan (`from`), the second (`to`), and `to − from`. */
export const NumberChange = z.strictObject({
  from: z.number(),
  to: z.number(),
  delta: z.number(),
});
export type NumberChange = z.infer<typeof NumberChange>;

/** As NumberChange, for figures that may be absent (null delta when either side is null). */
export const NullableNumberChange = z.strictObject({
  from: z.number().nullable(),
  to: z.number().nullable(),
  delta: z.number().nullable(),
});
export type NullableNumberChange = z.infer<typeof NullableNumberChange>;

/** A customer present in both plans whose rep differs (null = unassigned on that side). */
export const CustomerMove = z.strictObject({
  customer: Id,
  from: Id.nullable(),
  to: Id.nullable(),
  expectedValueFrom: z.number().nullable(),
  expectedValueTo: z.number().nullable(),
  /** (expectedValueTo ?? 0) − (expectedValueFrom ?? 0). */
  delta: z.number(),
});
export type CustomerMove = z.infer<typeof CustomerMove>;

/** A customer in only one of the two plans, with its rep there. */
export const CustomerPresence = z.strictObject({
  customer: Id,
  rep: Id.nullable(),
  expectedValue: z.number().nullable(),
});
export type CustomerPresence = z.infer<typeof CustomerPresence>;

/** One rep's load in both plans (zeros on the side where the rep does not exist). */
export const RepLoadChange = z.strictObject({
  rep: Id,
  inFrom: z.boolean(),
  inTo: z.boolean(),
  accounts: NumberChange,
  workload: NumberChange,
  value: NumberChange,
  expectedValue: NumberChange,
  /** Customers the rep gained and lost between the two plans (moves, additions and removals). */
  gained: z.int(),
  lost: z.int(),
});
export type RepLoadChange = z.infer<typeof RepLoadChange>;

export const PlanVersionRef = z.strictObject({
  id: Id,
  version: z.int(),
  label: z.string(),
  status: SolutionStatus,
});

/**
 * The fields of a comparison of two solved plans (`from` → `to`), shared by saved-plan diffs and
 * what-if scenario diffs.
 */
export const solvedPlanChangeFields = {
  objective: NullableNumberChange,
  /** metrics.expectedValue of each plan (Σ expected value of its assignments). */
  expectedValue: NumberChange,
  assignedValue: NumberChange,
  assigned: NumberChange,
  unassigned: NumberChange,
  fairness: z.strictObject({
    valueGini: NumberChange,
    countGini: NumberChange,
    maxValueOverFairShare: NullableNumberChange,
  }),
  customers: z.strictObject({
    /** In both plans, with a different rep (or assigned on one side only). */
    moved: z.int(),
    /** In both plans, with the same rep (or unassigned in both). */
    unchanged: z.int(),
    /** Only in `to`. */
    added: z.int(),
    /** Only in `from`. */
    removed: z.int(),
  }),
  /** Customers in both with a different rep (null = unassigned), in `from` order. */
  moves: z.array(CustomerMove),
  /** Customers only in `to`. */
  added: z.array(CustomerPresence),
  /** Customers only in `from`. */
  removed: z.array(CustomerPresence),
  /** Every rep of either plan: `from`'s reps in order, then reps only in `to`. */
  reps: z.array(RepLoadChange),
};

/** GET /v1/plans/{id}/diff/{otherId}: what changes when going from plan `from` to plan `to` (as solved). */
export const PlanVersionDiff = z.strictObject({
  from: PlanVersionRef,
  to: PlanVersionRef,
  ...solvedPlanChangeFields,
});
export type PlanVersionDiff = z.infer<typeof PlanVersionDiff>;
