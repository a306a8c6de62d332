/**
 * Scheduled activations: GET /v1/schedules (newest first, paginated) and DELETE /v1/schedules/{id}
 * (cancel one that still waits, audited). A schedule is made with POST /v1/plans/{id}/activate?activateAt=….
 */
import type { RequestHandler, Response } from "express";
import type { PlanStore } from "../../src/storage/plan-store.ts";
import { auditContextOf } from "../audit-context.ts";
import { nextCursor, readPageQuery } from "../page-query.ts";
import { sendProblem } from "../problem-details.ts";

const sendJson = (res: Response, status: number, body: unknown) => res.status(status).type("application/json").send(JSON.stringify(body));

export function listSchedulesRoute(deps: { store: PlanStore }): RequestHandler {
  return async (req, res) => {
    const query = readPageQuery(req, "schedules");
    if (!query.ok) {
      sendProblem(req, res, "invalid-query", "See errors.", { errors: query.errors });
      return;
    }
    await deps.store.promoteDueActivations();
    const page = await deps.store.listSchedules(query.page);
    sendJson(res, 200, { items: page.items, nextCursor: nextCursor("schedules", page.next) });
  };
}

export function cancelScheduleRoute(deps: { store: PlanStore }): RequestHandler {
  return async (req, res) => {
    const id = typeof req.params.id === "string" ? req.params.id : "";
    const outcome = await deps.store.cancelSchedule(id, auditContextOf(res));
    if (outcome.kind === "not-found") {
      sendProblem(req, res, "schedule-not-found", `There is no scheduled activation with id ${JSON.stringify(id)}.`);
      return;
    }
    if (outcome.kind === "not-waiting") {
      sendProblem(req, res, "schedule-not-waiting", `Scheduled activation ${id} is ${outcome.schedule.state}${outcome.schedule.note === null ? "" : ` (${outcome.schedule.note})`}: only a waiting one can be cancelled.`);
      return;
    }
    sendJson(res, 200, outcome.schedule);
  };
}
