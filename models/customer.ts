import { z } from "zod";
import { Id, Location, NonNegative } from "./primitives.ts";

export const Customer = z.strictObject({
  id: Id,
  /** Potential value of the account (e.g. expected annual revenue). */
  value: NonNegative,
  territory: z.string().optional(),
  segment: z.string().optional(),
  /** Specialties that make a rep a better fit (soft). */
  needs: z.array(z.string()).optional(),
  /** Specialties a rep must have (hard). */
  requires: z.array(z.string()).optional(),
  /** Effort units this account costs a rep per period; default 1. */
  workload: NonNegative.optional(),
  location: Location.optional(),
  /** The rep who owns the account today. */
  currentRep: Id.optional(),
});
export type Customer = z.infer<typeof Customer>;
