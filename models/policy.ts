import { z } from "zod";
import { Id, NonNegative } from "./primitives.ts";

const PairRef = z.strictObject({ customer: Id, rep: Id });

export const Override = z
  .strictObject({
    customer: Id.describe("The account the planner decided on."),
    rep: Id.describe("The rep it goes to; a \"stays\" override names the customer's currentRep."),
    by: z.string().min(1, "must be a non-empty string").max(128, "must be at most 128 characters").describe("Who decided (a name or user id)."),
    reason: z.string().max(2000, "must be at most 2000 characters").describe("Why, in the planner's words."),
    at: z.iso.datetime({ offset: true }).optional().describe("When it was decided (ISO 8601), if the caller records it."),
  })
  .describe("A planner's manual decision, kept with who and why: solving treats it as a lock (it overrides territory, specialty, seniority and distance rules) and re-optimises the rest; `?advice=overrides` prices it.");
export type Override = z.infer<typeof Override>;

/** Longest accepted rule or score expression, in characters. */
export const EXPRESSION_MAX_LENGTH = 2_000;
const Expression = z.string().max(EXPRESSION_MAX_LENGTH, `an expression may be at most ${EXPRESSION_MAX_LENGTH} characters`);

export const Rule = z
  .strictObject({
    name: z.string().min(1).max(128).describe("The rule's name, unique in the policy."),
    when: Expression.optional().describe("Condition on customer.* and rep.*; absent = always."),
    require: Expression.describe("What must hold for the pair to be eligible."),
  })
  .describe("A planner-defined hard rule: a pair is ineligible when `when` holds and `require` does not.");
export type Rule = z.infer<typeof Rule>;

export const TerritoryMode = z.enum(["hard", "soft", "ignore"]).describe("hard: only reps of the customer's territory; soft: others at policy.territoryPenalty; ignore.");
export const FairnessMode = z
  .enum(["hard", "soft"])
  .describe("hard: every rep's value stays within the value band (a constraint); soft: the band is a goal, value outside it costs policy.fairness.penalty per unit (plans in soft mode are solved by the whole MIP).");
export const SolverChoice = z.enum(["auto", "highs", "jslp"]).describe("auto: the engine chooses by the plan's size (the whole MIP for small plans, the structured path for large ones); highs or jslp: the whole MIP with that backend.");

export const Exploration = z
  .strictObject({
    minAttempts: z.int().min(1).max(1_000_000).optional().describe("A rep is explored in a segment where it has fewer attempts of its own than this; default 20."),
    quantile: z.number().min(0.5).max(0.999).optional().describe("The optimistic conversion of an explored pair is this quantile of its posterior (an upper confidence bound); default 0.9."),
    maxShare: z.number().min(0).max(0.5).optional().describe("Most expected value exploration may cost, as a share of the best plan's; default 0.02 (2%)."),
  })
  .describe(
    "Cold-start exploration: reps with little history in a segment are scored with an optimistic conversion (an upper quantile of their posterior) so that they get accounts to learn from, " +
      "as long as the plan keeps at least 1 − maxShare of the best expected value (the bonus is halved, then quartered, else dropped). The Solution's `exploration` reports the cost.",
  );
export type Exploration = z.infer<typeof Exploration>;

export const Policy = z
  .strictObject({
    territory: TerritoryMode.optional().describe("How customers' territories bind; default hard."),
    territoryPenalty: NonNegative.optional().describe("Subtracted from the value of an out-of-territory pair when territories are soft; default 0."),
    specialtyBonus: NonNegative.optional().describe("fit = 1 + specialtyBonus × the share of the customer's needs the rep covers; default 0.25."),
    travelCostPerKm: NonNegative.optional().describe("travel cost = travelCostPerKm × great-circle km between customer and rep; default 0."),
    fairness: z
      .strictObject({
        valueBand: NonNegative.optional().describe("e.g. 0.2 = each rep's assigned value within ±20% of its fair share."),
        countBand: NonNegative.optional().describe("e.g. 0.2 = each rep's number of accounts within ±20% of its fair share."),
        mode: FairnessMode.optional().describe("How the value band binds; default hard. The count band is always hard."),
        penalty: NonNegative.optional().describe('With mode "soft": subtracted from the objective per unit of value a rep is outside its value band; default 1.'),
      })
      .optional()
      .describe("Bands around each rep's fair share (proportional to its capacity when capacities differ); absent = no band."),
    stability: z
      .strictObject({
        maxMoves: z.int().min(0).optional().describe("Most customers that may leave a current rep who could have kept them (forced moves do not count); absent = unconstrained."),
        movePenalty: NonNegative.optional().describe("Subtracted from the value of every pair that takes a customer away from its currentRep; default 0."),
      })
      .optional()
      .describe("How much the plan may change customers' current reps."),
    seniority: z
      .array(
        z.strictObject({
          minValue: z.number().describe("Accounts worth at least this much…"),
          minSeniority: z.number().describe("…need a rep of at least this seniority."),
        }),
      )
      .optional()
      .describe("Seniority rules (hard): an account needs the highest minSeniority among the rules whose minValue it reaches."),
    locks: z.array(PairRef).optional().describe("Pairs that must be assigned: a lock overrides the territory, specialty, seniority and distance rules."),
    overrides: z.array(Override).optional().describe("The planner's manual decisions, with who and why: each is solved as a lock (see policy.locks); at most one per customer, never against a lock."),
    forbid: z.array(PairRef).optional().describe("Pairs that must not be assigned."),
    allowUnassigned: z.boolean().optional().describe("true = a customer may stay unassigned (listed with a reason) when no rep can take it; default false."),
    timeLimitMs: z.int().positive().optional().describe("The solver's time limit; the service's default when absent, clamped to the server's maximum."),
    mipGap: NonNegative.optional().describe("Relative gap at which a solve counts as optimal; default 1e-4."),
    solver: SolverChoice.optional().describe("Which solver to use; default auto."),
    rules: z.array(Rule).max(200).optional().describe("Planner-defined eligibility rules (hard constraints)."),
    score: Expression.optional().describe("Score expression over value, conversion, fit, distanceKm, travelCost, customer.*, rep.*; replaces value × conversion × fit − travelCost."),
    exploration: Exploration.optional().describe("Cold-start exploration: optimism for reps with little history, within a stated share of expected value; absent = none."),
  })
  .describe("Rules and solver settings. policy.timeLimitMs is clamped to the server's maximum.");
export type Policy = z.infer<typeof Policy>;
