/**
 * A reassignment (POST /v1/reassign, the what-if sample): the events applied to the book and the
 * move budget set, the plan solved as a "reassign" job (runtime/solve-job.ts) and, on request, the
 * value-vs-moves frontier solved beside it, with at most `concurrency` solves at a time.
 */
import { Solution, type Change, type FieldError, type FrontierPoint, type Plan } from "../../models/index.ts";
import { computeFrontier, FrontierSample } from "./move-frontier.ts";
import { applyChanges } from "./plan-changes.ts";
import { capacityCuts, reportMoves, solverMoveBudget, withMoveBudget, withStability } from "./reassignment.ts";
import { solvingTogether, type WhatIfSolveOutcome } from "./what-if-solve.ts";

export interface ReassignmentSettings {
  /** What happened since, applied in order (paths `events[i]…`). */
  events?: readonly Change[] | undefined;
  /** Overrides the plan's policy.stability.maxMoves. */
  maxMoves?: number | undefined;
  /** Overrides the plan's policy.stability.movePenalty. */
  movePenalty?: number | undefined;
}

/**
 * The plan to solve: the events applied, the budget and penalty asked for in its policy; and the
 * budget on chosen moves (null = unconstrained). Or every problem of the events, with its path.
 */
export function prepareReassignment(plan: Plan, settings: ReassignmentSettings): { ok: true; plan: Plan; maxMoves: number | null } | { ok: false; errors: FieldError[] } {
  const applied = applyChanges(plan, settings.events ?? [], ["events"]);
  if (!applied.ok) return applied;
  const prepared = withStability(applied.plan, { maxMoves: settings.maxMoves, movePenalty: settings.movePenalty });
  return { ok: true, plan: prepared, maxMoves: prepared.policy?.stability?.maxMoves ?? null };
}

/** The sample a frontier solve reported, or a no-plan sample for a deadline answer (which has none); a malformed sample is a bug and throws. */
function sampleOf(outcome: WhatIfSolveOutcome, budget: number | null): FrontierSample {
  if (outcome.deadlineHit) return { maxMoves: budget, status: outcome.status, objective: null, chosenMoves: 0, forcedMoves: 0 };
  return FrontierSample.parse(outcome.extra);
}

/** The ReassignResult text of the main solve: the job's, or built here around a deadline answer (no assignments). */
function resultJson(outcome: WhatIfSolveOutcome, plan: Plan): string {
  if (!outcome.deadlineHit && outcome.solutionJson !== "") return outcome.solutionJson;
  const solution = Solution.parse(JSON.parse(outcome.solutionJson));
  const cuts = capacityCuts(plan);
  const solverPlan = withMoveBudget(plan, solverMoveBudget(plan, cuts));
  const { moves, summary } = reportMoves(solverPlan, solution, cuts, plan.policy?.stability?.maxMoves ?? null);
  return JSON.stringify({ ...solution, moves, moveSummary: summary });
}

export interface ReassignmentResult<O extends WhatIfSolveOutcome> {
  /** The caller's outcome of the main solve (its timings, status, …). */
  main: O;
  /** The ReassignResult as JSON text, without the frontier. */
  resultJson: string;
  /** With `frontier`: the best objective for each budget of the grid (move-frontier.ts); else null. */
  frontier: FrontierPoint[] | null;
}

/**
 * Solves a prepared plan (see prepareReassignment) and, with `frontier`, its frontier; the budget
 * asked for is not solved twice. `solve` runs a "reassign" job, `summaryOnly` saying that only its
 * frontier sample is wanted. The first failure (or the caller's `signal`) aborts the other solves.
 */
export async function runReassignment<O extends WhatIfSolveOutcome>(
  plan: Plan,
  options: { frontier: boolean; solve: (plan: Plan, summaryOnly: boolean, signal: AbortSignal) => Promise<O>; concurrency: number; signal?: AbortSignal },
): Promise<ReassignmentResult<O>> {
  const requested = plan.policy?.stability?.maxMoves ?? null;
  const [main, frontier] = await solvingTogether(options.signal, (signal) => {
    const mainSolve = options.solve(plan, false, signal);
    const frontierSolve = options.frontier
      ? computeFrontier(
          plan,
          requested,
          async (budget) => sampleOf(budget === requested ? await mainSolve : await options.solve(withMoveBudget(plan, budget), true, signal), budget),
          options.concurrency,
        )
      : Promise.resolve(null);
    return Promise.all([mainSolve, frontierSolve]);
  });
  return { main, resultJson: resultJson(main, plan), frontier };
}
