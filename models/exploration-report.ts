import { z } from "zod";
import { Id } from "./primitives.ts";

export const ExploredPair = z
  .strictObject({
    rep: Id,
    segment: z.string().nullable().describe("The customers' segment; null for customers without one."),
    attempts: z.int().min(0).describe("The rep's own attempts there (below policy.exploration.minAttempts)."),
    conversion: z.number().describe("The conversion estimate (posterior mean)."),
    optimisticConversion: z.number().describe("The conversion the exploring plan was optimised with: conversion + weight × (the posterior's quantile − conversion)."),
    accounts: z.int().min(0).describe("Customers of this segment the returned plan gives the rep."),
    accountsWithout: z.int().min(0).describe("Customers of this segment the plan without exploration gives it."),
  })
  .describe("A rep explored in one segment: its estimate, the optimism it was given, and the accounts it gets with and without exploration.");
export type ExploredPair = z.infer<typeof ExploredPair>;

export const ExplorationReport = z
  .strictObject({
    applied: z.boolean().describe("The returned plan is the exploring one; false when exploration cost more than allowed, changed nothing, or had nothing to explore (see note)."),
    weight: z.number().describe("The share of the optimism bonus used: 1, 0.5 or 0.25 (halved while the cost was over maxShare); 0 when not applied."),
    minAttempts: z.int(),
    quantile: z.number(),
    maxShare: z.number(),
    bestExpectedValue: z.number().nullable().describe("The expected value of the best plan without exploration (its objective); null when it has no plan."),
    expectedValue: z.number().nullable().describe("The returned plan's expected value (scored with the plain posterior means, like every objective)."),
    cost: z.number().nullable().describe("bestExpectedValue − expectedValue: the expected value given up to learn."),
    costShare: z.number().nullable().describe("cost / |bestExpectedValue|."),
    explored: z.array(ExploredPair).describe("Reps and segments below minAttempts that hold accounts in either plan, in plan order of the reps."),
    note: z.string().describe("What happened, in words."),
  })
  .describe("With policy.exploration: what exploring cost in expected value, and which reps it gave accounts to.");
export type ExplorationReport = z.infer<typeof ExplorationReport>;
