/**
 * How far the structured path may search, counted in work rather than time, so that the same plan
 * and the same time limit give the same answer on a busy and on an idle machine (the promise of
 * docs/decisions.md). A unit of work is about one pair looked at by a kernel (each kernel counts
 * its own inner steps, weighted to cost about the same); the budget of a part is its share of the
 * requested time limit, as a number, turned into units at a fixed rate. The clock is only a hard
 * stop: when it ends a phase before its work is done, the budget records it (`clockCut`), and the
 * answer is reported as stopped by the time limit (it may then differ from run to run). A caller's
 * stop request (a cancelled job) is the other hard stop: polled with the clock, it ends every phase
 * from then on and is recorded as `cancelled`.
 */

/**
 * Work units a part gets per millisecond of its share of the time limit. One unit is about what
 * pricing one pair in a subgradient step costs. Calibrated on the reference machine (2 shared
 * cores) with the benchmark books (bench/bench-books.ts) so that quality matches the time-bounded
 * search it replaced: the 10k × 200 book uses about 6 s of its 10 s (gap 0.40%), while on the
 * 100k × 1k book the budget outlasts the 60 s limit and the clock cuts it (stoppedBy "time-limit",
 * gap 0.23%). A higher rate buys quality at the price of fewer runs that end by work (and so
 * repeat byte for byte); a lower one the reverse.
 */
export const WORK_UNITS_PER_MS = 60_000;

/** What a phase of the search needs: a place to count its work and a way to know when to stop. */
export interface WorkMeter {
  /** Counts `units` of work done. */
  spend(units: number): void;
  /** True when the phase's work is done, or the clock passed the hard stop (recorded as a clock cut). */
  exhausted(): boolean;
  /** Units left in the phase. */
  left(): number;
  /** Milliseconds left before the hard stop (Infinity without one): the time limit of a solver called inside. */
  msLeft(): number;
  /** Records that the clock stopped work before it was done (e.g. a solver called inside hit its time limit). */
  cutByClock(): void;
  /**
   * The caller's stop request as a hook for a solver called inside (true once a stop was requested,
   * which the budget records as `cancelled`); undefined when the caller gave none, so that nothing
   * is installed in the solver.
   */
  stopHook(): (() => boolean) | undefined;
}

/**
 * Calls between two looks at the clock (performance.now() costs more than the work checks), or
 * less when this much work was spent since the last look: one call of a phase on a large part
 * (a subgradient step over 100k × 1k pairs) can take tens of milliseconds, and 16 of them would
 * let the phase overrun the hard stop by most of a second.
 */
const CLOCK_CHECK_CALLS = 16;
const CLOCK_CHECK_UNITS = 1_000_000;

/** A budget of work units with a hard stop on the clock; phases draw on it in order. */
export class WorkBudget implements WorkMeter {
  /** Units available in total. */
  readonly total: number;
  used = 0;
  /** True once the clock has stopped a phase before its work was done. */
  clockCut = false;
  /**
   * True once a step with a time limit of its own (a MIP whose root a node limit does not bound)
   * was stopped by that limit: the answer depends on the clock, as after a cut, though every phase
   * goes on (`stoppedBy: time-limit` all the same).
   */
  clockShaped = false;
  /** True once the caller's stop request has been seen: every phase ends from then on. */
  cancelled = false;
  private stopAt: number;
  private countdown = 0;
  /** Work used at the last look at the clock. */
  private checkedAt = 0;
  private readonly stopRequested: (() => boolean) | undefined;
  private readonly hook: (() => boolean) | undefined;

  /** `stopRequested`: the caller's stop request, polled as often as the clock (every few checks). */
  constructor(total: number, deadline: number, stopRequested?: () => boolean) {
    this.total = total;
    this.stopAt = deadline;
    this.stopRequested = stopRequested;
    this.hook = stopRequested === undefined ? undefined : () => this.pollStop();
  }

  /** performance.now() value at which every phase stops, done or not. */
  get deadline(): number {
    return this.stopAt;
  }

  /**
   * Brings the hard stop forward to `at` (never back): for a search that may use the whole time to
   * find its first plan but must hand over at `at` once it has one (lagrangian-search.ts).
   */
  stopBy(at: number): void {
    this.stopAt = Math.min(this.stopAt, at);
  }

  /** A budget worth `ms` of time limit at WORK_UNITS_PER_MS. */
  static forTime(ms: number, deadline: number, stopRequested?: () => boolean): WorkBudget {
    return new WorkBudget(Math.max(0, Math.floor(ms * WORK_UNITS_PER_MS)), deadline, stopRequested);
  }

  /** A budget with no limit but the clock (tests, and callers that bound the work themselves). */
  static clockOnly(deadline = Infinity): WorkBudget {
    return new WorkBudget(Infinity, deadline);
  }

  spend(units: number): void {
    this.used += units;
  }

  exhausted(): boolean {
    return this.used >= this.total || this.late();
  }

  /** Units left before `share` of the total is used (0 when already past it). */
  left(share = 1): number {
    return Math.max(0, share * this.total - this.used);
  }

  cutByClock(): void {
    this.clockCut = true;
  }

  /**
   * True when the clock has passed the hard stop (recorded as a cut) or the caller asked to stop
   * (recorded as cancelled). Looks at the clock and the request every few calls.
   */
  late(): boolean {
    if (this.clockCut || this.cancelled) return true;
    if (this.deadline === Infinity && this.stopRequested === undefined) return false;
    if (--this.countdown > 0 && this.used - this.checkedAt < CLOCK_CHECK_UNITS) return false;
    this.countdown = CLOCK_CHECK_CALLS;
    this.checkedAt = this.used;
    if (this.pollStop()) return true;
    if (performance.now() <= this.deadline) return false;
    this.clockCut = true;
    return true;
  }

  /** Asks the caller now whether to stop; a yes is recorded (`cancelled`) and kept. */
  pollStop(): boolean {
    if (!this.cancelled && this.stopRequested?.() === true) this.cancelled = true;
    return this.cancelled;
  }

  stopHook(): (() => boolean) | undefined {
    return this.hook;
  }

  /** Milliseconds left before the hard stop (Infinity without one). */
  msLeft(): number {
    return this.deadline === Infinity ? Infinity : this.deadline - performance.now();
  }

  /**
   * A phase that may run until the hard stop whatever work is used (counted all the same): only
   * for phases whose answer depends on the clock already (`clockShaped` recorded).
   */
  untilHardStop(): WorkMeter {
    return this.phase(() => this.late(), this.total);
  }

  /** A phase that may run until `share` of the total is used (work counted here), or the hard stop. */
  until(share: number): WorkMeter {
    const end = share * this.total;
    return this.phase(() => this.used >= end || this.late(), end);
  }

  /** A phase drawing on this budget: its own end (`exhausted`), its work left counted up to `end`. */
  private phase(exhausted: () => boolean, end: number): WorkMeter {
    return {
      spend: (units) => this.spend(units),
      exhausted,
      left: () => Math.max(0, end - this.used),
      msLeft: () => this.msLeft(),
      cutByClock: () => this.cutByClock(),
      stopHook: () => this.hook,
    };
  }
}
