import type { Solution, SolvePhase, SolveProgress } from "../../models/index.ts";
import { OBJECTIVE_TOLERANCE } from "../numeric/tolerance.ts";
import type { SolverHooks } from "../mip/mip-model.ts";

export interface SolveHookOptions {
  onProgress?: (progress: SolveProgress) => void;
  stopRequested?: () => boolean;
}

/**
 * The caller's live hooks on one solve (SolveOptions.onProgress and stopRequested) as the engine
 * uses them. Progress: a report at each phase change and each improvement of the incumbent (a
 * higher objective) or of the bound (a lower one), whole-plan figures in the plan's own units,
 * synchronously on the solving thread, and a last report with phase "done" and the figures of the
 * returned Solution. The stop request is latched: once the caller says stop, every later question
 * is answered yes without asking again. A hook that throws is dropped (reports stop, a stop check
 * counts as "no"): a faulty observer never changes the answer nor ends the solve with an error.
 * Without hooks every method is a no-op and nothing is installed in a solver.
 */
export class SolveHooks {
  private readonly started: number;
  private onProgress: ((progress: SolveProgress) => void) | undefined;
  private askStop: (() => boolean) | undefined;
  private stopSeen = false;
  private phase: SolvePhase | null = null;
  private objective: number | null = null;
  private bound: number | null = null;
  /** The latched stop request as a polling hook for the search, or undefined when the caller gave none. */
  readonly stopRequested: (() => boolean) | undefined;

  constructor(started: number, options: SolveHookOptions) {
    this.started = started;
    this.onProgress = options.onProgress;
    this.askStop = options.stopRequested;
    this.stopRequested = options.stopRequested === undefined ? undefined : () => this.stopped();
  }

  /** True when the caller wants reports (the structured path then computes whole-plan figures). */
  get reporting(): boolean {
    return this.onProgress !== undefined;
  }

  /** True once the caller has asked to stop (asks now unless it already did). */
  stopped(): boolean {
    if (this.stopSeen || this.askStop === undefined) return this.stopSeen;
    try {
      this.stopSeen = this.askStop() === true;
    } catch {
      this.askStop = undefined;
    }
    return this.stopSeen;
  }

  /** The search entered `phase`: reported when it differs from the current one. */
  enter(phase: SolvePhase): void {
    if (this.onProgress === undefined || phase === this.phase) return;
    this.phase = phase;
    this.emit(phase, this.objective, this.bound, gapOf(this.objective, this.bound));
  }

  /**
   * Whole-plan figures that may be better than the best so far (a null figure is no news): reported
   * when the objective rose or the bound fell, with the best of each.
   */
  improve(objective: number | null, bound: number | null): void {
    if (this.onProgress === undefined) return;
    const better = objective !== null && Number.isFinite(objective) && (this.objective === null || objective > this.objective);
    const tighter = bound !== null && Number.isFinite(bound) && (this.bound === null || bound < this.bound);
    if (!better && !tighter) return;
    if (better) this.objective = objective;
    if (tighter) this.bound = bound;
    this.emit(this.phase ?? "scoring", this.objective, this.bound, gapOf(this.objective, this.bound));
  }

  /** The last report: phase "done" with the returned Solution's objective, bound and gap. */
  finish(solution: Solution): void {
    if (this.onProgress === undefined) return;
    this.phase = "done";
    this.emit("done", solution.objective, solution.bound, solution.gap);
  }

  /** Hooks for a MIP backend on the whole plan (its objective is the plan's), or undefined without any. */
  solverHooks(): SolverHooks | undefined {
    const hooks: SolverHooks = {};
    if (this.onProgress !== undefined) hooks.onProgress = (primal, dual) => this.improve(primal, dual);
    if (this.stopRequested !== undefined) hooks.stopRequested = this.stopRequested;
    return hooks.onProgress === undefined && hooks.stopRequested === undefined ? undefined : hooks;
  }

  /** Only the stop, for solves whose figures are not the plan's (the infeasibility explanation). */
  stopOnly(): SolverHooks | undefined {
    return this.stopRequested === undefined ? undefined : { stopRequested: this.stopRequested };
  }

  private emit(phase: SolvePhase, objective: number | null, bound: number | null, gap: number | null): void {
    const report = this.onProgress;
    if (report === undefined) return;
    try {
      report({ phase, elapsedMs: Math.max(0, performance.now() - this.started), objective, bound, gap });
    } catch {
      this.onProgress = undefined;
    }
  }
}

/** (bound − objective) / max(1, |bound|), as a Solution's gap (float noise below 0 read as 0); null without both. */
function gapOf(objective: number | null, bound: number | null): number | null {
  if (objective === null || bound === null) return null;
  const gap = (bound - objective) / Math.max(1, Math.abs(bound));
  return gap < 0 && gap > -OBJECTIVE_TOLERANCE ? 0 : gap;
}
