import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { fieldErrors, ScenarioRequest, type FieldError } from "../../models/index.ts";
import { isRecord } from "../../src/numeric/is-record.ts";
import type { PoolSolveOutcome, SolvePool } from "../../src/runtime/solve-pool.ts";
import { batchPlans, prepareScenarioBatch, runScenarioBatch, type ScenarioBatchResult } from "../../src/what-if/scenario-batch.ts";
import type { ServiceConfig } from "../config.ts";
import { effectiveTimeLimitMs } from "../plan-input.ts";
import { answerPoolError, clientGone } from "../pool-refusal.ts";
import { sendProblem } from "../problem-details.ts";
import { appendJsonField } from "../raw-json.ts";
import { serverTiming } from "../server-timing.ts";
import { batchSizeProblems, maxScenarios, problemsDetail, readNestedPlan } from "../what-if-input.ts";

const ScenarioList = ScenarioRequest.omit({ base: true });

/**
 * POST /v1/scenarios: validate the base and every scenario's changes on the event loop (a change
 * naming an unknown id is a 422 with its path), then run the batch (src/what-if/scenario-batch.ts)
 * on the pool, at most one solve per worker thread at a time for this request, and answer each
 * scenario's figures and its diff against the base.
 */
export function scenariosRoute(deps: { config: ServiceConfig; pool: SolvePool; logger: Logger }): RequestHandler {
  const { config, pool, logger } = deps;
  return async (req, res) => {
    const start = performance.now();
    const body: unknown = req.body;
    if (!isRecord(body)) {
      sendProblem(req, res, "invalid-plan", "The request must be an object with base and scenarios.", { errors: [{ path: "", message: "expected an object" }] });
      return;
    }
    const most = maxScenarios(config);
    if (Array.isArray(body.scenarios) && body.scenarios.length > most) {
      const errors = [{ path: "scenarios", message: `${body.scenarios.length} scenarios, more than the ${most} this server accepts (ALLOT_MAX_SCENARIOS)` }];
      sendProblem(req, res, "plan-too-large", problemsDetail(errors), { errors });
      return;
    }
    const base = readNestedPlan(body, "base", config.limits);
    const rest = ScenarioList.safeParse(Object.fromEntries(Object.entries(body).filter(([key]) => key !== "base")));
    const errors: FieldError[] = [...(base.ok ? [] : base.errors), ...(rest.success ? [] : fieldErrors(rest.error))];
    if (!base.ok || !rest.success) {
      sendProblem(req, res, !base.ok && base.kind === "plan-too-large" ? "plan-too-large" : "invalid-plan", problemsDetail(errors), { errors });
      return;
    }
    const prepared = prepareScenarioBatch(base.plan, rest.data.scenarios);
    if (!prepared.ok) {
      sendProblem(req, res, "invalid-plan", problemsDetail(prepared.errors), { errors: prepared.errors });
      return;
    }
    const all = batchPlans(prepared.batch);
    const tooLarge = batchSizeProblems(all, config.limits, "scenarios");
    if (tooLarge.length > 0) {
      sendProblem(req, res, "plan-too-large", problemsDetail(tooLarge), { errors: tooLarge });
      return;
    }
    const parseMs = performance.now() - start;

    const withSolutions = rest.data.solutions === true;
    let result: ScenarioBatchResult<PoolSolveOutcome>;
    try {
      result = await runScenarioBatch(prepared.batch, {
        solve: (plan, signal) => pool.solve(plan, { timeLimitMs: effectiveTimeLimitMs(plan, config.limits), signal, job: { kind: "digest", solution: withSolutions } }),
        concurrency: pool.stats().size,
        signal: clientGone(res),
      });
    } catch (error) {
      if (!answerPoolError(req, res, error)) throw error;
      return;
    }

    const { outcomes } = result;
    const entry = (summary: object, i: number) => {
      const text = JSON.stringify(summary);
      const solutionJson = outcomes[i]?.solutionJson ?? "";
      return withSolutions && solutionJson !== "" ? appendJsonField(text, "solution", solutionJson) : text;
    };
    const json = `{"base":${entry(result.base, 0)},"scenarios":[${result.scenarios.map((scenario, k) => entry(scenario, k + 1)).join(",")}]}`;

    logger.info(
      {
        requestId: res.locals.requestId,
        scenarios: prepared.batch.scenarios.length,
        customers: all.reduce((s, p) => s + p.customers.length, 0),
        statuses: result.digests.map((d) => d.status),
        deadlinesHit: outcomes.filter((o) => o.deadlineHit).length,
        wallMs: Math.round(performance.now() - start),
      },
      "scenarios",
    );
    const queueMs = outcomes.reduce((s, o) => s + o.timings.queueMs, 0);
    const runMs = outcomes.reduce((s, o) => s + o.timings.runMs, 0);
    res.setHeader("Server-Timing", serverTiming({ parse: parseMs, queue: queueMs, run: runMs, total: performance.now() - start }));
    res.status(200).type("application/json").send(json);
  };
}
