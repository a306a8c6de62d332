import { z } from "zod";
import { Change } from "./change.ts";
import { Plan } from "./plan.ts";
import { solvedPlanChangeFields } from "./plan-version-diff.ts";
import { Diagnosis, Metrics, Solution, SolutionStatus } from "./solution.ts";

/** A named variant of the base plan: its changes, applied in order. */
export const Scenario = z.strictObject({
  name: z.string().min(1, "must be a non-empty string").max(128, "must be at most 128 characters"),
  changes: z.array(Change),
});
export type Scenario = z.infer<typeof Scenario>;

/** POST /v1/scenarios. */
export const ScenarioRequest = z.strictObject({
  base: Plan,
  scenarios: z.array(Scenario).min(1, "give at least one scenario"),
  /** Also return each full Solution (default false: figures and diffs only). */
  solutions: z.boolean().optional(),
});
export type ScenarioRequest = z.infer<typeof ScenarioRequest>;

/**
 * A scenario against the base, both as solved; the same figures as the diff of two saved plans.
 * `objective.delta` and `expectedValue.delta` are what the change is worth.
 */
export const ScenarioDiff = z.strictObject({
  ...solvedPlanChangeFields,
  /**
   * Where the difference between the two plans' optimal objectives lies, from each side's objective
   * and proven bound: [scenario objective − base bound, scenario bound − base objective]. Narrow when
   * both solves are optimal; when a time limit stopped either, trust this range rather than
   * `objective.delta`. null when a side has no proven bound.
   */
  optimalDelta: z.strictObject({ low: z.number(), high: z.number() }).nullable(),
});
export type ScenarioDiff = z.infer<typeof ScenarioDiff>;

/** The base plan as solved. */
export const ScenarioBase = z.strictObject({
  status: SolutionStatus,
  objective: z.number().nullable(),
  bound: z.number().nullable(),
  gap: z.number().nullable(),
  metrics: Metrics,
  diagnosis: Diagnosis.optional(),
  /** With `solutions: true`. */
  solution: Solution.optional(),
});
export type ScenarioBase = z.infer<typeof ScenarioBase>;

/** One scenario as solved, and its diff against the base (null when either has no plan). */
export const ScenarioOutcome = z.strictObject({
  name: z.string(),
  status: SolutionStatus,
  objective: z.number().nullable(),
  bound: z.number().nullable(),
  gap: z.number().nullable(),
  metrics: Metrics,
  diagnosis: Diagnosis.optional(),
  diff: ScenarioDiff.nullable(),
  solution: Solution.optional(),
});
export type ScenarioOutcome = z.infer<typeof ScenarioOutcome>;

/** What POST /v1/scenarios answers: the base and each scenario, in the order given. */
export const ScenarioResponse = z.strictObject({
  base: ScenarioBase,
  scenarios: z.array(ScenarioOutcome),
});
export type ScenarioResponse = z.infer<typeof ScenarioResponse>;
