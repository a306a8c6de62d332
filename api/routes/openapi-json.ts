import type { RequestHandler } from "express";
import type { OpenApiDocument } from "../openapi-parts.ts";

/** GET /openapi.json: the generated OpenAPI 3.1 document (serialised once). */
export function openApiJsonRoute(deps: { document: OpenApiDocument }): RequestHandler {
  const body = JSON.stringify(deps.document);
  return (_req, res) => {
    res.type("application/json").send(body);
  };
}
