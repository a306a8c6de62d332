import type { RequestHandler } from "express";
import { renderDocsPage } from "../docs-page.ts";
import type { OpenApiDocument } from "../openapi.ts";

/** GET /docs: the API documentation as one self-contained HTML page (rendered once). */
export function docsRoute(document: OpenApiDocument): RequestHandler {
  const html = renderDocsPage(document);
  return (_req, res) => {
    res.type("text/html").send(html);
  };
}
