import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { gapToPlan, parseGapInstance, readOptima } from "../src/formats/gap-instance.ts";
import { gapRoot as gapDir } from "./gap-fixtures.ts";


describe("parseGapInstance", () => {
  it("reads OR-Library gap1-0: dimensions, first and last numbers of each block", () => {
    const instance = parseGapInstance(readFileSync(path.join(gapDir, "cattrysse1994", "gap1-0"), "utf8"));
    expect(instance.agents).toBe(5);
    expect(instance.jobs).toBe(15);
    expect(instance.cost).toHaveLength(5);
    expect(instance.resource).toHaveLength(5);
    for (const row of [...instance.cost, ...instance.resource]) expect(row).toHaveLength(15);
    expect(instance.cost[0]?.slice(0, 3)).toEqual([17, 21, 22]);
    expect(instance.cost[4]?.[14]).toBe(24);
    expect(instance.resource[0]?.slice(0, 3)).toEqual([8, 15, 14]);
    expect(instance.resource[4]?.[14]).toBe(23);
    expect(instance.capacity).toEqual([36, 34, 38, 27, 33]);
  });

  it("ignores line breaks: a hand-written 2 × 3 instance on one line", () => {
    expect(parseGapInstance("2 3  1 2 3 4 5 6  7 8 9 10 11 12  20 30\n")).toEqual({
      agents: 2,
      jobs: 3,
      cost: [
        [1, 2, 3],
        [4, 5, 6],
      ],
      resource: [
        [7, 8, 9],
        [10, 11, 12],
      ],
      capacity: [20, 30],
    });
  });

  it("rejects malformed input with a message naming the problem", () => {
    expect(() => parseGapInstance("")).toThrow(/header/);
    expect(() => parseGapInstance("2")).toThrow(/header/);
    expect(() => parseGapInstance("0 3")).toThrow(/positive/);
    expect(() => parseGapInstance("1 2 3 4 5 6")).toThrow(/needs 7 numbers .* found 6/);
    expect(() => parseGapInstance("1 2 3 4 5 6 7 8")).toThrow(/found 8/);
    expect(() => parseGapInstance("1 2 3 4.5 5 6 7")).toThrow(/number 4 is "4.5"/);
    expect(() => parseGapInstance("1 2 3 x 5 6 7")).toThrow(/not an integer/);
    expect(() => parseGapInstance("1 2 3 4 -5 6 7")).toThrow(/resource\[0\]\[0\] is negative/);
    expect(() => parseGapInstance("1 2 3 4 5 6 -7")).toThrow(/capacity\[0\] is negative/);
  });

  it("reads every instance listed in optima.csv with the listed dimensions", () => {
    const optima = readOptima(readFileSync(path.join(gapDir, "optima.csv"), "utf8"));
    expect(optima.size).toBe(83);
    for (const [name, row] of optima) {
      const instance = parseGapInstance(readFileSync(path.join(gapDir, row.set, name), "utf8"));
      expect([name, instance.agents, instance.jobs]).toEqual([name, row.agents, row.jobs]);
    }
  });
});

describe("gapToPlan", () => {
  const tiny = parseGapInstance("2 3  1 2 0 4 5 6  7 8 9 10 11 12  20 30");

  it("maps jobs to customers, agents to reps and every (job, agent) to a pair with score −cost", () => {
    const plan = gapToPlan(tiny);
    expect(plan.customers).toEqual([
      { id: "j0", value: 0 },
      { id: "j1", value: 0 },
      { id: "j2", value: 0 },
    ]);
    expect(plan.reps).toEqual([
      { id: "a0", maxWorkload: 20 },
      { id: "a1", maxWorkload: 30 },
    ]);
    expect(plan.pairs).toEqual([
      { customer: "j0", rep: "a0", score: -1, workload: 7 },
      { customer: "j0", rep: "a1", score: -4, workload: 10 },
      { customer: "j1", rep: "a0", score: -2, workload: 8 },
      { customer: "j1", rep: "a1", score: -5, workload: 11 },
      { customer: "j2", rep: "a0", score: 0, workload: 9 },
      { customer: "j2", rep: "a1", score: -6, workload: 12 },
    ]);
    expect(Object.is(plan.pairs?.[4]?.score, 0)).toBe(true);
    expect(plan.policy).toEqual({ specialtyBonus: 0 });
    expect(Plan.safeParse(plan).success).toBe(true);
  });

  it("merges the given policy over the default, and scores +cost when maximising", () => {
    expect(gapToPlan(tiny, { timeLimitMs: 500, solver: "jslp" }).policy).toEqual({ specialtyBonus: 0, timeLimitMs: 500, solver: "jslp" });
    expect(gapToPlan(tiny, { specialtyBonus: 0.5 }).policy).toEqual({ specialtyBonus: 0.5 });
    expect(gapToPlan(tiny, undefined, { maximize: true }).pairs?.map((p) => p.score)).toEqual([1, 4, 2, 5, 0, 6]);
  });

  it("turns gap1-0 into a valid plan with agents × jobs pairs", () => {
    const instance = parseGapInstance(readFileSync(path.join(gapDir, "cattrysse1994", "gap1-0"), "utf8"));
    const plan = gapToPlan(instance);
    expect(plan.customers).toHaveLength(15);
    expect(plan.reps.map((r) => r.maxWorkload)).toEqual([36, 34, 38, 27, 33]);
    expect(plan.pairs).toHaveLength(5 * 15);
    expect(plan.pairs?.[0]).toEqual({ customer: "j0", rep: "a0", score: -17, workload: 8 });
    expect(plan.pairs?.at(-1)).toEqual({ customer: "j14", rep: "a4", score: -24, workload: 23 });
    const parsed = Plan.safeParse(plan);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });
});

describe("readOptima", () => {
  it("parses the OR-Library optima table", () => {
    const optima = readOptima(readFileSync(path.join(gapDir, "optima.csv"), "utf8"));
    expect(optima.get("gap1-0")).toEqual({ set: "cattrysse1994", agents: 5, jobs: 15, minOptimum: 261, maxOptimum: 336 });
    expect(optima.get("gap12-4")).toEqual({ set: "cattrysse1994", agents: 10, jobs: 60, minOptimum: 945, maxOptimum: 1446 });
    expect(optima.get("a05100")).toEqual({ set: "chu1997", agents: 5, jobs: 100, minOptimum: 1698, maxOptimum: null });
  });

  it("accepts any column order and CRLF line ends, and rejects malformed rows", () => {
    const csv = "instance,set,jobs,agents,max_optimum,min_optimum\r\nx,s,3,2,,7\r\n";
    expect(readOptima(csv).get("x")).toEqual({ set: "s", agents: 2, jobs: 3, minOptimum: 7, maxOptimum: null });
    expect(() => readOptima("set,instance,agents,jobs,min_optimum\n")).toThrow(/max_optimum/);
    const header = "set,instance,agents,jobs,min_optimum,max_optimum\n";
    expect(() => readOptima(`${header}s,x,2,3,7\n`)).toThrow(/line 2: expected 6 fields, found 5/);
    expect(() => readOptima(`${header}s,x,2,3,seven,\n`)).toThrow(/line 2: min_optimum "seven"/);
    expect(() => readOptima(`${header}s,x,2,3,7,\ns,x,2,3,7,\n`)).toThrow(/line 3: duplicate instance "x"/);
  });
});
