import { z } from "zod";
import { Id, NonNegative } from "./primitives.ts";

export const PairScore = z
  .strictObject({
    customer: Id.describe("The customer of the pair."),
    rep: Id.describe("The rep of the pair."),
    score: z.number().describe("The pair's value to the objective, in place of the built-in expected value."),
    workload: NonNegative.optional().describe("Effort the customer costs this rep; default the customer's workload."),
  })
  .describe("An externally computed score for one (customer, rep) pair; replaces the built-in expected value. When pairs are given, only listed pairs are eligible.");
export type PairScore = z.infer<typeof PairScore>;
