import type { Change, DriftTest, Plan, ReassignRequest, RecordedOutcome } from "../../models/index.ts";
import { outcomesAsHistory } from "./outcome-history.ts";

/**
 * The drift alerts of a saved plan turned into a reassignment (POST /v1/plans/{id}/performance/reassign):
 * the book as the plan left it (each customer's currentRep = its rep in the plan; customers the plan
 * left unassigned have none), one `updateHistory` event — the recorded outcomes added, and the
 * earlier history of the drifted reps dropped (unless asked to keep it) — and a budget on chosen
 * moves: the one asked for, else the plan's policy.stability.maxMoves, else 10% of its customers.
 * The request is what /v1/reassign solves; the caller can send it there as it is.
 */

export interface DriftReassignInput {
  plan: Plan;
  placements: readonly { customer: string; rep: string | null }[];
  outcomes: readonly RecordedOutcome[];
  drift: DriftTest;
  maxMoves?: number | undefined;
  movePenalty?: number | undefined;
  /** Default true. */
  resetDrifted?: boolean | undefined;
}

/** Share of the customers that may move by choice when neither the request nor the plan sets a budget. */
export const DEFAULT_MOVE_SHARE = 0.1;

export function driftReassignRequest(input: DriftReassignInput): ReassignRequest {
  const { plan } = input;
  const repOf = new Map(input.placements.map((p) => [p.customer, p.rep] as const));
  const customers = plan.customers.map((c) => {
    const rep = repOf.get(c.id) ?? null;
    const { currentRep: _current, ...rest } = c;
    return rep === null ? rest : { ...rest, currentRep: rep };
  });
  const resetReps = input.resetDrifted === false ? [] : input.drift.alerts.map((a) => a.rep);
  const event: Change = { op: "updateHistory", add: outcomesAsHistory(plan, input.outcomes), ...(resetReps.length > 0 ? { resetReps } : {}) };
  const maxMoves = input.maxMoves ?? plan.policy?.stability?.maxMoves ?? Math.ceil(DEFAULT_MOVE_SHARE * plan.customers.length);
  return {
    plan: { ...plan, customers },
    events: [event],
    maxMoves,
    ...(input.movePenalty === undefined ? {} : { movePenalty: input.movePenalty }),
  };
}
