import type { BandFrontierPoint, Plan } from "../../models/index.ts";
import { solvePlan, type SolveOptions } from "../solve/solve-plan.ts";
import { BAND_POINT } from "./elastic-model.ts";

/**
 * The value-vs-band frontier: the best objective for a range of (hard) value bands, narrowest first,
 * then without a band, so that a planner sees what each point of fairness costs. A wider band
 * admits every plan a narrower one does (the total is fixed or the shares scale alike), so the
 * frontier is non-decreasing: a point whose own solve came out lower than a narrower band's (a
 * time limit or the gap) reports that plan instead (`carriedFrom`), as the moves frontier does.
 */

export const DEFAULT_FRONTIER_BANDS: readonly number[] = [0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1];

export interface FrontierOptions {
  deadline: number;
  solve: SolveOptions;
}

export async function bandFrontier(plan: Plan, options: FrontierOptions): Promise<{ points: BandFrontierPoint[]; cut: boolean }> {
  const bands = [...new Set(plan.advice?.bands ?? DEFAULT_FRONTIER_BANDS)].sort((a, b) => a - b);
  const grid: (number | null)[] = [...bands, null];
  const points: BandFrontierPoint[] = [];
  let cut = false;
  let best: { band: number | null; objective: number; ratio: number | null } | null = null;
  for (const band of grid) {
    const left = options.deadline - performance.now();
    if (left <= 0) {
      cut = true;
      break;
    }
    const { mode: _mode, penalty: _penalty, valueBand: _band, ...fairness } = plan.policy?.fairness ?? {};
    const policy = { ...plan.policy, fairness: band === null ? fairness : { ...fairness, valueBand: band } };
    const timeLimitMs = Math.max(1, Math.floor(Math.min(left, options.solve.timeLimitMs ?? plan.policy?.timeLimitMs ?? left)));
    const { solution } = await solvePlan({ ...plan, policy }, { ...options.solve, timeLimitMs });
    if (solution.solver.stoppedBy === "time-limit") cut = true;
    const own = solution.objective;
    let point: BandFrontierPoint;
    if (own !== null && (best === null || own >= best.objective)) {
      point = { valueBand: band, status: solution.status, objective: own, maxValueOverFairShare: solution.metrics.maxValueOverFairShare, costPerPoint: null, carriedFrom: null };
      best = { band, objective: own, ratio: solution.metrics.maxValueOverFairShare };
    } else if (best !== null) {
      point = { valueBand: band, status: "feasible", objective: best.objective, maxValueOverFairShare: best.ratio, costPerPoint: null, carriedFrom: best.band };
    } else {
      point = { valueBand: band, status: solution.status, objective: null, maxValueOverFairShare: null, costPerPoint: null, carriedFrom: null };
    }
    const previous = points[points.length - 1];
    if (previous !== undefined && previous.objective !== null && point.objective !== null && previous.valueBand !== null && band !== null && band > previous.valueBand) {
      point.costPerPoint = (point.objective - previous.objective) / ((band - previous.valueBand) / BAND_POINT);
    }
    points.push(point);
  }
  return { points, cut };
}
