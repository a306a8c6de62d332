import { z } from "zod";
import { Id } from "./primitives.ts";

/**
 * What kept a better-scoring rep from getting a customer: a rule that excludes the pair
 * (`territory`, `requires`, `seniority`, `distance`, `rule`, `forbidden`), the customer's `lock`, or
 * a limit that moving the customer alone to that rep would break (`max-accounts`, `max-workload`,
 * `value-band`, `count-band`, `min-accounts` of the chosen rep, `move-budget`). `solver-gap` when
 * the move breaks nothing: the solver stopped within its mipGap.
 */
export const KeptBy = z.enum([
  "territory",
  "requires",
  "seniority",
  "distance",
  "rule",
  "forbidden",
  "lock",
  "max-accounts",
  "max-workload",
  "value-band",
  "count-band",
  "min-accounts",
  "move-budget",
  "solver-gap",
]);
export type KeptBy = z.infer<typeof KeptBy>;

/** The best eligible rep other than the chosen one. */
export const AssignmentRunnerUp = z.strictObject({
  rep: Id,
  /** The pair's objective term, like Assignment.expectedValue. */
  expectedValue: z.number(),
  /** Chosen rep's expected value minus the runner-up's: what choosing the runner-up instead would lose (negative when it scores higher). */
  valueLost: z.number(),
  /** Why the runner-up did not get the customer, when it scores higher; empty otherwise. */
  keptBy: z.array(KeptBy),
});
export type AssignmentRunnerUp = z.infer<typeof AssignmentRunnerUp>;

/** The best-scoring rep, eligible or not, whose expected value for this customer beats the chosen rep's. */
export const AssignmentBetterRep = z.strictObject({
  rep: Id,
  expectedValue: z.number(),
  keptBy: z.array(KeptBy),
});
export type AssignmentBetterRep = z.infer<typeof AssignmentBetterRep>;

/** Why the customer went to its rep. */
export const AssignmentExplanation = z.strictObject({
  /** null when no other rep is eligible. */
  runnerUp: AssignmentRunnerUp.nullable(),
  /** null when no rep scores higher than the chosen one. */
  betterRep: AssignmentBetterRep.nullable(),
});
export type AssignmentExplanation = z.infer<typeof AssignmentExplanation>;
