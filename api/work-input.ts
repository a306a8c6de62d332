/**
 * From a request to validated work (src/jobs/job-work.ts), or the problem to answer: the same
 * reading for the synchronous endpoints (/v1/solve, /v1/scenarios, /v1/reassign) and for
 * POST /v1/jobs, which queues what these return.
 */
import { fieldErrors, ReassignRequest, ScenarioRequest, type FieldError, type JobKind, type Plan } from "../models/index.ts";
import type { JobWork } from "../src/jobs/job-work.ts";
import { isRecord } from "../src/numeric/is-record.ts";
import { estimateSolveMemory } from "../src/solve/memory-estimate.ts";
import { frontierSolveCount } from "../src/what-if/move-frontier.ts";
import { prepareReassignment } from "../src/what-if/reassignment-run.ts";
import { batchPlans, prepareScenarioBatch } from "../src/what-if/scenario-batch.ts";
import { readAdviceValues, type AdviceQuery } from "./advice-query.ts";
import { readCompareValues, type CompareQuery } from "./compare-query.ts";
import { readUncertaintyParams, type UncertaintyQuery } from "./uncertainty-query.ts";
import type { ServiceConfig } from "./config.ts";
import { readPlan } from "./plan-input.ts";
import type { ProblemKind } from "./problem-details.ts";
import { batchSizeProblems, maxScenarios, problemsDetail, readNestedPlan } from "./what-if-input.ts";

export interface WorkProblem {
  kind: ProblemKind;
  detail: string;
  errors: FieldError[];
}

export type WorkInput = { ok: true; work: JobWork } | { ok: false; problem: WorkProblem };

const ScenarioList = ScenarioRequest.omit({ base: true });
const ReassignOptions = ReassignRequest.omit({ plan: true });

const refuse = (kind: ProblemKind, detail: string, errors: FieldError[]): WorkInput => ({ ok: false, problem: { kind, detail, errors } });
const without = (body: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== key));

const MIB = 2 ** 20;

/** A 422 when one of the plans would need more memory than the whole budget (each solve must fit alone). */
function memoryProblem(plans: readonly { path: string; plan: Plan }[], config: ServiceConfig): WorkInput | null {
  const errors: FieldError[] = [];
  for (const { path, plan } of plans) {
    const estimate = estimateSolveMemory(plan);
    if (estimate.bytes > config.memoryBudgetBytes) {
      errors.push({
        path,
        message: `the solve would need about ${Math.ceil(estimate.bytes / MIB)} MiB (${estimate.pairs} eligible pairs on the ${estimate.path === "mip" ? "whole-MIP" : "structured"} path, ${plan.customers.length} customers), more than this server's memory budget of ${Math.floor(config.memoryBudgetBytes / MIB)} MiB (ALLOT_MEMORY_BUDGET)`,
      });
    }
  }
  if (errors.length === 0) return null;
  return refuse("memory-budget", `The work would not fit in this server's memory budget: ${errors.map((e) => e.message).join("; ")}.`, errors);
}

/** Where a refusal for size sends the caller: POST /v1/jobs, when it takes more than the synchronous endpoints. */
export function jobsHint(config: ServiceConfig): string {
  const { jobLimits: j, limits: l } = config;
  if (j.maxCustomers <= l.maxCustomers && j.maxPairs <= l.maxPairs && j.bodyLimitBytes <= config.bodyLimitBytes) return "";
  return ` Big books go to POST /v1/jobs, which accepts up to ${j.maxCustomers} customers, ${j.maxReps} reps, ${j.maxPairs} eligible pairs and ${Math.floor(j.bodyLimitBytes / MIB)} MiB of JSON (send it gzipped: Content-Encoding: gzip).`;
}

const withHint = (input: WorkInput, config: ServiceConfig): WorkInput =>
  input.ok || input.problem.kind !== "plan-too-large" ? input : { ok: false, problem: { ...input.problem, detail: `${input.problem.detail}${jobsHint(config)}` } };

/** The configuration POST /v1/jobs reads with: its own, larger limits. */
function jobConfig(config: ServiceConfig): ServiceConfig {
  const { jobLimits: j } = config;
  return { ...config, bodyLimitBytes: j.bodyLimitBytes, limits: { ...config.limits, maxCustomers: j.maxCustomers, maxReps: j.maxReps, maxPairs: j.maxPairs, maxTimeLimitMs: j.maxTimeLimitMs } };
}

/** The query options of POST /v1/solve, each read by its own reader. */
export interface SolveQueries {
  compare: CompareQuery;
  advice: AdviceQuery;
  uncertainty: UncertaintyQuery;
}

/** POST /v1/solve: the plan, and the `compare`, `advice` and `uncertainty` queries read (compare-query.ts, advice-query.ts, uncertainty-query.ts). */
export function readSolveWork(body: unknown, queries: SolveQueries, config: ServiceConfig): WorkInput {
  return withHint(solveWork(body, queries, config), config);
}

function solveWork(body: unknown, queries: SolveQueries, config: ServiceConfig): WorkInput {
  const { compare, advice, uncertainty } = queries;
  const queryErrors = [...(compare.ok ? [] : compare.errors), ...(advice.ok ? [] : advice.errors), ...(uncertainty.ok ? [] : uncertainty.errors)];
  if (!compare.ok || !advice.ok || !uncertainty.ok) return refuse("invalid-query", `The ${queryErrors.length === 1 ? "query parameter has a problem" : "query parameters have problems"}; see errors.`, queryErrors);
  const input = readPlan(body, config.limits);
  if (!input.ok) return refuse(input.kind, input.detail, input.errors);
  const memory = memoryProblem([{ path: "", plan: input.plan }], config);
  if (memory !== null) return memory;
  return {
    ok: true,
    work: { kind: "solve", plan: input.plan, timeLimits: config.limits, compare: compare.methods, advice: advice.parts, uncertainty: uncertainty.options, compareDeadlineMs: config.pool.deadlineMarginMs },
  };
}

/** POST /v1/scenarios: the base and every scenario's changes (a change naming an unknown id is a 422 with its path). */
export function readScenariosWork(body: unknown, config: ServiceConfig): WorkInput {
  return withHint(scenariosWork(body, config), config);
}

function scenariosWork(body: unknown, config: ServiceConfig): WorkInput {
  if (!isRecord(body)) return refuse("invalid-plan", "The request must be an object with base and scenarios.", [{ path: "", message: "expected an object" }]);
  const most = maxScenarios(config);
  if (Array.isArray(body.scenarios) && body.scenarios.length > most) {
    const errors = [{ path: "scenarios", message: `${body.scenarios.length} scenarios, more than the ${most} this server accepts (ALLOT_MAX_SCENARIOS)` }];
    return refuse("plan-too-large", problemsDetail(errors), errors);
  }
  const base = readNestedPlan(body, "base", config.limits);
  const rest = ScenarioList.safeParse(without(body, "base"));
  const errors: FieldError[] = [...(base.ok ? [] : base.errors), ...(rest.success ? [] : fieldErrors(rest.error))];
  if (!base.ok || !rest.success) return refuse(!base.ok && base.kind === "plan-too-large" ? "plan-too-large" : "invalid-plan", problemsDetail(errors), errors);
  const prepared = prepareScenarioBatch(base.plan, rest.data.scenarios);
  if (!prepared.ok) return refuse("invalid-plan", problemsDetail(prepared.errors), prepared.errors);
  const tooLarge = batchSizeProblems(batchPlans(prepared.batch), config.limits, "scenarios");
  if (tooLarge.length > 0) return refuse("plan-too-large", problemsDetail(tooLarge), tooLarge);
  const memory = memoryProblem([{ path: "base", plan: prepared.batch.base }, ...prepared.batch.scenarios.map((sc, i) => ({ path: `scenarios[${i}]`, plan: sc.plan }))], config);
  if (memory !== null) return memory;
  return { ok: true, work: { kind: "scenarios", base: base.plan, scenarios: rest.data.scenarios, solutions: rest.data.solutions === true, timeLimits: config.limits } };
}

/** POST /v1/reassign: the plan, its events (paths `events[i]…`), the move budget and the frontier's size. */
export function readReassignWork(body: unknown, config: ServiceConfig): WorkInput {
  return withHint(reassignWork(body, config), config);
}

function reassignWork(body: unknown, config: ServiceConfig): WorkInput {
  if (!isRecord(body)) return refuse("invalid-plan", "The request must be an object with a plan.", [{ path: "", message: "expected an object" }]);
  const input = readNestedPlan(body, "plan", config.limits);
  const options = ReassignOptions.safeParse(without(body, "plan"));
  const errors: FieldError[] = [...(input.ok ? [] : input.errors), ...(options.success ? [] : fieldErrors(options.error))];
  if (!input.ok || !options.success) return refuse(!input.ok && input.kind === "plan-too-large" ? "plan-too-large" : "invalid-plan", problemsDetail(errors), errors);
  const { events, maxMoves, movePenalty, frontier } = options.data;
  const prepared = prepareReassignment(input.plan, { events, maxMoves, movePenalty });
  if (!prepared.ok) return refuse("invalid-plan", problemsDetail(prepared.errors), prepared.errors);
  const tooLarge = events === undefined ? [] : batchSizeProblems([prepared.plan], config.limits, "events");
  if (frontier === true) {
    const solves = frontierSolveCount(prepared.plan, prepared.maxMoves);
    const most = maxScenarios(config);
    if (solves > most) tooLarge.push({ path: "frontier", message: `the frontier of this plan needs ${solves} solves, more than the ${most} this server makes for one request (ALLOT_MAX_SCENARIOS)` });
  }
  if (tooLarge.length > 0) return refuse("plan-too-large", problemsDetail(tooLarge), tooLarge);
  const memory = memoryProblem([{ path: "plan", plan: prepared.plan }], config);
  if (memory !== null) return memory;
  return { ok: true, work: { kind: "reassign", plan: input.plan, events, maxMoves, movePenalty, frontier: frontier === true, timeLimits: config.limits } };
}

/** The reader for a job's kind (POST /v1/jobs), with paths under `input`. */
export function readJobWork(kind: JobKind, input: unknown, query: Partial<Record<"compare" | "advice" | "uncertainty" | "samples" | "seed", string>>, serviceConfig: ServiceConfig): WorkInput {
  const config = jobConfig(serviceConfig);
  const values = (value: string | undefined) => (value === undefined ? [] : [value]);
  const params = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const queries: SolveQueries = { compare: readCompareValues(values(query.compare)), advice: readAdviceValues(values(query.advice)), uncertainty: readUncertaintyParams(params) };
  const read = kind === "solve" ? solveWork(input, queries, config) : kind === "scenarios" ? scenariosWork(input, config) : reassignWork(input, config);
  if (read.ok) return read;
  // A bad `compare` sits in the body here, so it is a 422 like the rest of the body.
  const problem: WorkProblem = read.problem.kind === "invalid-query" ? { ...read.problem, kind: "invalid-request" } : read.problem;
  const errors = problem.errors.map((e) => (read.problem.kind === "invalid-query" ? { path: `query.${e.path}`, message: e.message } : { path: e.path === "" ? "input" : `input.${e.path}`, message: e.message }));
  return { ok: false, problem: { ...problem, errors } };
}
