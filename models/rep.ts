import { z } from "zod";
import { Id, Location, NonNegative } from "./primitives.ts";

export const Rep = z.strictObject({
  id: Id,
  /** Territories the rep may work in; absent = everywhere. */
  territories: z.array(z.string()).optional(),
  specialties: z.array(z.string()).optional(),
  seniority: NonNegative.optional(),
  maxAccounts: z.int().min(0).optional(),
  minAccounts: z.int().min(0).optional(),
  maxWorkload: NonNegative.optional(),
  location: Location.optional(),
  maxDistanceKm: z.number().positive().optional(),
  /** false = on leave or leaving: takes no customers. */
  available: z.boolean().optional(),
});
export type Rep = z.infer<typeof Rep>;
