import { z } from "zod";
import { KeyRole } from "./api-key.ts";

export const NewSession = z
  .strictObject({
    key: z.string().min(1).max(512).describe("An API key (a key of ALLOT_API_KEYS or one made by POST /v1/keys); never stored, logged nor echoed."),
  })
  .describe("Sign in: exchange an API key for a session cookie.");
export type NewSession = z.infer<typeof NewSession>;

export const SessionInfo = z
  .strictObject({
    keysRequired: z.boolean().describe("Whether this service asks for keys at all; false = every endpoint answers without one (no sign-in)."),
    authenticatedBy: z.enum(["session", "key", "none"]).describe("What authenticated this request: the session cookie, an `Authorization` header, or nothing (keys not required)."),
    role: KeyRole.nullable().describe("The role the request acts with (the key's); null when keys are not required."),
    label: z.string().nullable().describe("The key's label (`ALLOT_API_KEYS` for a bootstrap key); null when keys are not required."),
    expiresAt: z.string().nullable().describe("When the session ends at the latest (its absolute lifetime), ISO 8601; null without a session."),
    idleExpiresAt: z.string().nullable().describe("When the session ends if it is not used before (its idle lifetime, counted from its last use to within a minute), ISO 8601; null without a session."),
    operations: z
      .array(z.string())
      .describe("Every operation this role may call, as `METHOD /path` in the OpenAPI document's spelling (from the route table's roles), so a client never disagrees with the server."),
  })
  .describe("Who the caller is: role, key label, session expiry and the operations the role may call.");
export type SessionInfo = z.infer<typeof SessionInfo>;

export const CreatedSession = SessionInfo.extend({
  csrfToken: z
    .string()
    .describe("The session's CSRF token: send it as `X-CSRF-Token` with every POST, PUT, PATCH and DELETE authenticated by the cookie. Shown this once (the store keeps its sha256)."),
}).describe("A new session: its cookie is in `Set-Cookie`; the CSRF token is shown once.");
export type CreatedSession = z.infer<typeof CreatedSession>;
