/**
 * A scenario batch (POST /v1/scenarios, the what-if sample): each scenario's changes applied to the
 * base, the base and every scenario solved with at most `concurrency` solves at a time, and each
 * scenario's figures and its diff against the base.
 */
import { Solution, type FieldError, type Plan, type Scenario, type ScenarioBase, type ScenarioOutcome } from "../../models/index.ts";
import { mapBounded } from "../numeric/bounded-concurrency.ts";
import { applyChanges } from "./plan-changes.ts";
import { diffSolutions, digestSolution, SolutionDigest } from "./solution-diff.ts";
import { solvingTogether, type WhatIfSolveOutcome } from "./what-if-solve.ts";

/** The plans of a batch: the base, and each scenario as its changes make it. */
export interface ScenarioBatch {
  base: Plan;
  scenarios: { name: string; plan: Plan }[];
}

/**
 * The batch of `scenarios` on `base`, or every problem with its path: a duplicate name
 * (`scenarios[2].name`), a change naming an id that does not exist at that point
 * (`scenarios[1].changes[0].rep`), a scenario plan that breaks the contract.
 */
export function prepareScenarioBatch(base: Plan, scenarios: readonly Scenario[]): { ok: true; batch: ScenarioBatch } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const names = new Map<string, number>();
  const out: ScenarioBatch["scenarios"] = [];
  scenarios.forEach((scenario, i) => {
    const first = names.get(scenario.name);
    if (first !== undefined) errors.push({ path: `scenarios[${i}].name`, message: `duplicate scenario name "${scenario.name}" (first at scenarios[${first}])` });
    else names.set(scenario.name, i);
    const applied = applyChanges(base, scenario.changes, ["scenarios", i, "changes"]);
    if (applied.ok) out.push({ name: scenario.name, plan: applied.plan });
    else errors.push(...applied.errors);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, batch: { base, scenarios: out } };
}

/** Every plan of the batch, in solving order: the base first, then the scenarios. */
export function batchPlans(batch: ScenarioBatch): Plan[] {
  return [batch.base, ...batch.scenarios.map((s) => s.plan)];
}

export interface ScenarioBatchResult<O extends WhatIfSolveOutcome> {
  base: ScenarioBase;
  /** In the order given, each with its diff against the base (null when either has no plan). */
  scenarios: ScenarioOutcome[];
  /** The caller's solve outcomes in solving order (see batchPlans), e.g. for their timings and Solution texts. */
  outcomes: O[];
  /** The digest of each solve, in the same order. */
  digests: SolutionDigest[];
}

/**
 * The digest the solve's job computed (a "digest" job of runtime/solve-job.ts), or, for a deadline
 * answer, which carries none, one made from its Solution (which has no assignments).
 */
function digestOf(outcome: WhatIfSolveOutcome, plan: Plan): SolutionDigest {
  const parsed = SolutionDigest.safeParse(outcome.extra);
  if (parsed.success) return parsed.data;
  return digestSolution(plan, Solution.parse(JSON.parse(outcome.solutionJson)));
}

function figures(digest: SolutionDigest): ScenarioBase {
  const out: ScenarioBase = { status: digest.status, objective: digest.objective, bound: digest.bound, gap: digest.gap, metrics: digest.metrics };
  if (digest.diagnosis !== undefined) out.diagnosis = digest.diagnosis;
  return out;
}

/**
 * Solves the batch, at most `concurrency` solves at a time; the first failure (or the caller's
 * `signal`) aborts the others and rejects with that failure. `solve` must answer with the digest
 * as `extra`, as the "digest" job does.
 */
export async function runScenarioBatch<O extends WhatIfSolveOutcome>(
  batch: ScenarioBatch,
  options: { solve: (plan: Plan, signal: AbortSignal) => Promise<O>; concurrency: number; signal?: AbortSignal },
): Promise<ScenarioBatchResult<O>> {
  const plans = batchPlans(batch);
  const outcomes = await solvingTogether(options.signal, (signal) => mapBounded(plans, options.concurrency, (plan) => options.solve(plan, signal)));
  const digests = outcomes.map((outcome, i) => digestOf(outcome, plans[i] ?? batch.base));
  const baseDigest = digests[0];
  if (baseDigest === undefined) throw new Error("scenario batch: no base outcome");
  const scenarios = batch.scenarios.map((scenario, k): ScenarioOutcome => {
    const digest = digests[k + 1] ?? baseDigest;
    return { name: scenario.name, ...figures(digest), diff: diffSolutions({ plan: batch.base, digest: baseDigest }, { plan: scenario.plan, digest }) };
  });
  return { base: figures(baseDigest), scenarios, outcomes, digests };
}
