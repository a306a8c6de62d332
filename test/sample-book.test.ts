import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { generateBook } from "../data/book-generator.ts";
import { SAMPLE_BOOK_OPTIONS } from "../data/sample-book-options.ts";

const samplePath = fileURLToPath(new URL("../data/sample-book.json", import.meta.url));
const text = readFileSync(samplePath, "utf8");

describe("data/sample-book.json", () => {
  it("is a valid plan", () => {
    const result = Plan.safeParse(JSON.parse(text));
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it("is exactly what the generator writes for SAMPLE_BOOK_OPTIONS (2-space JSON)", () => {
    expect(text).toBe(JSON.stringify(generateBook(SAMPLE_BOOK_OPTIONS), null, 2) + "\n");
  });

  it("has the promised shape: 300 customers, 12 reps, 4 territories, 5 segments, owners, history, policy", () => {
    const plan = Plan.parse(JSON.parse(text));
    expect(plan.customers).toHaveLength(300);
    expect(plan.reps).toHaveLength(12);
    expect(new Set(plan.customers.map((c) => c.territory)).size).toBe(4);
    expect(new Set(plan.customers.map((c) => c.segment)).size).toBe(5);
    const owned = plan.customers.filter((c) => c.currentRep !== undefined).length;
    expect(owned).toBeGreaterThanOrEqual(225);
    expect(owned).toBeLessThanOrEqual(255);
    expect(plan.customers.every((c) => c.location !== undefined && c.workload !== undefined)).toBe(true);
    expect(plan.reps.every((r) => r.location !== undefined && r.maxWorkload !== undefined && r.maxAccounts !== undefined)).toBe(true);
    expect(plan.customers.some((c) => (c.requires ?? []).length > 0)).toBe(true);
    const attempts = (plan.history ?? []).map((h) => h.attempts);
    expect(Math.min(...attempts)).toBeLessThanOrEqual(3);
    expect(Math.max(...attempts)).toBeGreaterThanOrEqual(200);
    expect(plan.policy).toEqual({
      territory: "hard",
      travelCostPerKm: 0.5,
      specialtyBonus: 0.25,
      stability: { movePenalty: 500 },
      fairness: { valueBand: 0.5 },
      timeLimitMs: 10000,
    });
  });
});
