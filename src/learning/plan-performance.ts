import type { ConversionFigure, Plan, PlanPerformance, RecordedOutcome, RepPerformance, SegmentPerformance } from "../../models/index.ts";
import { buildConversionModel, type ConversionEstimate, type ConversionModel } from "../plan/conversion-model.ts";
import { calibrate, type Prediction } from "./calibration.ts";
import { DEFAULT_DRIFT_CREDIBILITY, driftTest, type RepEvidence } from "./drift-test.ts";
import { historyWithOutcomes } from "./outcome-history.ts";
import { jeffreysRate } from "./jeffreys-interval.ts";

/**
 * A saved plan against what happened since (GET /v1/plans/{id}/performance): per rep, the deals
 * recorded, expected against actual wins and won value, the plan's conversion estimates against the
 * model rebuilt with the outcomes; the calibration of the plan's estimates over every deal; and the
 * drift test (drift-test.ts).
 *
 * A deal is scored with the plan's estimate for the rep who worked it in the customer's segment,
 * recomputed from the saved plan (the same model, so the same numbers the plan used). A customer the
 * saved plan does not list (routed live) has no segment there: its deals use the rep's estimate over
 * all its history. The conversion is not modelled when the plan scores pairs externally or has no
 * history: then there is nothing to compare with, and only the counts are reported.
 */

export interface PerformanceInput {
  planId: string;
  plan: Plan;
  /** Customer → rep as the plan solved it (null = unassigned). */
  placements: readonly { customer: string; rep: string | null }[];
  /** The plan's expected value of each rep's book (the Solution's reps). */
  repExpectedValue: ReadonlyMap<string, number>;
  outcomes: readonly RecordedOutcome[];
  /** The drift test's level (default 0.9). */
  credibility?: number;
}

interface Cell {
  segment: string | null;
  deals: number;
  wins: number;
}

interface RepTally {
  deals: number;
  wins: number;
  dealValue: number;
  wonValue: number;
  expectedWins: number;
  expectedWonValue: number;
  /** Σ of the plan's posterior standard deviations over the deals. */
  sdSum: number;
  updatedSum: number;
  cells: Map<string | null, Cell>;
}

const figure = (e: ConversionEstimate): ConversionFigure => ({ p: e.p, interval: [e.interval[0], e.interval[1]] });

/** The standard deviation of the estimate's posterior Beta; 0 when it has none. */
function posteriorSd(e: ConversionEstimate): number {
  if (e.posterior === undefined) return 0;
  const { alpha, beta } = e.posterior;
  const s = alpha + beta;
  return Math.sqrt((alpha * beta) / (s * s * (s + 1)));
}

function modelled(plan: Plan, model: ConversionModel): boolean {
  return plan.pairs === undefined && model.globalRate !== null;
}

export function planPerformance(input: PerformanceInput): PlanPerformance {
  const { plan, outcomes } = input;
  const planModel = buildConversionModel(plan.history);
  const isModelled = modelled(plan, planModel);
  const updatedModel = buildConversionModel(historyWithOutcomes(plan, outcomes));
  const segmentOf = new Map(plan.customers.map((c) => [c.id, c.segment ?? null] as const));

  const tallies = new Map<string, RepTally>();
  const predictions: Prediction[] = [];
  let first: string | null = null;
  let last: string | null = null;
  const totals = { deals: 0, wins: 0, dealValue: 0, wonValue: 0, expectedWins: 0, expectedWonValue: 0 };
  for (const o of outcomes) {
    let tally = tallies.get(o.rep);
    if (tally === undefined) {
      tally = { deals: 0, wins: 0, dealValue: 0, wonValue: 0, expectedWins: 0, expectedWonValue: 0, sdSum: 0, updatedSum: 0, cells: new Map() };
      tallies.set(o.rep, tally);
    }
    const segment = segmentOf.get(o.customer) ?? null;
    const estimate = planModel.estimate(o.rep, segment ?? undefined);
    const p = estimate.p;
    const y = o.won ? 1 : 0;
    tally.deals += 1;
    tally.wins += y;
    tally.dealValue += o.amount;
    tally.wonValue += o.won ? o.amount : 0;
    tally.expectedWins += p;
    tally.expectedWonValue += p * o.amount;
    tally.sdSum += posteriorSd(estimate);
    tally.updatedSum += updatedModel.estimate(o.rep, segment ?? undefined).p;
    let cell = tally.cells.get(segment);
    if (cell === undefined) tally.cells.set(segment, (cell = { segment, deals: 0, wins: 0 }));
    cell.deals += 1;
    cell.wins += y;
    totals.deals += 1;
    totals.wins += y;
    totals.dealValue += o.amount;
    totals.wonValue += o.won ? o.amount : 0;
    totals.expectedWins += p;
    totals.expectedWonValue += p * o.amount;
    if (isModelled) predictions.push({ p, won: o.won });
    if (first === null || o.closedAt < first) first = o.closedAt;
    if (last === null || o.closedAt > last) last = o.closedAt;
  }

  const accounts = new Map<string, number>();
  for (const placement of input.placements) if (placement.rep !== null) accounts.set(placement.rep, (accounts.get(placement.rep) ?? 0) + 1);

  const evidence: RepEvidence[] = [];
  const reps: RepPerformance[] = plan.reps.map((rep) => {
    const t = tallies.get(rep.id);
    const deals = t?.deals ?? 0;
    if (t !== undefined && isModelled) evidence.push({ rep: rep.id, deals, wins: t.wins, expectedWins: t.expectedWins, planSd: deals > 0 ? t.sdSum / deals : 0 });
    const segments: SegmentPerformance[] = [...(t?.cells.values() ?? [])]
      .sort((a, b) => (a.segment === b.segment ? 0 : a.segment === null ? 1 : b.segment === null ? -1 : a.segment < b.segment ? -1 : 1))
      .map((cell) => ({
        segment: cell.segment,
        deals: cell.deals,
        wins: cell.wins,
        planConversion: isModelled ? figure(planModel.estimate(rep.id, cell.segment ?? undefined)) : null,
        updatedConversion: isModelled ? figure(updatedModel.estimate(rep.id, cell.segment ?? undefined)) : null,
      }));
    const withDeals = t !== undefined && deals > 0;
    return {
      rep: rep.id,
      available: rep.available !== false,
      accounts: accounts.get(rep.id) ?? 0,
      planExpectedValue: input.repExpectedValue.get(rep.id) ?? 0,
      deals,
      wins: t?.wins ?? 0,
      dealValue: t?.dealValue ?? 0,
      wonValue: t?.wonValue ?? 0,
      expectedWins: isModelled ? (t?.expectedWins ?? 0) : null,
      expectedWonValue: isModelled ? (t?.expectedWonValue ?? 0) : null,
      planConversion: isModelled && withDeals ? t.expectedWins / deals : null,
      recentConversion: withDeals ? jeffreysRate(t.wins, deals, 0.9) : null,
      updatedConversion: isModelled && withDeals ? t.updatedSum / deals : null,
      segments,
      drift: null,
    };
  });

  const drift = driftTest(evidence, input.credibility ?? DEFAULT_DRIFT_CREDIBILITY);
  const flagged = new Map(drift.alerts.map((a) => [a.rep, a.direction] as const));
  for (const r of reps) r.drift = flagged.get(r.rep) ?? null;

  return {
    planId: input.planId,
    conversionModelled: isModelled,
    totals: {
      ...totals,
      expectedWins: isModelled ? totals.expectedWins : null,
      expectedWonValue: isModelled ? totals.expectedWonValue : null,
      firstClosedAt: first,
      lastClosedAt: last,
    },
    reps,
    calibration: calibrate(predictions),
    drift,
  };
}
