import type { RequestHandler } from "express";
import type { OpenApiDocument } from "../openapi.ts";

/** GET /openapi.json: the generated OpenAPI 3.1 document (serialised once). */
export function openApiJsonRoute(document: OpenApiDocument): RequestHandler {
  const body = JSON.stringify(document);
  return (_req, res) => {
    res.type("application/json").send(body);
  };
}
