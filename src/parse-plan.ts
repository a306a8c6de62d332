import { Plan, fieldErrors, type FieldError } from "../models/index.ts";

export type ParseResult = { ok: true; plan: Plan } | { ok: false; errors: FieldError[] };

/** Validates an untrusted document as a Plan: every shape and cross-field problem, with paths. */
export function parsePlan(input: unknown): ParseResult {
  const result = Plan.safeParse(input);
  if (result.success) return { ok: true, plan: result.data };
  return { ok: false, errors: fieldErrors(result.error) };
}
