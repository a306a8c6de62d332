/**
 * Key management (admin only, by the route table): POST /v1/keys creates a key and shows it once,
 * GET /v1/keys lists keys without secrets, DELETE /v1/keys/{id} revokes one (refused by every
 * instance from its next request on).
 */
import type { RequestHandler, Response } from "express";
import { fieldErrors, NewApiKey, type ApiKeyList, type CreatedApiKey } from "../../models/index.ts";
import type { ApiKeyStore } from "../../src/storage/api-key-store.ts";
import { auditContextOf } from "../audit-context.ts";
import { freshKey } from "../managed-keys.ts";
import { sendProblem } from "../problem-details.ts";

const sendJson = (res: Response, status: number, body: unknown) => res.status(status).type("application/json").send(JSON.stringify(body));

export function createKeyRoute(deps: { store: ApiKeyStore }): RequestHandler {
  return async (req, res) => {
    const parsed = NewApiKey.safeParse(req.body);
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error);
      sendProblem(req, res, "invalid-request", `The body has ${errors.length} problem${errors.length === 1 ? "" : "s"}; see errors.`, { errors });
      return;
    }
    const { role, label, expiresAt } = parsed.data;
    const expires = expiresAt === undefined ? null : new Date(expiresAt).toISOString();
    if (expires !== null && Date.parse(expires) <= Date.now()) {
      sendProblem(req, res, "invalid-request", "The body has 1 problem; see errors.", { errors: [{ path: "expiresAt", message: `${expiresAt} is not in the future` }] });
      return;
    }
    const { key, row } = freshKey(role, label, expires);
    const info = await deps.store.createApiKey(row, auditContextOf(res));
    const body: CreatedApiKey = { ...info, key };
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Location", `/v1/keys/${info.id}`);
    sendJson(res, 201, body);
  };
}

export function listKeysRoute(deps: { store: ApiKeyStore }): RequestHandler {
  return async (_req, res) => {
    const body: ApiKeyList = { items: await deps.store.listApiKeys() };
    sendJson(res, 200, body);
  };
}

export function revokeKeyRoute(deps: { store: ApiKeyStore }): RequestHandler {
  return async (req, res) => {
    const id = String(req.params.id);
    const info = await deps.store.revokeApiKey(id, auditContextOf(res));
    if (info === null) {
      sendProblem(req, res, "key-not-found", `No managed key has the id ${id}.`);
      return;
    }
    sendJson(res, 200, info);
  };
}
