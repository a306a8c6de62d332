import { z } from "zod";
import { Customer } from "./customer.ts";
import { Outcome } from "./outcome.ts";
import { Override, Policy, Rule, SolverChoice, TerritoryMode } from "./policy.ts";
import { Id, Location, NonNegative } from "./primitives.ts";
import { Rep } from "./rep.ts";

/**
 * What-if changes to a plan (scenarios) and events (reassignment). A patch (`set`, `policy`) gives
 * the fields to change: a value replaces the field, `null` removes it (e.g. `maxAccounts: null`
 * lifts the limit), an absent key leaves it as it is.
 */

const PairRef = z.strictObject({ customer: Id, rep: Id });

export const RepPatch = z
  .strictObject({
    territories: z.array(z.string()).nullable().optional(),
    specialties: z.array(z.string()).nullable().optional(),
    seniority: NonNegative.nullable().optional(),
    maxAccounts: z.int().min(0).nullable().optional(),
    minAccounts: z.int().min(0).nullable().optional(),
    maxWorkload: NonNegative.nullable().optional(),
    location: Location.nullable().optional(),
    maxDistanceKm: z.number().positive().nullable().optional(),
    available: z.boolean().nullable().optional(),
    quota: NonNegative.nullable().optional(),
  })
  .describe("Fields of a Rep to change (not `id`): a value replaces the field, null removes it (e.g. maxAccounts: null lifts the limit), an absent key keeps it.");
export type RepPatch = z.infer<typeof RepPatch>;

export const CustomerPatch = z
  .strictObject({
    value: NonNegative.optional(),
    territory: z.string().nullable().optional(),
    segment: z.string().nullable().optional(),
    needs: z.array(z.string()).nullable().optional(),
    requires: z.array(z.string()).nullable().optional(),
    workload: NonNegative.nullable().optional(),
    location: Location.nullable().optional(),
    currentRep: Id.nullable().optional(),
  })
  .describe("Fields of a Customer to change (not `id`; `value` cannot be removed): a value replaces the field, null removes it, an absent key keeps it.");
export type CustomerPatch = z.infer<typeof CustomerPatch>;

export const PolicyPatch = z
  .strictObject({
    territory: TerritoryMode.nullable().optional(),
    territoryPenalty: NonNegative.nullable().optional(),
    specialtyBonus: NonNegative.nullable().optional(),
    travelCostPerKm: NonNegative.nullable().optional(),
    fairness: z
      .strictObject({ valueBand: NonNegative.nullable().optional(), countBand: NonNegative.nullable().optional() })
      .nullable()
      .optional(),
    stability: z
      .strictObject({ maxMoves: z.int().min(0).nullable().optional(), movePenalty: NonNegative.nullable().optional() })
      .nullable()
      .optional(),
    seniority: z.array(z.strictObject({ minValue: z.number(), minSeniority: z.number() })).nullable().optional(),
    locks: z.array(PairRef).nullable().optional(),
    overrides: z.array(Override).nullable().optional(),
    forbid: z.array(PairRef).nullable().optional(),
    allowUnassigned: z.boolean().nullable().optional(),
    timeLimitMs: z.int().positive().nullable().optional(),
    mipGap: NonNegative.nullable().optional(),
    solver: SolverChoice.nullable().optional(),
    rules: z.array(Rule).max(200).nullable().optional(),
    score: Policy.shape.score.unwrap().nullable().optional(),
    exploration: Policy.shape.exploration.unwrap().nullable().optional(),
  })
  .describe("Policy fields to change: a value replaces the field, null removes it; fairness and stability are merged key by key, other keys are replaced.");
export type PolicyPatch = z.infer<typeof PolicyPatch>;

export const RemoveRepChange = z
  .strictObject({ op: z.literal("removeRep"), rep: Id })
  .describe("The rep leaves: it stays in the plan as unavailable (its history still counts), takes no customers from now on, and its customers must move; locks to it are dropped.");
export const AddRepChange = z.strictObject({ op: z.literal("addRep"), rep: Rep }).describe("A new rep joins.");
export const UpdateRepChange = z.strictObject({ op: z.literal("updateRep"), rep: Id, set: RepPatch }).describe("Changes some fields of a rep.");
export const AddCustomersChange = z.strictObject({ op: z.literal("addCustomers"), customers: z.array(Customer).min(1) }).describe("New customers join the book.");
export const RemoveCustomersChange = z
  .strictObject({ op: z.literal("removeCustomers"), customers: z.array(Id).min(1) })
  .describe("Customers leave the book; their pairs, locks and forbids go too.");
export const UpdateCustomerChange = z.strictObject({ op: z.literal("updateCustomer"), customer: Id, set: CustomerPatch }).describe("Changes some fields of a customer.");
export const ScaleValuesChange = z
  .strictObject({
    op: z.literal("scaleValues"),
    factor: NonNegative.describe("What each matching customer's value is multiplied by."),
    territory: z.string().optional().describe("Only customers of this territory."),
    segment: z.string().optional().describe("Only customers of this segment."),
  })
  .describe("Multiplies the `value` of every customer that matches the filters (all customers when none is given), not external pair scores; a filter matching no customer is a 422.");
export const UpdateHistoryChange = z
  .strictObject({
    op: z.literal("updateHistory"),
    add: z.array(Outcome).describe("Results to add to the history (e.g. the outcomes recorded since the plan)."),
    resetReps: z.array(Id).optional().describe("Reps whose history from before is dropped first: their old results no longer describe them (e.g. a drift alert)."),
  })
  .describe("New results join the conversion history; the earlier history of the reps in resetReps is dropped first. Every rep named must be in the plan.");
export const SetPolicyChange = z.strictObject({ op: z.literal("setPolicy"), policy: PolicyPatch }).describe("Changes some policy fields.");

export const Change = z
  .discriminatedUnion("op", [
    RemoveRepChange,
    AddRepChange,
    UpdateRepChange,
    AddCustomersChange,
    RemoveCustomersChange,
    UpdateCustomerChange,
    ScaleValuesChange,
    SetPolicyChange,
    UpdateHistoryChange,
  ])
  .describe("One change to a plan, applied in order. An id that does not exist at that point of the list is a 422 naming the change's path.");
export type Change = z.infer<typeof Change>;
