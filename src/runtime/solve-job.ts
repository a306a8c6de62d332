/**
 * What a worker thread may do around a solve, so that the what-if work on big plans stays off the
 * event loop: compare the solution with the classic baselines, digest it for a scenario diff, or
 * solve a reassignment and list its moves. Every job answers like a plain solve (status, the body as
 * JSON text, timings) plus, for some, a small `extra` for the caller.
 */
import type { BaselineMethod, Plan, SolutionStatus } from "../../models/index.ts";
import { compareWithBaselines } from "../baselines/baseline-comparison.ts";
import { wonValueUncertainty, type UncertaintyOptions } from "../learning/won-value-uncertainty.ts";
import type { FrontierSample } from "../what-if/move-frontier.ts";
import { solveReassignment } from "../what-if/reassignment.ts";
import { digestSolution, type SolutionDigest } from "../what-if/solution-diff.ts";
import { solvePlan, type SolveOptions } from "../solve/solve-plan.ts";

export type SolveJob =
  /** The Solution with `comparison`: each method applied to the same plan. */
  | { kind: "compare"; methods: BaselineMethod[] }
  /** The Solution with `uncertainty` (posterior sampling of won value), and `comparison` when methods are given. */
  | { kind: "uncertainty"; options: UncertaintyOptions; methods?: BaselineMethod[] }
  /** The solution's digest as `extra` (for scenario diffs), and the Solution itself when `solution` is true (else the body is empty). */
  | { kind: "digest"; solution: boolean }
  /** A ReassignResult (the plan's events already applied); a FrontierSample as `extra`. With `summaryOnly` the body is left empty. */
  | { kind: "reassign"; summaryOnly: boolean };

export interface SolveJobResult {
  status: SolutionStatus;
  /** The answer's body as JSON ("" when the job says it is not wanted). */
  solutionJson: string;
  timings: { totalMs: number; solveMs: number };
  extra?: SolutionDigest | FrontierSample;
}

export async function runSolveJob(plan: Plan, options: SolveOptions, job: SolveJob): Promise<SolveJobResult> {
  const start = performance.now();
  const elapsed = () => performance.now() - start;
  switch (job.kind) {
    case "compare": {
      const { solution, timings } = await solvePlan(plan, options);
      const comparison = compareWithBaselines(plan, solution, job.methods);
      const solutionJson = JSON.stringify({ ...solution, comparison });
      return { status: solution.status, solutionJson, timings: { totalMs: elapsed(), solveMs: timings.solveMs } };
    }
    case "uncertainty": {
      const { solution, timings } = await solvePlan(plan, options);
      const comparison = job.methods === undefined || job.methods.length === 0 ? undefined : compareWithBaselines(plan, solution, job.methods);
      const uncertainty = wonValueUncertainty(plan, solution, job.options);
      const solutionJson = JSON.stringify(comparison === undefined ? { ...solution, uncertainty } : { ...solution, comparison, uncertainty });
      return { status: solution.status, solutionJson, timings: { totalMs: elapsed(), solveMs: timings.solveMs } };
    }
    case "digest": {
      const { solution, timings } = await solvePlan(plan, options);
      const solutionJson = job.solution ? JSON.stringify(solution) : "";
      return { status: solution.status, solutionJson, timings: { totalMs: elapsed(), solveMs: timings.solveMs }, extra: digestSolution(plan, solution) };
    }
    case "reassign": {
      const { result, timings } = await solveReassignment(plan, options);
      const extra: FrontierSample = {
        maxMoves: result.moveSummary.maxMoves,
        status: result.status,
        objective: result.objective,
        chosenMoves: result.moveSummary.chosen,
        forcedMoves: result.moveSummary.forced,
      };
      const solutionJson = job.summaryOnly ? "" : JSON.stringify(result);
      return { status: result.status, solutionJson, timings: { totalMs: elapsed(), solveMs: timings.solveMs }, extra };
    }
  }
}
