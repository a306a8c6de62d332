import { z } from "zod";
import { Id } from "./primitives.ts";

export const AuditAction = z.enum(["plan.saved", "plan.activated", "plan.archived", "customer.routed", "customer.unassigned"]);
export type AuditAction = z.infer<typeof AuditAction>;

/** One recorded state change. The API key appears only as its identity (first 12 hex digits of its sha256). */
export const AuditEntry = z.strictObject({
  /** Opaque, increasing with time. */
  id: z.string(),
  at: z.string(),
  requestId: z.string(),
  /** null when the service runs without API keys. */
  keyId: z.string().nullable(),
  action: AuditAction,
  planId: Id.nullable(),
  customer: Id.nullable(),
  rep: Id.nullable(),
  /** A short human-readable note (e.g. the label saved, the plan archived by an activation). */
  note: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** A page of audit entries, newest first. */
export const AuditPage = z.strictObject({
  items: z.array(AuditEntry),
  nextCursor: z.string().nullable(),
});
export type AuditPage = z.infer<typeof AuditPage>;
