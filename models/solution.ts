import { z } from "zod";
import { Advice } from "./advice.ts";
import { AssignmentExplanation } from "./assignment-explanation.ts";
import { BaselineComparison } from "./baseline-comparison.ts";
import { ExplorationReport } from "./exploration-report.ts";
import { Id } from "./primitives.ts";
import { SolutionUncertainty } from "./won-value-uncertainty.ts";

export const SolutionStatus = z.enum(["optimal", "feasible", "infeasible", "timeout"]).describe("optimal: proven within mipGap; feasible: a verified plan not proven optimal (e.g. the time limit stopped the search); infeasible: no plan exists (see diagnosis); timeout: no verified plan is returned — the time limit came first, the solver failed, or every plan found failed verification (diagnosis and verification.state say which).");
export type SolutionStatus = z.infer<typeof SolutionStatus>;

export const ScoreComponents = z.strictObject({
  value: z.number().describe("The customer's value."),
  conversion: z.number().nullable().describe("p(convert | rep, segment); null when the score came from `pairs`."),
  conversionInterval: z.tuple([z.number(), z.number()]).nullable().describe("Credible interval of the conversion estimate (90%); null when not modelled."),
  fit: z.number().nullable().describe("Specialty fit multiplier; null when the score came from `pairs`."),
  distanceKm: z.number().nullable().describe("Great-circle km between customer and rep; null without both locations."),
  travelCost: z.number().describe("policy.travelCostPerKm × distanceKm (0 when the score came from `pairs`)."),
  penalty: z.number().describe("Soft-territory and move penalties."),
  source: z.enum(["model", "pairs", "expression"]).describe("Where the score came from: the built-in model, the caller's `pairs`, or `policy.score`."),
  expression: z.string().optional().describe("With `policy.score`: the expression…"),
  score: z.number().optional().describe("…and the value it gave, before penalties."),
}).describe("Why the pair's expected value is what it is.");
export type ScoreComponents = z.infer<typeof ScoreComponents>;

export const Assignment = z.strictObject({
  customer: Id,
  rep: Id,
  expectedValue: z.number().describe("The pair's objective term: score or expected value, minus penalties."),
  components: ScoreComponents,
  locked: z.boolean().describe("The pair is one of policy.locks."),
  moved: z.boolean().describe("The customer changed hands: its rep differs from its currentRep."),
  explanation: AssignmentExplanation.describe("The runner-up rep and what kept a better-scoring rep from getting the customer."),
});
export type Assignment = z.infer<typeof Assignment>;

export const Unassigned = z.strictObject({ customer: Id, reason: z.string().describe("Why no rep took the customer.") });

export const RepSummary = z.strictObject({
  id: Id,
  accounts: z.int().describe("Customers assigned to the rep."),
  workload: z.number().describe("Σ their workload."),
  value: z.number().describe("Σ their value."),
  expectedValue: z.number().describe("Σ the expected value of the rep's pairs."),
  utilization: z.number().nullable().describe("Highest of accounts/maxAccounts and workload/maxWorkload; null when the rep has no capacity limit."),
  fairShare: z.number().nullable().describe("The rep's fair share of the assigned value (proportional to capacity)."),
  outsideBand: z.number().optional().describe('Only with policy.fairness.mode "soft": how much value the rep has outside its value band (0 inside it).'),
});
export type RepSummary = z.infer<typeof RepSummary>;

export const Metrics = z.strictObject({
  expectedValue: z.number().describe("Σ expected value of the assignments."),
  assigned: z.int(),
  unassigned: z.int(),
  totalValue: z.number().describe("Σ value of every customer."),
  assignedValue: z.number().describe("Σ value of the assigned customers."),
  moves: z.int().describe("Customers whose rep differs from `currentRep` (including unassigned ones)."),
  forcedMoves: z.int().describe("Of those, the ones that had to move (their current rep can no longer hold them)."),
  valueGini: z.number().describe("Gini coefficient of the available reps' assigned value (0 = equal)."),
  countGini: z.number().describe("Gini coefficient of the available reps' account counts (0 = equal)."),
  maxValueOverFairShare: z.number().nullable().describe("Largest ratio of a rep's assigned value to its fair share (1 = exactly fair)."),
  fairnessPenalty: z.number().optional().describe('Only with policy.fairness.mode "soft": penalty × Σ value outside the band, subtracted from expectedValue to give the objective.'),
});
export type Metrics = z.infer<typeof Metrics>;

export const DiagnosisCause = z.strictObject({
  kind: z.enum([
    "capacity",
    "no-eligible-rep",
    "territory-capacity",
    "fairness",
    "locks",
    "min-accounts",
    "moves",
    "solver",
    "verification",
    "time-limit",
  ]),
  message: z.string(),
  customers: z.array(Id).optional(),
  reps: z.array(Id).optional(),
  territory: z.string().optional(),
});
export type DiagnosisCause = z.infer<typeof DiagnosisCause>;

export const Diagnosis = z.strictObject({
  summary: z.string(),
  causes: z.array(DiagnosisCause),
}).describe("Why a plan is infeasible or was stopped by a time limit.");
export type Diagnosis = z.infer<typeof Diagnosis>;

export const Violation = z.strictObject({
  kind: z.string(),
  message: z.string(),
  customer: Id.optional(),
  rep: Id.optional(),
});
export type Violation = z.infer<typeof Violation>;

export const Verification = z.strictObject({
  passed: z.boolean().describe("True only when a plan is returned and it passed every check (optimal/feasible); false when no plan is returned."),
  state: z
    .enum(["passed", "failed", "not-run"])
    .describe(
      'What the independent verifier found: "passed" = the returned plan passed every check; "failed" = no plan is returned because every plan found failed verification (listed in rejected); "not-run" = no plan was found, so nothing was verified.',
    ),
  objective: z.number().nullable().describe("Objective recomputed from the data by the verifier."),
  rejected: z.array(z.strictObject({ backend: z.string(), violations: z.array(Violation) })).describe("Solver answers that failed verification and were not returned."),
});
export type Verification = z.infer<typeof Verification>;

export const SolverInfo = z.strictObject({
  backend: z.string().describe('Which solver answered; "deadline" means the service stopped a solve that outlived its hard deadline.'),
  version: z.string(),
  nodes: z.int().optional(),
  inputHash: z.string().describe("sha256 of the canonical JSON of the plan."),
  timeLimitMs: z.int(),
  mipGap: z.number(),
  stoppedBy: z
    .enum(["gap", "complete", "time-limit", "cancelled"])
    .optional()
    .describe(
      'How the search ended. "gap": the proven gap reached mipGap. "complete": every phase ran to its end or its work budget out (budgets are derived from the plan\'s size and timeLimitMs, never from measured speed), so the same plan and options give the same Solution. "time-limit": the clock cut the search short, so the answer may differ from run to run. "cancelled": the caller stopped the search (DELETE /v1/jobs/{id}) and this is the best verified plan found by then. Absent on a Solution the service made without the solver (backend "deadline").',
    ),
});

export const Solution = z.strictObject({
  status: SolutionStatus,
  objective: z.number().nullable().describe('Σ expected value of the assignments (what is maximised), less metrics.fairnessPenalty with policy.fairness.mode "soft"; null without a plan.'),
  bound: z.number().nullable().describe("A proven upper bound on the objective; null when none was proven."),
  gap: z.number().nullable().describe("(bound − objective) / max(1, |bound|); null without both."),
  assignments: z.array(Assignment).describe("Who serves whom, in plan order of the customers."),
  unassigned: z.array(Unassigned).describe("Customers left without a rep (only with policy.allowUnassigned, or without a plan), each with a reason."),
  reps: z.array(RepSummary),
  metrics: Metrics,
  diagnosis: Diagnosis.optional(),
  verification: Verification,
  solver: SolverInfo,
  comparison: BaselineComparison.optional().describe("Only with `?compare=…` on /v1/solve: the classic methods applied to the same plan."),
  advice: Advice.optional().describe("Only with `?advice=…` on /v1/solve (or `--advice`): capacity values, the cheapest relaxation, the band frontier."),
  exploration: ExplorationReport.optional().describe("Only with policy.exploration: its cost in expected value and the reps it explored."),
  uncertainty: SolutionUncertainty.optional().describe("Only with `?uncertainty=true` on /v1/solve: percentiles of each rep's won value and its chance of making quota."),
}).describe("A verified solution: the same plan gives the same bytes unless a time limit stopped the search.");
export type Solution = z.infer<typeof Solution>;
