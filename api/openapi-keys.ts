/**
 * The OpenAPI part of key management (POST/GET /v1/keys, DELETE /v1/keys/{id}): the schemas to
 * register, the tag and the operations (the route table, endpoints.ts, places them).
 */
import type { z } from "zod";
import * as models from "../models/index.ts";
import { HEADERS, problemResponse, ref, type Operation, type OperationContext, type ParameterObject, type ResponseObject } from "./openapi-parts.ts";

type Meta = { id: string };
type Entry = readonly [z.ZodType, Meta];

export const KEYS_INPUT_SCHEMAS: readonly Entry[] = [[models.NewApiKey, { id: "NewApiKey" }]];

export const KEYS_OUTPUT_SCHEMAS: readonly Entry[] = [
  [models.KeyRole, { id: "KeyRole" }],
  [models.ApiKeyInfo, { id: "ApiKeyInfo" }],
  [models.CreatedApiKey, { id: "CreatedApiKey" }],
  [models.ApiKeyList, { id: "ApiKeyList" }],
];

export const KEYS_TAGS = [{ name: "keys", description: "API keys managed in the store: created with a role, shown once, kept as a sha256, revoked without a restart." }];

const KEY_ID: ParameterObject = { name: "id", in: "path", required: true, description: "The key's id (first 12 hex digits of its sha256).", schema: { type: "string" } };

const json = (id: string, description: string): ResponseObject => ({
  description,
  headers: { "x-request-id": HEADERS.requestId },
  content: { "application/json": { schema: ref(id) } },
});

export function createKeyOperation(c: OperationContext): Operation {
  return {
    operationId: "createKey",
    summary: "Create an API key with a role, a label and an optional expiry",
    description:
      "The answer holds the key itself (`key`), shown this once: the service keeps only its sha256. Use it as `Authorization: Bearer <key>` on every instance at once. " +
      "Not idempotent on purpose: a stored replay would have to keep the key.",
    tags: ["keys"],
    requestBody: { required: true, description: "The role, label and expiry.", content: { "application/json": { schema: ref("NewApiKey"), example: { role: "integrator", label: "crm-integration" } } } },
    responses: {
      "201": {
        ...json("CreatedApiKey", "The key, shown once (`Cache-Control: no-store`)."),
        headers: { "x-request-id": HEADERS.requestId, Location: { description: "/v1/keys/{id}", schema: { type: "string" } } },
      },
      ...c.bodyErrors,
      "422": problemResponse(["invalid-request"]),
      "503": problemResponse(["shutting-down", ...c.storeErrors]),
    },
  };
}

export function listKeysOperation(c: OperationContext): Operation {
  return {
    operationId: "listKeys",
    summary: "Every managed key, newest first, without secrets",
    description: "Id, role, label, creation, expiry and revocation of each key in the store (the keys of ALLOT_API_KEYS are not listed).",
    tags: ["keys"],
    responses: { "200": json("ApiKeyList", "The keys."), ...c.commonErrors },
  };
}

export function revokeKeyOperation(c: OperationContext): Operation {
  return {
    operationId: "revokeKey",
    summary: "Revoke a managed key",
    description: "From the next request on, every instance refuses the key with 401 (the store is read at each request). Revoking twice keeps the first time.",
    tags: ["keys"],
    parameters: [KEY_ID],
    responses: { "200": json("ApiKeyInfo", "The key as revoked."), "404": problemResponse(["key-not-found"]), ...c.commonErrors },
  };
}
