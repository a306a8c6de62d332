/**
 * What a worker thread may do around a solve, so that the what-if work on big plans stays off the
 * event loop: compare the solution with the classic baselines, digest it for a scenario diff, or
 * solve a reassignment and list its moves. Every job answers like a plain solve (status, the body as
 * JSON text, timings) plus, for some, a small `extra` for the caller.
 */
import type { AdvicePart, BaselineMethod, Plan, SolutionStatus } from "../../models/index.ts";
import { adviseOnSolution } from "../advice/plan-advice.ts";
import { compareWithBaselines } from "../baselines/baseline-comparison.ts";
import { wonValueUncertainty, type UncertaintyOptions } from "../learning/won-value-uncertainty.ts";
import type { FrontierSample } from "../what-if/move-frontier.ts";
import { solveReassignment } from "../what-if/reassignment.ts";
import { digestSolution, type SolutionDigest } from "../what-if/solution-diff.ts";
import { solvePlan, type SolveOptions } from "../solve/solve-plan.ts";

export type SolveJob =
  /** The Solution with `comparison`: each method applied to the same plan. */
  | { kind: "compare"; methods: BaselineMethod[] }
  /** The solution's digest as `extra` (for scenario diffs), and the Solution itself when `solution` is true (else the body is empty). */
  | { kind: "digest"; solution: boolean }
  /** A ReassignResult (the plan's events already applied); a FrontierSample as `extra`. With `summaryOnly` the body is left empty. */
  | { kind: "reassign"; summaryOnly: boolean }
  /** The Solution with what was asked for around it: `comparison`, `advice`, `uncertainty` (in that order). */
  | {
      kind: "extras";
      /** Classic methods to compare with (`comparison`); empty: none. */
      methods: BaselineMethod[];
      /** Parts of the advice (`advice`, src/advice/, its own time: `adviceTimeLimitMs`); empty: none. */
      advice: AdvicePart[];
      adviceTimeLimitMs: number;
      /** Posterior sampling of each rep's won value (`uncertainty`); null: none. */
      uncertainty: UncertaintyOptions | null;
    };

export interface SolveJobResult {
  status: SolutionStatus;
  /** Which solver answered (solver.backend) and the final gap, for metrics. */
  backend: string;
  gap: number | null;
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
      return { status: solution.status, backend: solution.solver.backend, gap: solution.gap, solutionJson, timings: { totalMs: elapsed(), solveMs: timings.solveMs } };
    }
    case "extras": {
      const { solution, timings } = await solvePlan(plan, options);
      const comparison = job.methods.length > 0 ? compareWithBaselines(plan, solution, job.methods) : undefined;
      // The advice's own solves honour a stop but report no progress (the job's progress is the plan's solve).
      const { onProgress: _reported, ...quiet } = options;
      const advice = job.advice.length > 0 ? await adviseOnSolution(plan, solution, { parts: job.advice, solve: quiet, timeLimitMs: job.adviceTimeLimitMs }) : undefined;
      const uncertainty = job.uncertainty === null ? undefined : wonValueUncertainty(plan, solution, job.uncertainty);
      const solutionJson = JSON.stringify({
        ...solution,
        ...(comparison === undefined ? {} : { comparison }),
        ...(advice === undefined ? {} : { advice }),
        ...(uncertainty === undefined ? {} : { uncertainty }),
      });
      return { status: solution.status, backend: solution.solver.backend, gap: solution.gap, solutionJson, timings: { totalMs: elapsed(), solveMs: timings.solveMs } };
    }
    case "digest": {
      const { solution, timings } = await solvePlan(plan, options);
      const solutionJson = job.solution ? JSON.stringify(solution) : "";
      return {
        status: solution.status,
        backend: solution.solver.backend,
        gap: solution.gap,
        solutionJson,
        timings: { totalMs: elapsed(), solveMs: timings.solveMs },
        extra: digestSolution(plan, solution),
      };
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
      return { status: result.status, backend: result.solver.backend, gap: result.gap, solutionJson, timings: { totalMs: elapsed(), solveMs: timings.solveMs }, extra };
    }
  }
}
