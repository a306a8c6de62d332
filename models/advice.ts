import { z } from "zod";
import { Id, NonNegative } from "./primitives.ts";

/**
 * Advice (`?advice=…` on /v1/solve, `--advice` on the command line): what capacity is worth on a
 * solved plan, the cheapest relaxation of an infeasible one, and the value-vs-band frontier. The
 * request side (`Plan.advice`) only tunes it; the answer is `Solution.advice`. Semantics:
 * docs/advice.md.
 */

export const RelaxationGroup = z
  .enum(["valueBand", "countBand", "maxAccounts", "maxWorkload", "minAccounts", "maxMoves", "territory"])
  .describe(
    "A constraint group a relaxation may loosen: valueBand / countBand (widen policy.fairness.*Band), maxAccounts / maxWorkload (raise a rep's limit), minAccounts (lower a rep's minimum), maxMoves (raise policy.stability.maxMoves), territory (let named customers go to reps outside their territory, with hard territories).",
  );
export type RelaxationGroup = z.infer<typeof RelaxationGroup>;

const Weight = z.number().positive().nullable();

export const RelaxationWeights = z
  .strictObject({
    valueBand: Weight.optional().describe("Cost of widening the value band by one point (0.01); default 1."),
    countBand: Weight.optional().describe("Cost of widening the count band by one point (0.01); default 1."),
    maxAccounts: Weight.optional().describe("Cost of one more account slot for one rep; default 1."),
    maxWorkload: Weight.optional().describe("Cost of one more workload unit for one rep; default 1."),
    minAccounts: Weight.optional().describe("Cost of one account less in one rep's minAccounts; default 1."),
    maxMoves: Weight.optional().describe("Cost of one more move in the move budget; default 1."),
    territory: Weight.optional().describe("Cost of letting one customer go to a rep outside its territory; default 1."),
  })
  .describe("What each unit of change costs in the search for the cheapest relaxation; null = never relax that group.");
export type RelaxationWeights = z.infer<typeof RelaxationWeights>;

export const HireProfile = z
  .strictObject({
    maxAccounts: z.int().min(0).optional().describe("The hire's maxAccounts; default the median rep's."),
    maxWorkload: NonNegative.optional().describe("The hire's maxWorkload; default the median rep's."),
    specialties: z.array(z.string()).optional().describe("The hire's specialties; default the median rep's."),
    seniority: NonNegative.optional().describe("The hire's seniority; default the median rep's."),
  })
  .describe("The rep one more hire would be, per territory: the territory's median rep (by capacity, then id) with these fields replaced; a hire covers only that territory and has no history.");
export type HireProfile = z.infer<typeof HireProfile>;

export const AdviceRequest = z
  .strictObject({
    weights: RelaxationWeights.optional(),
    bandPrecision: z.number().min(0.0001).max(1).optional().describe("Step in which a band relaxation is reported and proven (default 0.01)."),
    hire: HireProfile.optional(),
    bands: z.array(NonNegative).min(1).max(24).optional().describe("Value bands of the value-vs-band frontier; default 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1 and no band."),
  })
  .describe("Settings of the advice (read only when advice is asked for: `?advice=` on /v1/solve, `--advice` on the command line).");
export type AdviceRequest = z.infer<typeof AdviceRequest>;

export const AdviceMethod = z
  .enum(["re-solve", "lp-dual", "lagrangian", "unchanged"])
  .describe(
    "How a figure was obtained. re-solve: the plan with the change solved again; the exact difference lies in [low, high] from both solves' objectives and proven bounds. lp-dual: the LP relaxation's dual prices times the change (indicative: integrality makes duals only a first-order estimate); high is still a proven upper bound (the LP bound of the changed plan at these prices − objective). lagrangian: the same from the Lagrangian multipliers of the structured path (large plans, where the LP is too slow). unchanged: the change leaves every constraint as it was (a rep without that limit, or unavailable), so the value is exactly 0.",
  );
export type AdviceMethod = z.infer<typeof AdviceMethod>;

export const CapacityValue = z
  .strictObject({
    value: z.number().nullable().describe("The best estimate of how much the objective changes; null when none could be made."),
    low: z.number().nullable().describe("Proven: the change in the optimal objective is at least this; null when not proven."),
    high: z.number().nullable().describe("Proven: the change in the optimal objective is at most this; null when not proven."),
    method: AdviceMethod,
    exact: z.boolean().describe("low and high agree (within the objective's tolerance): the value is the exact change."),
    note: z.string().optional().describe("Why a figure is missing or unusual (e.g. the changed plan is infeasible)."),
  })
  .describe("What one change is worth, how it was obtained and how good it is: the true change lies in [low, high].");
export type CapacityValue = z.infer<typeof CapacityValue>;

export const RepCapacityValue = z
  .strictObject({
    rep: Id,
    maxAccounts: z.int().nullable().describe("The rep's maxAccounts (null: no limit)."),
    maxWorkload: z.number().nullable().describe("The rep's maxWorkload (null: no limit)."),
    seat: CapacityValue.describe("Value of maxAccounts + 1."),
    workload: CapacityValue.describe("Value of maxWorkload + 1."),
  })
  .describe("What one more account slot and one more workload unit of one rep are worth.");
export type RepCapacityValue = z.infer<typeof RepCapacityValue>;

export const TerritoryHireValue = z
  .strictObject({
    territory: z.string(),
    like: Id.nullable().describe("The rep whose profile the hire copies (the territory's median rep); null when the territory has no rep."),
    profile: z.strictObject({
      maxAccounts: z.int().nullable(),
      maxWorkload: z.number().nullable(),
      specialties: z.array(z.string()),
      seniority: z.number().nullable(),
    }),
    hire: CapacityValue.describe("Value of one more rep of that profile in the territory."),
  })
  .describe("What one more rep in a territory is worth.");
export type TerritoryHireValue = z.infer<typeof TerritoryHireValue>;

export const CapacityAdvice = z
  .strictObject({
    objective: z.number().describe("The solved plan's objective the figures are changes of."),
    bound: z.number().nullable().describe("Its proven bound."),
    lpBound: z.number().nullable().describe("The LP relaxation's optimum (the dual prices' source); null when not solved."),
    resolved: z.int().describe("Figures obtained by re-solving (the rest come from dual prices)."),
    reps: z.array(RepCapacityValue),
    territories: z.array(TerritoryHireValue),
    notes: z.array(z.string()).describe("How the figures were obtained and what limits them, in words."),
  })
  .describe("What capacity is worth on a solved plan: per rep one more account slot and one more workload unit, per territory one more rep.");
export type CapacityAdvice = z.infer<typeof CapacityAdvice>;

export const RelaxationChange = z
  .strictObject({
    group: RelaxationGroup,
    field: z.string().describe("What changes, as a path into the plan (e.g. `policy.fairness.valueBand`, `reps[4].maxAccounts`, `policy.locks`)."),
    rep: Id.optional(),
    territory: z.string().optional().describe("For territory: the customers' territory."),
    customers: z.array(Id).optional().describe("For territory: the customers allowed out of it."),
    from: z.number().nullable().describe("The value in the plan as given (null for territory)."),
    to: z.number().nullable().describe("The value under the relaxation (null for territory)."),
    amount: z.number().describe("How much it changes: band points × 100, accounts, workload units, moves or customers."),
    message: z.string().describe("The change in the planner's words."),
  })
  .describe("One change of a relaxation.");
export type RelaxationChange = z.infer<typeof RelaxationChange>;

export const RelaxedPlanAnswer = z
  .strictObject({
    meetsPlanAsGiven: z.literal(false).describe("Always false: this plan breaks the plan as given, by the relaxation's changes."),
    status: z.enum(["optimal", "feasible", "infeasible", "timeout"]).describe("The relaxed plan's solve, as Solution.status."),
    objective: z.number().nullable(),
    bound: z.number().nullable(),
    assignments: z.array(z.strictObject({ customer: Id, rep: Id })).describe("Who serves whom under the relaxation, verified against the relaxed plan."),
    unassigned: z.array(Id),
    verified: z.boolean().describe("The assignment passed the independent verifier on the relaxed plan."),
  })
  .describe("The best plan under a relaxation: solved and verified like any plan, but against the relaxed plan, not the plan as given.");
export type RelaxedPlanAnswer = z.infer<typeof RelaxedPlanAnswer>;

export const Relaxation = z
  .strictObject({
    groups: z.array(RelaxationGroup).describe("The groups this relaxation was allowed to loosen."),
    changes: z.array(RelaxationChange),
    cost: z.number().describe("Σ weight × amount of the changes."),
    minimal: z.boolean().describe("True when no cheaper relaxation of these groups exists (the elastic model was solved to optimality, and the band is the smallest at its precision)."),
    message: z.string().describe("The relaxation in words, and whether its minimum is proven."),
    bandProof: z
      .strictObject({
        band: z.number().describe("The band just below the reported one (by bandPrecision)."),
        infeasible: z.boolean().nullable().describe("True: proven infeasible (with the relaxation's other changes); null: the proof ran out of time."),
      })
      .optional()
      .describe("With a band change: the check that the band just below is infeasible."),
    plan: RelaxedPlanAnswer.nullable().describe("The plan under the relaxation; null when there was no time to solve it."),
  })
  .describe("A set of changes that makes an infeasible plan feasible.");
export type Relaxation = z.infer<typeof Relaxation>;

export const RelaxationAdvice = z
  .strictObject({
    weights: z.record(RelaxationGroup, z.number().nullable()).describe("The weights used (null: the group was not relaxed)."),
    bandPrecision: z.number(),
    cheapest: Relaxation.nullable().describe("The cheapest relaxation over every group with a weight; null when none makes the plan feasible (see summary)."),
    alternatives: z.array(Relaxation).describe("For each group that can make the plan feasible on its own, the least change in that group alone."),
    summary: z.string(),
  })
  .describe("The cheapest relaxation of an infeasible plan, from an elastic model: penalised slack on each group the planner may relax.");
export type RelaxationAdvice = z.infer<typeof RelaxationAdvice>;

export const BandFrontierPoint = z
  .strictObject({
    valueBand: z.number().nullable().describe("The value band of this point; null = no band."),
    status: z.enum(["optimal", "feasible", "infeasible", "timeout"]),
    objective: z.number().nullable(),
    maxValueOverFairShare: z.number().nullable().describe("The largest rep value / fair share of the point's plan."),
    costPerPoint: z.number().nullable().describe("Objective gained per point (0.01) of band from the previous point; null at the first point or without both objectives."),
    carriedFrom: z.number().nullable().describe("When this band's own solve came out lower than a narrower band's plan (a time limit or the gap), that narrower band: its plan, feasible here too, is reported."),
  })
  .describe("One point of the value-vs-band frontier.");
export type BandFrontierPoint = z.infer<typeof BandFrontierPoint>;

export const OverrideCost = z
  .strictObject({
    customer: Id,
    rep: Id,
    by: z.string().describe("Who decided (policy.overrides[i].by)."),
    reason: z.string().describe("Why (policy.overrides[i].reason)."),
    kind: z.enum(["stay", "move"]).describe("stay: the override keeps the customer with its currentRep; move: it sends it elsewhere."),
    method: z.literal("re-solve").describe("How the cost was found: the plan solved again without this override (every other override kept)."),
    status: z.enum(["optimal", "feasible", "infeasible", "timeout"]).nullable().describe("The re-solve's status; null when the advice's time ran out before it."),
    cost: z.number().nullable().describe("The re-solve's objective minus the plan's: the value this override costs against the optimum without it (exact within the gap when both solves are optimal); negative when the override frees value (a lock's move is forced and does not use policy.stability.maxMoves); null without both objectives."),
    costAtLeast: z.number().nullable().describe("A proven lower end: the re-solve's objective − the plan's bound; null without both."),
    costAtMost: z.number().nullable().describe("A proven upper end: the re-solve's bound − the plan's objective; null without both."),
  })
  .describe("What one of the planner's overrides costs.");
export type OverrideCost = z.infer<typeof OverrideCost>;

export const Advice = z
  .strictObject({
    capacity: CapacityAdvice.optional().describe("On a solved plan: what capacity is worth."),
    relaxation: RelaxationAdvice.optional().describe("On an infeasible plan: the cheapest relaxation and the plan under it."),
    bandFrontier: z.array(BandFrontierPoint).optional().describe("With `?advice=frontier` (or all): the best objective for each value band, narrowest first."),
    overrides: z.array(OverrideCost).optional().describe("On a solved plan with policy.overrides: each override with its cost, by re-solve."),
    stoppedBy: z.enum(["complete", "time-limit"]).describe("time-limit: the advice's own time (the plan's time limit again) ran out and some figures are missing or less accurate."),
  })
  .describe("Advice no planning tool gives: what capacity is worth, what to relax when a plan is impossible, what each point of fairness costs (docs/advice.md).");
export type Advice = z.infer<typeof Advice>;

export const AdvicePart = z.enum(["capacity", "relaxation", "frontier", "overrides"]).describe("A part of the advice: capacity values, relaxation, band frontier, the cost of each override.");
export type AdvicePart = z.infer<typeof AdvicePart>;
