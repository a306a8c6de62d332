import { z } from "zod";
import { Id, Location, NonNegative } from "./primitives.ts";

export const Rep = z
  .strictObject({
    id: Id.describe("The rep's id, unique in the plan."),
    territories: z.array(z.string()).optional().describe("Territories the rep may work in; absent = everywhere."),
    specialties: z.array(z.string()).optional().describe("What the rep is skilled in: matched against customers' needs (fit) and requires (hard)."),
    seniority: NonNegative.optional().describe("The rep's seniority, checked against policy.seniority rules for high-value accounts."),
    maxAccounts: z.int().min(0).optional().describe("Most customers the rep may take."),
    minAccounts: z.int().min(0).optional().describe("Fewest customers the rep must take (at most maxAccounts)."),
    maxWorkload: NonNegative.optional().describe("Most workload units the rep may take (Σ the customers' workload)."),
    location: Location.optional().describe("Where the rep works from, for travel cost and maxDistanceKm."),
    maxDistanceKm: z.number().positive().optional().describe("Farthest a customer may be from the rep (great-circle km); needs both locations."),
    available: z.boolean().optional().describe("false = on leave or leaving: takes no customers."),
    quota: NonNegative.optional().describe("The won value the rep is expected to reach (in the units of customers' `value`): with `?uncertainty=true` the Solution gives the probability of reaching it."),
  })
  .describe("A sales rep and the limits on what they may take.");
export type Rep = z.infer<typeof Rep>;
