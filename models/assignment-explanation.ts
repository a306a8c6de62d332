import { z } from "zod";
import { Id } from "./primitives.ts";

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
]).describe(
  "What kept a better-scoring rep from getting a customer: a rule that excludes the pair (`territory`, `requires`, `seniority`, `distance`, `rule`, `forbidden`), " +
    "the customer's `lock`, or a limit that moving the customer alone to that rep would break (`max-accounts`, `max-workload`, `value-band`, `count-band`, " +
    "`min-accounts` of the chosen rep, `move-budget`). `solver-gap` when the move breaks nothing: the solver stopped within its mipGap.",
);
export type KeptBy = z.infer<typeof KeptBy>;

export const AssignmentRunnerUp = z
  .strictObject({
    rep: Id,
    expectedValue: z.number().describe("The pair's objective term, like Assignment.expectedValue."),
    valueLost: z.number().describe("Chosen rep's expected value minus the runner-up's: what choosing the runner-up instead would lose (negative when it scores higher)."),
    keptBy: z.array(KeptBy).describe("Why the runner-up did not get the customer, when it scores higher; empty otherwise."),
  })
  .describe("The best eligible rep other than the chosen one.");
export type AssignmentRunnerUp = z.infer<typeof AssignmentRunnerUp>;

export const AssignmentBetterRep = z
  .strictObject({
    rep: Id,
    expectedValue: z.number().describe("The pair's objective term with this rep."),
    keptBy: z.array(KeptBy).describe("Why the rep did not get the customer."),
  })
  .describe("The best-scoring rep, eligible or not, whose expected value for this customer beats the chosen rep's.");
export type AssignmentBetterRep = z.infer<typeof AssignmentBetterRep>;

export const AssignmentExplanation = z
  .strictObject({
    runnerUp: AssignmentRunnerUp.nullable().describe("The best eligible rep other than the chosen one; null when no other rep is eligible."),
    betterRep: AssignmentBetterRep.nullable().describe("The best-scoring rep that beats the chosen one; null when no rep scores higher."),
  })
  .describe("Why the customer went to its rep: the runner-up, and what kept a better-scoring rep from getting it.");
export type AssignmentExplanation = z.infer<typeof AssignmentExplanation>;
