/**
 * POST /v1/plans/{id}/rollback[?dryRun=true]: makes an earlier (archived) version active again. The
 * customers routed under the version it replaces are carried over and re-checked against the
 * earlier version's capacities and bands (src/routing/carry-over.ts) inside the store's transaction;
 * those that no longer fit are recorded unassigned and listed. With `dryRun=true` the same answer
 * is computed and nothing changes (a preview).
 */
import type { RequestHandler, Response } from "express";
import type { Logger } from "pino";
import type { CarryOutcome, RollBackResult } from "../../models/index.ts";
import { carryOver } from "../../src/routing/carry-over.ts";
import type { PlanStore } from "../../src/storage/plan-store.ts";
import { auditContextOf } from "../audit-context.ts";
import type { ServiceConfig } from "../config.ts";
import { queryOf } from "../page-query.ts";
import { sendProblem } from "../problem-details.ts";
import type { RoutingContexts } from "../routing-contexts.ts";

const sendJson = (res: Response, status: number, body: unknown) => res.status(status).type("application/json").send(JSON.stringify(body));

export function rollBackRoute(deps: { config: ServiceConfig; store: PlanStore; contexts: RoutingContexts; logger: Logger }): RequestHandler {
  const { config, store, contexts, logger } = deps;
  return async (req, res) => {
    const id = typeof req.params.id === "string" ? req.params.id : "";
    const rawDryRun = queryOf(req).get("dryRun");
    if (rawDryRun !== null && rawDryRun !== "true" && rawDryRun !== "false") {
      sendProblem(req, res, "invalid-query", "See errors.", { errors: [{ path: "dryRun", message: "must be true or false" }] });
      return;
    }
    const dryRun = rawDryRun === "true";
    const ctx = await contexts.get(id);
    if (ctx === null) {
      sendProblem(req, res, "plan-not-found", `There is no saved plan with id ${JSON.stringify(id)}.`);
      return;
    }
    const outcome = await store.rollBack({
      planId: id,
      dryRun,
      requireApproval: config.requireApproval === true,
      decide: (candidates, loads, totals) => carryOver(ctx, candidates, loads, totals),
      audit: auditContextOf(res),
    });
    if (outcome.kind === "not-found") {
      sendProblem(req, res, "plan-not-found", `There is no saved plan with id ${JSON.stringify(id)}.`);
      return;
    }
    if (outcome.kind === "not-rollbackable") {
      sendProblem(req, res, "plan-not-rollbackable", `Plan ${id} ("${outcome.plan.label}") cannot be rolled back to: ${outcome.why}.`);
      return;
    }
    if (outcome.kind === "not-approved") {
      sendProblem(req, res, "plan-not-approved", `Plan ${id} ("${outcome.plan.label}") is not approved (${outcome.approval}) and ALLOT_REQUIRE_APPROVAL is on.`);
      return;
    }
    const count = (...kinds: CarryOutcome[]) => outcome.decisions.filter((d) => kinds.includes(d.outcome)).length;
    const body: RollBackResult = {
      dryRun: outcome.dryRun,
      plan: outcome.plan,
      archived: outcome.archived,
      carried: outcome.decisions.map((d) => ({ customer: d.customer, from: d.from, rep: d.rep, outcome: d.outcome, reason: d.reason })),
      counts: {
        carried: outcome.decisions.length,
        kept: count("kept", "kept-outside-band"),
        outsideBand: count("kept-outside-band"),
        misfits: count("no-room", "rep-missing"),
        alreadyPresent: count("already-present"),
        unassigned: count("unassigned"),
      },
    };
    if (!outcome.dryRun) logger.info({ requestId: res.locals.requestId, planId: id, archived: outcome.archived?.id ?? null, ...body.counts }, "plan rolled back");
    sendJson(res, 200, body);
  };
}
