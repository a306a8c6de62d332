/**
 * Closed deals: POST /v1/outcomes records a batch against the active plan (all or nothing; an
 * unknown customer or rep is a 422 with its path, a deal already recorded a 409), and
 * GET /v1/plans/{id}/outcomes reads a plan's outcomes back, page by page, in recording order.
 */
import type { Request, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import { fieldErrors, OutcomeBatch, type FieldError, type OutcomeReceipt } from "../../models/index.ts";
import type { OutcomeStore } from "../../src/storage/outcome-store.ts";
import type { PlanStore } from "../../src/storage/plan-store.ts";
import { auditContextOf } from "../audit-context.ts";
import { nextCursor, readPageQuery } from "../page-query.ts";
import { sendProblem } from "../problem-details.ts";

const sendJson = (res: Response, status: number, body: unknown) => res.status(status).type("application/json").send(JSON.stringify(body));
const problems = (n: number) => `${n} problem${n === 1 ? "" : "s"}; see errors.`;

export function recordOutcomesRoute(deps: { store: OutcomeStore; logger: Logger }): RequestHandler {
  const { store, logger } = deps;
  return async (req, res) => {
    const parsed = OutcomeBatch.safeParse(req.body);
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error);
      sendProblem(req, res, "invalid-request", `The body has ${problems(errors.length)}`, { errors });
      return;
    }
    const { outcomes } = parsed.data;
    const result = await store.recordOutcomes(outcomes, auditContextOf(res));
    switch (result.kind) {
      case "no-active-plan":
        sendProblem(req, res, "no-active-plan", "There is no active plan to record outcomes against: activate a saved plan first (POST /v1/plans/{id}/activate).");
        return;
      case "unknown-references": {
        const errors: FieldError[] = result.references.map((r) => ({
          path: `outcomes[${r.index}].${r.field}`,
          message: `unknown ${r.field} "${r.id}": not a ${r.field} of the active plan (${result.planId})${r.field === "customer" ? " nor routed to it" : ""}`,
        }));
        sendProblem(req, res, "invalid-request", `The outcomes do not fit the active plan (${result.planId}): ${problems(errors.length)}`, { errors });
        return;
      }
      case "deal-exists": {
        const errors: FieldError[] = result.deals.map((d) => ({
          path: `outcomes[${d.index}].deal`,
          message: `deal "${d.deal}" already has an outcome, recorded at ${d.recordedAt} against plan ${d.planId}`,
        }));
        sendProblem(
          req,
          res,
          "outcome-exists",
          `${errors.length === 1 ? "A deal of the batch already has" : `${errors.length} deals of the batch already have`} a recorded outcome; nothing was recorded. See errors.`,
          { errors },
        );
        return;
      }
      case "recorded": {
        const body: OutcomeReceipt = {
          planId: result.planId,
          recorded: result.outcomes.length,
          won: result.outcomes.filter((o) => o.won).length,
          outcomes: result.outcomes,
        };
        logger.info({ requestId: res.locals.requestId, planId: result.planId, recorded: body.recorded, won: body.won }, "outcomes recorded");
        res.setHeader("Location", `/v1/plans/${result.planId}/outcomes`);
        sendJson(res, 200, body);
        return;
      }
    }
  };
}

function planIdOf(req: Request): string {
  const value: unknown = req.params.id;
  return typeof value === "string" ? value : "";
}

export function listOutcomesRoute(deps: { store: PlanStore & OutcomeStore }): RequestHandler {
  return async (req, res) => {
    const id = planIdOf(req);
    const list = `outcomes/${id}`;
    const query = readPageQuery(req, list);
    if (!query.ok) {
      sendProblem(req, res, "invalid-query", "See errors.", { errors: query.errors });
      return;
    }
    const page = await deps.store.listOutcomes(id, query.page);
    if (page === null) {
      sendProblem(req, res, "plan-not-found", `There is no saved plan with id ${JSON.stringify(id)}.`);
      return;
    }
    sendJson(res, 200, { items: page.items, nextCursor: nextCursor(list, page.next) });
  };
}
