import { z } from "zod";

/** True when a text has no NUL character (U+0000), which no database text column can hold. */
export const hasNoNul = (text: string) => !text.includes("\u0000");
export const NO_NUL_MESSAGE = "must not contain the NUL character (U+0000)";

export const Id = z
  .string()
  .min(1, "must be a non-empty string")
  .max(128, "must be at most 128 characters")
  .refine(hasNoNul, NO_NUL_MESSAGE)
  .describe("A caller-supplied identifier: non-empty, at most 128 characters, no NUL character.");

/** A finite number (zod rejects NaN and ±Infinity). */
export const FiniteNumber = z.number();
export const NonNegative = z.number().min(0);

export const Location = z
  .strictObject({
    lat: z.number().min(-90).max(90).describe("Latitude in degrees."),
    lon: z.number().min(-180).max(180).describe("Longitude in degrees."),
  })
  .describe("WGS84 coordinates.");
export type Location = z.infer<typeof Location>;
