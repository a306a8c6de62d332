import type { RequestHandler } from "express";
import type { PlanStore } from "../../src/storage/plan-store.ts";
import { nextCursor, readPageQuery } from "../page-query.ts";
import { sendProblem } from "../problem-details.ts";

/** GET /v1/audit: every recorded state change, newest first, paginated. */
export function auditRoute(deps: { store: PlanStore }): RequestHandler {
  return async (req, res) => {
    const query = readPageQuery(req, "audit");
    if (!query.ok) {
      sendProblem(req, res, "invalid-query", "See errors.", { errors: query.errors });
      return;
    }
    const page = await deps.store.listAudit(query.page);
    res.status(200).type("application/json").send(JSON.stringify({ items: page.items, nextCursor: nextCursor("audit", page.next) }));
  };
}
