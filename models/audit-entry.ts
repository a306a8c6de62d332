import { z } from "zod";
import { Id } from "./primitives.ts";

export const AuditAction = z.enum(["plan.saved", "plan.activated", "plan.archived", "customer.routed", "customer.unassigned", "outcomes.recorded", "key.created", "key.revoked", "plan.submitted", "plan.approved", "plan.rejected", "plan.scheduled", "plan.schedule-cancelled", "plan.schedule-skipped", "plan.rolled-back", "customer.carried", "customer.not-carried"]).describe("What changed.");
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntry = z
  .strictObject({
    id: z.string().describe("Opaque, increasing with time."),
    at: z.string().describe("When (ISO 8601, UTC)."),
    requestId: z.string().describe("The request that made the change."),
    keyId: z.string().nullable().describe("The API key's identity (first 12 hex digits of its sha256); null when the service runs without API keys."),
    keyLabel: z.string().nullable().describe("The label of the key that made the change (`ALLOT_API_KEYS` for a bootstrap key); null without API keys or before keys had labels."),
    keyRole: z.string().nullable().describe("The role of that key; null without API keys or before keys had roles."),
    action: AuditAction,
    planId: Id.nullable().describe("The plan concerned, if any."),
    customer: Id.nullable().describe("The customer concerned, if any."),
    rep: Id.nullable().describe("The rep concerned, if any."),
    note: z.string().nullable().describe("A short human-readable note (e.g. the label saved, the plan archived by an activation)."),
  })
  .describe("One recorded state change. The API key appears only as its identity (first 12 hex digits of its sha256).");
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z
  .strictObject({
    items: z.array(AuditEntry),
    nextCursor: z.string().nullable().describe("Pass as `?cursor=` for the next page; null on the last page."),
  })
  .describe("Audit entries, newest first.");
export type AuditPage = z.infer<typeof AuditPage>;
