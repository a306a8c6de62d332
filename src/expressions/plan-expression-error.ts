import type { FieldError } from "../../models/index.ts";

/**
 * A planner-written expression that cannot be used for this plan: it does not compile, or it gave a
 * result of the wrong type for some pair. Callers report it like a validation error (422 / exit 2).
 */
export class PlanExpressionError extends Error {
  readonly errors: FieldError[];

  constructor(errors: FieldError[]) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join("; "));
    this.name = "PlanExpressionError";
    this.errors = errors;
  }
}
