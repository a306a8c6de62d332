/**
 * The page's sign-in: POST /v1/sessions exchanges a key for a session (cookie and CSRF token),
 * GET /v1/session says who the caller is and what its role may call, DELETE /v1/session signs
 * out (the session is revoked in the store, so on every instance). The key, the session id and the
 * CSRF token are never logged; the id is only ever in `Set-Cookie`.
 */
import type { RequestHandler, Response } from "express";
import { fieldErrors, NewSession, type CreatedSession, type SessionInfo } from "../../models/index.ts";
import type { ApiKeyStore } from "../../src/storage/api-key-store.ts";
import type { SessionStore } from "../../src/storage/session-store.ts";
import { keyHolderOf, keyResolver, sessionOf } from "../api-key-auth.ts";
import { keysOn, type ServiceConfig } from "../config.ts";
import { storeKeyLookup } from "../managed-keys.ts";
import type { OpenApiDocument } from "../openapi-parts.ts";
import { sendProblem } from "../problem-details.ts";
import { operationsFor } from "../role-operations.ts";
import { clearSessionCookie, sessionCookieOf, setSessionCookie } from "../session-cookie.ts";
import { openSession, secretDigest } from "../sessions.ts";

interface SessionDeps {
  config: ServiceConfig;
  store: ApiKeyStore & SessionStore;
  document: OpenApiDocument;
  now: () => number;
}

const sendJson = (res: Response, status: number, body: unknown) => res.status(status).setHeader("Cache-Control", "no-store").type("application/json").send(JSON.stringify(body));

export function createSessionRoute(deps: SessionDeps): RequestHandler {
  const resolve = keyResolver(deps.config.apiKeys, storeKeyLookup(deps.store, deps.now));
  return async (req, res) => {
    if (!keysOn(deps.config)) {
      sendProblem(req, res, "keys-not-required", "This service asks for no API key: call the endpoints directly, without signing in.");
      return;
    }
    const parsed = NewSession.safeParse(req.body);
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error);
      sendProblem(req, res, "invalid-request", `The body has ${errors.length} problem${errors.length === 1 ? "" : "s"}; see errors.`, { errors });
      return;
    }
    const key = await resolve(parsed.data.key);
    if (key === null) {
      sendProblem(req, res, "unauthorized", "The API key is not valid (unknown, expired or revoked).");
      return;
    }
    // Never adopt an id the client brings: a cookie sent with the sign-in is revoked, and a fresh id issued.
    const previous = sessionCookieOf(req);
    const now = deps.now();
    if (previous !== null) await deps.store.revokeSession(secretDigest(previous), new Date(now).toISOString());
    const opened = await openSession(deps.store, deps.config, key, now);
    setSessionCookie(req, res, opened.id, deps.config.sessions.maxS);
    const body: CreatedSession = {
      keysRequired: true,
      authenticatedBy: "session",
      role: key.role,
      label: key.label,
      expiresAt: opened.holder.expiresAt,
      idleExpiresAt: opened.holder.idleExpiresAt,
      operations: operationsFor(deps.document, key.role),
      csrfToken: opened.csrfToken,
    };
    sendJson(res, 201, body);
  };
}

export function sessionInfoRoute(deps: SessionDeps): RequestHandler {
  return (_req, res) => {
    const holder = keyHolderOf(res);
    const session = sessionOf(res);
    const body: SessionInfo = {
      keysRequired: keysOn(deps.config),
      authenticatedBy: session !== null ? "session" : holder !== null ? "key" : "none",
      role: holder?.role ?? null,
      label: holder?.label ?? null,
      expiresAt: session?.expiresAt ?? null,
      idleExpiresAt: session?.idleExpiresAt ?? null,
      operations: operationsFor(deps.document, holder?.role ?? null),
    };
    sendJson(res, 200, body);
  };
}

export function deleteSessionRoute(deps: SessionDeps): RequestHandler {
  return async (req, res) => {
    const session = sessionOf(res);
    if (session !== null) await deps.store.revokeSession(session.digest, new Date(deps.now()).toISOString());
    clearSessionCookie(req, res);
    res.setHeader("Cache-Control", "no-store");
    res.status(204).end();
  };
}
