/**
 * The OpenAPI part of the planner's controls (evaluating a hand-made assignment against the plan
 * and its optimum, reviewing the moves of a saved version): the schemas to register, the tag and
 * the operations (the route table, endpoints.ts, places them).
 */
import type { z } from "zod";
import * as models from "../models/index.ts";
import { EXAMPLE_PLAN, HEADERS, problemResponse, ref, type Operation, type OperationContext, type ParameterObject } from "./openapi-parts.ts";

type Meta = { id: string };
type Entry = readonly [z.ZodType, Meta];

/** Request-body schemas (converted with io: "input"). */
export const EVALUATE_INPUT_SCHEMAS: readonly Entry[] = [
  [models.EvaluateRequest, { id: "EvaluateRequest" }],
  [models.EvaluatedPair, { id: "EvaluatedPair" }],
  [models.ReviewRequest, { id: "ReviewRequest" }],
  [models.MoveDecision, { id: "MoveDecision" }],
];

/** Response schemas (converted with io: "output"). */
export const EVALUATE_OUTPUT_SCHEMAS: readonly Entry[] = [
  [models.Evaluation, { id: "Evaluation" }],
  [models.RepPicture, { id: "RepPicture" }],
  [models.BrokenConstraint, { id: "BrokenConstraint" }],
  [models.OptimumComparison, { id: "OptimumComparison" }],
  [models.CostlyChoice, { id: "CostlyChoice" }],
  [models.ReviewResult, { id: "ReviewResult" }],
];

export const EVALUATE_TAGS = [{ name: "planner-control", description: "The planner's own decisions: evaluate a hand-made assignment and what it gives up against the optimum; accept or reject the moves of a saved version." }];

/** POST /v1/evaluate. */
export function evaluateOperation(c: OperationContext): Operation {
  return {
    operationId: "evaluateAssignment",
    summary: "Evaluate an assignment as it stands",
    description:
      "The plan with a full or partial assignment (a customer not named keeps its currentRep): its objective, every rep's load against its capacity and " +
      "fairness band, and every constraint it breaks with the field path and the customers and reps involved. Computed from the loads, without a solver " +
      "(src/evaluate/: one changed customer costs O(1) plus O(reps) to read back). With `optimum: true` the plan is also solved on the worker pool within its " +
      "time limit, and the answer gives the value given up against the optimum (and at most, against the proven bound) and the choices that give up most. " +
      "An unknown customer or rep, or a customer named twice, is a 422 `invalid-request` naming `assignment[i]…` (or `base[i]…`). " +
      "For an editor calling after each change: send the plan once with a `base` assignment (e.g. a solve's) and the changes over it; the answer's `planKey` " +
      "then stands for that plan and base, and a request with `planKey` instead of `plan` costs its changes, not the book (the server keeps the last " +
      "ALLOT_EVALUATE_CACHE plans loaded, least recently used evicted first). A key this instance does not hold is a 409 `evaluation-plan-unknown`: send the plan again. " +
      c.limitsText,
    tags: ["planner-control"],
    requestBody: {
      required: true,
      description: "The plan and the assignment.",
      content: {
        "application/json": {
          schema: ref("EvaluateRequest"),
          example: {
            plan: EXAMPLE_PLAN,
            assignment: [
              { customer: "c1", rep: "r2" },
              { customer: "c2", rep: "r1" },
            ],
            optimum: true,
          },
        },
      },
    },
    responses: {
      "200": {
        description: "The evaluation (whatever the assignment breaks, and whatever the solve's status).",
        headers: { "x-request-id": HEADERS.requestId, "Server-Timing": HEADERS.serverTiming },
        content: { "application/json": { schema: ref("Evaluation") } },
      },
      ...c.planErrors(),
      "409": problemResponse(["evaluation-plan-unknown"]),
      "422": problemResponse(["invalid-plan", "plan-too-large", "invalid-request"]),
    },
  };
}

const PLAN_ID: ParameterObject = { name: "id", in: "path", required: true, description: "The id of the saved version to review.", schema: { type: "string" } };

export function reviewPlanOperation(c: OperationContext): Operation {
  return {
    operationId: "reviewPlan",
    summary: "Accept or reject the moves of a saved version",
    description:
      "The version's moves are its customers whose rep differs from their currentRep. Each accepted move becomes an override (policy.overrides) to the proposed rep, " +
      "each rejected one an override to the currentRep (a stay), with `by` and the reason (or the comment); they replace earlier overrides of the same customers. " +
      "The plan with them is solved on the worker pool and saved as a new draft version (audited as `plan.saved`; compare it with GET /v1/plans/{id}/diff/{otherId}); " +
      "moves left undecided stay free. A round that rejects nothing changes nothing: no solve, no new version (`changed: false`). " +
      "A decision on a customer that is not a move, twice on one customer, or that the contract refuses (a stay on a customer locked elsewhere) is a 422 naming `decisions[i]`. " +
      c.limitsText,
    tags: ["planner-control"],
    parameters: [PLAN_ID],
    requestBody: {
      required: true,
      description: "The reviewer and the decisions.",
      content: {
        "application/json": {
          schema: ref("ReviewRequest"),
          example: { by: "ana", comment: "keep the key accounts where they are", decisions: [{ customer: "c1", decision: "reject" }, { customer: "c2", decision: "accept" }] },
        },
      },
    },
    responses: {
      "200": {
        description: "The round: the new version, or the reviewed one when nothing was rejected.",
        headers: { "x-request-id": HEADERS.requestId },
        content: { "application/json": { schema: ref("ReviewResult") } },
      },
      "404": problemResponse(["plan-not-found"]),
      ...c.planErrors(),
      "422": problemResponse(["invalid-request"]),
    },
  };
}
