/**
 * The work behind POST /v1/solve, /v1/scenarios and /v1/reassign, once validated: plain data that
 * can be queued, stored and sent to another process, and the one function that runs it on a solve
 * pool and assembles the answer's JSON text. The synchronous endpoints and the jobs (embedded or on
 * BullMQ workers) both call `runJobWork`, so a job's result has the same bytes as the synchronous
 * answer for the same input.
 */
import type { AdvicePart, BaselineMethod, Change, Plan, Scenario, SolutionStatus, SolveProgress } from "../../models/index.ts";
import { isRecord } from "../numeric/is-record.ts";
import { appendJsonField } from "../numeric/raw-json.ts";
import { effectiveTimeLimitMs, type TimeLimits } from "../plan/time-limit.ts";
import { estimateSolveMemory } from "../solve/memory-estimate.ts";
import type { PoolSolveOptions, PoolSolveOutcome, SolvePool } from "../runtime/solve-pool.ts";
import type { StopFlag } from "../runtime/stop-flag.ts";
import type { UncertaintyOptions } from "../learning/won-value-uncertainty.ts";
import { frontierSolveCount } from "../what-if/move-frontier.ts";
import { prepareReassignment, runReassignment } from "../what-if/reassignment-run.ts";
import { batchPlans, prepareScenarioBatch, runScenarioBatch } from "../what-if/scenario-batch.ts";

export type JobWork =
  | {
      kind: "solve";
      plan: Plan;
      timeLimits: TimeLimits;
      /** `?compare=`: the classic methods to apply next to the optimizer (null or empty: none). */
      compare: BaselineMethod[] | null;
      /** `?advice=`: the parts of the advice to compute after the solve, within one more time limit (empty: none). */
      advice: AdvicePart[];
      /** `?uncertainty=true`: posterior sampling of each rep's won value (null: none). */
      uncertainty: UncertaintyOptions | null;
      /** Added to the hard deadline of a comparing solve (the pool's margin). */
      compareDeadlineMs: number;
    }
  | { kind: "scenarios"; base: Plan; scenarios: Scenario[]; solutions: boolean; timeLimits: TimeLimits }
  | {
      kind: "reassign";
      plan: Plan;
      events?: Change[] | undefined;
      maxMoves?: number | undefined;
      movePenalty?: number | undefined;
      frontier: boolean;
      timeLimits: TimeLimits;
    };

/** Where a job stands: the latest report of a running solve, and how many of its solves are done. */
export interface WorkProgress {
  solve: SolveProgress | null;
  solvesDone: number;
  solvesTotal: number;
}

export interface WorkHooks {
  /** Fires when the work is abandoned (the client went away): running solves are stopped, no answer. */
  signal?: AbortSignal;
  /** A cooperative stop: solves end with their best verified plan so far and the answer is still assembled. */
  stop?: StopFlag;
  onProgress?: (progress: WorkProgress) => void;
  /** Told about every finished solve (metrics). */
  onSolved?: (outcome: PoolSolveOutcome) => void;
  /** True for a job: its own queue admitted it, so its solves wait in the pool's queue whatever its length. */
  admitted?: boolean;
}

export interface WorkResult {
  /** The answer's status (for a batch, the base's). */
  status: SolutionStatus;
  /** The answer's body, exactly as the synchronous endpoint sends it. */
  json: string;
  /** Summed over the solves. */
  timings: { queueMs: number; runMs: number; engineMs: number | null; solverMs: number | null };
  /** Whether the pool's watchdog cut any solve. */
  deadlinesHit: number;
  /** Figures for the log line. */
  log: Record<string, unknown>;
}

type Pool = Pick<SolvePool, "solve" | "stats">;

/** How many solves the work makes (for progress). */
export function workSolveCount(work: JobWork): number {
  if (work.kind === "solve") return 1;
  if (work.kind === "scenarios") return 1 + work.scenarios.length;
  if (!work.frontier) return 1;
  const prepared = prepareReassignment(work.plan, work);
  if (!prepared.ok) return 1;
  // Every budget of the grid (the one asked for is the main solve; at most this many).
  return frontierSolveCount(prepared.plan, prepared.maxMoves);
}

/** The pool's solve with the job's progress and stop attached, counting finished solves. */
function watched(pool: Pool, work: JobWork, hooks: WorkHooks): (plan: Plan, options: PoolSolveOptions) => Promise<PoolSolveOutcome> {
  const { onProgress } = hooks;
  const extra: Partial<PoolSolveOptions> = { ...(hooks.stop === undefined ? {} : { stop: hooks.stop }), ...(hooks.admitted === true ? { admitted: true } : {}) };
  const onSolved = hooks.onSolved ?? (() => undefined);
  if (onProgress === undefined)
    return async (plan, options) => {
      const outcome = await pool.solve(plan, { ...options, ...extra, memoryBytes: estimateSolveMemory(plan).bytes });
      onSolved(outcome);
      return outcome;
    };
  const state: WorkProgress = { solve: null, solvesDone: 0, solvesTotal: workSolveCount(work) };
  onProgress({ ...state });
  return async (plan, options) => {
    let done = false;
    const outcome = await pool.solve(plan, {
      ...options,
      ...extra,
      memoryBytes: estimateSolveMemory(plan).bytes,
      onProgress: (solve) => {
        done = solve.phase === "done";
        state.solve = solve;
        onProgress({ ...state });
      },
    });
    // The last report matches the answer: where the solve's own "done" report did not come (the
    // watchdog's answer at the deadline, or a report still on its way), one from the answer.
    const last = done ? null : doneReport(outcome);
    if (last !== null) state.solve = last;
    onSolved(outcome);
    state.solvesDone = Math.min(state.solvesTotal, state.solvesDone + 1);
    onProgress({ ...state });
    return outcome;
  };
}

/** A "done" report with the figures of a solve's answer (null when its JSON is not a Solution's). */
function doneReport(outcome: PoolSolveOutcome): SolveProgress | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(outcome.solutionJson);
  } catch {
    return null;
  }
  if (!isRecord(parsed) || !("objective" in parsed) || !("gap" in parsed)) return null;
  const figure = (key: string): number | null => {
    const value = parsed[key];
    return typeof value === "number" ? value : null;
  };
  return { phase: "done", elapsedMs: Math.max(0, outcome.timings.runMs), objective: figure("objective"), bound: figure("bound"), gap: figure("gap") };
}

const sum = (values: (number | null)[]): number | null => (values.some((v) => v === null) ? null : values.reduce<number>((s, v) => s + (v ?? 0), 0));

function totals(outcomes: readonly PoolSolveOutcome[]): Pick<WorkResult, "timings" | "deadlinesHit"> {
  return {
    timings: {
      queueMs: outcomes.reduce((s, o) => s + o.timings.queueMs, 0),
      runMs: outcomes.reduce((s, o) => s + o.timings.runMs, 0),
      engineMs: sum(outcomes.map((o) => o.timings.engineMs)),
      solverMs: sum(outcomes.map((o) => o.timings.solverMs)),
    },
    deadlinesHit: outcomes.filter((o) => o.deadlineHit).length,
  };
}

/**
 * Runs validated work on the pool and assembles the answer. Rejects with the pool's errors
 * (saturated, closed, cancelled, a plan rejected while solving); a batch's first failure aborts
 * its other solves.
 */
export async function runJobWork(work: JobWork, pool: Pool, hooks: WorkHooks = {}): Promise<WorkResult> {
  const solve = watched(pool, work, hooks);
  const { signal } = hooks;
  switch (work.kind) {
    case "solve": {
      const { plan } = work;
      const methods = work.compare ?? [];
      const timeLimitMs = effectiveTimeLimitMs(plan, work.timeLimits);
      const base = signal === undefined ? { timeLimitMs } : { timeLimitMs, signal };
      const extras = work.advice.length > 0 || work.uncertainty !== null;
      const outcome = await solve(
        plan,
        extras
          ? // The advice has its own time, the plan's time limit again: the deadline grows by it.
            {
              ...base,
              job: { kind: "extras", methods, advice: work.advice, adviceTimeLimitMs: timeLimitMs, uncertainty: work.uncertainty },
              extraDeadlineMs: (work.advice.length > 0 ? timeLimitMs + work.compareDeadlineMs : 0) + work.compareDeadlineMs,
            }
          : methods.length === 0
            ? base
            : { ...base, job: { kind: "compare", methods }, extraDeadlineMs: work.compareDeadlineMs },
      );
      return {
        status: outcome.status,
        json: outcome.solutionJson,
        ...totals([outcome]),
        log: { customers: plan.customers.length, reps: plan.reps.length, timeLimitMs, status: outcome.status, deadlineHit: outcome.deadlineHit },
      };
    }
    case "scenarios": {
      const prepared = prepareScenarioBatch(work.base, work.scenarios);
      if (!prepared.ok) throw new Error(`scenario work was not validated: ${prepared.errors[0]?.path ?? ""}`);
      const withSolutions = work.solutions;
      const result = await runScenarioBatch(prepared.batch, {
        solve: (plan, solveSignal) => solve(plan, { timeLimitMs: effectiveTimeLimitMs(plan, work.timeLimits), signal: solveSignal, job: { kind: "digest", solution: withSolutions } }),
        concurrency: pool.stats().size,
        ...(signal === undefined ? {} : { signal }),
      });
      const { outcomes } = result;
      const entry = (summary: object, i: number) => {
        const text = JSON.stringify(summary);
        const solutionJson = outcomes[i]?.solutionJson ?? "";
        return withSolutions && solutionJson !== "" ? appendJsonField(text, "solution", solutionJson) : text;
      };
      const json = `{"base":${entry(result.base, 0)},"scenarios":[${result.scenarios.map((scenario, k) => entry(scenario, k + 1)).join(",")}]}`;
      const all = batchPlans(prepared.batch);
      return {
        status: result.base.status,
        json,
        ...totals(outcomes),
        log: { scenarios: prepared.batch.scenarios.length, customers: all.reduce((s, p) => s + p.customers.length, 0), statuses: result.digests.map((d) => d.status) },
      };
    }
    case "reassign": {
      const prepared = prepareReassignment(work.plan, work);
      if (!prepared.ok) throw new Error(`reassign work was not validated: ${prepared.errors[0]?.path ?? ""}`);
      const { plan } = prepared;
      const timeLimitMs = effectiveTimeLimitMs(plan, work.timeLimits);
      const result = await runReassignment(plan, {
        frontier: work.frontier,
        solve: (p, summaryOnly, solveSignal) => solve(p, { timeLimitMs, signal: solveSignal, job: { kind: "reassign", summaryOnly } }),
        concurrency: pool.stats().size,
        ...(signal === undefined ? {} : { signal }),
      });
      const { main, frontier: points } = result;
      const json = points === null ? result.resultJson : appendJsonField(result.resultJson, "frontier", JSON.stringify(points));
      return {
        status: main.status,
        json,
        ...totals([main]),
        log: {
          customers: plan.customers.length,
          reps: plan.reps.length,
          events: work.events?.length ?? 0,
          maxMoves: prepared.maxMoves,
          frontierPoints: points?.length ?? 0,
          status: main.status,
          deadlineHit: main.deadlineHit,
        },
      };
    }
  }
}
