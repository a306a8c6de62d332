import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { gapToPlan, parseGapInstance, readOptima } from "../src/gap-instance.ts";
import { solvePlan } from "../src/solve-plan.ts";

// The OR-Library GAP instances, run through the real engine: jobs are customers, agents are reps
// with maxWorkload = capacity, and each (job, agent) is a pair with score = −cost.
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const gapRoot = path.resolve(projectRoot, "..", "shared", "data", "gap");
const optima = readOptima(readFileSync(path.join(gapRoot, "optima.csv"), "utf8"));
const instances = (set: string) => readdirSync(path.join(gapRoot, set)).sort();
const load = (set: string, name: string, maximize = false) =>
  gapToPlan(parseGapInstance(readFileSync(path.join(gapRoot, set, name), "utf8")), undefined, { maximize });

function optimumOf(name: string) {
  const known = optima.get(name);
  if (known === undefined) throw new Error(`no optimum listed for ${name}`);
  return known;
}

describe("OR-Library GAP, Chu & Beasley types A, B, C", () => {
  it.each(instances("chu1997"))("%s returns a verified plan no better than the optimum, with a valid bound", async (name) => {
    const plan = load("chu1997", name);
    const { solution } = await solvePlan(plan, { timeLimitMs: 3_000, mipGap: 0 });
    expect(["optimal", "feasible"]).toContain(solution.status);
    expect(solution.verification.passed).toBe(true);
    expect(solution.assignments).toHaveLength(plan.customers.length);
    const cost = -(solution.objective ?? Number.NaN);
    const { minOptimum } = optimumOf(name);
    // A verified plan can never cost less than the proven optimum, and a proven bound never exceeds it.
    expect(cost).toBeGreaterThanOrEqual(minOptimum - 1e-6);
    expect(-(solution.bound ?? Number.NEGATIVE_INFINITY)).toBeLessThanOrEqual(minOptimum + 1e-6);
    if (solution.status === "optimal") expect(cost).toBeCloseTo(minOptimum, 6);
  });
});
