import { z } from "zod";

/** The classic assignment methods CRMs use today (defined in docs/what-if.md). */
export const BaselineMethod = z.enum(["round-robin", "least-loaded", "value-tiers", "first-match"]);
export type BaselineMethod = z.infer<typeof BaselineMethod>;

/** Constraint breaks found by the independent verifier, by violation kind. */
export const ConstraintBreaks = z.strictObject({
  total: z.int(),
  /** Violation kind (e.g. `max-accounts`, `requires`, `value-band`, `missing`) → count, kinds in code-unit order. */
  byKind: z.object({}).catchall(z.int()),
  /** False when the verifier stopped listing at its cap (100): the counts are then lower bounds. */
  complete: z.boolean(),
});
export type ConstraintBreaks = z.infer<typeof ConstraintBreaks>;

export const BaselineResult = z.strictObject({
  method: BaselineMethod,
  /** Σ expected value of the method's pairs, scored like the optimizer's (penalties included). */
  expectedValue: z.number(),
  assigned: z.int(),
  unassigned: z.int(),
  /** Customers whose rep differs from `currentRep`. */
  moves: z.int(),
  breaks: ConstraintBreaks,
  /** The optimizer's objective minus this method's expected value; null when the optimizer has no plan. */
  uplift: z.number().nullable(),
  /** uplift / |expectedValue| × 100; null when the optimizer has no plan or the baseline's value is 0. */
  upliftPercent: z.number().nullable(),
});
export type BaselineResult = z.infer<typeof BaselineResult>;

/** `?compare=…` on /v1/solve: each baseline applied to the same plan, against the optimizer. */
export const BaselineComparison = z.strictObject({
  /** The optimizer's objective (the Solution's); null when it has no plan. */
  optimizer: z.number().nullable(),
  baselines: z.array(BaselineResult),
});
export type BaselineComparison = z.infer<typeof BaselineComparison>;
