/**
 * The OpenAPI part of the what-if endpoints (scenario batches, reassignment and its frontier, the
 * baseline comparison of /v1/solve, assignment explanations): the schemas to register, the tags and
 * the operations (the route table, endpoints.ts, places them).
 */
import type { z } from "zod";
import * as models from "../models/index.ts";
import { EXAMPLE_PLAN, HEADERS, IDEMPOTENCY_KEY_PARAMETER, ref, type Operation, type OperationContext, type ResponseObject } from "./openapi-parts.ts";
import { maxScenarios } from "./what-if-input.ts";

type Meta = { id: string };
type Entry = readonly [z.ZodType, Meta];

/** Request-body schemas (converted with io: "input"). */
export const WHAT_IF_INPUT_SCHEMAS: readonly Entry[] = [
  [models.ScenarioRequest, { id: "ScenarioRequest" }],
  [models.Scenario, { id: "Scenario" }],
  [models.ReassignRequest, { id: "ReassignRequest" }],
  [models.Change, { id: "Change" }],
  [models.RemoveRepChange, { id: "RemoveRepChange" }],
  [models.AddRepChange, { id: "AddRepChange" }],
  [models.UpdateRepChange, { id: "UpdateRepChange" }],
  [models.AddCustomersChange, { id: "AddCustomersChange" }],
  [models.RemoveCustomersChange, { id: "RemoveCustomersChange" }],
  [models.UpdateCustomerChange, { id: "UpdateCustomerChange" }],
  [models.ScaleValuesChange, { id: "ScaleValuesChange" }],
  [models.SetPolicyChange, { id: "SetPolicyChange" }],
  [models.UpdateHistoryChange, { id: "UpdateHistoryChange" }],
  [models.RepPatch, { id: "RepPatch" }],
  [models.CustomerPatch, { id: "CustomerPatch" }],
  [models.PolicyPatch, { id: "PolicyPatch" }],
];

/** Response schemas (converted with io: "output"). */
export const WHAT_IF_OUTPUT_SCHEMAS: readonly Entry[] = [
  [models.AssignmentExplanation, { id: "AssignmentExplanation" }],
  [models.AssignmentRunnerUp, { id: "AssignmentRunnerUp" }],
  [models.AssignmentBetterRep, { id: "AssignmentBetterRep" }],
  [models.KeptBy, { id: "KeptBy" }],
  [models.BaselineMethod, { id: "BaselineMethod" }],
  [models.BaselineComparison, { id: "BaselineComparison" }],
  [models.BaselineResult, { id: "BaselineResult" }],
  [models.ConstraintBreaks, { id: "ConstraintBreaks" }],
  [models.ScenarioResponse, { id: "ScenarioResponse" }],
  [models.ScenarioBase, { id: "ScenarioBase" }],
  [models.ScenarioOutcome, { id: "ScenarioOutcome" }],
  [models.ScenarioDiff, { id: "ScenarioDiff" }],
  [models.ReassignResult, { id: "ReassignResult" }],
  [models.Move, { id: "Move" }],
  [models.MoveReason, { id: "MoveReason" }],
  [models.MoveSummary, { id: "MoveSummary" }],
  [models.CapacityCut, { id: "CapacityCut" }],
  [models.FrontierPoint, { id: "FrontierPoint" }],
];

export const WHAT_IF_TAGS = [{ name: "what-if", description: "Scenario batches with diffs, reassignment under a move budget, the value-vs-moves frontier." }];

/** Three customers, r2 leaves: c2 and c3 must move (forced), nothing else may (maxMoves 0). */
const REASSIGN_EXAMPLE = {
  plan: {
    customers: [
      { id: "c1", value: 120000, currentRep: "r1" },
      { id: "c2", value: 80000, currentRep: "r2" },
      { id: "c3", value: 50000, currentRep: "r2" },
    ],
    reps: [
      { id: "r1", maxAccounts: 2 },
      { id: "r2", maxAccounts: 2 },
      { id: "r3", maxAccounts: 2 },
    ],
    policy: { stability: { movePenalty: 1000 } },
  },
  events: [{ op: "removeRep", rep: "r2" }],
  maxMoves: 0,
  frontier: true,
};

const ok = (description: string, schema: string): ResponseObject => ({
  description,
  headers: { "x-request-id": HEADERS.requestId, "Server-Timing": HEADERS.serverTiming },
  content: { "application/json": { schema: ref(schema) } },
});

export function scenariosOperation(c: OperationContext): Operation {
  return {
    operationId: "runScenarios",
    summary: "Solve a base plan and its what-if scenarios, with diffs",
    description:
      "Each scenario's changes are applied to the base in order (a change naming an unknown id is a 422 with its path, e.g. `scenarios[1].changes[0].rep`). " +
      "The base and every scenario are solved on the worker pool, at most one solve per worker thread at a time for this request, each with its own time limit. " +
      "Each scenario comes back with its status, objective and a diff against the base: objective and expected-value delta, customers moved (from/to), " +
      `per-rep load changes and fairness changes. At most ${maxScenarios(c.config)} scenarios (ALLOT_MAX_SCENARIOS); the customers, reps and estimated pairs of all the plans ` +
      `together count against the per-request limits. ${c.limitsText}`,
    tags: ["what-if"],
    parameters: [IDEMPOTENCY_KEY_PARAMETER],
    requestBody: {
      required: true,
      description: "The base plan and the scenarios.",
      content: {
        "application/json": {
          schema: ref("ScenarioRequest"),
          example: {
            base: EXAMPLE_PLAN,
            scenarios: [
              { name: "r1 takes two", changes: [{ op: "updateRep", rep: "r1", set: { maxAccounts: 2 } }] },
              { name: "c2 churns", changes: [{ op: "removeCustomers", customers: ["c2"] }] },
            ],
          },
        },
      },
    },
    responses: { "200": ok("The base and each scenario as solved, with diffs (whatever their status).", "ScenarioResponse"), ...c.planErrors() },
  };
}

export function reassignOperation(c: OperationContext): Operation {
  return {
    operationId: "reassign",
    summary: "Reassign after events, under a move budget",
    description:
      "Applies the events to the plan (validated like scenario changes, paths `events[i]…`), then finds the best plan that moves at most `maxMoves` customers " +
      "that did not have to move. Forced moves (rep left, capacity cut, pair now ineligible, locked elsewhere) do not use the budget. Every move is listed " +
      "with its reason and value change. The same request gives the same bytes, so a retry is safe. With `frontier: true` the answer also carries the best " +
      "objective for budgets 0 … unconstrained (every budget up to 8, then powers of two), solved in parallel and non-decreasing by construction. " +
      c.limitsText,
    tags: ["what-if"],
    parameters: [IDEMPOTENCY_KEY_PARAMETER],
    requestBody: {
      required: true,
      description: "The plan, the events and the move budget.",
      content: { "application/json": { schema: ref("ReassignRequest"), example: REASSIGN_EXAMPLE } },
    },
    responses: { "200": ok("The Solution, its moves and (on request) the frontier, whatever its status.", "ReassignResult"), ...c.planErrors() },
  };
}
