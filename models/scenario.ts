import { z } from "zod";
import { Change } from "./change.ts";
import { Plan } from "./plan.ts";
import { solvedPlanChangeFields } from "./plan-version-diff.ts";
import { Diagnosis, Metrics, Solution, SolutionStatus } from "./solution.ts";

export const Scenario = z
  .strictObject({
    name: z.string().min(1, "must be a non-empty string").max(128, "must be at most 128 characters").describe("The scenario's name, unique in the request."),
    changes: z.array(Change).describe("Applied to the base in order."),
  })
  .describe("A named variant of the base plan: its changes, applied in order.");
export type Scenario = z.infer<typeof Scenario>;

export const ScenarioRequest = z
  .strictObject({
    base: Plan.describe("The plan every scenario starts from."),
    scenarios: z.array(Scenario).min(1, "give at least one scenario").describe("The variants to solve and compare with the base."),
    solutions: z.boolean().optional().describe("Also return each full Solution (default false: figures and diffs only)."),
  })
  .describe("POST /v1/scenarios: a base plan and named scenarios, each a list of changes applied to the base in order.");
export type ScenarioRequest = z.infer<typeof ScenarioRequest>;

export const ScenarioDiff = z
  .strictObject({
    ...solvedPlanChangeFields,
    optimalDelta: z
      .strictObject({ low: z.number(), high: z.number() })
      .nullable()
      .describe(
        "Where the difference between the two plans' optimal objectives lies, from each side's objective and proven bound: " +
          "[scenario objective − base bound, scenario bound − base objective]. Narrow when both solves are optimal; when a time limit stopped either, " +
          "trust this range rather than `objective.delta`. null when a side has no proven bound.",
      ),
  })
  .describe(
    "The scenario against the base, both as solved (the same figures as the diff of two saved plans): `objective.delta` and `expectedValue.delta` are what the change is worth.",
  );
export type ScenarioDiff = z.infer<typeof ScenarioDiff>;

export const ScenarioBase = z
  .strictObject({
    status: SolutionStatus,
    objective: z.number().nullable(),
    bound: z.number().nullable(),
    gap: z.number().nullable(),
    metrics: Metrics,
    diagnosis: Diagnosis.optional(),
    solution: Solution.optional().describe("With `solutions: true`: the full Solution."),
  })
  .describe("The base plan as solved.");
export type ScenarioBase = z.infer<typeof ScenarioBase>;

export const ScenarioOutcome = z
  .strictObject({
    name: z.string(),
    status: SolutionStatus,
    objective: z.number().nullable(),
    bound: z.number().nullable(),
    gap: z.number().nullable(),
    metrics: Metrics,
    diagnosis: Diagnosis.optional(),
    diff: ScenarioDiff.nullable().describe("Against the base; null when either has no plan."),
    solution: Solution.optional().describe("With `solutions: true`: the full Solution."),
  })
  .describe("One scenario as solved, and its diff against the base.");
export type ScenarioOutcome = z.infer<typeof ScenarioOutcome>;

export const ScenarioResponse = z
  .strictObject({
    base: ScenarioBase,
    scenarios: z.array(ScenarioOutcome).describe("In the order given."),
  })
  .describe("What POST /v1/scenarios answers: the base and each scenario, in the order given.");
export type ScenarioResponse = z.infer<typeof ScenarioResponse>;
