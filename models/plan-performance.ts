import { z } from "zod";
import { Id } from "./primitives.ts";

const Rate = z.number().min(0).max(1);

export const ConversionFigure = z
  .strictObject({
    p: Rate.describe("The conversion rate (posterior mean)."),
    interval: z.tuple([Rate, Rate]).describe("Its central 90% credible interval."),
  })
  .describe("A conversion rate with its 90% credible interval.");
export type ConversionFigure = z.infer<typeof ConversionFigure>;

export const SegmentPerformance = z
  .strictObject({
    segment: z.string().nullable().describe("The customers' segment; null for deals whose customer has no segment in the saved plan (e.g. customers routed live)."),
    deals: z.int().min(0),
    wins: z.int().min(0),
    planConversion: ConversionFigure.nullable().describe("The estimate the plan used for this rep in this segment; null when the plan did not model conversion."),
    updatedConversion: ConversionFigure.nullable().describe("The same estimate from the history plus every outcome recorded since (what the next plan would use); null when not modelled."),
  })
  .describe("A rep's recorded deals in one segment, against the plan's estimate.");
export type SegmentPerformance = z.infer<typeof SegmentPerformance>;

export const DriftDirection = z.enum(["lower", "higher"]).describe("lower: the rep converts less than the plan assumed; higher: more.");
export type DriftDirection = z.infer<typeof DriftDirection>;

export const RepPerformance = z
  .strictObject({
    rep: Id,
    available: z.boolean().describe("The rep was available in the plan."),
    accounts: z.int().min(0).describe("Customers the plan gave the rep."),
    planExpectedValue: z.number().describe("The plan's expected value of the rep's book (the Solution's reps[].expectedValue)."),
    deals: z.int().min(0).describe("Outcomes recorded for the rep since the plan."),
    wins: z.int().min(0),
    dealValue: z.number().describe("Σ amount of those deals."),
    wonValue: z.number().describe("Σ amount of the deals won."),
    expectedWins: z.number().nullable().describe("Σ over the rep's deals of the plan's conversion estimate for the deal's segment; null when the plan did not model conversion."),
    expectedWonValue: z.number().nullable().describe("Σ amount × the plan's conversion estimate over the rep's deals; null when not modelled."),
    planConversion: Rate.nullable().describe("expectedWins / deals: the rate the plan assumed for these deals; null without deals or model."),
    recentConversion: ConversionFigure.nullable().describe("The rep's rate from its deals since the plan alone (Jeffreys posterior Beta(wins + ½, losses + ½)); null without deals."),
    updatedConversion: Rate.nullable().describe("The conversion model rebuilt from the history plus every recorded outcome, averaged over the same deals; null without deals or model."),
    segments: z.array(SegmentPerformance).describe("The deals by segment (segments in code-unit order, null last)."),
    drift: DriftDirection.nullable().describe("The drift alert's direction when the rep has one; null otherwise."),
  })
  .describe("One rep: expected against actual on the deals recorded since the plan, and the plan's conversion estimates against what the outcomes now say.");
export type RepPerformance = z.infer<typeof RepPerformance>;

export const CalibrationBin = z
  .strictObject({
    from: Rate.describe("Lowest predicted conversion in the bin (inclusive)."),
    to: Rate.describe("Highest (exclusive, except 1 for the last bin)."),
    deals: z.int().min(1),
    meanPredicted: Rate.describe("Mean of the plan's conversion estimates of the bin's deals."),
    observedRate: Rate.describe("wins / deals."),
    interval: z.tuple([Rate, Rate]).describe("90% interval of the observed rate (Jeffreys): a well-calibrated bin has meanPredicted inside it about 9 times in 10."),
  })
  .describe("Deals whose predicted conversion fell in one tenth of [0, 1], and how often they were won.");
export type CalibrationBin = z.infer<typeof CalibrationBin>;

export const Calibration = z
  .strictObject({
    deals: z.int().min(1).describe("Deals with a modelled conversion estimate (the ones scored here)."),
    wins: z.int().min(0),
    brierScore: z.number().describe("mean (p − won)² over the deals, won = 1 or 0: 0 is perfect."),
    referenceBrierScore: z.number().describe("The Brier score of predicting the observed overall win rate for every deal: r̄(1 − r̄)."),
    brierSkill: z.number().nullable().describe("1 − brierScore / referenceBrierScore: above 0 the plan's estimates tell deals apart better than the overall rate; null when the reference is 0."),
    expectedCalibrationError: z.number().describe("Σ over bins of deals/total × |meanPredicted − observedRate|."),
    bins: z.array(CalibrationBin).describe("The reliability diagram: the non-empty bins, lowest first."),
  })
  .describe("How well the plan's conversion estimates predicted the recorded outcomes: reliability by bins and the Brier score.");
export type Calibration = z.infer<typeof Calibration>;

export const DriftAlert = z
  .strictObject({
    rep: Id,
    direction: DriftDirection,
    deals: z.int().min(1),
    wins: z.int().min(0),
    expectedWins: z.number().describe("What the plan's estimates expected on these deals."),
    planConversion: Rate.describe("expectedWins / deals."),
    planInterval: z.tuple([Rate, Rate]).describe("The credible interval of the plan's assumption for these deals, at the test's per-rep level."),
    recentConversion: Rate.describe("The rep's rate since the plan (Jeffreys posterior mean)."),
    interval: z.tuple([Rate, Rate]).describe("The rep's current credible interval at the test's per-rep level."),
    probabilityBelowPlan: Rate.describe("P(current rate < the plan's rate), both as posteriors: near 1 = credibly lower, near 0 = credibly higher."),
    evidence: z.string().describe("The same in words."),
  })
  .describe("A rep whose results since the plan make the plan's conversion assumption no longer credible.");
export type DriftAlert = z.infer<typeof DriftAlert>;

export const DriftTest = z
  .strictObject({
    test: z.string().describe("The test, in words."),
    planSpread: z.boolean().describe("The plan's own uncertainty is part of the test (false only when the plan's estimates carry none, e.g. a stand-in)."),
    familyCredibility: z.number().describe("The level asked for (`?credibility=`, default 0.9): with no change anywhere, the chance of any alert on the plan is at most about 1 − this."),
    credibility: z.number().describe("The per-rep level: 1 − (1 − familyCredibility) / repsTested (Bonferroni)."),
    repsTested: z.int().min(0).describe("Reps with at least one deal and a modelled plan estimate."),
    alerts: z.array(DriftAlert).describe("In plan order of the reps."),
  })
  .describe("Drift alerts: reps whose results since the plan are no longer consistent with the conversion the plan assumed for them.");
export type DriftTest = z.infer<typeof DriftTest>;

export const PerformanceTotals = z
  .strictObject({
    deals: z.int().min(0),
    wins: z.int().min(0),
    dealValue: z.number(),
    wonValue: z.number(),
    expectedWins: z.number().nullable().describe("Σ of the plan's conversion estimates over every deal; null when not modelled."),
    expectedWonValue: z.number().nullable(),
    firstClosedAt: z.string().nullable().describe("Earliest closedAt (YYYY-MM-DD); null without deals."),
    lastClosedAt: z.string().nullable(),
  })
  .describe("Every recorded deal of the plan together.");
export type PerformanceTotals = z.infer<typeof PerformanceTotals>;

export const PlanPerformance = z
  .strictObject({
    planId: Id,
    conversionModelled: z.boolean().describe("False when the plan's scores came from `pairs` or it had no history: there is no conversion estimate to compare with (calibration null, no alerts)."),
    totals: PerformanceTotals,
    reps: z.array(RepPerformance).describe("Every rep of the plan, in plan order."),
    calibration: Calibration.nullable().describe("null without deals or without a modelled conversion."),
    drift: DriftTest,
  })
  .describe("GET /v1/plans/{id}/performance: each rep's results since the plan against what the plan assumed, the calibration of its conversion estimates, and drift alerts.");
export type PlanPerformance = z.infer<typeof PlanPerformance>;
