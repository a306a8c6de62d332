import type { RequestHandler } from "express";
import { renderDocsPage } from "../docs-page.ts";
import type { OpenApiDocument } from "../openapi-parts.ts";

/** GET /docs: the API documentation as one self-contained HTML page (rendered once). */
export function docsRoute(deps: { document: OpenApiDocument }): RequestHandler {
  const html = renderDocsPage(deps.document);
  return (_req, res) => {
    res.type("text/html").send(html);
  };
}
