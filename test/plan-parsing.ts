import type { FieldError, Plan } from "../models/index.ts";
import { parsePlan } from "../src/plan/parse-plan.ts";

/** The plan, validated as the API and the CLI validate it (expressions compiled too); throws if invalid. */
export function validPlan(input: unknown): Plan {
  const result = parsePlan(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

/** The validation errors of a plan that must be rejected; throws if it is accepted. */
export function planErrors(input: unknown): FieldError[] {
  const result = parsePlan(input);
  if (result.ok) throw new Error("expected the plan to be rejected");
  return result.errors;
}
