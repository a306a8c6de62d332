import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan, Solution } from "../models/index.ts";
import { assembleSolution, type AssemblyInput, type VerificationInput } from "../src/solve/assemble-solution.ts";
import { canonicalJson, inputHash } from "../src/numeric/input-hash.ts";
import { pairs } from "./assignment-pairs.ts";

const passed: VerificationInput = { objective: null, rejected: [] };

/**
 * 3 customers, 2 reps. Fair-share weights come from maxAccounts (not every rep has maxWorkload):
 * r1 4/(4+2) = 2/3, r2 1/3. Scores come from `pairs`, so each pair's expected value is its score.
 */
const plan = Plan.parse({
  customers: [
    { id: "c1", value: 100, currentRep: "r1" },
    { id: "c2", value: 50, currentRep: "r1" },
    { id: "c3", value: 30 },
  ],
  reps: [
    { id: "r1", maxAccounts: 4, maxWorkload: 2 },
    { id: "r2", maxAccounts: 2 },
  ],
  pairs: [
    { customer: "c1", rep: "r1", score: 10 },
    { customer: "c1", rep: "r2", score: 8 },
    { customer: "c2", rep: "r1", score: 6 },
    { customer: "c2", rep: "r2", score: 7, workload: 2 },
    { customer: "c3", rep: "r1", score: 4, workload: 0.5 },
    { customer: "c3", rep: "r2", score: 3 },
  ],
  policy: { locks: [{ customer: "c1", rep: "r1" }] },
});

const input = (over: Partial<AssemblyInput> = {}): AssemblyInput => ({
  plan,
  assignments: pairs(["c3", "r1"], ["c2", "r2"], ["c1", "r1"]),
  status: "optimal",
  bound: 22,
  backend: "highs",
  version: "1.0.0",
  timeLimitMs: 30_000,
  mipGap: 1e-4,
  verification: { ...passed, objective: 21 },
  ...over,
});

describe("assembleSolution on a hand-computed 3-customer 2-rep plan", () => {
  const solution = assembleSolution(input());

  it("passes the Solution schema", () => {
    expect(Solution.parse(solution)).toEqual(solution);
  });

  it("reports objective, bound and gap", () => {
    expect(solution.status).toBe("optimal");
    expect(solution.objective).toBe(21); // 10 + 7 + 4
    expect(solution.bound).toBe(22);
    expect(solution.gap).toBeCloseTo(1 / 22, 15); // (22 − 21) / max(1, 22)
  });

  it("lists assignments in plan order with locked and moved flags", () => {
    expect(solution.assignments.map((a) => [a.customer, a.rep, a.expectedValue, a.locked, a.moved])).toEqual([
      ["c1", "r1", 10, true, false],
      ["c2", "r2", 7, false, true],
      ["c3", "r1", 4, false, false],
    ]);
    expect(solution.assignments[1]?.components).toMatchObject({ value: 50, conversion: null, fit: null, penalty: 0, source: "pairs" });
    expect(solution.unassigned).toEqual([]);
  });

  it("summarises every rep", () => {
    expect(solution.reps).toEqual([
      // workload 1 (c1, default) + 0.5 (c3's pair workload); utilization max(2/4, 1.5/2) = 0.75;
      // fair share 2/3 × 180 = 120.
      { id: "r1", accounts: 2, workload: 1.5, value: 130, expectedValue: 14, utilization: 0.75, fairShare: expect.closeTo(120, 10) },
      // workload 2 (c2's pair workload); utilization 1/2 (no maxWorkload); fair share 1/3 × 180 = 60.
      { id: "r2", accounts: 1, workload: 2, value: 50, expectedValue: 7, utilization: 0.5, fairShare: expect.closeTo(60, 10) },
    ]);
  });

  it("computes the metrics", () => {
    const m = solution.metrics;
    expect(m).toMatchObject({ expectedValue: 21, assigned: 3, unassigned: 0, totalValue: 180, assignedValue: 180 });
    // c2 left r1 for r2 although c2–r1 is allowed: one voluntary move; c1 stayed; c3 had no rep.
    expect(m.moves).toBe(1);
    expect(m.forcedMoves).toBe(0);
    // Values [130, 50]: Gini = Σ_i Σ_j |x_i − x_j| / (2 n² mean) = (2 × 80) / (2 × 4 × 90) = 2/9.
    expect(m.valueGini).toBeCloseTo(2 / 9, 12);
    // Counts [2, 1]: (2 × 1) / (2 × 4 × 1.5) = 1/6.
    expect(m.countGini).toBeCloseTo(1 / 6, 12);
    // max(130 / 120, 50 / 60) = 13/12.
    expect(m.maxValueOverFairShare).toBeCloseTo(13 / 12, 12);
  });

  it("fills solver info, with the hash of the plan", () => {
    expect(solution.solver).toEqual({ backend: "highs", version: "1.0.0", inputHash: inputHash(plan), timeLimitMs: 30_000, mipGap: 1e-4 });
    expect(solution.solver.inputHash).toMatch(/^[0-9a-f]{64}$/);
    expect(solution.verification).toEqual({ passed: true, state: "passed", objective: 21, rejected: [] });
    expect("diagnosis" in solution).toBe(false);
  });

  it("is deterministic whatever the order of the assignments", () => {
    const again = assembleSolution(input({ assignments: pairs(["c1", "r1"], ["c3", "r1"], ["c2", "r2"]) }));
    expect(JSON.stringify(again)).toBe(JSON.stringify(solution));
  });
});

describe("assembleSolution: gap", () => {
  it("clamps float noise below zero to 0", () => {
    expect(assembleSolution(input({ bound: 21 - 1e-12 })).gap).toBe(0);
  });
  it("keeps a real negative gap (a bound below the verified objective is worth seeing)", () => {
    expect(assembleSolution(input({ bound: 20 })).gap).toBeCloseTo(-1 / 20, 15);
  });
  it("divides by 1 when |bound| < 1, and is null without a bound", () => {
    const costs = Plan.parse({ ...plan, pairs: plan.pairs?.map((s) => ({ ...s, score: s.score / 100 })) });
    // objective 0.21, bound 0.5: (0.5 − 0.21) / 1.
    expect(assembleSolution(input({ plan: costs, bound: 0.5 })).gap).toBeCloseTo(0.29, 15);
    expect(assembleSolution(input({ bound: null })).gap).toBeNull();
  });
});

describe("assembleSolution: unassigned customers and unavailable reps", () => {
  const book = Plan.parse({
    customers: [
      { id: "a", value: 40, currentRep: "off" },
      { id: "b", value: 20, requires: ["x"] },
      { id: "c", value: 10 },
      { id: "d", value: 30, currentRep: "r1" },
    ],
    reps: [{ id: "r1" }, { id: "r2", maxAccounts: 0 }, { id: "off", available: false }],
    policy: { allowUnassigned: true },
  });
  const solution = assembleSolution({
    plan: book,
    assignments: pairs(["a", "r1"]),
    status: "feasible",
    bound: null,
    backend: "jslp",
    version: "1.0.3",
    nodes: 7,
    timeLimitMs: 1000,
    mipGap: 0,
    verification: passed,
    unassignedReasons: new Map([["c", "given reason"]]),
  });

  it("passes the Solution schema", () => {
    expect(Solution.parse(solution)).toEqual(solution);
  });

  it("gives each unassigned customer the caller's reason or a default one", () => {
    expect(solution.unassigned).toEqual([
      { customer: "b", reason: "no eligible rep (rules broken: requires ×2, unavailable ×1)" },
      { customer: "c", reason: "given reason" },
      { customer: "d", reason: expect.stringContaining("left unassigned by the optimizer") },
    ]);
  });

  it("summarises unavailable reps with null fair share and null utilization without limits", () => {
    expect(solution.reps).toEqual([
      { id: "r1", accounts: 1, workload: 1, value: 40, expectedValue: expect.any(Number), utilization: null, fairShare: 20 },
      // A limit of 0 with no load is 0 % used.
      { id: "r2", accounts: 0, workload: 0, value: 0, expectedValue: 0, utilization: 0, fairShare: 20 },
      { id: "off", accounts: 0, workload: 0, value: 0, expectedValue: 0, utilization: null, fairShare: null },
    ]);
  });

  it("computes metrics over available reps only", () => {
    const m = solution.metrics;
    expect(m).toMatchObject({ assigned: 1, unassigned: 3, totalValue: 100, assignedValue: 40 });
    // a left "off" (unavailable: forced); d left r1 by becoming unassigned (voluntary).
    expect(m.moves).toBe(2);
    expect(m.forcedMoves).toBe(1);
    // Available values [40, 0]: 2 × 40 / (2 × 4 × 20) = 1/2; counts [1, 0] likewise.
    expect(m.valueGini).toBeCloseTo(0.5, 12);
    expect(m.countGini).toBeCloseTo(0.5, 12);
    // Equal weights (r2 has maxAccounts, r1 has none): shares 20 and 20 → max(40/20, 0/20) = 2.
    expect(m.maxValueOverFairShare).toBeCloseTo(2, 12);
    expect(m.expectedValue).toBe(solution.objective);
    expect(solution.solver.nodes).toBe(7);
  });
});

describe("assembleSolution: no plan found", () => {
  const diagnosis = { summary: "not enough capacity", causes: [{ kind: "capacity" as const, message: "3 customers, 2 seats", reps: ["r1", "r2"] }] };
  const solution = assembleSolution(input({ assignments: [], status: "infeasible", bound: 5, diagnosis, verification: { objective: null, rejected: [] } }));

  it("has a null objective and gap, and every customer unassigned", () => {
    expect(Solution.parse(solution)).toEqual(solution);
    expect(solution.objective).toBeNull();
    expect(solution.gap).toBeNull();
    expect(solution.assignments).toEqual([]);
    expect(solution.unassigned.map((u) => u.customer)).toEqual(["c1", "c2", "c3"]);
    expect(solution.unassigned[0]?.reason).toBe("no feasible plan exists under the policy");
    expect(solution.diagnosis).toEqual(diagnosis);
  });

  it("reports zero loads and no fairness ratio", () => {
    expect(solution.reps.map((r) => [r.accounts, r.value, r.utilization, r.fairShare])).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    expect(solution.metrics).toMatchObject({ expectedValue: 0, assigned: 0, unassigned: 3, assignedValue: 0, valueGini: 0, countGini: 0, maxValueOverFairShare: null });
    // c1 and c2 lose their current rep r1, which could have kept them: two voluntary moves.
    expect(solution.metrics.moves).toBe(2);
  });

  it("says that nothing was verified, and never that it passed", () => {
    expect(solution.verification).toEqual({ passed: false, state: "not-run", objective: null, rejected: [] });
  });

  it("says verification failed when every plan found was rejected", () => {
    const rejected = [{ backend: "jslp", violations: [{ kind: "max-accounts", message: "r2 holds 3 accounts, more than 2", rep: "r2" }] }];
    const timeout = assembleSolution(input({ assignments: [], status: "timeout", bound: null, verification: { objective: 21, rejected } }));
    expect(timeout.verification).toEqual({ passed: false, state: "failed", objective: null, rejected });
    const fallback = assembleSolution(input({ verification: { objective: 21, rejected } }));
    expect(fallback.verification).toEqual({ passed: true, state: "passed", objective: 21, rejected });
  });

  it("words a timeout differently", () => {
    const timeout = assembleSolution(input({ assignments: [], status: "timeout", bound: null }));
    expect(timeout.objective).toBeNull();
    expect(timeout.unassigned[0]?.reason).toBe("no feasible plan was found within the time limit");
  });
});

describe("inputHash", () => {
  it("is sha256 of the canonical JSON", () => {
    // `printf '{}' | sha256sum` and `printf '{"a":1,"b":[2,{"c":null,"d":"x"}]}' | sha256sum`.
    expect(inputHash({})).toBe("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    expect(inputHash({ b: [2, { d: "x", c: null }], a: 1 })).toBe("b4f0036845818c4edffa7f8a39a31a071b41811a62ccbdeaa149f2c006dbb271");
  });

  it("sorts keys recursively, keeps array order, drops undefined members", () => {
    expect(canonicalJson({ z: 1, a: { y: [3, 1, { b: 2, a: 1 }], x: undefined } })).toBe('{"a":{"y":[3,1,{"a":1,"b":2}]},"z":1}');
    expect(inputHash([1, 2])).not.toBe(inputHash([2, 1]));
    expect(inputHash({ a: 1 })).not.toBe(inputHash({ a: 2 }));
    expect(canonicalJson([undefined, Number.NaN])).toBe("[null,null]");
  });

  it("is invariant to the key order of a plan", () => {
    const reversed = JSON.parse(JSON.stringify(plan), (_key, value: unknown) =>
      value !== null && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
    ) as unknown;
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(plan));
    expect(inputHash(reversed)).toBe(inputHash(plan));
  });

  it("property: any permutation of keys at every level gives the same hash", () => {
    const shuffle = (value: unknown, seed: number): unknown => {
      if (Array.isArray(value)) return value.map((v, i) => shuffle(v, seed + i + 1));
      if (value === null || typeof value !== "object") return value;
      const entries = Object.entries(value);
      const rotated = entries.map((_, i) => entries[(i + seed) % entries.length]).filter((e): e is [string, unknown] => e !== undefined);
      return Object.fromEntries((seed % 2 === 0 ? rotated : rotated.reverse()).map(([k, v]) => [k, shuffle(v, seed * 7 + 3)]));
    };
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat({ max: 1000 }), (value, seed) => {
        expect(inputHash(shuffle(value, seed))).toBe(inputHash(value));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("rejects cycles", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => inputHash(cyclic)).toThrow(/cyclic/);
  });
});
