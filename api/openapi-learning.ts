/**
 * The OpenAPI part of the learning loop (recorded outcomes, a saved plan's performance and drift
 * alerts, the uncertainty of a Solution): the schemas to register, the tags and the operations (the
 * route table, endpoints.ts, places them).
 */
import type { z } from "zod";
import * as models from "../models/index.ts";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "./page-query.ts";
import { HEADERS, IDEMPOTENCY_KEY_PARAMETER, problemResponse, ref, type Operation, type OperationContext, type ParameterObject, type ResponseObject } from "./openapi-parts.ts";
import { CREDIBILITY_PARAMETER, MAX_CREDIBILITY, MIN_CREDIBILITY } from "./routes/performance.ts";
import { MAX_SEED, MIN_UNCERTAINTY_SAMPLES, SAMPLES_PARAMETER, SEED_PARAMETER, UNCERTAINTY_PARAMETER } from "./uncertainty-query.ts";
import { DEFAULT_UNCERTAINTY_SAMPLES, DEFAULT_UNCERTAINTY_SEED, MAX_UNCERTAINTY_SAMPLES } from "../src/learning/won-value-uncertainty.ts";

type Meta = { id: string };
type Entry = readonly [z.ZodType, Meta];

/** Request-body schemas (converted with io: "input"). */
export const LEARNING_INPUT_SCHEMAS: readonly Entry[] = [
  [models.OutcomeBatch, { id: "OutcomeBatch" }],
  [models.DealOutcome, { id: "DealOutcome" }],
  [models.Exploration, { id: "Exploration" }],
  [models.DriftReassignOptions, { id: "DriftReassignOptions" }],
];

/** Response schemas (converted with io: "output"). */
export const LEARNING_OUTPUT_SCHEMAS: readonly Entry[] = [
  [models.RecordedOutcome, { id: "RecordedOutcome" }],
  [models.OutcomeReceipt, { id: "OutcomeReceipt" }],
  [models.RecordedOutcomePage, { id: "RecordedOutcomePage" }],
  [models.PlanPerformance, { id: "PlanPerformance" }],
  [models.PerformanceTotals, { id: "PerformanceTotals" }],
  [models.RepPerformance, { id: "RepPerformance" }],
  [models.SegmentPerformance, { id: "SegmentPerformance" }],
  [models.ConversionFigure, { id: "ConversionFigure" }],
  [models.Calibration, { id: "Calibration" }],
  [models.CalibrationBin, { id: "CalibrationBin" }],
  [models.DriftTest, { id: "DriftTest" }],
  [models.DriftAlert, { id: "DriftAlert" }],
  [models.DriftDirection, { id: "DriftDirection" }],
  [models.SolutionUncertainty, { id: "SolutionUncertainty" }],
  [models.RepWonValue, { id: "RepWonValue" }],
  [models.WonValueSpread, { id: "WonValueSpread" }],
  [models.OutcomeFairness, { id: "OutcomeFairness" }],
  [models.ExplorationReport, { id: "ExplorationReport" }],
  [models.ExploredPair, { id: "ExploredPair" }],
  [models.DriftReassignProposal, { id: "DriftReassignProposal" }],
];

/** `?uncertainty=true&samples=&seed=` on /v1/solve. */
export const UNCERTAINTY_PARAMETERS: readonly ParameterObject[] = [
  {
    name: UNCERTAINTY_PARAMETER,
    in: "query",
    required: false,
    description:
      "true: the Solution also carries `uncertainty`: P10/P50/P90 of each rep's won value from posterior sampling of the conversion rates, the chance of reaching its `quota`, " +
      "and the spread of those chances across reps next to the value Gini. Seeded: the same plan, seed and samples give the same figures.",
    schema: { type: "boolean" },
  },
  {
    name: SAMPLES_PARAMETER,
    in: "query",
    required: false,
    description: `Draws, ${MIN_UNCERTAINTY_SAMPLES}–${MAX_UNCERTAINTY_SAMPLES} (default ${DEFAULT_UNCERTAINTY_SAMPLES}); only with uncertainty=true.`,
    schema: { type: "integer", minimum: MIN_UNCERTAINTY_SAMPLES, maximum: MAX_UNCERTAINTY_SAMPLES },
  },
  {
    name: SEED_PARAMETER,
    in: "query",
    required: false,
    description: `The draws' seed, 0–${MAX_SEED} (default ${DEFAULT_UNCERTAINTY_SEED}); only with uncertainty=true.`,
    schema: { type: "integer", minimum: 0, maximum: MAX_SEED },
  },
];

export const LEARNING_TAGS = [{ name: "learning", description: "Closed deals in, each rep's results against the plan, calibration, drift alerts." }];

const PLAN_ID: ParameterObject = { name: "id", in: "path", required: true, description: "The plan's id.", schema: { type: "string" } };
const PAGE_PARAMETERS: ParameterObject[] = [
  { name: "limit", in: "query", required: false, description: `Items per page, 1–${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT}).`, schema: { type: "integer", minimum: 1, maximum: MAX_PAGE_LIMIT } },
  { name: "cursor", in: "query", required: false, description: "The `nextCursor` of the previous page (opaque).", schema: { type: "string" } },
];

const json = (id: string, description: string, replayable = false): ResponseObject => ({
  description,
  headers: { "x-request-id": HEADERS.requestId, ...(replayable ? { "Idempotency-Replayed": HEADERS.replayed } : {}) },
  content: { "application/json": { schema: ref(id) } },
});

export function recordOutcomesOperation(c: OperationContext): Operation {
  return {
    operationId: "recordOutcomes",
    summary: "Record closed deals against the active plan",
    description:
      "Each outcome names the deal, the customer (of the active plan, solved or routed), the rep who worked it (of the active plan), won or lost, the amount and the day it closed. " +
      "The batch is recorded whole or not at all, against the plan version active at that moment, with an audit entry. An unknown customer or rep is a 422 naming `outcomes[i].customer` or `outcomes[i].rep`; " +
      "a deal id repeated in the batch a 422 at `outcomes[i].deal`; a deal that already has an outcome a 409 `outcome-exists` (a second outcome for a deal is a conflict, not a duplicate). " +
      `At most ${models.MAX_OUTCOMES_PER_BATCH} outcomes per request.`,
    tags: ["learning"],
    parameters: [IDEMPOTENCY_KEY_PARAMETER],
    requestBody: {
      required: true,
      description: "The closed deals.",
      content: {
        "application/json": {
          schema: ref("OutcomeBatch"),
          example: { outcomes: [{ deal: "opp-8812", customer: "c001", rep: "r07", won: true, amount: 61200, closedAt: "2027-02-14" }] },
        },
      },
    },
    responses: {
      "200": {
        ...json("OutcomeReceipt", "The batch as recorded (`Location`: the plan's outcomes).", true),
        headers: { "x-request-id": HEADERS.requestId, Location: { description: "/v1/plans/{id}/outcomes", schema: { type: "string" } }, "Idempotency-Replayed": HEADERS.replayed },
      },
      ...c.bodyErrors,
      "400": problemResponse(["malformed-json", "bad-request", "invalid-idempotency-key"]),
      "409": problemResponse(["no-active-plan", "outcome-exists", "idempotency-in-flight"]),
      "422": problemResponse(["invalid-request", "idempotency-key-reused"]),
      "503": problemResponse(["shutting-down", ...c.storeErrors]),
    },
  };
}

export function listOutcomesOperation(c: OperationContext): Operation {
  return {
    operationId: "listPlanOutcomes",
    summary: "A saved plan's recorded outcomes, page by page",
    description: "The outcomes recorded while the plan was active, in the order they were recorded.",
    tags: ["learning"],
    parameters: [PLAN_ID, ...PAGE_PARAMETERS],
    responses: { "200": json("RecordedOutcomePage", "A page of outcomes."), "400": problemResponse(["invalid-query"]), "404": problemResponse(["plan-not-found"]), ...c.commonErrors },
  };
}

export function planPerformanceOperation(c: OperationContext): Operation {
  return {
    operationId: "getPlanPerformance",
    summary: "Each rep's results against the plan, calibration and drift alerts",
    description:
      "From the outcomes recorded while the plan was active: per rep, deals, wins and won value against what the plan's conversion estimates expected, and the estimates " +
      "the plan used against the model rebuilt with the outcomes; the calibration of the plan's estimates over every deal (Brier score and a reliability diagram by tenths); " +
      "and drift alerts — reps whose results since the plan put the conversion the plan assumed for them outside their current credible interval (the test is stated in `drift.test`).",
    tags: ["learning"],
    parameters: [
      PLAN_ID,
      {
        name: CREDIBILITY_PARAMETER,
        in: "query",
        required: false,
        description: `The drift test's level over the whole plan, ${MIN_CREDIBILITY}–${MAX_CREDIBILITY} (default 0.9): with no change anywhere, the chance of any alert is at most about 1 − this.`,
        schema: { type: "number", minimum: MIN_CREDIBILITY, maximum: MAX_CREDIBILITY },
      },
    ],
    responses: { "200": json("PlanPerformance", "The plan's performance."), "400": problemResponse(["invalid-query"]), "404": problemResponse(["plan-not-found"]), ...c.commonErrors },
  };
}

export function driftReassignOperation(c: OperationContext): Operation {
  return {
    operationId: "reassignOnDrift",
    summary: "Turn a plan's drift alerts into a reassignment under a move budget",
    description:
      "Computes the plan's performance (as GET /v1/plans/{id}/performance) and, when it has drift alerts, solves a /v1/reassign request built from them: the book as the plan left it " +
      "(each customer's currentRep its rep in the plan), an `updateHistory` event that adds the recorded outcomes to the history and drops the drifted reps' earlier history, " +
      "and a budget on chosen moves (`maxMoves`, default the plan's policy.stability.maxMoves, else 10% of its customers). The answer carries the drift test, the request itself " +
      "(send it to /v1/reassign to rerun or adjust it) and the result: every move with its reason and value change; `result` is null when there is no alert.",
    tags: ["learning"],
    parameters: [PLAN_ID, IDEMPOTENCY_KEY_PARAMETER],
    requestBody: { required: true, description: "The budget and the test's level; `{}` takes the defaults.", content: { "application/json": { schema: ref("DriftReassignOptions"), example: { maxMoves: 10 } } } },
    responses: {
      "200": json("DriftReassignProposal", "The drift test, the reassignment request and its result.", true),
      ...c.bodyErrors,
      "400": problemResponse(["malformed-json", "bad-request", "invalid-idempotency-key"]),
      "404": problemResponse(["plan-not-found"]),
      "409": problemResponse(["idempotency-in-flight"]),
      "422": problemResponse(["invalid-request", "idempotency-key-reused"]),
      "503": problemResponse(["queue-full", "shutting-down", ...c.storeErrors]),
    },
  };
}
