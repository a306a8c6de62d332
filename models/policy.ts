import { z } from "zod";
import { Id, NonNegative } from "./primitives.ts";

const PairRef = z.strictObject({ customer: Id, rep: Id });

/** Longest accepted rule or score expression, in characters. */
export const EXPRESSION_MAX_LENGTH = 2_000;
const Expression = z.string().max(EXPRESSION_MAX_LENGTH, `an expression may be at most ${EXPRESSION_MAX_LENGTH} characters`);

/** A planner-defined hard rule: a pair is ineligible when `when` holds and `require` does not. */
export const Rule = z.strictObject({
  name: z.string().min(1).max(128),
  /** Condition on customer.* and rep.*; absent = always. */
  when: Expression.optional(),
  /** What must hold for the pair to be eligible. */
  require: Expression,
});
export type Rule = z.infer<typeof Rule>;

export const TerritoryMode = z.enum(["hard", "soft", "ignore"]);
export const SolverChoice = z.enum(["auto", "highs", "jslp"]);

export const Policy = z.strictObject({
  territory: TerritoryMode.optional(),
  territoryPenalty: NonNegative.optional(),
  specialtyBonus: NonNegative.optional(),
  travelCostPerKm: NonNegative.optional(),
  fairness: z
    .strictObject({
      /** e.g. 0.2 = each rep's assigned value within ±20% of its fair share. */
      valueBand: NonNegative.optional(),
      countBand: NonNegative.optional(),
    })
    .optional(),
  stability: z
    .strictObject({
      maxMoves: z.int().min(0).optional(),
      movePenalty: NonNegative.optional(),
    })
    .optional(),
  seniority: z.array(z.strictObject({ minValue: z.number(), minSeniority: z.number() })).optional(),
  locks: z.array(PairRef).optional(),
  forbid: z.array(PairRef).optional(),
  allowUnassigned: z.boolean().optional(),
  timeLimitMs: z.int().positive().optional(),
  mipGap: NonNegative.optional(),
  solver: SolverChoice.optional(),
  /** Planner-defined eligibility rules (hard constraints). */
  rules: z.array(Rule).max(200).optional(),
  /** Score expression over value, conversion, fit, distanceKm, travelCost, customer.*, rep.*; replaces value × conversion × fit − travelCost. */
  score: Expression.optional(),
});
export type Policy = z.infer<typeof Policy>;
