import { Plan, fieldErrors, type FieldError } from "../../models/index.ts";
import { compilePolicyExpressions } from "../expressions/policy-expressions.ts";

export type ParseResult = { ok: true; plan: Plan } | { ok: false; errors: FieldError[] };

/**
 * Validates an untrusted document as a Plan: every shape and cross-field problem, with paths, and
 * every rule or score expression that does not compile (with the character position).
 */
export function parsePlan(input: unknown): ParseResult {
  const result = Plan.safeParse(input);
  if (!result.success) return { ok: false, errors: fieldErrors(result.error) };
  const expressions = compilePolicyExpressions(result.data.policy);
  if (!expressions.ok) return { ok: false, errors: expressions.errors };
  return { ok: true, plan: result.data };
}
