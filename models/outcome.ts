import { z } from "zod";
import { Id } from "./primitives.ts";

export const Outcome = z
  .strictObject({
    rep: Id.describe("The rep these results are of."),
    segment: z.string().optional().describe("The segment these results are in; absent = not broken down by segment."),
    wins: z.int().min(0).describe("Deals won (at most attempts)."),
    attempts: z.int().min(0).describe("Deals attempted."),
  })
  .refine((o) => o.wins <= o.attempts, { message: "wins must not exceed attempts", path: ["wins"] })
  .describe("Past results of one rep (optionally in one segment), for the conversion model. wins ≤ attempts.");
export type Outcome = z.infer<typeof Outcome>;
