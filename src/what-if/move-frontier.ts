import { z } from "zod";
import { SolutionStatus, type FrontierPoint, type Plan } from "../../models/index.ts";
import { mapBounded } from "../numeric/bounded-concurrency.ts";
import { classifyMove } from "../verify/move-classification.ts";
import { buildPairRuleContext } from "../verify/pair-rules.ts";

/**
 * The value-vs-disruption frontier: the best objective for a range of budgets on chosen moves,
 * from 0 to unconstrained, so that a planner sees what each extra move is worth.
 *
 * Grid: every budget 0 … FRONTIER_EVERY_UP_TO, then powers of two (16, 32, 64, …), all below the
 * number of customers that could stay with their current rep (more budget than that cannot bind),
 * plus the budget the caller asked for; then the unconstrained point. Budgets at or above the
 * unconstrained plan's own number of chosen moves are dropped: that plan is optimal for them.
 *
 * Non-decreasing by construction: a plan feasible for budget b is feasible for every larger budget
 * (nothing else changes), so a point whose own solve came out lower than the previous point (a
 * time limit or the mipGap can do that) reports the previous point's plan instead (`carriedFrom`).
 */

export const FRONTIER_EVERY_UP_TO = 8;

/** One solve of the frontier, as a worker reports it. */
export const FrontierSample = z.strictObject({
  maxMoves: z.int().nullable(),
  status: SolutionStatus,
  objective: z.number().nullable(),
  chosenMoves: z.int(),
  forcedMoves: z.int(),
});
export type FrontierSample = z.infer<typeof FrontierSample>;

/** Customers that could stay with their current rep: more chosen moves than this are never possible. */
export function movableCustomers(plan: Plan): number {
  const ctx = buildPairRuleContext(plan);
  let n = 0;
  for (const c of plan.customers) if (c.currentRep !== undefined && classifyMove(ctx, c, undefined) === "voluntary") n += 1;
  return n;
}

/** The finite budgets of the grid, ascending (the unconstrained point comes on top of these). */
export function frontierBudgets(movable: number, requested: number | null): number[] {
  const budgets = new Set<number>();
  for (let b = 0; b <= FRONTIER_EVERY_UP_TO && b < movable; b++) budgets.add(b);
  for (let b = 2 * FRONTIER_EVERY_UP_TO; b < movable; b *= 2) budgets.add(b);
  if (requested !== null && requested < movable) budgets.add(requested);
  return [...budgets].sort((a, b) => a - b);
}

/** The most solves a frontier can take for a plan (finite budgets, plus the unconstrained one). */
export function frontierSolveCount(plan: Plan, requested: number | null): number {
  return frontierBudgets(movableCustomers(plan), requested).length + 1;
}

/** Points from samples sorted by budget (the unconstrained one last), made non-decreasing. */
export function frontierPoints(samples: readonly FrontierSample[]): FrontierPoint[] {
  const points: FrontierPoint[] = [];
  let best: { sample: FrontierSample; budget: number | null } | null = null;
  let previous: FrontierPoint | null = null;
  for (const sample of samples) {
    let point: FrontierPoint;
    const own = sample.objective;
    if (own !== null && (best === null || best.sample.objective === null || own >= best.sample.objective)) {
      best = { sample, budget: sample.maxMoves };
      point = { maxMoves: sample.maxMoves, status: sample.status, objective: own, chosenMoves: sample.chosenMoves, forcedMoves: sample.forcedMoves, carriedFrom: null, gain: null, gainPerMove: null };
    } else if (best !== null) {
      const kept = best.sample;
      point = {
        maxMoves: sample.maxMoves,
        // Feasible for this budget, optimality not proven here.
        status: "feasible",
        objective: kept.objective,
        chosenMoves: kept.chosenMoves,
        forcedMoves: kept.forcedMoves,
        carriedFrom: best.budget,
        gain: null,
        gainPerMove: null,
      };
    } else {
      point = { maxMoves: sample.maxMoves, status: sample.status, objective: null, chosenMoves: null, forcedMoves: null, carriedFrom: null, gain: null, gainPerMove: null };
    }
    if (previous !== null && previous.objective !== null && point.objective !== null) {
      point.gain = point.objective - previous.objective;
      if (point.maxMoves !== null && previous.maxMoves !== null && point.maxMoves > previous.maxMoves) {
        point.gainPerMove = point.gain / (point.maxMoves - previous.maxMoves);
      }
    }
    points.push(point);
    previous = point;
  }
  return points;
}

/**
 * Solves the grid with at most `concurrency` solves at a time (the unconstrained one first, so that
 * budgets it makes redundant need not be solved) and returns the points. `solveAt(null)` solves
 * without a budget.
 */
export async function computeFrontier(
  plan: Plan,
  requested: number | null,
  solveAt: (maxMoves: number | null) => Promise<FrontierSample>,
  concurrency: number,
): Promise<FrontierPoint[]> {
  const budgets = frontierBudgets(movableCustomers(plan), requested);
  let ceiling: number | null = null;
  const jobs: (number | null)[] = [null, ...budgets];
  const samples = await mapBounded(jobs, concurrency, async (budget) => {
    if (budget !== null && ceiling !== null && budget >= ceiling) return null;
    const sample = await solveAt(budget);
    if (budget === null && sample.objective !== null) ceiling = sample.chosenMoves;
    return sample;
  });
  const unconstrained = samples[0] ?? null;
  const limit = unconstrained !== null && unconstrained.objective !== null ? unconstrained.chosenMoves : Infinity;
  const finite = samples.slice(1).filter((s): s is FrontierSample => s !== null && s.maxMoves !== null && s.maxMoves < limit);
  return frontierPoints(unconstrained === null ? finite : [...finite, unconstrained]);
}
