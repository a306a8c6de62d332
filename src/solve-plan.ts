import type { Diagnosis, DiagnosisCause, Plan, Solution, SolutionStatus, Violation } from "../models/index.ts";
import { assembleSolution } from "./assemble-solution.ts";
import { formulate, type ConstraintGroup } from "./formulation.ts";
import { findInfeasibilityCauses } from "./infeasibility-diagnosis.ts";
import type { MipModel, SolverBackend, SolverResult } from "./mip-model.ts";
import { buildPairTable, type PairTable } from "./pair-table.ts";
import { resolvePolicy, type ResolvedPolicy } from "./resolved-policy.ts";
import { getBackend } from "./solver-registry.ts";
import { verifyAssignment, type AssignmentPair } from "./verify-assignment.ts";

export interface SolveOptions {
  /** Overrides policy.solver. */
  solver?: "auto" | "highs" | "jslp";
  /** Overrides policy.timeLimitMs. */
  timeLimitMs?: number;
  /** Overrides policy.mipGap. */
  mipGap?: number;
  /** Replaces a backend (tests use it to feed the engine a solver that lies). */
  backends?: Partial<Record<BackendName, SolverBackend>>;
}

export interface SolveOutcome {
  solution: Solution;
  /** Wall-clock figures, kept out of the Solution so that the same input gives the same bytes. */
  timings: { totalMs: number; solveMs: number };
}

/** Above this many pair variables the pure-JS backend is not tried as a fallback. */
export const JSLP_FALLBACK_MAX_COLUMNS = 2_000;

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
  if (policy.valueBand !== null) groups.push("valueBand");
  if (policy.countBand !== null) groups.push("countBand");
  if (policy.maxMoves !== null) groups.push("maxMoves");
  if (plan.reps.some((r) => (r.minAccounts ?? 0) > 0 && r.available !== false)) groups.push("minAccounts");
  return groups;
}

/**
 * When the solver proves infeasibility and no cheap cause explains it, find which constraint group
 * makes the difference by solving with that group switched off (a deletion filter over groups).
 */
async function explainBySolving(plan: Plan, table: PairTable, policy: ResolvedPolicy, deadline: number): Promise<DiagnosisCause[]> {
  const groups = activeGroups(plan, policy);
  const highs = getBackend("highs");
  const feasibleWithout = async (drop: ConstraintGroup[]): Promise<boolean | null> => {
    const left = deadline - performance.now();
    if (left < 50) return null;
    const result = await highs.solve(formulate(plan, table, policy, new Set(drop)), { timeLimitMs: Math.min(left, 5_000), mipGap: 1 });
    if (result.status === "optimal" || result.status === "feasible") return true;
    return result.status === "infeasible" ? false : null;
  };
  const causes: DiagnosisCause[] = [];
  for (const group of groups) {
    if ((await feasibleWithout([group])) === true) {
      causes.push({ kind: group === "maxMoves" ? "moves" : group === "minAccounts" ? "min-accounts" : "fairness", message: `Without ${GROUP_WORDS[group]} the plan is feasible: that constraint cannot be met together with the others.` });
    }
  }
  if (causes.length > 0) return causes;
  if (groups.length > 1 && (await feasibleWithout(groups)) === true) {
    return [{ kind: "fairness", message: `The plan becomes feasible only when ${groups.map((g) => GROUP_WORDS[g]).join(", ")} are all relaxed: together they conflict with capacity and eligibility.` }];
  }
  return [
    {
      kind: "capacity",
      message:
        "The customers cannot all be packed into the reps' account and workload capacities given who is eligible for whom (no single territory, lock or band explains it). Raise capacities, relax eligibility, or set policy.allowUnassigned.",
    },
  ];
}

function diagnosis(summary: string, causes: DiagnosisCause[]): Diagnosis {
  return { summary, causes };
}

/** Solves a validated plan: formulation, solver, independent verification, assembly. */
export async function solvePlan(plan: Plan, options: SolveOptions = {}): Promise<SolveOutcome> {
  const start = performance.now();
  const base = resolvePolicy(plan.policy);
  const policy: ResolvedPolicy = {
    ...base,
    solver: options.solver ?? base.solver,
    timeLimitMs: options.timeLimitMs ?? base.timeLimitMs,
    mipGap: options.mipGap ?? base.mipGap,
  };
  const deadline = start + policy.timeLimitMs;
  const backendFor = (name: BackendName): SolverBackend => options.backends?.[name] ?? getBackend(name);
  const table = buildPairTable(plan, policy);
  const common = { plan, timeLimitMs: policy.timeLimitMs, mipGap: policy.mipGap };
  const done = (solution: Solution, solveMs: number): SolveOutcome => ({
    solution,
    timings: { totalMs: performance.now() - start, solveMs },
  });

  const causes = findInfeasibilityCauses(plan, table, policy);
  if (causes.length > 0) {
    const solution = assembleSolution({
      ...common,
      assignments: [],
      status: "infeasible",
      bound: null,
      backend: "presolve",
      version: "-",
      diagnosis: diagnosis(`The plan is infeasible: ${causes.length} cause${causes.length > 1 ? "s" : ""} found before solving.`, causes),
      verification: { passed: true, objective: null, rejected: [] },
    });
    return done(solution, 0);
  }

  const model: MipModel = formulate(plan, table, policy);
  const rejected: { backend: string; violations: Violation[] }[] = [];
  let solveMs = 0;
  let infeasibleBy: BackendName | null = null;
  let lastResult: { name: BackendName; result: SolverResult } | null = null;

  for (const name of backendOrder(policy.solver, table.count)) {
    const left = deadline - performance.now();
    if (left <= 0) break;
    const backend = backendFor(name);
    const t = performance.now();
    const result = await backend.solve(model, { timeLimitMs: left, mipGap: policy.mipGap });
    solveMs += performance.now() - t;
    lastResult = { name, result };
    if (result.status === "infeasible") {
      infeasibleBy = name;
      // HiGHS' proof is trusted; the pure-JS backend's claim is confirmed by the next backend.
      if (name === "highs") break;
      continue;
    }
    if ((result.status !== "optimal" && result.status !== "feasible") || result.values === null) continue;
    const assignments = decode(plan, table, result.values);
    const report = verifyAssignment(plan, assignments, result.objective === null ? {} : { claimedObjective: result.objective });
    if (!report.passed) {
      rejected.push({ backend: name, violations: report.violations });
      continue;
    }
    const status: SolutionStatus = result.status;
    const bound = name === "highs" && result.bound !== null ? Math.max(result.bound, report.objective) : null;
    const solution = assembleSolution({
      ...common,
      assignments,
      status,
      bound,
      backend: name,
      version: await backend.version(),
      ...(result.nodes === undefined ? {} : { nodes: result.nodes }),
      verification: { passed: true, objective: report.objective, rejected },
      ...(status === "feasible"
        ? { diagnosis: diagnosis("The time limit ended the search before optimality was proven; the plan is verified and the gap says how far from optimal it can be.", [{ kind: "time-limit", message: `Stopped at the ${policy.timeLimitMs} ms time limit.` }]) }
        : {}),
    });
    return done(solution, solveMs);
  }

  const backendName = lastResult?.name ?? "highs";
  const version = await backendFor(backendName).version();
  const failed = (status: SolutionStatus, d: Diagnosis) =>
    done(
      assembleSolution({
        ...common,
        assignments: [],
        status,
        bound: null,
        backend: backendName,
        version,
        diagnosis: d,
        verification: { passed: rejected.length === 0, objective: null, rejected },
      }),
      solveMs,
    );

  if (infeasibleBy === "highs") {
    const found = await explainBySolving(plan, table, policy, deadline);
    return failed("infeasible", diagnosis("The solver proved that no assignment meets every constraint.", found));
  }
  if (rejected.length > 0) {
    return failed(
      "timeout",
      diagnosis("No verified plan was found: every solver answer failed independent verification and was rejected.", [
        { kind: "verification", message: rejected.map((r) => `${r.backend}: ${r.violations.length} violation(s), first: ${r.violations[0]?.message ?? "?"}`).join("; ") },
      ]),
    );
  }
  const message = lastResult?.result.message;
  return failed(
    "timeout",
    diagnosis(`No feasible plan was found within the ${policy.timeLimitMs} ms time limit.`, [
      { kind: lastResult?.result.status === "error" ? "solver" : "time-limit", message: message ?? `The solver stopped at the time limit without a feasible plan.` },
    ]),
  );
}
