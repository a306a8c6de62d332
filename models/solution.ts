import { z } from "zod";
import { AssignmentExplanation } from "./assignment-explanation.ts";
import { BaselineComparison } from "./baseline-comparison.ts";
import { Id } from "./primitives.ts";

export const SolutionStatus = z.enum(["optimal", "feasible", "infeasible", "timeout"]);
export type SolutionStatus = z.infer<typeof SolutionStatus>;

/** Why the pair's expected value is what it is. */
export const ScoreComponents = z.strictObject({
  /** The customer's value. */
  value: z.number(),
  /** p(convert | rep, segment); null when the score came from `pairs`. */
  conversion: z.number().nullable(),
  /** Credible interval of the conversion estimate (90%); null when not modelled. */
  conversionInterval: z.tuple([z.number(), z.number()]).nullable(),
  /** Specialty fit multiplier; null when the score came from `pairs`. */
  fit: z.number().nullable(),
  distanceKm: z.number().nullable(),
  travelCost: z.number(),
  /** Soft-territory and move penalties. */
  penalty: z.number(),
  /** Where the score came from: the built-in model, the caller's `pairs`, or `policy.score`. */
  source: z.enum(["model", "pairs", "expression"]),
  /** With `policy.score`: the expression and the value it gave, before penalties. */
  expression: z.string().optional(),
  score: z.number().optional(),
});
export type ScoreComponents = z.infer<typeof ScoreComponents>;

export const Assignment = z.strictObject({
  customer: Id,
  rep: Id,
  /** The pair's objective term: score or expected value, minus penalties. */
  expectedValue: z.number(),
  components: ScoreComponents,
  locked: z.boolean(),
  moved: z.boolean(),
  /** The runner-up rep and what kept a better-scoring rep from getting the customer. */
  explanation: AssignmentExplanation,
});
export type Assignment = z.infer<typeof Assignment>;

export const Unassigned = z.strictObject({ customer: Id, reason: z.string() });

export const RepSummary = z.strictObject({
  id: Id,
  accounts: z.int(),
  workload: z.number(),
  value: z.number(),
  expectedValue: z.number(),
  /** Highest of accounts/maxAccounts and workload/maxWorkload; null when the rep has no capacity limit. */
  utilization: z.number().nullable(),
  /** The rep's fair share of the assigned value (proportional to capacity). */
  fairShare: z.number().nullable(),
});
export type RepSummary = z.infer<typeof RepSummary>;

export const Metrics = z.strictObject({
  expectedValue: z.number(),
  assigned: z.int(),
  unassigned: z.int(),
  totalValue: z.number(),
  assignedValue: z.number(),
  /** Customers whose rep differs from `currentRep` (including unassigned ones). */
  moves: z.int(),
  /** Of those, the ones that had to move (their current rep can no longer hold them). */
  forcedMoves: z.int(),
  valueGini: z.number(),
  countGini: z.number(),
  /** Largest ratio of a rep's assigned value to its fair share (1 = exactly fair). */
  maxValueOverFairShare: z.number().nullable(),
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
});
export type Diagnosis = z.infer<typeof Diagnosis>;

export const Violation = z.strictObject({
  kind: z.string(),
  message: z.string(),
  customer: Id.optional(),
  rep: Id.optional(),
});
export type Violation = z.infer<typeof Violation>;

export const Verification = z.strictObject({
  /** True when the returned plan passed every check; always true for optimal/feasible. */
  passed: z.boolean(),
  /** Objective recomputed from the data by the verifier. */
  objective: z.number().nullable(),
  /** Solver answers that failed verification and were not returned. */
  rejected: z.array(z.strictObject({ backend: z.string(), violations: z.array(Violation) })),
});
export type Verification = z.infer<typeof Verification>;

export const SolverInfo = z.strictObject({
  backend: z.string(),
  version: z.string(),
  nodes: z.int().optional(),
  /** sha256 of the canonical JSON of the plan. */
  inputHash: z.string(),
  timeLimitMs: z.int(),
  mipGap: z.number(),
  stoppedBy: z
    .enum(["gap", "complete", "time-limit"])
    .optional()
    .describe(
      'How the search ended. "gap": the proven gap reached mipGap. "complete": every phase ran to its end or its work budget out (budgets are derived from the plan\'s size and timeLimitMs, never from measured speed), so the same plan and options give the same Solution. "time-limit": the clock cut the search short, so the answer may differ from run to run. Absent on a Solution the service made without the solver (backend "deadline").',
    ),
});

export const Solution = z.strictObject({
  status: SolutionStatus,
  objective: z.number().nullable(),
  bound: z.number().nullable(),
  gap: z.number().nullable(),
  assignments: z.array(Assignment),
  unassigned: z.array(Unassigned),
  reps: z.array(RepSummary),
  metrics: Metrics,
  diagnosis: Diagnosis.optional(),
  verification: Verification,
  solver: SolverInfo,
  /** Only with `?compare=…` on /v1/solve: the classic methods applied to the same plan. */
  comparison: BaselineComparison.optional(),
});
export type Solution = z.infer<typeof Solution>;
