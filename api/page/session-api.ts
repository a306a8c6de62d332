/**
 * The boundary to the sign-in API: GET /v1/session (who am I, and whether the service asks for keys
 * at all), POST /v1/sessions (a key for a session cookie and CSRF token), DELETE /v1/session (sign
 * out). What the page shows follows `operations`, the list the server derives from its route table.
 */
import { ApiError, getJson, sendJson, setCsrfToken } from "./api-client.ts";
import type { CreatedSession, SessionInfo } from "./contract.ts";

export type Probe = { kind: "ready"; session: SessionInfo } | { kind: "sign-in"; reason: string };

/** Whether the page may go on as it is (keys not required, or signed in here) or must sign in. */
export async function probeSession(hasToken: boolean): Promise<Probe> {
  try {
    const session = await getJson<SessionInfo>("/v1/session");
    if (!session.keysRequired) return { kind: "ready", session };
    if (session.authenticatedBy === "session" && hasToken) return { kind: "ready", session };
    return { kind: "sign-in", reason: session.authenticatedBy === "session" ? "Sign in again in this tab." : "" };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return { kind: "sign-in", reason: "" };
    throw error;
  }
}

export async function signIn(key: string): Promise<SessionInfo> {
  const created = await sendJson<CreatedSession>("POST", "/v1/sessions", { key });
  setCsrfToken(created.csrfToken);
  const { csrfToken: _kept, ...session } = created;
  return session;
}

export async function signOut(): Promise<void> {
  try {
    await sendJson<null>("DELETE", "/v1/session");
  } finally {
    setCsrfToken(null);
  }
}

/** Whether the session's role may call `operation` (`METHOD /path`, as the OpenAPI document writes it). */
export function allows(session: SessionInfo, operation: string): boolean {
  return session.operations.includes(operation);
}
