import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { generateBook } from "../data/book-generator.ts";
import type { Plan } from "../models/index.ts";
import { gapToPlan, parseGapInstance } from "../src/formats/gap-instance.ts";
import { projectRoot } from "./loopback-server.ts";

/**
 * A plan that keeps a worker busy for its whole time limit: Chu & Beasley GAP c20200 when the
 * instances are next to the project, else a generated book with a tight value band.
 */
export function heavyPlan(timeLimitMs: number): { name: string; plan: Plan } {
  const gap = path.join(projectRoot, "test", "fixtures", "gap", "chu1997", "c20200");
  if (existsSync(gap)) return { name: "GAP c20200", plan: gapToPlan(parseGapInstance(readFileSync(gap, "utf8")), { timeLimitMs }) };
  return { name: "book 2000×40", plan: generateBook({ seed: 7, customers: 2000, reps: 40, territories: 4, policy: { timeLimitMs, fairness: { valueBand: 0.05 } } }) };
}
