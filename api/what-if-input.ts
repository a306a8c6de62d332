/**
 * Request reading shared by the what-if endpoints (/v1/scenarios, /v1/reassign): a plan nested in
 * the body, validated like /v1/solve's with every path prefixed by its field, and the size rules
 * of a request that solves several plans.
 */
import type { FieldError, Plan } from "../models/index.ts";
import { estimatePairCount } from "../src/solve/plan-statistics.ts";
import { DEFAULTS, type ServiceConfig } from "./config.ts";
import { solveLeaseMs } from "./idempotency.ts";
import { readPlan, type PlanInput } from "./plan-input.ts";

type Limits = ServiceConfig["limits"];

/** Most scenarios in one /v1/scenarios request, and most extra solves of one frontier (ALLOT_MAX_SCENARIOS). */
export function maxScenarios(config: ServiceConfig): number {
  return config.limits.maxScenarios ?? DEFAULTS.maxScenarios;
}

const prefixed = (field: string, errors: FieldError[]): FieldError[] =>
  errors.map((e) => ({ path: e.path === "" ? field : `${field}.${e.path}`, message: e.message }));

/** `body[field]` read as a plan (limits, contract, pair estimate), paths starting with the field. */
export function readNestedPlan(body: Record<string, unknown>, field: string, limits: Limits): PlanInput {
  if (body[field] === undefined) return { ok: false, kind: "invalid-plan", detail: `The request has no ${field}.`, errors: [{ path: field, message: "required" }] };
  const input = readPlan(body[field], limits);
  return input.ok ? input : { ...input, errors: prefixed(field, input.errors) };
}

/**
 * The limits a request that solves several plans counts against: the sums over all of them of
 * customers, reps and estimated eligible pairs must stay within ALLOT_MAX_CUSTOMERS, ALLOT_MAX_REPS
 * and ALLOT_MAX_PAIRS (all its plans are in memory together, as one plan that large would be).
 */
export function batchSizeProblems(plans: readonly Plan[], limits: Limits, path: string): FieldError[] {
  let customers = 0;
  let reps = 0;
  let pairs = 0;
  for (const plan of plans) {
    customers += plan.customers.length;
    reps += plan.reps.length;
    pairs += estimatePairCount(plan);
  }
  const out: FieldError[] = [];
  const n = plans.length;
  if (customers > limits.maxCustomers) out.push({ path, message: `${customers} customers over the ${n} plans to solve, more than the ${limits.maxCustomers} this server accepts in one request` });
  if (reps > limits.maxReps) out.push({ path, message: `${reps} reps over the ${n} plans to solve, more than the ${limits.maxReps} this server accepts in one request` });
  if (pairs > limits.maxPairs) out.push({ path, message: `up to ${pairs} eligible pairs over the ${n} plans to solve, more than the ${limits.maxPairs} this server accepts in one request` });
  return out;
}

/** A problem detail for a list of errors. */
export function problemsDetail(errors: readonly FieldError[]): string {
  return `The request has ${errors.length} problem${errors.length === 1 ? "" : "s"}; see errors.`;
}

/**
 * How long an Idempotency-Key claim of a what-if request may stay unfinished before a retry may
 * take it over: a single solve's lease for each wave of solves the request can make.
 */
export function whatIfLeaseMs(config: ServiceConfig): number {
  const waves = Math.ceil((maxScenarios(config) + 1) / Math.max(1, config.pool.size));
  return solveLeaseMs(config) * waves;
}
