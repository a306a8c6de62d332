import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { fieldErrors, ScenarioRequest, Solution, type FieldError, type Plan, type ScenarioBase, type ScenarioOutcome } from "../../models/index.ts";
import { isRecord } from "../../src/numeric/is-record.ts";
import { mapBounded } from "../../src/numeric/bounded-concurrency.ts";
import { applyChanges } from "../../src/what-if/plan-changes.ts";
import { diffSolutions, digestSolution, SolutionDigest } from "../../src/what-if/solution-diff.ts";
import type { PoolSolveOutcome, SolvePool } from "../../src/runtime/solve-pool.ts";
import type { ServiceConfig } from "../config.ts";
import { effectiveTimeLimitMs } from "../plan-input.ts";
import { answerPoolError, clientGone } from "../pool-refusal.ts";
import { sendProblem } from "../problem-details.ts";
import { appendJsonField } from "../raw-json.ts";
import { serverTiming } from "../server-timing.ts";
import { batchSizeProblems, maxScenarios, problemsDetail, readNestedPlan } from "../what-if-input.ts";

const ScenarioList = ScenarioRequest.omit({ base: true });

/** The digest the worker computed, or (for a deadline answer, which has no assignments) one made here. */
function digestOf(outcome: PoolSolveOutcome, plan: Plan): SolutionDigest {
  const parsed = SolutionDigest.safeParse(outcome.extra);
  if (parsed.success) return parsed.data;
  return digestSolution(plan, Solution.parse(JSON.parse(outcome.solutionJson)));
}

function figures(digest: SolutionDigest): ScenarioBase {
  const out: ScenarioBase = { status: digest.status, objective: digest.objective, bound: digest.bound, gap: digest.gap, metrics: digest.metrics };
  if (digest.diagnosis !== undefined) out.diagnosis = digest.diagnosis;
  return out;
}

/**
 * POST /v1/scenarios: validate the base and every scenario's changes on the event loop (a change
 * naming an unknown id is a 422 with its path), then solve the base and the scenarios on the pool,
 * at most one solve per worker thread at a time for this request, and answer each scenario's
 * figures and its diff against the base.
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

    const names = new Map<string, number>();
    const plans: Plan[] = [];
    rest.data.scenarios.forEach((scenario, i) => {
      const first = names.get(scenario.name);
      if (first !== undefined) errors.push({ path: `scenarios[${i}].name`, message: `duplicate scenario name "${scenario.name}" (first at scenarios[${first}])` });
      else names.set(scenario.name, i);
      const applied = applyChanges(base.plan, scenario.changes, ["scenarios", i, "changes"]);
      if (applied.ok) plans.push(applied.plan);
      else errors.push(...applied.errors);
    });
    if (errors.length > 0) {
      sendProblem(req, res, "invalid-plan", problemsDetail(errors), { errors });
      return;
    }
    const all = [base.plan, ...plans];
    const tooLarge = batchSizeProblems(all, config.limits, "scenarios");
    if (tooLarge.length > 0) {
      sendProblem(req, res, "plan-too-large", problemsDetail(tooLarge), { errors: tooLarge });
      return;
    }
    const parseMs = performance.now() - start;

    const withSolutions = rest.data.solutions === true;
    const controller = new AbortController();
    const gone = clientGone(res);
    gone.addEventListener("abort", () => controller.abort(), { once: true });
    let outcomes: PoolSolveOutcome[];
    try {
      outcomes = await mapBounded(all, pool.stats().size, (plan) =>
        pool.solve(plan, { timeLimitMs: effectiveTimeLimitMs(plan, config.limits), signal: controller.signal, job: { kind: "digest", solution: withSolutions } }),
      );
    } catch (error) {
      controller.abort();
      if (!answerPoolError(req, res, error)) throw error;
      return;
    }

    const digests = outcomes.map((outcome, i) => digestOf(outcome, all[i] ?? base.plan));
    const baseDigest = digests[0];
    if (baseDigest === undefined) throw new Error("scenarios: no base outcome");
    const entry = (summary: object, i: number) => {
      const text = JSON.stringify(summary);
      const solutionJson = outcomes[i]?.solutionJson ?? "";
      return withSolutions && solutionJson !== "" ? appendJsonField(text, "solution", solutionJson) : text;
    };
    const scenarioTexts = rest.data.scenarios.map((scenario, k) => {
      const i = k + 1;
      const digest = digests[i] ?? baseDigest;
      const outcome: ScenarioOutcome = {
        name: scenario.name,
        ...figures(digest),
        diff: diffSolutions({ plan: base.plan, digest: baseDigest }, { plan: all[i] ?? base.plan, digest }),
      };
      return entry(outcome, i);
    });
    const json = `{"base":${entry(figures(baseDigest), 0)},"scenarios":[${scenarioTexts.join(",")}]}`;

    const queueMs = outcomes.reduce((s, o) => s + o.timings.queueMs, 0);
    const runMs = outcomes.reduce((s, o) => s + o.timings.runMs, 0);
    logger.info(
      {
        requestId: res.locals.requestId,
        scenarios: plans.length,
        customers: all.reduce((s, p) => s + p.customers.length, 0),
        statuses: digests.map((d) => d.status),
        deadlinesHit: outcomes.filter((o) => o.deadlineHit).length,
        wallMs: Math.round(performance.now() - start),
      },
      "scenarios",
    );
    res.setHeader("Server-Timing", serverTiming({ parse: parseMs, queue: queueMs, run: runMs, total: performance.now() - start }));
    res.status(200).type("application/json").send(json);
  };
}
