import { z } from "zod";
import { Id, NonNegative } from "./primitives.ts";

/** An externally computed score for one (customer, rep) pair; replaces the built-in expected value. */
export const PairScore = z.strictObject({
  customer: Id,
  rep: Id,
  score: z.number(),
  workload: NonNegative.optional(),
});
export type PairScore = z.infer<typeof PairScore>;
