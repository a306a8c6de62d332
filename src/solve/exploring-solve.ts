import type { ExplorationReport, ExploredPair, Plan, Solution, SolutionStatus } from "../../models/index.ts";
import { inputHash } from "../numeric/input-hash.ts";
import { formatNumber } from "../numeric/number-format.ts";
import { GAP_TOLERANCE, relativeGap } from "../numeric/tolerance.ts";
import { buildConversionModel } from "../plan/conversion-model.ts";
import { scorePair, type ScoringContext } from "../plan/expected-value.ts";
import { isExplored, optimisticConversion, optimisticP, resolveExploration, type ResolvedExploration } from "../plan/optimistic-conversion.ts";
import { buildPairTable } from "../plan/pair-table.ts";
import { DEFAULT_TIME_LIMIT_MS, resolvePolicy } from "../plan/resolved-policy.ts";
import { mergeStoppedBy, type StoppedBy } from "../structured/component-result.ts";
import { verifyAssignment, type AssignmentPair } from "../verify/verify-assignment.ts";
import { assembleSolution } from "./assemble-solution.ts";
import type { SolveOptions, SolveOutcome } from "./solve-plan.ts";

/**
 * Cold-start exploration (policy.exploration), around the ordinary solve:
 *
 * 1. The plan without exploration is solved (half the time limit): the best expected value EV*.
 * 2. The same plan is solved again with every eligible pair scored with the optimistic conversion
 *    (plan/optimistic-conversion.ts) for reps below minAttempts in the customer's segment, given as
 *    external pair scores so that the solver, its bound and its verification are the ordinary ones.
 * 3. The exploring assignment is verified against the real plan and scored there with the plain
 *    posterior means. It is returned when it keeps at least (1 − maxShare) × EV*; otherwise the
 *    bonus is halved, then quartered (a sixth of the time limit each), and failing that the plan
 *    without exploration is returned.
 *
 * The returned Solution is assembled for the real plan (its objective is the honest expected value,
 * its bound the plain solve's, so its gap includes what exploring costs) and carries `exploration`.
 */

/** The bonus weights tried, in order, while the cost is over the budget. */
const WEIGHTS = [1, 0.5, 0.25] as const;

type Solve = (plan: Plan, options: SolveOptions) => Promise<SolveOutcome>;

const hasPlan = (status: SolutionStatus) => status === "optimal" || status === "feasible";
const percent = (x: number) => `${formatNumber(100 * x, { decimals: 2 })}%`;

function withoutExploration(plan: Plan): Plan {
  if (plan.policy === undefined) return plan;
  const { exploration: _exploration, ...policy } = plan.policy;
  return { ...plan, policy };
}

/** The plan with every eligible pair listed and scored with the optimistic conversion. */
function exploringPlan(plan: Plan, settings: ResolvedExploration, weight: number): Plan {
  const policy = resolvePolicy(plan.policy);
  const table = buildPairTable(plan, policy);
  const scoring: ScoringContext = { policy, conversion: optimisticConversion(buildConversionModel(plan.history), settings, weight), pairScores: null };
  const pairs = [];
  for (let k = 0; k < table.count; k++) {
    const customer = plan.customers[table.customer[k] ?? -1];
    const rep = plan.reps[table.rep[k] ?? -1];
    if (customer === undefined || rep === undefined) continue;
    const { expectedValue, components } = scorePair(scoring, customer, rep);
    // External scores replace value × conversion × fit − travel; the engine still subtracts penalties.
    pairs.push({ customer: customer.id, rep: rep.id, score: expectedValue + components.penalty, workload: table.workload[k] ?? 0 });
  }
  const { score: _score, ...rest } = plan.policy ?? {};
  return { ...plan, pairs, policy: rest };
}

function explored(plan: Plan, settings: ResolvedExploration, weight: number, chosen: readonly AssignmentPair[], plain: readonly AssignmentPair[]): ExploredPair[] {
  const model = buildConversionModel(plan.history);
  const segmentOf = new Map(plan.customers.map((c) => [c.id, c.segment ?? null] as const));
  const count = (pairs: readonly AssignmentPair[]) => {
    const out = new Map<string, number>();
    for (const p of pairs) {
      const key = JSON.stringify([p.rep, segmentOf.get(p.customer) ?? null]);
      out.set(key, (out.get(key) ?? 0) + 1);
    }
    return out;
  };
  const withIt = count(chosen);
  const without = count(plain);
  const segments = [...new Set(plan.customers.map((c) => c.segment ?? null))].sort((a, b) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
  const out: ExploredPair[] = [];
  for (const rep of plan.reps) {
    for (const segment of segments) {
      const key = JSON.stringify([rep.id, segment]);
      const accounts = withIt.get(key) ?? 0;
      const accountsWithout = without.get(key) ?? 0;
      if (accounts === 0 && accountsWithout === 0) continue;
      const estimate = model.estimate(rep.id, segment ?? undefined);
      if (!isExplored(estimate, settings)) continue;
      out.push({ rep: rep.id, segment, attempts: estimate.attempts, conversion: estimate.p, optimisticConversion: optimisticP(estimate, settings, weight), accounts, accountsWithout });
    }
  }
  return out;
}

export async function solveExploring(plan: Plan, options: SolveOptions, solve: Solve): Promise<SolveOutcome> {
  const start = performance.now();
  const exploration = plan.policy?.exploration;
  if (exploration === undefined) return solve(plan, options);
  const settings = resolveExploration(exploration);
  const timeLimitMs = options.timeLimitMs ?? plan.policy?.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const plainPlan = withoutExploration(plan);
  const hash = inputHash(plan);
  const first = await solve(plainPlan, { ...options, timeLimitMs: Math.max(1, Math.ceil(timeLimitMs / 2)) });
  let solveMs = first.timings.solveMs;
  const plain = first.solution;
  const base: Omit<ExplorationReport, "note"> = {
    applied: false,
    weight: 0,
    ...settings,
    bestExpectedValue: plain.objective,
    expectedValue: plain.objective,
    cost: hasPlan(plain.status) ? 0 : null,
    costShare: hasPlan(plain.status) ? 0 : null,
    explored: [],
  };
  const plainPairs = plain.assignments.map((a) => ({ customer: a.customer, rep: a.rep }));
  const asIs = (note: string, stoppedBy: StoppedBy | undefined = plain.solver.stoppedBy): SolveOutcome => {
    const solver = { ...plain.solver, inputHash: hash, timeLimitMs };
    if (stoppedBy !== undefined) solver.stoppedBy = stoppedBy;
    const report: ExplorationReport = { ...base, explored: hasPlan(plain.status) ? explored(plainPlan, settings, 0, plainPairs, plainPairs) : [], note };
    return { solution: { ...plain, solver, exploration: report }, timings: { totalMs: performance.now() - start, solveMs } };
  };
  if (!hasPlan(plain.status) || plain.objective === null) return asIs("No plan without exploration, so nothing to explore from.");
  if (plan.pairs !== undefined) return asIs("The plan's scores come from `pairs`: there is no conversion estimate to be optimistic about.");
  const model = buildConversionModel(plainPlan.history);
  const cells = plainPlan.customers.some((c) => plainPlan.reps.some((r) => r.available !== false && isExplored(model.estimate(r.id, c.segment), settings)));
  if (!cells) {
    return asIs(model.globalRate === null ? "The plan has no history: conversion is not modelled, so there is nothing to explore." : `Every available rep has at least ${settings.minAttempts} attempts in every segment: nothing to explore.`);
  }

  const best = plain.objective;
  const allowed = settings.maxShare * Math.abs(best);
  const part = Math.max(1, Math.ceil(timeLimitMs / (2 * WEIGHTS.length)));
  let stoppedBy: StoppedBy = plain.solver.stoppedBy ?? "complete";
  const tried: string[] = [];
  for (const weight of WEIGHTS) {
    const outcome = await solve(exploringPlan(plainPlan, settings, weight), { ...options, timeLimitMs: part });
    solveMs += outcome.timings.solveMs;
    stoppedBy = mergeStoppedBy(stoppedBy, outcome.solution.solver.stoppedBy ?? "complete");
    if (!hasPlan(outcome.solution.status)) {
      tried.push(`weight ${weight}: no plan (${outcome.solution.status})`);
      continue;
    }
    const pairs = outcome.solution.assignments.map((a) => ({ customer: a.customer, rep: a.rep }));
    // Never trust a solver: the exploring plan is checked against the real plan and scored there.
    const report = verifyAssignment(plan, pairs);
    if (!report.passed) {
      tried.push(`weight ${weight}: rejected by the verifier`);
      continue;
    }
    const cost = best - report.objective;
    if (cost > allowed) {
      tried.push(`weight ${weight}: would cost ${percent(cost / Math.max(1e-12, Math.abs(best)))}`);
      continue;
    }
    const bound = plain.bound === null ? null : Math.max(plain.bound, report.objective);
    const status: SolutionStatus = bound !== null && relativeGap(bound, report.objective) <= (plain.solver.mipGap ?? 0) + GAP_TOLERANCE ? "optimal" : "feasible";
    const solution: Solution = assembleSolution({
      plan,
      assignments: pairs,
      status,
      bound,
      backend: `exploration over ${outcome.solution.solver.backend}`,
      version: outcome.solution.solver.version,
      timeLimitMs,
      mipGap: plain.solver.mipGap,
      verification: { objective: report.objective, rejected: [] },
    });
    solution.solver.stoppedBy = stoppedBy;
    const costShare = cost / Math.max(1e-12, Math.abs(best));
    solution.exploration = {
      ...base,
      applied: true,
      weight,
      expectedValue: report.objective,
      cost,
      costShare,
      explored: explored(plainPlan, settings, weight, pairs, plainPairs),
      note:
        `Explored with ${weight === 1 ? "the full" : `${weight} of the`} optimism bonus (conversion raised toward the posterior's ${settings.quantile} quantile below ${settings.minAttempts} attempts): ` +
        `it costs ${formatNumber(cost, { decimals: 2 })} of expected value (${percent(costShare)}, within the ${percent(settings.maxShare)} allowed).` +
        (tried.length > 0 ? ` Before: ${tried.join("; ")}.` : ""),
    };
    return { solution, timings: { totalMs: performance.now() - start, solveMs } };
  }
  return asIs(`Not applied: every bonus tried cost more than the ${percent(settings.maxShare)} of expected value allowed (${tried.join("; ")}); the plan is the one without exploration.`, stoppedBy);
}
