import { z } from "zod";
import { Customer } from "./customer.ts";
import { Id, NonNegative } from "./primitives.ts";
import { ScoreComponents } from "./solution.ts";

export const RoutePairScore = z
  .strictObject({
    rep: Id,
    score: z.number().describe("The pair's value, in place of the built-in expected value."),
    workload: NonNegative.optional().describe("Effort the customer costs this rep; default the customer's workload."),
  })
  .describe("An external score of the routed customer with one rep (only when the active plan lists pairs).");
export type RoutePairScore = z.infer<typeof RoutePairScore>;

export const RouteRequest = z
  .strictObject({
    customer: Customer.describe("The new customer (its id must not be in the active plan or routed already)."),
    pairs: z.array(RoutePairScore).optional().describe("Only with an active plan that lists `pairs`: the customer's eligible reps and their scores."),
  })
  .describe("Body of POST /v1/route: one new customer to assign against the active plan.");
export type RouteRequest = z.infer<typeof RouteRequest>;

export const PassedOverReason = z.enum(["maxAccounts", "maxWorkload", "valueBand", "countBand"]).describe("Why a rep that scores higher than the chosen one did not get the customer: capacity is hard; the fairness bands are a soft preference.");
export type PassedOverReason = z.infer<typeof PassedOverReason>;

export const PassedOverRep = z.strictObject({
  rep: Id,
  expectedValue: z.number(),
  because: PassedOverReason,
});
export type PassedOverRep = z.infer<typeof PassedOverRep>;

export const RunnerUp = z
  .strictObject({
    rep: Id,
    expectedValue: z.number(),
  })
  .describe("The next best rep that had room, and what choosing it would have given.");
export type RunnerUp = z.infer<typeof RunnerUp>;

export const RoutedRepLoad = z
  .strictObject({
    accounts: z.int(),
    workload: z.number(),
    value: z.number(),
    maxAccounts: z.int().nullable(),
    maxWorkload: z.number().nullable(),
  })
  .describe("The chosen rep's load after this customer, and its limits (null = none).");
export type RoutedRepLoad = z.infer<typeof RoutedRepLoad>;

export const RouteCounts = z
  .strictObject({
    reps: z.int().describe("Reps looked at."),
    eligible: z.int().describe("Of those, eligible for the customer."),
    withRoom: z.int().describe("Of those, with room for it."),
    withinFairness: z.int().describe("Of those, staying within the plan's fairness bands with it."),
    excluded: z.record(z.string(), z.int()).describe("Ineligible reps by the rule that excluded them (territory, requires, seniority, …)."),
  })
  .describe("How many reps were looked at and why the others were left out.");
export type RouteCounts = z.infer<typeof RouteCounts>;

export const RouteResult = z
  .strictObject({
    planId: Id.describe("The active plan routed against."),
    customer: Id,
    rep: Id.nullable().describe("The chosen rep; null = no eligible rep had room, recorded as unassigned."),
    expectedValue: z.number().nullable(),
    components: ScoreComponents.nullable(),
    runnerUp: RunnerUp.nullable(),
    reason: z.string().describe("Why this rep, in words."),
    passedOver: z.array(PassedOverRep).describe("Better-scoring reps that did not get the customer (capacity, or fairness as a soft preference)."),
    counts: RouteCounts,
    load: RoutedRepLoad.nullable(),
    routedAt: z.string().describe("When the decision was recorded (ISO 8601, UTC)."),
  })
  .describe("The answer of POST /v1/route: the rep chosen (null: no eligible rep had room, recorded as unassigned), the runner-up and why.");
export type RouteResult = z.infer<typeof RouteResult>;
