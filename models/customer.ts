import { z } from "zod";
import { Id, Location, NonNegative } from "./primitives.ts";

export const Customer = z
  .strictObject({
    id: Id.describe("The customer's id, unique in the plan."),
    value: NonNegative.describe("Potential value of the account (e.g. expected annual revenue)."),
    territory: z.string().optional().describe("The territory the account belongs to; with hard territories only reps covering it may take it."),
    segment: z.string().optional().describe("The account's segment: the conversion model reads each rep's history in it."),
    needs: z.array(z.string()).optional().describe("Specialties that make a rep a better fit (soft): the fit multiplier grows with the share a rep covers."),
    requires: z.array(z.string()).optional().describe("Specialties a rep must have (hard)."),
    workload: NonNegative.optional().describe("Effort units this account costs a rep per period; default 1."),
    location: Location.optional().describe("Where the account is, for travel cost and reps' maxDistanceKm."),
    currentRep: Id.optional().describe("The rep who owns the account today (for moves, stability and reassignment)."),
  })
  .describe("An account to assign.");
export type Customer = z.infer<typeof Customer>;
