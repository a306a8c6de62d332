/**
 * Saved plans: POST /v1/plans solves a plan on the pool and saves it as an immutable draft version;
 * GET /v1/plans (newest first), GET /v1/plans/{id}, GET /v1/plans/{id}/input,
 * GET /v1/plans/{id}/assignments (paginated), GET /v1/plans/{id}/diff/{otherId} and
 * POST /v1/plans/{id}/activate (draft → active, archiving the previous active plan; with
 * `?activateAt=` in the future, a scheduled activation instead: docs/planner-control.md).
 */
import type { Request, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import { PlanLabel, Solution, type FieldError, type PlanActivation, type PlanVersion, type PlanVersionDetail } from "../../models/index.ts";
import { isRecord } from "../../src/numeric/is-record.ts";
import { diffPlanVersions, type DiffSide } from "../../src/what-if/plan-diff.ts";
import type { PlanStore } from "../../src/storage/plan-store.ts";
import type { SolvePool } from "../../src/runtime/solve-pool.ts";
import { auditContextOf } from "../audit-context.ts";
import type { ServiceConfig } from "../config.ts";
import { readInstant } from "../instant-query.ts";
import { nextCursor, queryOf, readPageQuery } from "../page-query.ts";
import { effectiveTimeLimitMs } from "../../src/plan/time-limit.ts";
import { readPlan } from "../plan-input.ts";
import { answerPoolError, clientGone } from "../pool-refusal.ts";
import { sendProblem } from "../problem-details.ts";
import type { RoutingContexts } from "../routing-contexts.ts";
import { serverTiming } from "../server-timing.ts";

const sendJson = (res: Response, status: number, body: unknown) => res.status(status).type("application/json").send(JSON.stringify(body));

/** `customers[3].id` → `plan.customers[3].id`; the whole plan → `plan`. */
const underPlan = (errors: FieldError[]): FieldError[] => errors.map((e) => ({ path: e.path === "" ? "plan" : `plan.${e.path}`, message: e.message }));

const ENVELOPE_KEYS = new Set(["label", "plan"]);

/** Problems of the `{ label, plan }` envelope (the plan itself is checked by readPlan). */
function envelopeProblems(body: unknown): FieldError[] {
  if (!isRecord(body)) return [{ path: "", message: "the body must be an object { label, plan }" }];
  const out: FieldError[] = [];
  for (const key of Object.keys(body)) if (!ENVELOPE_KEYS.has(key)) out.push({ path: key, message: `unknown key "${key}" (expected label and plan)` });
  const label = PlanLabel.safeParse(body.label);
  if (!label.success) out.push({ path: "label", message: body.label === undefined ? "required: a name for the plan, e.g. \"2027-Q1 draft\"" : (label.error.issues[0]?.message ?? "invalid") });
  if (body.plan === undefined) out.push({ path: "plan", message: "required: the plan to solve and save" });
  return out;
}

function planIdOf(req: Request, name = "id"): string {
  const value: unknown = req.params[name];
  return typeof value === "string" ? value : "";
}

const notFound = (req: Request, res: Response, id: string) => sendProblem(req, res, "plan-not-found", `There is no saved plan with id ${JSON.stringify(id)}.`);

export function savePlanRoute(deps: { config: ServiceConfig; pool: SolvePool; store: PlanStore; logger: Logger }): RequestHandler {
  const { config, pool, store, logger } = deps;
  return async (req, res) => {
    const start = performance.now();
    const body: unknown = req.body;
    const problems = envelopeProblems(body);
    if (problems.length > 0 || !isRecord(body)) {
      sendProblem(req, res, "invalid-request", `The body has ${problems.length} problem${problems.length === 1 ? "" : "s"}; see errors.`, { errors: problems });
      return;
    }
    const label = PlanLabel.parse(body.label);
    const input = readPlan(body.plan, config.limits);
    if (!input.ok) {
      sendProblem(req, res, input.kind, input.detail, { errors: underPlan(input.errors) });
      return;
    }
    const parseMs = performance.now() - start;
    const timeLimitMs = effectiveTimeLimitMs(input.plan, config.limits);
    try {
      const outcome = await pool.solve(input.plan, { timeLimitMs, signal: clientGone(res) });
      const solution = Solution.parse(JSON.parse(outcome.solutionJson));
      const saveStart = performance.now();
      const version = await store.savePlan({ label, plan: input.plan, solution }, auditContextOf(res));
      const saveMs = performance.now() - saveStart;
      logger.info(
        { requestId: res.locals.requestId, planId: version.id, version: version.version, status: version.status, customers: version.customers, reps: version.reps, saveMs: Math.round(saveMs) },
        "plan saved",
      );
      res.setHeader("Server-Timing", serverTiming({ parse: parseMs, queue: outcome.timings.queueMs, run: outcome.timings.runMs, save: saveMs }));
      res.setHeader("Location", `/v1/plans/${version.id}`);
      sendJson(res, 200, version);
    } catch (error) {
      if (!answerPoolError(req, res, error)) throw error;
    }
  };
}

export function listPlansRoute(deps: { store: PlanStore }): RequestHandler {
  return async (req, res) => {
    const query = readPageQuery(req, "plans");
    if (!query.ok) {
      sendProblem(req, res, "invalid-query", "See errors.", { errors: query.errors });
      return;
    }
    // A due scheduled activation changes states: carry it out before listing.
    await deps.store.promoteDueActivations();
    const page = await deps.store.listPlans(query.page);
    sendJson(res, 200, { items: page.items, nextCursor: nextCursor("plans", page.next) });
  };
}

export function getPlanRoute(deps: { store: PlanStore }): RequestHandler {
  return async (req, res) => {
    const id = planIdOf(req);
    // A due scheduled activation changes the version's state: carry it out before reading.
    await deps.store.promoteDueActivations();
    const [plan, solution, approval, schedules] = await Promise.all([deps.store.getPlan(id), deps.store.getSolutionOverview(id), deps.store.getApproval(id), deps.store.schedulesOf(id)]);
    if (plan === null || solution === null || approval === null || schedules === null) {
      notFound(req, res, id);
      return;
    }
    const body: PlanVersionDetail = { plan, solution, approval, schedules };
    sendJson(res, 200, body);
  };
}

export function getPlanInputRoute(deps: { store: PlanStore }): RequestHandler {
  return async (req, res) => {
    const id = planIdOf(req);
    const json = await deps.store.getPlanInput(id);
    if (json === null) {
      notFound(req, res, id);
      return;
    }
    res.status(200).type("application/json").send(json);
  };
}

export function listAssignmentsRoute(deps: { store: PlanStore }): RequestHandler {
  return async (req, res) => {
    const id = planIdOf(req);
    const list = `assignments/${id}`;
    const query = readPageQuery(req, list);
    if (!query.ok) {
      sendProblem(req, res, "invalid-query", "See errors.", { errors: query.errors });
      return;
    }
    const page = await deps.store.listAssignments(id, query.page);
    if (page === null) {
      notFound(req, res, id);
      return;
    }
    sendJson(res, 200, { items: page.items, nextCursor: nextCursor(list, page.next) });
  };
}

export function activatePlanRoute(deps: { config: ServiceConfig; store: PlanStore; logger: Logger; contexts: RoutingContexts }): RequestHandler {
  return async (req, res) => {
    const id = planIdOf(req);
    const rawAt = queryOf(req).get("activateAt");
    const at = rawAt === null ? null : readInstant(rawAt);
    if (at !== null && !at.ok) {
      sendProblem(req, res, "invalid-query", "See errors.", { errors: [{ path: "activateAt", message: at.message }] });
      return;
    }
    const options = { requireApproval: deps.config.requireApproval === true };
    // Without activateAt, or with one now or past: at once; later: a schedule (202).
    const outcome = at === null ? await deps.store.activatePlan(id, auditContextOf(res), options) : await deps.store.scheduleActivation(id, at.iso, auditContextOf(res), options);
    if (outcome.kind === "not-found") {
      notFound(req, res, id);
      return;
    }
    if (outcome.kind === "not-activatable") {
      sendProblem(req, res, "plan-not-activatable", `Plan ${id} ("${outcome.plan.label}") cannot be activated: ${outcome.why}.`);
      return;
    }
    if (outcome.kind === "not-approved") {
      sendProblem(req, res, "plan-not-approved", `Plan ${id} ("${outcome.plan.label}") is not approved (${outcome.approval}) and ALLOT_REQUIRE_APPROVAL is on: submit it and have another person approve it first.`);
      return;
    }
    if (outcome.kind === "scheduled") {
      deps.logger.info({ requestId: res.locals.requestId, planId: id, scheduleId: outcome.schedule.id, activateAt: outcome.schedule.activateAt }, "plan activation scheduled");
      sendJson(res, 202, outcome.schedule);
      return;
    }
    const body: PlanActivation = outcome.kind === "activated" ? { plan: outcome.plan, archived: outcome.archived } : { plan: outcome.plan, archived: null };
    if (outcome.kind === "activated") {
      deps.logger.info({ requestId: res.locals.requestId, planId: id, archived: outcome.archived?.id ?? null }, "plan activated");
    }
    sendJson(res, 200, body);
    // Build the routing context now rather than on the first routing call.
    deps.contexts.get(id).catch((error: unknown) => deps.logger.error({ err: error, planId: id }, "could not prepare routing for the plan"));
  };
}

async function diffSide(store: PlanStore, plan: PlanVersion): Promise<DiffSide | null> {
  const [solution, placements] = await Promise.all([store.getSolutionOverview(plan.id), store.getPlacements(plan.id)]);
  if (solution === null || placements === null) return null;
  return { ref: { id: plan.id, version: plan.version, label: plan.label, status: plan.status }, solution, placements };
}

export function diffPlansRoute(deps: { store: PlanStore }): RequestHandler {
  const { store } = deps;
  return async (req, res) => {
    const fromId = planIdOf(req);
    const toId = planIdOf(req, "otherId");
    const [fromPlan, toPlan] = await Promise.all([store.getPlan(fromId), store.getPlan(toId)]);
    if (fromPlan === null || toPlan === null) {
      notFound(req, res, fromPlan === null ? fromId : toId);
      return;
    }
    const [from, to] = await Promise.all([diffSide(store, fromPlan), diffSide(store, toPlan)]);
    if (from === null || to === null) {
      notFound(req, res, from === null ? fromId : toId);
      return;
    }
    sendJson(res, 200, diffPlanVersions(from, to));
  };
}
