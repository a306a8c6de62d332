import { z } from "zod";
import { Change } from "./change.ts";
import { Plan } from "./plan.ts";
import { Id, NonNegative } from "./primitives.ts";
import { Solution, SolutionStatus } from "./solution.ts";

/** POST /v1/reassign. */
export const ReassignRequest = z.strictObject({
  /** The book as it is: customers carry `currentRep`. */
  plan: Plan,
  /** What happened since (reps leaving or joining, new customers, capacity changes…), applied in order. */
  events: z.array(Change).optional(),
  /** Most customers that may move although they did not have to; default the plan's policy.stability.maxMoves (none = unconstrained). */
  maxMoves: z.int().min(0).optional(),
  /** Subtracted from the value of every pair that moves a customer; default the plan's policy.stability.movePenalty. */
  movePenalty: NonNegative.optional(),
  /** Also return the best expected value for a range of move budgets. */
  frontier: z.boolean().optional(),
});
export type ReassignRequest = z.infer<typeof ReassignRequest>;

/**
 * Why a customer changed hands. Forced: `rep-left` (its rep is unavailable or was removed),
 * `capacity` (its rep's limits no longer hold its current book), `ineligible` (the pair now breaks
 * a rule: territory, required specialty, …), `locked` (locked to another rep). Otherwise `chosen`:
 * a voluntary move, within the budget.
 */
export const MoveReason = z.enum(["rep-left", "capacity", "ineligible", "locked", "chosen"]);
export type MoveReason = z.infer<typeof MoveReason>;

export const Move = z.strictObject({
  customer: Id,
  from: Id,
  /** null = left unassigned (only with policy.allowUnassigned). */
  to: Id.nullable(),
  reason: MoveReason,
  forced: z.boolean(),
  /** In words: what forced the move, or what the chosen move gains. */
  detail: z.string(),
  /** Expected value with the new rep minus with the old one (move penalty included); null when the old pair has no score. */
  valueDelta: z.number().nullable(),
});
export type Move = z.infer<typeof Move>;

/** Customers a rep's limits force out of its current book. */
export const CapacityCut = z.strictObject({
  rep: Id,
  /** How many of its current customers must move at least. */
  mustMove: z.int(),
  detail: z.string(),
});
export type CapacityCut = z.infer<typeof CapacityCut>;

export const MoveSummary = z.strictObject({
  /** The budget on chosen moves; null = unconstrained. */
  maxMoves: z.int().nullable(),
  /** The budget given to the solver: maxMoves plus the capacity cuts (their moves are forced but look voluntary to the solver); null = unconstrained. */
  solverMaxMoves: z.int().nullable(),
  forced: z.int(),
  chosen: z.int(),
  byReason: z.strictObject({
    "rep-left": z.int(),
    capacity: z.int(),
    ineligible: z.int(),
    locked: z.int(),
    chosen: z.int(),
  }),
  capacityCuts: z.array(CapacityCut),
  /** Σ valueDelta of the chosen moves. */
  chosenValue: z.number(),
});
export type MoveSummary = z.infer<typeof MoveSummary>;

/** The best expected value for one move budget. */
export const FrontierPoint = z.strictObject({
  /** The budget on chosen moves; null = unconstrained (the last point). */
  maxMoves: z.int().nullable(),
  status: SolutionStatus,
  /** Best objective found for this budget; null when no plan was found. Never below the previous point's. */
  objective: z.number().nullable(),
  chosenMoves: z.int().nullable(),
  forcedMoves: z.int().nullable(),
  /** The budget whose plan is reported here, when this budget's own solve came out lower (it is feasible here too); null otherwise. */
  carriedFrom: z.int().nullable(),
  /** objective − the previous point's objective. */
  gain: z.number().nullable(),
  /** gain / (maxMoves − the previous point's maxMoves); null for the unconstrained point. */
  gainPerMove: z.number().nullable(),
});
export type FrontierPoint = z.infer<typeof FrontierPoint>;

/** What POST /v1/reassign answers: the Solution, the moves it makes and, on request, the frontier. */
export const ReassignResult = Solution.extend({
  moves: z.array(Move),
  moveSummary: MoveSummary,
  frontier: z.array(FrontierPoint).optional(),
});
export type ReassignResult = z.infer<typeof ReassignResult>;
