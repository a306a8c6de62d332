/**
 * POST /v1/route: assigns one new customer against the active plan, without a solver. The choice
 * (src/routing/live-routing.ts) is made inside one storage transaction with the current loads and recorded
 * with the rep's new load, so concurrent calls never overfill a rep. A customer already in the plan
 * or already routed is a 409 (`customer-exists`); retries of one call are made safe with
 * Idempotency-Key, which returns the first answer.
 */
import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { fieldErrors, RouteRequest, type RouteResult } from "../../models/index.ts";
import { chooseRep, rankCandidates, routeRequestProblems, type RouteDecision } from "../../src/routing/live-routing.ts";
import type { PlanStore } from "../../src/storage/plan-store.ts";
import { auditContextOf } from "../audit-context.ts";
import { sendProblem } from "../problem-details.ts";
import type { RoutingContexts } from "../routing-contexts.ts";
import { serverTiming } from "../server-timing.ts";

/** How many times a call re-decides when the active plan changes under it. */
const MAX_PLAN_CHANGES = 5;

export function routeRoute(deps: { store: PlanStore; contexts: RoutingContexts; logger: Logger }): RequestHandler {
  const { store, contexts, logger } = deps;
  /** The active plan seen last; the transaction checks it, so a stale guess only costs a retry. */
  let activeId: string | null = null;
  return async (req, res) => {
    const start = performance.now();
    const parsed = RouteRequest.safeParse(req.body);
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error);
      sendProblem(req, res, "invalid-request", `The body has ${errors.length} problem${errors.length === 1 ? "" : "s"}; see errors.`, { errors });
      return;
    }
    const { customer, pairs } = parsed.data;
    const audit = auditContextOf(res);

    for (let attempt = 0; attempt <= MAX_PLAN_CHANGES; attempt++) {
      if (activeId === null) activeId = (await store.activePlan())?.id ?? null;
      const planId = activeId;
      const ctx = planId === null ? null : await contexts.get(planId);
      if (planId === null || ctx === null) {
        activeId = null;
        sendProblem(req, res, "no-active-plan", "There is no active plan to route against: activate a saved plan first (POST /v1/plans/{id}/activate).");
        return;
      }
      const problems = routeRequestProblems(ctx, customer, pairs);
      if (problems.length > 0) {
        sendProblem(req, res, "invalid-request", `The request does not fit the active plan (${planId}): ${problems.length} problem${problems.length === 1 ? "" : "s"}; see errors.`, { errors: problems });
        return;
      }
      const decideStart = performance.now();
      const ranking = rankCandidates(ctx, customer, pairs);
      const outcome = await store.route<RouteDecision>({
        planId,
        customerId: customer.id,
        reps: ranking.candidates.map((c) => c.rep.id),
        decide: (loads, totals) => chooseRep(ctx, ranking, loads, totals),
        audit,
      });
      if (outcome.kind === "plan-changed") {
        activeId = outcome.activePlanId;
        continue;
      }
      if (outcome.kind === "no-active-plan") {
        activeId = null;
        sendProblem(req, res, "no-active-plan", "There is no active plan to route against: activate a saved plan first (POST /v1/plans/{id}/activate).");
        return;
      }
      if (outcome.kind === "customer-exists") {
        const where =
          outcome.source === "plan"
            ? `is a customer of the active plan (${outcome.rep === null ? "unassigned there" : `with rep ${outcome.rep}`})`
            : `was already routed at ${outcome.routedAt ?? "an earlier time"} (${outcome.rep === null ? "unassigned: no rep had room" : `to rep ${outcome.rep}`})`;
        sendProblem(req, res, "customer-exists", `Customer ${JSON.stringify(customer.id)} ${where}.`);
        return;
      }
      const { decision, load, routedAt } = outcome;
      const body: RouteResult = {
        planId,
        customer: customer.id,
        rep: decision.rep,
        expectedValue: decision.expectedValue,
        components: decision.components,
        runnerUp: decision.runnerUp,
        reason: decision.reason,
        passedOver: decision.passedOver,
        counts: decision.counts,
        load:
          load === null || decision.limits === null
            ? null
            : { accounts: load.accounts, workload: load.workload, value: load.value, maxAccounts: decision.limits.maxAccounts, maxWorkload: decision.limits.maxWorkload },
        routedAt,
      };
      res.setHeader("Server-Timing", serverTiming({ parse: decideStart - start, decide: performance.now() - decideStart }));
      res.status(200).type("application/json").send(JSON.stringify(body));
      return;
    }
    logger.warn({ requestId: res.locals.requestId }, "the active plan kept changing during a routing call");
    throw new Error("the active plan kept changing while routing");
  };
}
