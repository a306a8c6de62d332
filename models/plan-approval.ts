import { z } from "zod";

export const ApprovalState = z
  .enum(["none", "submitted", "approved", "rejected"])
  .describe("none → submitted → approved or rejected; a rejected version may be submitted again; approved is final.");
export type ApprovalState = z.infer<typeof ApprovalState>;

export const ApprovalAction = z.enum(["submit", "approve", "reject"]).describe("submit: ask for approval; approve or reject: decide on a submitted version.");
export type ApprovalAction = z.infer<typeof ApprovalAction>;

const Person = z.string().trim().min(1, "must be a non-empty string").max(128, "must be at most 128 characters");

export const ApprovalRequest = z
  .strictObject({
    action: ApprovalAction,
    by: Person.describe("Who submits, approves or rejects (recorded with the step and in the audit log)."),
    comment: z.string().max(2000, "must be at most 2000 characters").optional().describe("Why; shown in the version's approval history."),
  })
  .describe("Body of POST /v1/plans/{id}/approval: one approval step on a saved version.");
export type ApprovalRequest = z.infer<typeof ApprovalRequest>;

export const ApprovalStep = z
  .strictObject({
    action: ApprovalAction,
    by: z.string(),
    comment: z.string().nullable(),
    at: z.string().describe("When (ISO 8601, UTC)."),
    keyId: z.string().nullable().describe("The API key's identity that took the step; null without API keys."),
  })
  .describe("One step of a version's approval history.");
export type ApprovalStep = z.infer<typeof ApprovalStep>;

export const PlanApproval = z
  .strictObject({
    planId: z.string(),
    state: ApprovalState,
    history: z.array(ApprovalStep).describe("Every step, oldest first."),
  })
  .describe("A version's approval state and history.");
export type PlanApproval = z.infer<typeof PlanApproval>;
