import { z } from "zod";

export const KeyRole = z
  .enum(["admin", "planner", "integrator", "viewer"])
  .describe(
    "What a key may do: admin (everything, and keys), planner (plans, scenarios, activation, jobs), integrator (route, reassign, outcomes, read plans), viewer (read only).",
  );
export type KeyRole = z.infer<typeof KeyRole>;

export const NewApiKey = z
  .strictObject({
    role: KeyRole,
    label: z.string().trim().min(1).max(100).describe("Who or what holds the key (e.g. `crm-integration`); the audit log records it with every change the key makes."),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe("When the key stops working (ISO 8601); absent = never."),
  })
  .describe("A key to create: its role, its label and an optional expiry.");
export type NewApiKey = z.infer<typeof NewApiKey>;

export const ApiKeyInfo = z
  .strictObject({
    id: z.string().describe("The key's identity: the first 12 hex digits of its sha256 (as in logs and the audit log)."),
    role: KeyRole,
    label: z.string(),
    createdAt: z.string().describe("ISO 8601, UTC."),
    expiresAt: z.string().nullable().describe("ISO 8601, UTC; null = never."),
    revokedAt: z.string().nullable().describe("ISO 8601, UTC; null = not revoked."),
  })
  .describe("A managed key as stored: never the key itself (only its sha256 is kept).");
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;

export const CreatedApiKey = ApiKeyInfo.extend({
  key: z.string().describe("The key, shown this once: the service keeps only its sha256."),
}).describe("A new key, with the secret shown once.");
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const ApiKeyList = z.strictObject({ items: z.array(ApiKeyInfo) }).describe("Every managed key, newest first (never the secrets).");
export type ApiKeyList = z.infer<typeof ApiKeyList>;
