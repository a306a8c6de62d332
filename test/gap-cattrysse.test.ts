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

describe("OR-Library GAP, Cattrysse & Van Wassenhove sets gap1–gap12", () => {
  it.each(instances("cattrysse1994"))("%s reaches its proven minimum-cost optimum", async (name) => {
    const { solution } = await solvePlan(load("cattrysse1994", name), { mipGap: 0, timeLimitMs: 60_000 });
    expect(solution.status).toBe("optimal");
    expect(solution.verification.passed).toBe(true);
    expect(solution.assignments).toHaveLength(load("cattrysse1994", name).customers.length);
    expect(-(solution.objective ?? Number.NaN)).toBeCloseTo(optimumOf(name).minOptimum, 6);
  });

  it.each(instances("cattrysse1994").filter((n) => n.endsWith("-0")))("%s as maximisation reaches OR-Library's max optimum", async (name) => {
    const { solution } = await solvePlan(load("cattrysse1994", name, true), { mipGap: 0, timeLimitMs: 60_000 });
    expect(solution.status).toBe("optimal");
    expect(solution.objective).toBeCloseTo(optimumOf(name).maxOptimum ?? Number.NaN, 6);
  });
});
