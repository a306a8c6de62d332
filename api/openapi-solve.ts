/** The OpenAPI operations of /v1/solve and /v1/validate (the route table, endpoints.ts, places them). */
import { ADVICE_PARAMETER } from "./advice-query.ts";
import { COMPARE_PARAMETER } from "./compare-query.ts";
import { UNCERTAINTY_PARAMETERS } from "./openapi-learning.ts";
import { EXAMPLE_PLAN, HEADERS, IDEMPOTENCY_KEY_PARAMETER, problemResponse, ref, type Operation, type OperationContext, type ParameterObject } from "./openapi-parts.ts";

export const SOLVE_TAGS = [{ name: "plans", description: "Solve and validate plans." }];

/** `?compare=` on /v1/solve. */
const COMPARE_PARAMETER_OBJECT: ParameterObject = {
  name: COMPARE_PARAMETER,
  in: "query",
  required: false,
  description:
    "Comma-separated classic methods to apply to the same plan: round-robin, least-loaded, value-tiers, first-match, or all. The Solution then carries " +
    "`comparison`: each method's expected value (same scoring), constraint breaks found by the verifier, and the optimizer's uplift in value and %. An unknown name is a 400 `invalid-query`.",
  schema: { type: "string", examples: ["all", "round-robin,value-tiers"] },
};

/** `?advice=` on /v1/solve. */
const ADVICE_PARAMETER_OBJECT: ParameterObject = {
  name: ADVICE_PARAMETER,
  in: "query",
  required: false,
  description:
    "Advice added to the Solution as `advice` (docs/advice.md): `true` = capacity (on a solved plan: per rep the value of one more account slot and workload unit, per territory of one more rep, each with its method and proven bracket) and relaxation " +
    "(on an infeasible plan: the cheapest change that makes it feasible, alternatives group by group, and the plan under it); `all` adds `frontier` (the best objective per value band) and `overrides` (what each of policy.overrides costs, by re-solve); or a comma-separated list of capacity, relaxation, frontier, overrides. " +
    "The advice has its own time, the plan's time limit again. `plan.advice` tunes it (relaxation weights, band precision, hire profile, frontier bands). An unknown value is a 400 `invalid-query`.",
  schema: { type: "string", examples: ["true", "all", "capacity,frontier"] },
};

const planBody = (description: string) => ({
  required: true,
  description,
  content: { "application/json": { schema: ref("Plan"), example: EXAMPLE_PLAN } },
});

export function solveOperation(c: OperationContext): Operation {
  const { limits } = c.config;
  return {
    operationId: "solvePlan",
    summary: "Solve a plan",
    description:
      `Answers 200 with a verified Solution for every solver outcome: optimal, feasible (stopped by the time limit), infeasible (with a diagnosis) and timeout. ` +
      `policy.timeLimitMs defaults to ${limits.defaultTimeLimitMs} ms and is clamped to ${limits.maxTimeLimitMs} ms; a solve still running ` +
      `${c.config.pool.deadlineMarginMs} ms after its time limit is stopped and answered as timeout (solver.backend "deadline"). ${c.limitsText} ` +
      "With `?compare=`, the Solution also carries `comparison`: the classic methods applied to the same plan, against the optimizer. " +
      "With `?advice=`, it carries `advice`: what capacity is worth, the cheapest relaxation of an infeasible plan, the value-vs-band frontier (the hard deadline grows by one more time limit). " +
      "With `?uncertainty=true`, it carries `uncertainty`: the spread of what each rep may win (percentiles from posterior sampling) and its chance of making quota.",
    tags: ["plans"],
    parameters: [IDEMPOTENCY_KEY_PARAMETER, COMPARE_PARAMETER_OBJECT, ADVICE_PARAMETER_OBJECT, ...UNCERTAINTY_PARAMETERS],
    requestBody: planBody("The plan to solve."),
    responses: {
      "200": {
        description: "The verified Solution (whatever its status).",
        headers: { "x-request-id": HEADERS.requestId, "Server-Timing": HEADERS.serverTiming },
        content: { "application/json": { schema: ref("Solution") } },
      },
      ...c.planErrors(),
      "400": problemResponse(["malformed-json", "bad-request", "invalid-query"]),
    },
  };
}

export function validateOperation(c: OperationContext): Operation {
  return {
    operationId: "validatePlan",
    summary: "Validate a plan without solving it",
    description:
      "The same contract checks as /v1/solve (422 with every problem and its path), then, for a valid plan, the cheap and certain infeasibility causes and the plan's statistics: " +
      `customers, reps, eligible pairs, capacity against demand overall and per territory. ${c.limitsText}`,
    tags: ["plans"],
    parameters: [IDEMPOTENCY_KEY_PARAMETER],
    requestBody: planBody("The plan to check."),
    responses: {
      "200": {
        description: "The plan satisfies the contract; `problems` lists certain causes of infeasibility found without solving.",
        headers: { "x-request-id": HEADERS.requestId, "Server-Timing": HEADERS.serverTiming },
        content: { "application/json": { schema: ref("PlanReport") } },
      },
      ...c.planErrors(["validation-deadline"]),
    },
  };
}
