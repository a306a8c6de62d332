import { z } from "zod";
import { Id } from "./primitives.ts";
import { PlanVersion } from "./saved-plan.ts";

export const MoveDecision = z
  .strictObject({
    customer: Id.describe("A customer the reviewed version moves (its rep differs from its currentRep)."),
    decision: z.enum(["accept", "reject"]).describe("accept: the move becomes an override to the proposed rep; reject: the customer stays with its currentRep (an override to it)."),
    reason: z.string().max(2000, "must be at most 2000 characters").optional().describe("Why; default the review's comment."),
  })
  .describe("The planner's decision on one proposed move.");
export type MoveDecision = z.infer<typeof MoveDecision>;

export const ReviewRequest = z
  .strictObject({
    by: z.string().min(1, "must be a non-empty string").max(128, "must be at most 128 characters").describe("Who reviews (recorded on every override the round adds)."),
    comment: z.string().max(2000, "must be at most 2000 characters").optional().describe("The round's comment; the reason of each decision that gives none."),
    decisions: z.array(MoveDecision).describe("Decisions on some or all of the version's moves, each customer at most once; moves not decided stay free for the next solve."),
  })
  .describe("POST /v1/plans/{id}/review: accept or reject the moves a saved version proposes.");
export type ReviewRequest = z.infer<typeof ReviewRequest>;

export const ReviewResult = z
  .strictObject({
    changed: z.boolean().describe("False when nothing was rejected: the reviewed version stands, nothing is solved or saved."),
    reviewed: Id.describe("The reviewed version's id."),
    accepted: z.int(),
    rejected: z.int(),
    plan: PlanVersion.describe("The new version solved from the decisions (every decision an override), or the reviewed version when nothing changed."),
  })
  .describe("One review round.");
export type ReviewResult = z.infer<typeof ReviewResult>;
