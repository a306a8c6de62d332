import { z } from "zod";
import { Plan } from "./plan.ts";
import { Id } from "./primitives.ts";
import { SolutionStatus } from "./solution.ts";

export const EvaluatedPair = z
  .strictObject({
    customer: Id.describe("A customer of the plan."),
    rep: Id.nullable().describe("A rep of the plan, or null for the customer left unassigned."),
  })
  .describe("One decision of the assignment: this customer to that rep (or to nobody).");
export type EvaluatedPair = z.infer<typeof EvaluatedPair>;

/** The key of a plan (and base) the server holds loaded: 64 hex digits. */
export const PlanKey = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "must be the 64 hex digits of a planKey from an earlier evaluation")
  .describe("The `planKey` of an earlier evaluation: the SHA-256 of its plan and base, so the same plan and base give the same key on every instance.");

export const EvaluateRequest = z
  .strictObject({
    plan: Plan.optional().describe("The book and its policy. Exactly one of `plan` and `planKey`."),
    planKey: PlanKey.optional().describe(
      "Instead of `plan` (and `base`): the plan and base of an earlier evaluation, while this server still holds them loaded. When it does not (evicted, or another instance), the answer is a 409 `evaluation-plan-unknown`: send `plan` (and `base`) again.",
    ),
    base: z
      .array(EvaluatedPair)
      .optional()
      .describe("With `plan`: an assignment the changes are made over (e.g. a solve's), each customer at most once; a customer it does not name keeps its currentRep. Default: none (every customer at its currentRep)."),
    assignment: z
      .array(EvaluatedPair)
      .describe("The changes: a full or partial assignment, each customer at most once, over the base. A customer it does not name keeps its base rep (or its currentRep: unassigned without one, or when that rep is not in the plan)."),
    optimum: z
      .boolean()
      .optional()
      .describe("Also solve the plan (within its policy.timeLimitMs, clamped to the server's maximum) and report the value the assignment gives up against the optimum, and which of its choices give up most."),
  })
  .describe("POST /v1/evaluate: a plan (or the key of one the server holds) and an assignment to look at as it stands.");
export type EvaluateRequest = z.infer<typeof EvaluateRequest>;

const Band = z.tuple([z.number(), z.number()]).nullable();

export const RepPicture = z
  .strictObject({
    id: Id,
    accounts: z.int().describe("Customers assigned to the rep."),
    workload: z.number().describe("Σ their workload."),
    value: z.number().describe("Σ their value."),
    expectedValue: z.number().describe("Σ the expected value of the rep's pairs (pairs missing from the plan's `pairs` count 0)."),
    maxAccounts: z.int().nullable().describe("The rep's maxAccounts; null when it has none."),
    minAccounts: z.int().nullable().describe("The rep's minAccounts; null when it has none."),
    maxWorkload: z.number().nullable().describe("The rep's maxWorkload; null when it has none."),
    fairShare: z.number().nullable().describe("The rep's fair share of the assigned value; null for an unavailable rep."),
    valueBand: Band.describe("[lower, upper] value the fairness band allows the rep; null without a value band or for an unavailable rep."),
    countBand: Band.describe("[lower, upper] accounts the count band allows the rep; null without a count band or for an unavailable rep."),
    outsideBand: z.number().describe("Value outside the value band (0 inside it, or without a band)."),
  })
  .describe("One rep's load against its capacity and its fairness band.");
export type RepPicture = z.infer<typeof RepPicture>;

export const BrokenConstraint = z
  .strictObject({
    kind: z.string().describe("The constraint: a pair rule (unavailable, forbidden, not-in-pairs, territory, requires, seniority, distance, rule), missing, lock, max-accounts, min-accounts, max-workload, value-band, count-band or max-moves."),
    message: z.string().describe("What is broken, in words, with the numbers."),
    path: z.string().describe("The field the constraint comes from or the decision that breaks it: `assignment[i]`, `customers[j]`, `reps[k].maxAccounts`, `policy.locks[n]`, `policy.fairness.valueBand`, `policy.stability.maxMoves`…"),
    customers: z.array(Id).describe("The customers involved (for max-moves: the voluntary moves, at most 100)."),
    reps: z.array(Id).describe("The reps involved."),
  })
  .describe("A constraint the assignment breaks.");
export type BrokenConstraint = z.infer<typeof BrokenConstraint>;

export const CostlyChoice = z
  .strictObject({
    customer: Id,
    chosen: Id.nullable().describe("The assignment's rep (null: unassigned)."),
    optimal: Id.nullable().describe("The optimum's rep (null: unassigned)."),
    valueGivenUp: z.number().describe("The optimum's pair value minus the chosen pair's: what this choice gives up taken alone (capacities and bands couple choices, so the figures need not add up to the total)."),
  })
  .describe("A choice that differs from the optimum.");
export type CostlyChoice = z.infer<typeof CostlyChoice>;

export const OptimumComparison = z
  .strictObject({
    status: SolutionStatus.describe("The solve's status: the comparison holds only for optimal or feasible."),
    objective: z.number().nullable().describe("The solve's objective; null when it returned no plan."),
    bound: z.number().nullable().describe("A proven upper bound on any assignment's objective; null when none was proven."),
    valueGivenUp: z.number().nullable().describe("The solve's objective minus the assignment's (≤ 0 only when the assignment is as good); null without a solved plan."),
    valueGivenUpAtMost: z.number().nullable().describe("The bound minus the assignment's objective: the most the assignment can give up against any plan; null without a bound."),
    differingChoices: z.int().describe("Customers whose rep differs from the optimum's."),
    costliest: z.array(CostlyChoice).describe("The differing choices that give up most, largest first (at most 20)."),
  })
  .describe("The assignment against the optimum of the same plan.");
export type OptimumComparison = z.infer<typeof OptimumComparison>;

export const Evaluation = z
  .strictObject({
    planKey: PlanKey.describe("Send it instead of `plan` and `base` in the next requests on the same plan and base: the server keeps the loaded plan, so each answer costs the changes, not the book."),
    feasible: z.boolean().describe("True when the assignment breaks no constraint."),
    objective: z.number().describe("What the solver maximises, for this assignment: Σ expected value less the soft band's penalty."),
    expectedValue: z.number().describe("Σ expected value of the assigned pairs."),
    fairnessPenalty: z.number().describe('With policy.fairness.mode "soft": penalty × Σ value outside the band; else 0.'),
    assigned: z.int(),
    unassigned: z.int(),
    moves: z.int().describe("Customers whose rep differs from their currentRep."),
    voluntaryMoves: z.int().describe("Of those, the ones that could have stayed (counted against policy.stability.maxMoves)."),
    reps: z.array(RepPicture).describe("Every rep, in plan order."),
    broken: z.array(BrokenConstraint).describe("Every constraint the assignment breaks, in a fixed order: pair rules by customer, missing, locks, capacities by rep, bands, moves."),
    optimum: OptimumComparison.nullable().describe("Only with `optimum: true`: the comparison with a solve of the plan."),
  })
  .describe("An assignment as it stands: the verified picture.");
export type Evaluation = z.infer<typeof Evaluation>;

/** An evaluation before the route adds its plan's key. */
export type EvaluationPicture = Omit<Evaluation, "planKey">;
