import { z } from "zod";
import { Change } from "./change.ts";
import { Plan } from "./plan.ts";
import { Id, NonNegative } from "./primitives.ts";
import { Solution, SolutionStatus } from "./solution.ts";

export const ReassignRequest = z
  .strictObject({
    plan: Plan.describe("The book as it is: customers carry `currentRep`."),
    events: z.array(Change).optional().describe("What happened since (reps leaving or joining, new customers, capacity changes…), applied in order."),
    maxMoves: z.int().min(0).optional().describe("Most customers that may move although they did not have to; default the plan's policy.stability.maxMoves (none = unconstrained)."),
    movePenalty: NonNegative.optional().describe("Subtracted from the value of every pair that moves a customer; default the plan's policy.stability.movePenalty."),
    frontier: z.boolean().optional().describe("Also return the best expected value for a range of move budgets."),
  })
  .describe("POST /v1/reassign: the book as it is (customers carry currentRep), what happened since, and the move budget.");
export type ReassignRequest = z.infer<typeof ReassignRequest>;

export const MoveReason = z
  .enum(["rep-left", "capacity", "ineligible", "locked", "chosen"])
  .describe(
    "Why a customer changed hands. Forced: `rep-left` (its rep is unavailable or was removed), `capacity` (its rep's limits no longer hold its current book), " +
      "`ineligible` (the pair now breaks a rule: territory, required specialty, …), `locked` (locked to another rep). Otherwise `chosen`: a voluntary move, within the budget.",
  );
export type MoveReason = z.infer<typeof MoveReason>;

export const Move = z
  .strictObject({
    customer: Id,
    from: Id.describe("The customer's current rep."),
    to: Id.nullable().describe("The new rep; null = left unassigned (only with policy.allowUnassigned)."),
    reason: MoveReason,
    forced: z.boolean().describe("The customer had to move (every reason but `chosen`): forced moves do not use the budget."),
    detail: z.string().describe("In words: what forced the move, or what the chosen move gains."),
    valueDelta: z.number().nullable().describe("Expected value with the new rep minus with the old one (move penalty included); null when the old pair has no score."),
  })
  .describe("A customer that changes hands, and why.");
export type Move = z.infer<typeof Move>;

export const CapacityCut = z
  .strictObject({
    rep: Id,
    mustMove: z.int().describe("How many of its current customers must move at least."),
    detail: z.string().describe("Which limit, in words."),
  })
  .describe("Customers a rep's limits force out of its current book.");
export type CapacityCut = z.infer<typeof CapacityCut>;

export const MoveSummary = z
  .strictObject({
    maxMoves: z.int().nullable().describe("The budget on chosen moves; null = unconstrained."),
    solverMaxMoves: z.int().nullable().describe("The budget given to the solver: maxMoves plus the capacity cuts (their moves are forced but look voluntary to the solver); null = unconstrained."),
    forced: z.int().describe("Moves the customers had to make."),
    chosen: z.int().describe("Voluntary moves, within the budget."),
    byReason: z
      .strictObject({
        "rep-left": z.int(),
        capacity: z.int(),
        ineligible: z.int(),
        locked: z.int(),
        chosen: z.int(),
      })
      .describe("Moves by reason."),
    capacityCuts: z.array(CapacityCut).describe("Reps whose limits force customers out of their current book."),
    chosenValue: z.number().describe("Σ valueDelta of the chosen moves."),
  })
  .describe("The moves counted by kind and reason, against the budget.");
export type MoveSummary = z.infer<typeof MoveSummary>;

export const FrontierPoint = z
  .strictObject({
    maxMoves: z.int().nullable().describe("The budget on chosen moves; null = unconstrained (the last point)."),
    status: SolutionStatus,
    objective: z.number().nullable().describe("Best objective found for this budget; null when no plan was found. Never below the previous point's."),
    chosenMoves: z.int().nullable().describe("Chosen moves of the plan reported here."),
    forcedMoves: z.int().nullable().describe("Forced moves of the plan reported here."),
    carriedFrom: z.int().nullable().describe("The budget whose plan is reported here, when this budget's own solve came out lower (it is feasible here too); null otherwise."),
    gain: z.number().nullable().describe("objective − the previous point's objective."),
    gainPerMove: z.number().nullable().describe("gain / (maxMoves − the previous point's maxMoves); null for the unconstrained point."),
  })
  .describe("The best objective for one budget on chosen moves; points never decrease.");
export type FrontierPoint = z.infer<typeof FrontierPoint>;

export const ReassignResult = Solution.extend({
  moves: z.array(Move).describe("Every customer that changes hands, in plan order."),
  moveSummary: MoveSummary,
  frontier: z.array(FrontierPoint).optional().describe("With `frontier: true`: the best objective for budgets 0 … unconstrained."),
}).describe("What POST /v1/reassign answers: a Solution plus every move with its reason and, on request, the frontier.");
export type ReassignResult = z.infer<typeof ReassignResult>;
