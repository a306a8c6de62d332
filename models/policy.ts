import { z } from "zod";
import { Id, NonNegative } from "./primitives.ts";

const PairRef = z.strictObject({ customer: Id, rep: Id });

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
});
export type Policy = z.infer<typeof Policy>;
