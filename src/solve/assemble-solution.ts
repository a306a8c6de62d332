import type {
  Assignment,
  AssignmentExplanation,
  Customer,
  Diagnosis,
  Metrics,
  Plan,
  Rep,
  RepSummary,
  Solution,
  SolutionStatus,
  Verification,
} from "../../models/index.ts";
import { explainAssignments } from "./assignment-explanation.ts";
import { buildConversionModel } from "../plan/conversion-model.ts";
import { buildPairScoreIndex, scorePair, type ScoringContext } from "../plan/expected-value.ts";
import { fairShareWeights } from "../plan/fair-share.ts";
import { softValueBand, valueBandExcess } from "../plan/value-band-excess.ts";
import { gini } from "../numeric/gini.ts";
import { inputHash } from "../numeric/input-hash.ts";
import { classifyMove } from "../verify/move-classification.ts";
import { fitAllowance, OBJECTIVE_TOLERANCE } from "../numeric/tolerance.ts";
import { buildPairRuleContext, isLockedPair, pairBreach, type PairRuleContext } from "../verify/pair-rules.ts";
import { repLoads } from "../verify/rep-loads.ts";
import type { AssignmentPair } from "../verify/verify-assignment.ts";

/**
 * What the caller's verifier found: the plan's recomputed objective (null when no plan is returned)
 * and the answers it rejected. Whether the outcome `passed` follows from the status (see below).
 */
export type VerificationInput = Pick<Verification, "objective" | "rejected">;

export interface AssemblyInput {
  plan: Plan;
  /** Already verified by the caller: an optimal or feasible status means these passed. */
  assignments: readonly AssignmentPair[];
  status: SolutionStatus;
  bound: number | null;
  backend: string;
  version: string;
  nodes?: number;
  timeLimitMs: number;
  mipGap: number;
  diagnosis?: Diagnosis;
  verification: VerificationInput;
  /** Customer id → why it is unassigned. */
  unassignedReasons?: ReadonlyMap<string, string>;
}

/**
 * Gaps this close below zero are float noise: the bound comes from the solver, the objective is
 * recomputed, and the two agree only to the objective's tolerance.
 */
const GAP_NOISE = OBJECTIVE_TOLERANCE;

/**
 * Builds the Solution document from a verified assignment: per-pair components, per-rep summaries and
 * metrics, all in plan order so the output is a pure function of the input.
 */
export function assembleSolution(input: AssemblyInput): Solution {
  const { plan, status } = input;
  const ctx = buildPairRuleContext(plan);
  const scoring: ScoringContext = {
    policy: ctx.policy,
    conversion: buildConversionModel(plan.history),
    pairScores: buildPairScoreIndex(plan.pairs),
  };

  const repOf = new Map<string, Rep>();
  for (const a of input.assignments) {
    const rep = ctx.repById.get(a.rep);
    if (rep !== undefined && ctx.customerById.has(a.customer) && !repOf.has(a.customer)) repOf.set(a.customer, rep);
  }

  const assignments: Omit<Assignment, "explanation">[] = [];
  const chosen: { customer: Customer; rep: Rep; expectedValue: number }[] = [];
  const evByRep = new Map<string, number>();
  const unassignedCustomers: Customer[] = [];
  let expectedValue = 0;
  let moves = 0;
  let forcedMoves = 0;
  for (const c of plan.customers) {
    const rep = repOf.get(c.id);
    const move = classifyMove(ctx, c, rep?.id);
    if (move !== "stay") moves += 1;
    if (move === "forced") forcedMoves += 1;
    if (rep === undefined) {
      unassignedCustomers.push(c);
      continue;
    }
    const { expectedValue: ev, components } = scorePair(scoring, c, rep);
    expectedValue += ev;
    evByRep.set(rep.id, (evByRep.get(rep.id) ?? 0) + ev);
    chosen.push({ customer: c, rep, expectedValue: ev });
    assignments.push({
      customer: c.id,
      rep: rep.id,
      expectedValue: ev,
      components: { ...components },
      locked: isLockedPair(ctx, c.id, rep.id),
      moved: move !== "stay",
    });
  }

  const noPlan = (status === "infeasible" || status === "timeout") && assignments.length === 0;
  const unassigned = unassignedCustomers.map((c) => ({
    customer: c.id,
    reason: input.unassignedReasons?.get(c.id) ?? defaultReason(ctx, plan.reps, c, noPlan ? status : null),
  }));

  const loads = repLoads(ctx, plan.reps, chosen);
  const weights = fairShareWeights(plan.reps);
  const assignedValue = chosen.reduce((sum, p) => sum + p.customer.value, 0);
  const reps: RepSummary[] = plan.reps.map((r, i) => {
    const load = loads[i] ?? { accounts: 0, workload: 0, value: 0 };
    return {
      id: r.id,
      accounts: load.accounts,
      workload: load.workload,
      value: load.value,
      expectedValue: evByRep.get(r.id) ?? 0,
      utilization: utilization(r, load.accounts, load.workload),
      fairShare: r.available === false ? null : (weights[i] ?? 0) * assignedValue,
    };
  });

  // A soft value band: how far outside it each rep is, and what that costs the objective.
  const soft = softValueBand(ctx.policy);
  const excess = valueBandExcess(
    ctx.policy,
    reps.map((s) => s.value),
    weights,
    plan.reps.map((r) => r.available !== false),
    assignedValue,
  );
  if (soft) reps.forEach((summary, i) => (summary.outsideBand = excess.perRep[i] ?? 0));

  let maxValueOverFairShare: number | null = null;
  for (let i = 0; i < reps.length; i++) {
    const share = (weights[i] ?? 0) * assignedValue;
    const value = reps[i]?.value ?? 0;
    if (share > 0) maxValueOverFairShare = Math.max(maxValueOverFairShare ?? -Infinity, value / share);
  }
  const explanations: AssignmentExplanation[] = explainAssignments({
    plan,
    ctx,
    scoring,
    chosen,
    loads,
    fairShare: weights,
    assignedValue,
    assignedCount: chosen.length,
    voluntaryMoves: moves - forcedMoves,
  });
  const explained: Assignment[] = assignments.map((a, i) => ({ ...a, explanation: explanations[i] ?? { runnerUp: null, betterRep: null } }));
  const availableReps = reps.filter((_, i) => plan.reps[i]?.available !== false);
  const metrics: Metrics = {
    expectedValue,
    assigned: assignments.length,
    unassigned: unassigned.length,
    totalValue: plan.customers.reduce((sum, c) => sum + c.value, 0),
    assignedValue,
    moves,
    forcedMoves,
    valueGini: gini(availableReps.map((s) => s.value)),
    countGini: gini(availableReps.map((s) => s.accounts)),
    maxValueOverFairShare,
    ...(soft ? { fairnessPenalty: excess.penalty } : {}),
  };

  const objective = noPlan ? null : expectedValue - excess.penalty;
  let gap: number | null = null;
  if (objective !== null && input.bound !== null) {
    gap = (input.bound - objective) / Math.max(1, Math.abs(input.bound));
    if (gap < 0 && gap > -GAP_NOISE) gap = 0;
  }

  const solution: Solution = {
    status,
    objective,
    bound: input.bound,
    gap,
    assignments: explained,
    unassigned,
    reps,
    metrics,
    verification: verificationOutcome(status, input.verification),
    solver: {
      backend: input.backend,
      version: input.version,
      inputHash: inputHash(plan),
      timeLimitMs: input.timeLimitMs,
      mipGap: input.mipGap,
    },
  };
  if (input.nodes !== undefined) solution.solver.nodes = input.nodes;
  if (input.diagnosis !== undefined) solution.diagnosis = input.diagnosis;
  return solution;
}

/**
 * Only optimal and feasible outcomes return a plan, and only verified plans are returned: they
 * `passed`. Without a plan nothing passed: the verifier `failed` every plan found (rejected), or
 * was `not-run` because no plan was found.
 */
function verificationOutcome(status: SolutionStatus, found: VerificationInput): Verification {
  if (status === "optimal" || status === "feasible") return { passed: true, state: "passed", objective: found.objective, rejected: found.rejected };
  return { passed: false, state: found.rejected.length > 0 ? "failed" : "not-run", objective: null, rejected: found.rejected };
}

/**
 * max(accounts/maxAccounts, workload/maxWorkload) over the limits the rep has; null when it has none.
 * A limit of 0 with no load is 0; a load over a limit of 0 is measured against the verifier's
 * allowance above 0 (1e-6: a huge ratio).
 */
function utilization(r: Rep, accounts: number, workload: number): number | null {
  const ratios: number[] = [];
  if (r.maxAccounts !== undefined) ratios.push(ratio(accounts, r.maxAccounts));
  if (r.maxWorkload !== undefined) ratios.push(ratio(workload, r.maxWorkload));
  return ratios.length === 0 ? null : Math.max(...ratios);
}

function ratio(load: number, limit: number): number {
  if (limit > 0) return load / limit;
  return load <= 0 ? 0 : load / fitAllowance(0);
}

function defaultReason(ctx: PairRuleContext, reps: readonly Rep[], c: Customer, noPlanStatus: SolutionStatus | null): string {
  if (noPlanStatus === "infeasible") return "no feasible plan exists under the policy";
  if (noPlanStatus === "timeout") return "no feasible plan was found within the time limit";
  const kinds = new Map<string, number>();
  for (const r of reps) {
    const breach = pairBreach(ctx, c, r);
    if (breach === null) {
      return "left unassigned by the optimizer: assigning it would break a capacity, fairness or stability limit, or lower the objective";
    }
    kinds.set(breach.kind, (kinds.get(breach.kind) ?? 0) + 1);
  }
  const detail = [...kinds.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([kind, count]) => `${kind} ×${count}`)
    .join(", ");
  return `no eligible rep (rules broken: ${detail})`;
}
