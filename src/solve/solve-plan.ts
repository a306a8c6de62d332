import type { Diagnosis, DiagnosisCause, Plan, Solution, SolutionStatus, SolveProgress } from "../../models/index.ts";
import { LEGACY_MAX_COLUMNS } from "../structured/algorithm-choice.ts";
import { assembleSolution } from "./assemble-solution.ts";
import { noPlanSolution, type NoPlanReason, type RejectedAnswer } from "./no-plan-solution.ts";
import { buildAssignmentProblem, type AssignmentProblem } from "../structured/assignment-problem.ts";
import { mergeStoppedBy, solveComponent, type ComponentResult, type StoppedBy } from "../structured/component-solver.ts";
import { GAP_TOLERANCE, relativeGap } from "../numeric/tolerance.ts";
import { formulate, type ConstraintGroup } from "../mip/formulation.ts";
import { findInfeasibilityCauses } from "./infeasibility-diagnosis.ts";
import type { MipModel, SolverBackend, SolverResult } from "../mip/mip-model.ts";
import { buildPairTable, StopRequestedError, TimeLimitError, type PairTable } from "../plan/pair-table.ts";
import { canDecompose, componentProblem, findComponents, type Component } from "../structured/plan-components.ts";
import { resolvePolicy, type ResolvedPolicy } from "../plan/resolved-policy.ts";
import { softValueBand } from "../plan/value-band-excess.ts";
import { getBackend } from "../mip/solver-registry.ts";
import { verifyAssignment, type AssignmentPair } from "../verify/verify-assignment.ts";
import { claimedBound, statusQuoWitness, type StatusQuoWitness } from "./status-quo-witness.ts";
import { SolveHooks } from "./solve-hooks.ts";
import { PartsProgress } from "./parts-progress.ts";
import { bestChoiceScores } from "../structured/lagrangian-bound.ts";
import { solveExploring } from "./exploring-solve.ts";

export interface SolveOptions {
  /** Overrides policy.solver. */
  solver?: "auto" | "highs" | "jslp";
  /** Overrides policy.timeLimitMs. */
  timeLimitMs?: number;
  /** Overrides policy.mipGap. */
  mipGap?: number;
  /** Replaces a backend (tests use it to feed the engine a solver that lies). */
  backends?: Partial<Record<BackendName, SolverBackend>>;
  /**
   * Live reports: called at each phase change and each improvement of the incumbent or the bound,
   * in order, on the solving thread (the caller throttles). Reports never change the answer.
   */
  onProgress?: (progress: SolveProgress) => void;
  /**
   * Polled by the search; once it returns true the search ends as at its time limit and returns
   * the best verified plan found so far, with solver.stoppedBy "cancelled".
   */
  stopRequested?: () => boolean;
  /**
   * Threads the solve may use (default 1). With 2 or more, large parts that end with HiGHS run it
   * on a helper thread beside the heuristics (the portfolio): the answer is the same as with one
   * thread unless the clock stopped HiGHS, which the Solution then says (stoppedBy "time-limit").
   */
  threads?: number;
}

export interface SolveOutcome {
  solution: Solution;
  /** Wall-clock figures, kept out of the Solution so that the same input gives the same bytes. */
  timings: { totalMs: number; solveMs: number };
}

/** Above this many pair variables the pure-JS backend is not tried as a fallback. */
export const JSLP_FALLBACK_MAX_COLUMNS = 2_000;

/**
 * Time kept back from the algorithms for verifying and assembling the answer: a fixed part plus a
 * part per customer. The work budget of the structured path is the time limit less
 * RESERVE_* (a number, the same on every machine, so that the answer is too); the hard stop of
 * the search keeps back HARD_RESERVE_*, which must cover what verification and assembly really
 * take: measured on the 2-core machine, 0.44 s at 10k × 200 (44 µs per customer; the explanations
 * and the input hash are most of it) and 2.5 s at 100k × 1k (25 µs per customer).
 */
const RESERVE_FIXED_MS = 50;
const RESERVE_PER_CUSTOMER_MS = 0.03;
const HARD_RESERVE_FIXED_MS = 100;
const HARD_RESERVE_PER_CUSTOMER_MS = 0.05;
/** Above this many eligible pairs an infeasible plan is not re-solved group by group to explain it. */
const EXPLAIN_MAX_COLUMNS = 20_000;

type BackendName = "highs" | "jslp";

function backendOrder(choice: ResolvedPolicy["solver"], columns: number): BackendName[] {
  if (choice === "highs") return ["highs"];
  if (choice === "jslp") return ["jslp", "highs"];
  return columns <= JSLP_FALLBACK_MAX_COLUMNS ? ["highs", "jslp"] : ["highs"];
}

function decode(plan: Plan, table: PairTable, values: Float64Array): AssignmentPair[] {
  const out: AssignmentPair[] = [];
  for (let k = 0; k < table.count; k++) {
    if ((values[k] ?? 0) > 0.5) {
      out.push({ customer: plan.customers[table.customer[k] ?? -1]?.id ?? "", rep: plan.reps[table.rep[k] ?? -1]?.id ?? "" });
    }
  }
  return out;
}

const GROUP_WORDS: Record<ConstraintGroup, string> = {
  valueBand: "the value fairness band (policy.fairness.valueBand)",
  countBand: "the count fairness band (policy.fairness.countBand)",
  maxMoves: "the move budget (policy.stability.maxMoves)",
  minAccounts: "the reps' minAccounts",
};

function activeGroups(plan: Plan, policy: ResolvedPolicy): ConstraintGroup[] {
  const groups: ConstraintGroup[] = [];
  if (policy.valueBand !== null && !softValueBand(policy)) groups.push("valueBand");
  if (policy.countBand !== null) groups.push("countBand");
  if (policy.maxMoves !== null) groups.push("maxMoves");
  if (plan.reps.some((r) => (r.minAccounts ?? 0) > 0 && r.available !== false)) groups.push("minAccounts");
  return groups;
}

/**
 * When the solver proves infeasibility and no cheap cause explains it, find which constraint group
 * makes the difference by solving with that group switched off (a deletion filter over groups).
 * A stop request ends the re-solves (HiGHS interrupted); the causes found so far are kept, and
 * without any the diagnosis says the explanation was stopped (`stopped` tells the caller).
 */
async function explainBySolving(plan: Plan, table: PairTable, policy: ResolvedPolicy, deadline: number, hooks: SolveHooks): Promise<{ causes: DiagnosisCause[]; stopped: boolean }> {
  const groups = activeGroups(plan, policy);
  const highs = getBackend("highs");
  const stopHooks = hooks.stopOnly();
  const feasibleWithout = async (drop: ConstraintGroup[]): Promise<boolean | null> => {
    const left = deadline - performance.now();
    if (left < 50 || hooks.stopped()) return null;
    const result = await highs.solve(formulate(plan, table, policy, new Set(drop)), { timeLimitMs: Math.min(left, 5_000), mipGap: 1, ...(stopHooks === undefined ? {} : { hooks: stopHooks }) });
    if (result.status === "optimal" || result.status === "feasible") return true;
    return result.status === "infeasible" ? false : null;
  };
  const causes: DiagnosisCause[] = [];
  for (const group of groups) {
    if ((await feasibleWithout([group])) === true) {
      causes.push({ kind: group === "maxMoves" ? "moves" : group === "minAccounts" ? "min-accounts" : "fairness", message: `Without ${GROUP_WORDS[group]} the plan is feasible: that constraint cannot be met together with the others.` });
    }
  }
  if (causes.length > 0) return { causes, stopped: hooks.stopped() };
  if (groups.length > 1 && (await feasibleWithout(groups)) === true) {
    return { causes: [{ kind: "fairness", message: `The plan becomes feasible only when ${groups.map((g) => GROUP_WORDS[g]).join(", ")} are all relaxed: together they conflict with capacity and eligibility.` }], stopped: hooks.stopped() };
  }
  if (hooks.stopped()) {
    return {
      causes: [{ kind: "time-limit", message: "The search for the constraints that make the plan infeasible was stopped on request (cancelled) before it named one; the infeasibility itself is proven." }],
      stopped: true,
    };
  }
  return {
    causes: [
      {
        kind: "capacity",
        message:
          "The customers cannot all be packed into the reps' account and workload capacities given who is eligible for whom (no single territory, lock or band explains it). Raise capacities, relax eligibility, or set policy.allowUnassigned.",
      },
    ],
    stopped: false,
  };
}

function diagnosis(summary: string, causes: DiagnosisCause[]): Diagnosis {
  return { summary, causes };
}

/**
 * Solves a validated plan: eligible pairs, cheap infeasibility causes, then by size and structure
 * either the MIP backends on the whole model (small plans, or an explicit `solver`) or the
 * structured path (independent parts, each by network simplex, HiGHS or Lagrangian search), then
 * independent verification and assembly. `timeLimitMs` covers all of it. Progress goes to
 * `options.onProgress` (phases scoring, presolve, mip or structured…, verify, done), and a stop
 * request ends the search as the time limit would, with `solver.stoppedBy` "cancelled".
 */
export async function solvePlan(plan: Plan, options: SolveOptions = {}): Promise<SolveOutcome> {
  // policy.exploration: the plain solve and the exploring ones, each through here (exploring-solve.ts).
  if (plan.policy?.exploration !== undefined) return solveExploring(plan, options, solvePlan);
  const start = performance.now();
  const hooks = new SolveHooks(start, options);
  const base = resolvePolicy(plan.policy);
  const policy: ResolvedPolicy = {
    ...base,
    solver: options.solver ?? base.solver,
    timeLimitMs: options.timeLimitMs ?? base.timeLimitMs,
    mipGap: options.mipGap ?? base.mipGap,
  };
  const deadline = start + policy.timeLimitMs;
  const workDeadline = deadline - HARD_RESERVE_FIXED_MS - HARD_RESERVE_PER_CUSTOMER_MS * plan.customers.length;
  const common = { plan, timeLimitMs: policy.timeLimitMs, mipGap: policy.mipGap };
  // How the search stopped (solver.stoppedBy): the path that solves says; "complete" otherwise.
  const stop: { by: StoppedBy } = { by: "complete" };
  const done = (solution: Solution, solveMs: number): SolveOutcome => {
    const outcome = {
      solution: { ...solution, solver: { ...solution.solver, stoppedBy: stop.by } },
      timings: { totalMs: performance.now() - start, solveMs },
    };
    hooks.finish(outcome.solution);
    return outcome;
  };

  hooks.enter("scoring");
  let table: PairTable;
  try {
    table = buildPairTable(plan, policy, { deadline: workDeadline, ...(hooks.stopRequested === undefined ? {} : { stopRequested: hooks.stopRequested }) });
  } catch (error) {
    if (error instanceof StopRequestedError) {
      stop.by = "cancelled";
      const reason = { kind: "time-limit" as const, summary: "The search was stopped on request (cancelled) before any plan was found.", message: "Stopped on request while the eligible pairs were being scored, before any solving." };
      return done(noPlanSolution({ ...common, backend: "presolve", version: "-", reason }), 0);
    }
    if (!(error instanceof TimeLimitError)) throw error;
    stop.by = "time-limit";
    const message = `The ${policy.timeLimitMs} ms time limit ended while the eligible pairs were being scored, before any solving.`;
    return done(noPlanSolution({ ...common, backend: "presolve", version: "-", reason: { kind: "time-limit", message } }), 0);
  }

  hooks.enter("presolve");
  const causes = findInfeasibilityCauses(plan, table, policy);
  if (causes.length > 0) {
    const summary = `The plan is infeasible: ${causes.length} cause${causes.length > 1 ? "s" : ""} found before solving.`;
    const solution = noPlanSolution({ ...common, backend: "presolve", version: "-", reason: { kind: "infeasible", summary, causes } });
    return done(solution, 0);
  }

  // A soft value band is only in the whole MIP (the structured path's rows are hard): such plans go there whatever their size.
  if (policy.solver !== "auto" || table.count <= LEGACY_MAX_COLUMNS || softValueBand(policy)) {
    return solveWithBackends(plan, table, policy, options, { deadline, done, stop, hooks });
  }
  return solveStructured(plan, table, policy, { deadline, workDeadline, done, stop, hooks, threads: Math.max(1, Math.floor(options.threads ?? 1)) });
}

interface Clock {
  deadline: number;
  done: (solution: Solution, solveMs: number) => SolveOutcome;
  /** Set by the solving path: how its search stopped. */
  stop: { by: StoppedBy };
  /** The caller's progress and stop hooks. */
  hooks: SolveHooks;
}

/** The diagnosis of a verified plan whose optimality was not proven: the time limit, or a stop request, ended the search. */
function unprovenDiagnosis(policy: ResolvedPolicy, cancelled: boolean, withinGap: string, withoutBound: boolean): Diagnosis {
  if (cancelled) {
    return diagnosis(`The search was stopped on request (cancelled) before optimality was proven${withinGap}; the plan is verified and the gap says how far from optimal it can be.`, [
      { kind: "time-limit", message: `Stopped on request before the ${policy.timeLimitMs} ms time limit${withoutBound ? " without a proven bound" : ""}.` },
    ]);
  }
  return diagnosis(`The time limit ended the search before optimality was proven${withinGap}; the plan is verified and the gap says how far from optimal it can be.`, [
    { kind: "time-limit", message: `Stopped at the ${policy.timeLimitMs} ms time limit${withoutBound ? " without a proven bound" : ""}.` },
  ]);
}

/** How a MIP backend stopped: at the gap when optimal, by its time limit when it ended unproven (its only other limit). */
function backendStoppedBy(status: SolverResult["status"]): StoppedBy {
  if (status === "optimal") return "gap";
  return status === "feasible" || status === "timeout" ? "time-limit" : "complete";
}

/** The whole MIP to the backends in order (HiGHS, then jslp as a fallback for small models). */
async function solveWithBackends(plan: Plan, table: PairTable, policy: ResolvedPolicy, options: SolveOptions, clock: Clock): Promise<SolveOutcome> {
  const { deadline, done, hooks } = clock;
  // The model's objective is the plan's (formulation.ts scales rows, never the objective): HiGHS's figures are reported as they are.
  const solverHooks = hooks.solverHooks();
  const backendFor = (name: BackendName): SolverBackend => options.backends?.[name] ?? getBackend(name);
  const common = { plan, timeLimitMs: policy.timeLimitMs, mipGap: policy.mipGap };
  const model: MipModel = formulate(plan, table, policy);
  const rejected: RejectedAnswer[] = [];
  let solveMs = 0;
  let infeasibleBy: BackendName | null = null;
  let lastResult: { name: BackendName; result: SolverResult } | null = null;

  for (const name of backendOrder(policy.solver, table.count)) {
    hooks.enter("mip");
    if (hooks.stopped()) {
      clock.stop.by = "cancelled";
      break;
    }
    const left = deadline - performance.now();
    if (left <= 0) {
      clock.stop.by = "time-limit";
      break;
    }
    const backend = backendFor(name);
    const t = performance.now();
    const result = await backend.solve(model, { timeLimitMs: left, mipGap: policy.mipGap, ...(solverHooks === undefined ? {} : { hooks: solverHooks }) });
    solveMs += performance.now() - t;
    lastResult = { name, result };
    clock.stop.by = backendStoppedBy(result.status);
    // An unfinished answer after a stop request: the request ended it (HiGHS interrupted), not the clock.
    if ((result.status === "feasible" || result.status === "timeout") && hooks.stopped()) clock.stop.by = "cancelled";
    if (result.status === "infeasible") {
      infeasibleBy = name;
      // HiGHS' proof is trusted; the pure-JS backend's claim is confirmed by the next backend.
      if (name === "highs") break;
      continue;
    }
    if ((result.status !== "optimal" && result.status !== "feasible") || result.values === null) continue;
    const assignments = decode(plan, table, result.values);
    hooks.enter("verify");
    // With a soft band the solver's objective charges its excess columns, which need not be tight in an unproven answer: the verifier's own sum is what counts.
    const claim = result.objective === null || softValueBand(policy) ? {} : { claimedObjective: result.objective };
    const report = verifyAssignment(plan, assignments, claim);
    if (!report.passed) {
      rejected.push({ backend: name, violations: report.violations });
      continue;
    }
    const status: SolutionStatus = result.status;
    const bound = name === "highs" && result.bound !== null ? Math.max(result.bound, report.objective) : null;
    const witness = statusQuoWitness(plan, table, claimedBound(status, bound, report.objective, policy.mipGap), name, () => model);
    const solution = assembleSolution({
      ...common,
      assignments,
      status,
      bound,
      backend: name,
      version: await backend.version(),
      ...(result.nodes === undefined ? {} : { nodes: result.nodes }),
      verification: { objective: report.objective, rejected },
      ...(status === "feasible" ? { diagnosis: unprovenDiagnosis(policy, clock.stop.by === "cancelled", "", false) } : {}),
      ...(witness === null ? {} : instead(witness, rejected)),
    });
    return done(solution, solveMs);
  }

  // No plan: a search that ended proven (its answer rejected) ran complete, not to the gap.
  if (clock.stop.by === "gap") clock.stop.by = "complete";
  const backendName = lastResult?.name ?? "highs";
  const version = await backendFor(backendName).version();
  const failed = (reason: NoPlanReason) => done(noPlanSolution({ ...common, backend: backendName, version, reason, rejected }), solveMs);

  if (infeasibleBy === "highs") {
    const found = await explainBySolving(plan, table, policy, deadline, hooks);
    if (found.stopped) clock.stop.by = "cancelled";
    return failed({ kind: "infeasible", summary: "The solver proved that no assignment meets every constraint.", causes: found.causes });
  }
  if (rejected.length > 0) return failed({ kind: "rejected" });
  const last = lastResult?.result;
  if (last?.status === "error" || last?.status === "unbounded") return failed({ kind: "solver-error", message: last.message ?? `The solver answered ${last.status}.` });
  if (clock.stop.by === "cancelled") {
    return failed({ kind: "time-limit", summary: "The search was stopped on request (cancelled) before any plan was found.", message: last === undefined ? "Stopped on request before a solver started." : "The solver was stopped on request before it found a feasible plan." });
  }
  return failed({ kind: "time-limit", message: last?.message ?? (last === undefined ? "The time limit ended before a solver could start." : "The solver stopped at the time limit without a feasible plan.") });
}

/**
 * The structured path: the plan as an assignment problem, split into independent parts when no row
 * couples them, each part solved by the algorithm its structure calls for within its share of the
 * time (parts are solved one after the other: see bench/README.md for why not in parallel), the
 * parts' plans merged and verified as a whole. The bound is the sum of the parts' proven bounds.
 */
async function solveStructured(plan: Plan, table: PairTable, policy: ResolvedPolicy, clock: Clock & { workDeadline: number; threads: number }): Promise<SolveOutcome> {
  const { deadline, workDeadline, done, hooks } = clock;
  const common = { plan, timeLimitMs: policy.timeLimitMs, mipGap: policy.mipGap };
  const solveStart = performance.now();
  hooks.enter("structured");
  const problem = buildAssignmentProblem(plan, table, policy);
  const components: Component[] = canDecompose(problem)
    ? findComponents(problem)
    : [{ customers: problem.customerIndex, reps: problem.repIndex, pairs: problem.pairCount }];

  // Larger parts first; each gets a share of the time left in proportion to its pairs (and at
  // least a little), so that time a small part does not use goes to the ones after it.
  const order = components.map((_, i) => i).sort((a, b) => (components[b]?.pairs ?? 0) - (components[a]?.pairs ?? 0) || a - b);
  const progress = hooks.reporting ? new PartsProgress(hooks, pendingBounds(problem, components, order)) : null;
  const stopRequested = hooks.stopRequested;
  let pairsLeft = problem.pairCount;
  // Each part's work budget: the same shares of the time limit as a number (less the reserve), never
  // of the time measured left, so that the same plan gets the same work on any machine; work a part
  // does not use goes to the next. The part's deadline above is only the hard stop.
  let budgetLeftMs = Math.max(0, policy.timeLimitMs - RESERVE_FIXED_MS - RESERVE_PER_CUSTOMER_MS * plan.customers.length);
  let stoppedBy: StoppedBy | null = null;
  const choice = new Int32Array(plan.customers.length).fill(-1);
  const algorithms = new Set<string>();
  let highsVersion: string | null = null;
  let nodes = 0;
  let bound: number | null = 0;
  let infeasible = false;
  let incomplete = false;
  for (const [position, i] of order.entries()) {
    const component = components[i];
    if (component === undefined) continue;
    if (hooks.stopped()) {
      // Parts not started have no plan: like the clock at the hard stop, the stop leaves none.
      stoppedBy = stoppedBy === null ? "cancelled" : mergeStoppedBy(stoppedBy, "cancelled");
      incomplete = true;
      break;
    }
    hooks.enter("structured");
    const now = performance.now();
    const share = pairsLeft > 0 ? component.pairs / pairsLeft : 1;
    const partDeadline = Math.min(workDeadline, now + Math.max(share * (workDeadline - now), Math.min(50, workDeadline - now)));
    const budgetMs = share * budgetLeftMs;
    pairsLeft -= component.pairs;
    const part: AssignmentProblem = components.length === 1 ? problem : componentProblem(problem, component);
    const result: ComponentResult = await solveComponent(part, {
      deadline: partDeadline,
      mipGap: policy.mipGap,
      budgetMs,
      threads: clock.threads,
      ...(stopRequested === undefined ? {} : { stopRequested }),
      ...(progress === null ? {} : { progress: progress.part(position) }),
    });
    progress?.finished(position, result.choice === null ? null : result.objective, result.bound);
    budgetLeftMs = Math.max(0, budgetLeftMs - Math.min(budgetMs, result.workMs));
    stoppedBy = stoppedBy === null ? result.stoppedBy : mergeStoppedBy(stoppedBy, result.stoppedBy);
    for (const a of result.algorithms) algorithms.add(a);
    if (result.highsVersion !== null) highsVersion = result.highsVersion;
    if (result.nodes !== null) nodes += result.nodes;
    if (result.status === "infeasible") {
      infeasible = true;
      break;
    }
    if (result.choice === null) {
      incomplete = true;
      break;
    }
    bound = bound === null || result.bound === null ? null : bound + result.bound;
    for (let c = 0; c < part.customerCount; c++) {
      const k = result.choice[c] ?? -1;
      choice[part.customerIndex[c] ?? 0] = k < 0 ? -1 : (part.pairIndex[k] ?? -1);
    }
  }
  const solveMs = performance.now() - solveStart;
  clock.stop.by = stoppedBy ?? "complete";
  const used = [...algorithms].join("+") || "presolve";
  const backend = components.length > 1 ? `${used} in ${components.length} parts` : used;
  const version = highsVersion === null ? "allot" : `allot, HiGHS ${highsVersion}`;

  if (infeasible) {
    const found =
      table.count <= EXPLAIN_MAX_COLUMNS
        ? await explainBySolving(plan, table, policy, deadline, hooks)
        : { causes: [{ kind: "capacity" as const, message: "A part of the plan has no assignment that meets its capacities, minAccounts and eligibility together (proved by the network flow or the MIP solver on that part)." }], stopped: false };
    if (found.stopped) clock.stop.by = "cancelled";
    return done(noPlanSolution({ ...common, backend, version, reason: { kind: "infeasible", summary: "The solver proved that no assignment meets every constraint.", causes: found.causes } }), solveMs);
  }
  if (incomplete) {
    const reason =
      clock.stop.by === "cancelled"
        ? { kind: "time-limit" as const, summary: "The search was stopped on request (cancelled) before any plan was found.", message: "The search was stopped on request before it found a plan that meets every constraint." }
        : { kind: "time-limit" as const, message: "The search stopped at the time limit before it found a plan that meets every constraint." };
    return done(noPlanSolution({ ...common, backend, version, reason }), solveMs);
  }

  const assignments = decodeChoice(plan, table, choice);
  hooks.enter("verify");
  const report = verifyAssignment(plan, assignments);
  if (!report.passed) {
    if (clock.stop.by === "gap") clock.stop.by = "complete";
    return done(noPlanSolution({ ...common, backend, version, reason: { kind: "rejected" }, rejected: [{ backend, violations: report.violations }] }), solveMs);
  }
  const proven = bound === null ? null : Math.max(bound, report.objective);
  const optimal = proven !== null && relativeGap(proven, report.objective) <= policy.mipGap + GAP_TOLERANCE;
  const status: SolutionStatus = optimal ? "optimal" : "feasible";
  const witness = statusQuoWitness(plan, table, proven, backend, () => formulate(plan, table, policy));
  const solution = assembleSolution({
    ...common,
    assignments,
    status,
    bound: proven,
    backend,
    version,
    ...(nodes > 0 ? { nodes } : {}),
    verification: { objective: report.objective, rejected: [] },
    ...(status === "feasible" ? { diagnosis: unprovenDiagnosis(policy, clock.stop.by === "cancelled", " within the requested gap", proven === null) } : {}),
    ...(witness === null ? {} : instead(witness, [])),
  });
  return done(solution, solveMs);
}

/** What the solution says instead when the current book disproved the solver's bound (status-quo-witness.ts). */
function instead(witness: StatusQuoWitness, rejected: RejectedAnswer[]) {
  return { assignments: witness.assignments, status: "feasible" as const, bound: null, verification: { objective: witness.objective, rejected }, diagnosis: witness.diagnosis };
}

/**
 * For the progress of the structured path, per part in solving order: a sound bound before the part
 * is searched (the sum of its customers' best pair scores), or null when it has none.
 */
function pendingBounds(problem: AssignmentProblem, components: readonly Component[], order: readonly number[]): (number | null)[] {
  const best = bestChoiceScores(problem);
  return order.map((i) => {
    let sum = 0;
    for (const c of components[i]?.customers ?? []) sum += best[c] ?? 0;
    return Number.isFinite(sum) ? sum : null;
  });
}

function decodeChoice(plan: Plan, table: PairTable, choice: Int32Array): AssignmentPair[] {
  const out: AssignmentPair[] = [];
  choice.forEach((k, c) => {
    if (k < 0) return;
    out.push({ customer: plan.customers[c]?.id ?? "", rep: plan.reps[table.rep[k] ?? -1]?.id ?? "" });
  });
  return out;
}
