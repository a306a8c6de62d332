import { Plan, type Solution } from "../models/index.ts";
import { solvePlan, type SolveOptions } from "../src/solve/solve-plan.ts";

/** Options for a proven optimum (gap 0), with a time limit small plans never reach. */
export const EXACT = { mipGap: 0, timeLimitMs: 20_000 } satisfies SolveOptions;

/** The Solution of a plan (validated by the schema first) solved to proven optimality. */
export async function solveExactly(plan: unknown): Promise<Solution> {
  return (await solvePlan(Plan.parse(plan), EXACT)).solution;
}
