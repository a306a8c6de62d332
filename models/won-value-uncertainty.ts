import { z } from "zod";
import { Id } from "./primitives.ts";

const Probability = z.number().min(0).max(1);

export const RepWonValue = z
  .strictObject({
    rep: Id,
    accounts: z.int().min(0).describe("Customers the plan gives the rep."),
    expectedWonValue: z.number().describe("Mean won value over the samples."),
    p10: z.number().describe("10th percentile of the rep's won value: 9 draws in 10 win at least this much."),
    p50: z.number().describe("Median won value."),
    p90: z.number().describe("90th percentile: 1 draw in 10 wins more."),
    quota: z.number().nullable().describe("The rep's quota; null when it has none."),
    quotaProbability: Probability.nullable().describe("Share of the samples in which the rep's won value reaches its quota; null without a quota."),
  })
  .describe("What one rep may win with the plan's book: percentiles of its won value from posterior sampling.");
export type RepWonValue = z.infer<typeof RepWonValue>;

export const WonValueSpread = z
  .strictObject({
    expectedWonValue: z.number(),
    p10: z.number(),
    p50: z.number(),
    p90: z.number(),
  })
  .describe("Percentiles of the whole plan's won value.");
export type WonValueSpread = z.infer<typeof WonValueSpread>;

export const OutcomeFairness = z
  .strictObject({
    repsWithQuota: z.int().min(0),
    quotaProbabilityMin: Probability.nullable().describe("Lowest chance of reaching quota among the reps with one; null when none has one."),
    quotaProbabilityMax: Probability.nullable(),
    quotaProbabilitySpread: Probability.nullable().describe("max − min of those chances: 0 = every rep has the same chance of making quota."),
    valueGini: z.number().describe("Today's value Gini of the plan (the Solution's metrics.valueGini): the fairness of what each rep is given."),
    expectedWonValueGini: z.number().describe("Gini coefficient of the available reps' expected won value: the fairness of what each rep is likely to win."),
  })
  .describe("Outcome fairness: how evenly the reps' chances are spread, next to the fairness of the book itself.");
export type OutcomeFairness = z.infer<typeof OutcomeFairness>;

export const SolutionUncertainty = z
  .strictObject({
    method: z.string().describe("How the samples are drawn, in words."),
    modelled: z.boolean().describe("False when the plan has no conversion model (scores from `pairs`, or no history): there is nothing to sample and `reps` is empty."),
    seed: z.int().describe("The seed of the draws (`?seed=`, default 1): the same plan, seed and samples give the same figures."),
    samples: z.int().min(0).describe("Draws made: the request's `samples`, fewer when the plan is large (at most 20,000,000 customer draws in all)."),
    reps: z.array(RepWonValue).describe("The available reps, in plan order."),
    total: WonValueSpread.nullable().describe("The whole plan; null when not modelled."),
    fairness: OutcomeFairness.nullable().describe("null when not modelled."),
  })
  .describe("With `?uncertainty=true` on /v1/solve: the spread of what each rep may actually win, not just its expectation.");
export type SolutionUncertainty = z.infer<typeof SolutionUncertainty>;
