import { z } from "zod";

export const BaselineMethod = z
  .enum(["round-robin", "least-loaded", "value-tiers", "first-match"])
  .describe("The classic assignment methods CRMs use today: round-robin, least-loaded, value-tiers, first-match (see docs/what-if.md for each definition).");
export type BaselineMethod = z.infer<typeof BaselineMethod>;

export const ConstraintBreaks = z
  .strictObject({
    total: z.int().describe("Constraint breaks of every kind."),
    byKind: z.object({}).catchall(z.int()).describe("Violation kind (e.g. `max-accounts`, `requires`, `value-band`, `missing`) → count, kinds in code-unit order."),
    complete: z.boolean().describe("False when the verifier stopped listing at its cap (100): the counts are then lower bounds."),
  })
  .describe("Constraint breaks found by the independent verifier, by violation kind.");
export type ConstraintBreaks = z.infer<typeof ConstraintBreaks>;

export const BaselineResult = z
  .strictObject({
    method: BaselineMethod,
    expectedValue: z.number().describe("Σ expected value of the method's pairs, scored like the optimizer's (penalties included)."),
    assigned: z.int(),
    unassigned: z.int(),
    moves: z.int().describe("Customers whose rep differs from `currentRep`."),
    breaks: ConstraintBreaks,
    uplift: z.number().nullable().describe("The optimizer's objective minus this method's expected value; null when the optimizer has no plan."),
    upliftPercent: z.number().nullable().describe("uplift / |expectedValue| × 100; null when the optimizer has no plan or the baseline's value is 0."),
  })
  .describe("One classic method applied to the plan.");
export type BaselineResult = z.infer<typeof BaselineResult>;

export const BaselineComparison = z
  .strictObject({
    optimizer: z.number().nullable().describe("The optimizer's objective (the Solution's); null when it has no plan."),
    baselines: z.array(BaselineResult),
  })
  .describe("`?compare=…` on /v1/solve: each classic method applied to the same plan, against the optimizer.");
export type BaselineComparison = z.infer<typeof BaselineComparison>;
