import { z } from "zod";
import { Customer } from "./customer.ts";
import { Id, NonNegative } from "./primitives.ts";
import { ScoreComponents } from "./solution.ts";

/** An external score for the routed customer with one rep (needed when the active plan scores pairs externally). */
export const RoutePairScore = z.strictObject({
  rep: Id,
  score: z.number(),
  workload: NonNegative.optional(),
});
export type RoutePairScore = z.infer<typeof RoutePairScore>;

/** Body of POST /v1/route: one new customer to assign against the active plan. */
export const RouteRequest = z.strictObject({
  customer: Customer,
  /** Only with an active plan that lists `pairs`: the customer's eligible reps and their scores. */
  pairs: z.array(RoutePairScore).optional(),
});
export type RouteRequest = z.infer<typeof RouteRequest>;

/** Why a rep that scores higher than the chosen one did not get the customer. */
export const PassedOverReason = z.enum(["maxAccounts", "maxWorkload", "valueBand", "countBand"]);
export type PassedOverReason = z.infer<typeof PassedOverReason>;

export const PassedOverRep = z.strictObject({
  rep: Id,
  expectedValue: z.number(),
  because: PassedOverReason,
});
export type PassedOverRep = z.infer<typeof PassedOverRep>;

/** The next best rep that had room, and what choosing it would have given. */
export const RunnerUp = z.strictObject({
  rep: Id,
  expectedValue: z.number(),
});
export type RunnerUp = z.infer<typeof RunnerUp>;

/** The chosen rep's load after this customer. */
export const RoutedRepLoad = z.strictObject({
  accounts: z.int(),
  workload: z.number(),
  value: z.number(),
  maxAccounts: z.int().nullable(),
  maxWorkload: z.number().nullable(),
});
export type RoutedRepLoad = z.infer<typeof RoutedRepLoad>;

/** How many reps were looked at and why the others were left out. */
export const RouteCounts = z.strictObject({
  reps: z.int(),
  eligible: z.int(),
  withRoom: z.int(),
  withinFairness: z.int(),
  /** Ineligible reps by the rule that excluded them (territory, requires, seniority, …). */
  excluded: z.record(z.string(), z.int()),
});
export type RouteCounts = z.infer<typeof RouteCounts>;

/** The answer of POST /v1/route: the rep (null = no rep had room, recorded as unassigned), runner-up and why. */
export const RouteResult = z.strictObject({
  planId: Id,
  customer: Id,
  rep: Id.nullable(),
  expectedValue: z.number().nullable(),
  components: ScoreComponents.nullable(),
  runnerUp: RunnerUp.nullable(),
  reason: z.string(),
  /** Better-scoring reps that did not get the customer (capacity, or fairness as a soft preference). */
  passedOver: z.array(PassedOverRep),
  counts: RouteCounts,
  load: RoutedRepLoad.nullable(),
  routedAt: z.string(),
});
export type RouteResult = z.infer<typeof RouteResult>;
