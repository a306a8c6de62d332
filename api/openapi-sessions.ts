/**
 * The OpenAPI part of the page's sign-in (POST /v1/sessions, GET and DELETE /v1/session): the
 * schemas to register, the tag and the operations (the route table, endpoints.ts, places them).
 */
import type { z } from "zod";
import * as models from "../models/index.ts";
import { HEADERS, problemResponse, ref, type Operation, type OperationContext, type ResponseObject } from "./openapi-parts.ts";

type Meta = { id: string };
type Entry = readonly [z.ZodType, Meta];

export const SESSIONS_INPUT_SCHEMAS: readonly Entry[] = [[models.NewSession, { id: "NewSession" }]];

export const SESSIONS_OUTPUT_SCHEMAS: readonly Entry[] = [
  [models.SessionInfo, { id: "SessionInfo" }],
  [models.CreatedSession, { id: "CreatedSession" }],
];

export const SESSIONS_TAGS = [
  {
    name: "sessions",
    description:
      "The workspace page's sign-in: a key exchanged for a session cookie (HttpOnly, SameSite=Strict, Secure over TLS) and a CSRF token that every state-changing request made with the cookie must send as `X-CSRF-Token`.",
  },
];

const SET_COOKIE = { description: "`allot_session=<id>; Path=/; Max-Age=<ALLOT_SESSION_MAX_S>; HttpOnly; SameSite=Strict` (and `Secure` over TLS).", schema: { type: "string" } } as const;

const json = (id: string, description: string): ResponseObject => ({
  description,
  headers: { "x-request-id": HEADERS.requestId },
  content: { "application/json": { schema: ref(id) } },
});

export function createSessionOperation(c: OperationContext): Operation {
  return {
    operationId: "createSession",
    summary: "Sign in: exchange an API key for a session cookie",
    description:
      "Checks the key as `Authorization: Bearer` would, then issues a fresh session id (never one the client brings: a session cookie sent along is revoked) in `Set-Cookie`, and a CSRF token shown this once. " +
      `The session acts with the key's role; it ends ${c.config.sessions.idleS} s after its last use (ALLOT_SESSION_IDLE_S), ${c.config.sessions.maxS} s after sign-in at the latest (ALLOT_SESSION_MAX_S), at sign-out, or when its key is revoked or expires. ` +
      "Only the sha256 of the id and of the token are stored, so every instance sharing the database knows the session. Rate-limited by client address.",
    tags: ["sessions"],
    requestBody: { required: true, description: "The key.", content: { "application/json": { schema: ref("NewSession"), example: { key: "allot_…" } } } },
    responses: {
      "201": { ...json("CreatedSession", "Signed in: who, until when, the operations the role may call, and the CSRF token (`Cache-Control: no-store`)."), headers: { "x-request-id": HEADERS.requestId, "Set-Cookie": SET_COOKIE } },
      ...c.bodyErrors,
      "401": problemResponse(["unauthorized"]),
      "409": problemResponse(["keys-not-required"]),
      "422": problemResponse(["invalid-request"]),
    },
  };
}

export function sessionInfoOperation(c: OperationContext): Operation {
  return {
    operationId: "getSession",
    summary: "Who am I: role, key label, session expiry and the operations the role may call",
    description:
      "With the session cookie or an `Authorization` header (401 without either when keys are required). `keysRequired: false` says the service asks for no key (no sign-in needed). " +
      "`operations` lists `METHOD /path` of every operation the role may call, from the route table's roles.",
    tags: ["sessions"],
    responses: { "200": json("SessionInfo", "Who the caller is (`Cache-Control: no-store`)."), ...c.commonErrors },
  };
}

export function deleteSessionOperation(c: OperationContext): Operation {
  return {
    operationId: "deleteSession",
    summary: "Sign out: revoke the session",
    description:
      "Revokes the session of the cookie in the store, so every instance refuses it from then on, and clears the cookie. Needs the session's `X-CSRF-Token`. With an `Authorization` header there is no session: nothing is revoked.",
    tags: ["sessions"],
    responses: { "204": { description: "Signed out; `Set-Cookie` clears the cookie.", headers: { "x-request-id": HEADERS.requestId, "Set-Cookie": SET_COOKIE } }, ...c.commonErrors },
  };
}
