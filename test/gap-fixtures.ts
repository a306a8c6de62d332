import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Plan, Policy } from "../models/index.ts";
import { gapToPlan, parseGapInstance, readOptima, type GapOptimum } from "../src/formats/gap-instance.ts";
import { projectRoot } from "./project-root.ts";

// The OR-Library GAP instances ship with the project, in test/fixtures/gap (see its README). They run through the
// real engine: jobs are customers, agents are reps with maxWorkload = capacity, and each (job, agent)
// is a pair with score = −cost (+cost when maximising).
export const gapRoot = path.join(projectRoot, "test", "fixtures", "gap");

const optima = readOptima(readFileSync(path.join(gapRoot, "optima.csv"), "utf8"));

export const gapInstances = (set: string): string[] => readdirSync(path.join(gapRoot, set)).sort();

export const loadGapPlan = (set: string, name: string, maximize = false, policy?: Policy): Plan =>
  gapToPlan(parseGapInstance(readFileSync(path.join(gapRoot, set, name), "utf8")), policy, { maximize });

/** A Chu & Beasley instance (hard, tight capacities) as a minimum-cost plan with the given policy. */
export const gapPlan = (name: string, policy: Policy): Plan => loadGapPlan("chu1997", name, false, policy);

export function gapOptimum(name: string): GapOptimum {
  const known = optima.get(name);
  if (known === undefined) throw new Error(`no optimum listed for ${name}`);
  return known;
}
