import { z } from "zod";
import { DriftTest } from "./plan-performance.ts";
import { Id, NonNegative } from "./primitives.ts";
import { ReassignRequest, ReassignResult } from "./reassignment.ts";

export const DriftReassignOptions = z
  .strictObject({
    maxMoves: z.int().min(0).optional().describe("Most customers that may move although they did not have to; default the plan's policy.stability.maxMoves, else 10% of its customers (rounded up)."),
    movePenalty: NonNegative.optional().describe("Subtracted from the value of every pair that moves a customer; default the plan's policy.stability.movePenalty."),
    credibility: z.number().min(0.5).max(0.999).optional().describe("The drift test's level over the plan (default 0.9), as `?credibility=` on the performance endpoint."),
    resetDrifted: z.boolean().optional().describe("Drop the history from before the plan of the reps with an alert (default true): the test says it no longer describes them, and kept it would outweigh their recent deals."),
  })
  .describe("Body of POST /v1/plans/{id}/performance/reassign (every field optional: `{}` takes the defaults).");
export type DriftReassignOptions = z.infer<typeof DriftReassignOptions>;

export const DriftReassignProposal = z
  .strictObject({
    planId: Id,
    drift: DriftTest.describe("The drift test the proposal answers, with its alerts."),
    request: ReassignRequest.describe(
      "The proposal as a /v1/reassign request: the saved plan with each customer's currentRep its rep in the plan, the history update as an `updateHistory` event (the recorded outcomes added, the drifted reps' earlier history dropped), and the budget. Send it to /v1/reassign to rerun or adjust it (e.g. with frontier: true).",
    ),
    result: ReassignResult.nullable().describe("The reassignment: every move with its reason (forced or chosen, within the budget) and value change; null when there is no alert (nothing to adjust)."),
  })
  .describe("What POST /v1/plans/{id}/performance/reassign answers: the drift alerts turned into a reassignment under a move budget.");
export type DriftReassignProposal = z.infer<typeof DriftReassignProposal>;
