import { z } from "zod";
import { Id } from "./primitives.ts";

/** Past results of one rep (optionally in one segment), for the conversion model. */
export const Outcome = z
  .strictObject({
    rep: Id,
    segment: z.string().optional(),
    wins: z.int().min(0),
    attempts: z.int().min(0),
  })
  .refine((o) => o.wins <= o.attempts, { message: "wins must not exceed attempts", path: ["wins"] });
export type Outcome = z.infer<typeof Outcome>;
