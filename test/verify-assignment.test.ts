import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { buildConversionModel } from "../src/plan/conversion-model.ts";
import { scorePair, type ScoringContext } from "../src/plan/expected-value.ts";
import { classifyMove } from "../src/verify/move-classification.ts";
import { buildPairRuleContext, pairBreach, pairWorkload } from "../src/verify/pair-rules.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { pairs } from "./assignment-pairs.ts";

/** Fixtures go through the real schema, so every plan here is a valid contract-v1 plan. */
const plan = (input: unknown): Plan => Plan.parse(input);
const kinds = (r: { violations: { kind: string }[] }) => r.violations.map((v) => v.kind);

/** Three customers, two reps, scores given through `pairs` so the objective is known exactly. */
const base = plan({
  customers: [
    { id: "c1", value: 100 },
    { id: "c2", value: 50 },
    { id: "c3", value: 30 },
  ],
  reps: [{ id: "r1" }, { id: "r2" }],
  pairs: [
    { customer: "c1", rep: "r1", score: 10 },
    { customer: "c1", rep: "r2", score: 8 },
    { customer: "c2", rep: "r1", score: 6 },
    { customer: "c2", rep: "r2", score: 7 },
    { customer: "c3", rep: "r1", score: 4 },
    { customer: "c3", rep: "r2", score: 3 },
  ],
});

describe("verifyAssignment: a valid plan", () => {
  it("passes and recomputes the objective from the pair scores", () => {
    const report = verifyAssignment(base, pairs(["c1", "r1"], ["c2", "r2"], ["c3", "r1"]), { claimedObjective: 21 });
    expect(report).toEqual({ passed: true, violations: [], objective: 10 + 7 + 4 });
  });

  it("accepts the assignment in any order", () => {
    const report = verifyAssignment(base, pairs(["c3", "r2"], ["c1", "r2"], ["c2", "r1"]));
    expect(report.passed).toBe(true);
    expect(report.objective).toBe(3 + 8 + 6);
  });
});

describe("verifyAssignment: ids", () => {
  it("flags unknown customer and rep ids", () => {
    const report = verifyAssignment(base, pairs(["c1", "r1"], ["c2", "r2"], ["c3", "r1"], ["zz", "r1"], ["c2", "nobody"]));
    expect(kinds(report)).toEqual(["unknown-id", "unknown-id"]);
    expect(report.violations[0]).toMatchObject({ customer: "zz", rep: "r1" });
    expect(report.violations[0]?.message).toContain('"zz"');
    expect(report.violations[1]).toMatchObject({ customer: "c2", rep: "nobody" });
    expect(report.violations[1]?.message).toContain('"nobody"');
    // The unknown pairs take no part in the objective.
    expect(report.objective).toBe(21);
  });

  it("leaves a malformed id out of the id fields but names it in the message", () => {
    const report = verifyAssignment(base, [...pairs(["c1", "r1"], ["c2", "r2"], ["c3", "r1"]), { customer: "", rep: "r1" }]);
    expect(report.violations).toEqual([{ kind: "unknown-id", message: 'assignment names unknown customer ""', rep: "r1" }]);
  });

  it("flags a customer assigned twice, naming both reps, and counts only the first", () => {
    const report = verifyAssignment(base, pairs(["c1", "r1"], ["c2", "r2"], ["c3", "r1"], ["c1", "r2"]));
    expect(kinds(report)).toEqual(["duplicate"]);
    expect(report.violations[0]).toMatchObject({ customer: "c1", rep: "r2" });
    expect(report.violations[0]?.message).toMatch(/"c1".*"r1".*"r2"/);
    expect(report.objective).toBe(21);
  });

  it("flags a missing customer unless allowUnassigned", () => {
    const report = verifyAssignment(base, pairs(["c1", "r1"], ["c3", "r1"]));
    expect(report.violations).toEqual([expect.objectContaining({ kind: "missing", customer: "c2" })]);
    const lenient = plan({ ...base, policy: { allowUnassigned: true } });
    expect(verifyAssignment(lenient, pairs(["c1", "r1"], ["c3", "r1"]))).toEqual({ passed: true, violations: [], objective: 14 });
  });
});

describe("verifyAssignment: pair rules", () => {
  it("flags a rep that is unavailable", () => {
    const p = plan({ customers: [{ id: "c1", value: 1 }], reps: [{ id: "r1", available: false }, { id: "r2" }] });
    const report = verifyAssignment(p, pairs(["c1", "r1"]));
    expect(report.violations).toEqual([expect.objectContaining({ kind: "unavailable", customer: "c1", rep: "r1" })]);
    expect(verifyAssignment(p, pairs(["c1", "r2"])).passed).toBe(true);
  });

  it("flags a forbidden pair", () => {
    const p = plan({ customers: [{ id: "c1", value: 1 }], reps: [{ id: "r1" }, { id: "r2" }], policy: { forbid: [{ customer: "c1", rep: "r2" }] } });
    expect(verifyAssignment(p, pairs(["c1", "r2"])).violations).toEqual([expect.objectContaining({ kind: "forbidden", customer: "c1", rep: "r2" })]);
    expect(verifyAssignment(p, pairs(["c1", "r1"])).passed).toBe(true);
  });

  it("flags a pair missing from pairs", () => {
    const p = plan({ ...base, pairs: base.pairs?.filter((s) => !(s.customer === "c2" && s.rep === "r2")) });
    const report = verifyAssignment(p, pairs(["c1", "r1"], ["c2", "r2"], ["c3", "r1"]));
    expect(kinds(report)).toEqual(["not-in-pairs"]);
    expect(report.violations[0]).toMatchObject({ customer: "c2", rep: "r2" });
  });

  it("flags a hard territory breach, and only a hard one", () => {
    const book = {
      customers: [{ id: "c1", value: 1, territory: "north" }, { id: "c2", value: 1 }],
      reps: [{ id: "r1", territories: ["south"] }, { id: "r2" }],
    };
    const assignment = pairs(["c1", "r1"], ["c2", "r1"]);
    const hard = verifyAssignment(plan(book), assignment);
    expect(hard.violations).toEqual([expect.objectContaining({ kind: "territory", customer: "c1", rep: "r1" })]);
    expect(hard.violations[0]?.message).toContain('"north"');
    expect(verifyAssignment(plan({ ...book, policy: { territory: "hard" } }), assignment).passed).toBe(false);
    expect(verifyAssignment(plan({ ...book, policy: { territory: "soft" } }), assignment).passed).toBe(true);
    expect(verifyAssignment(plan({ ...book, policy: { territory: "ignore" } }), assignment).passed).toBe(true);
    // A rep without territories works everywhere.
    expect(verifyAssignment(plan(book), pairs(["c1", "r2"], ["c2", "r2"])).passed).toBe(true);
  });

  it("flags a missing required specialty, naming it", () => {
    const p = plan({
      customers: [{ id: "c1", value: 1, requires: ["rail", "ports"] }],
      reps: [{ id: "r1", specialties: ["rail"] }, { id: "r2", specialties: ["ports", "rail", "air"] }, { id: "r3" }],
    });
    const r1 = verifyAssignment(p, pairs(["c1", "r1"]));
    expect(r1.violations).toEqual([expect.objectContaining({ kind: "requires", customer: "c1", rep: "r1" })]);
    expect(r1.violations[0]?.message).toContain('"ports"');
    expect(r1.violations[0]?.message).not.toContain('"rail"');
    expect(kinds(verifyAssignment(p, pairs(["c1", "r3"])))).toEqual(["requires"]);
    expect(verifyAssignment(p, pairs(["c1", "r2"])).passed).toBe(true);
  });

  it("applies seniority rules from value ≥ minValue, with absent seniority as 0", () => {
    const p = plan({
      customers: [
        { id: "big", value: 1000 },
        { id: "edge", value: 500 },
        { id: "small", value: 499 },
      ],
      reps: [{ id: "junior" }, { id: "mid", seniority: 1 }, { id: "senior", seniority: 2 }],
      policy: { seniority: [{ minValue: 500, minSeniority: 1 }, { minValue: 1000, minSeniority: 2 }] },
    });
    expect(verifyAssignment(p, pairs(["big", "senior"], ["edge", "mid"], ["small", "junior"])).passed).toBe(true);
    const report = verifyAssignment(p, pairs(["big", "mid"], ["edge", "junior"], ["small", "junior"]));
    expect(report.violations).toEqual([
      expect.objectContaining({ kind: "seniority", customer: "big", rep: "mid" }),
      expect.objectContaining({ kind: "seniority", customer: "edge", rep: "junior" }),
    ]);
    expect(report.violations[0]?.message).toContain("needs seniority ≥ 2, rep has 1");
  });

  it("checks distance only when both locations and maxDistanceKm are given", () => {
    // One degree of longitude on the equator is about 111.2 km.
    const book = {
      customers: [
        { id: "c1", value: 1, location: { lat: 0, lon: 1 } },
        { id: "c2", value: 1 },
      ],
      reps: [
        { id: "near", location: { lat: 0, lon: 0 }, maxDistanceKm: 120 },
        { id: "far", location: { lat: 0, lon: 0 }, maxDistanceKm: 100 },
        { id: "free", location: { lat: 0, lon: 0 } },
      ],
    };
    const p = plan(book);
    expect(verifyAssignment(p, pairs(["c1", "near"], ["c2", "far"])).passed).toBe(true);
    expect(verifyAssignment(p, pairs(["c1", "free"], ["c2", "free"])).passed).toBe(true);
    const report = verifyAssignment(p, pairs(["c1", "far"], ["c2", "far"]));
    expect(report.violations).toEqual([expect.objectContaining({ kind: "distance", customer: "c1", rep: "far" })]);
    expect(report.violations[0]?.message).toMatch(/distance 111\.\d+ km > maxDistanceKm 100/);
  });

  it("lets a lock override territory, specialty, seniority and distance but not availability or pairs", () => {
    const p = plan({
      customers: [{ id: "c1", value: 900, territory: "north", requires: ["x"], location: { lat: 0, lon: 5 } }],
      reps: [{ id: "r1", territories: ["south"], location: { lat: 0, lon: 0 }, maxDistanceKm: 10 }, { id: "r2" }],
      policy: { locks: [{ customer: "c1", rep: "r1" }], seniority: [{ minValue: 100, minSeniority: 3 }] },
    });
    expect(verifyAssignment(p, pairs(["c1", "r1"]))).toEqual(expect.objectContaining({ passed: true, violations: [] }));
    const ctx = buildPairRuleContext(p);
    const c1 = p.customers[0];
    const r2 = p.reps[1];
    if (c1 === undefined || r2 === undefined) throw new Error("fixture");
    // The same customer with an unlocked rep breaks the first rule in contract order.
    expect(pairBreach(ctx, { ...c1 }, { ...r2, territories: ["south"] })?.kind).toBe("territory");

    const away = plan({ customers: [{ id: "c1", value: 1 }], reps: [{ id: "r1", available: false }, { id: "r2" }], policy: { locks: [{ customer: "c1", rep: "r1" }] } });
    expect(kinds(verifyAssignment(away, pairs(["c1", "r1"])))).toEqual(["unavailable"]);
  });

  it("flags a lock that is not honoured, also when the customer is left unassigned", () => {
    const p = plan({ ...base, policy: { locks: [{ customer: "c2", rep: "r1" }], allowUnassigned: true } });
    const moved = verifyAssignment(p, pairs(["c1", "r1"], ["c2", "r2"], ["c3", "r1"]));
    expect(moved.violations).toEqual([expect.objectContaining({ kind: "lock", customer: "c2", rep: "r1" })]);
    expect(moved.violations[0]?.message).toBe('customer "c2" is locked to rep "r1" but is assigned to rep "r2"');
    const dropped = verifyAssignment(p, pairs(["c1", "r1"], ["c3", "r1"]));
    expect(dropped.violations[0]?.message).toBe('customer "c2" is locked to rep "r1" but is unassigned');
    expect(verifyAssignment(p, pairs(["c1", "r1"], ["c2", "r1"], ["c3", "r1"])).passed).toBe(true);
  });
});

describe("verifyAssignment: capacities", () => {
  it("flags maxAccounts", () => {
    const p = plan({ ...base, reps: [{ id: "r1", maxAccounts: 1 }, { id: "r2" }] });
    const report = verifyAssignment(p, pairs(["c1", "r1"], ["c2", "r2"], ["c3", "r1"]));
    expect(report.violations).toEqual([{ kind: "max-accounts", message: 'rep "r1" has 2 accounts > maxAccounts 1', rep: "r1" }]);
    expect(verifyAssignment(p, pairs(["c1", "r1"], ["c2", "r2"], ["c3", "r2"])).passed).toBe(true);
  });

  it("flags minAccounts for available reps only", () => {
    const p = plan({
      customers: [{ id: "c1", value: 1 }, { id: "c2", value: 1 }],
      reps: [{ id: "r1", minAccounts: 1 }, { id: "r2", minAccounts: 1 }, { id: "gone", minAccounts: 2, available: false }],
    });
    expect(verifyAssignment(p, pairs(["c1", "r1"], ["c2", "r2"])).passed).toBe(true);
    expect(verifyAssignment(p, pairs(["c1", "r1"], ["c2", "r1"])).violations).toEqual([
      { kind: "min-accounts", message: 'rep "r2" has 0 accounts < minAccounts 1', rep: "r2" },
    ]);
  });

  it("flags maxWorkload with the pair's workload taking precedence over the customer's", () => {
    const p = plan({
      customers: [
        { id: "c1", value: 1, workload: 25 },
        { id: "c2", value: 1, workload: 16 },
        { id: "c3", value: 1 },
      ],
      reps: [{ id: "r3", maxWorkload: 40 }, { id: "r4" }],
    });
    const report = verifyAssignment(p, pairs(["c1", "r3"], ["c2", "r3"], ["c3", "r4"]));
    expect(report.violations).toEqual([{ kind: "max-workload", message: 'rep "r3" has workload 41 > maxWorkload 40', rep: "r3" }]);
    // Default workload 1: 25 + 1 = 26 fits.
    expect(verifyAssignment(p, pairs(["c1", "r3"], ["c2", "r4"], ["c3", "r3"])).passed).toBe(true);

    const scored = plan({
      ...p,
      pairs: [
        { customer: "c1", rep: "r3", score: 1, workload: 20 },
        { customer: "c2", rep: "r3", score: 1 },
        { customer: "c3", rep: "r4", score: 1 },
      ],
    });
    const ctx = buildPairRuleContext(scored);
    const [c1, c2] = scored.customers;
    const [r3] = scored.reps;
    if (c1 === undefined || c2 === undefined || r3 === undefined) throw new Error("fixture");
    expect(pairWorkload(ctx, c1, r3)).toBe(20);
    expect(pairWorkload(ctx, c2, r3)).toBe(16);
    // 20 + 16 = 36 ≤ 40.
    expect(verifyAssignment(scored, pairs(["c1", "r3"], ["c2", "r3"], ["c3", "r4"])).passed).toBe(true);
  });

  it("allows loads within the 1e-6 relative tolerance and no further", () => {
    const book = (w: number) =>
      plan({ customers: [{ id: "c1", value: 1, workload: w }], reps: [{ id: "r1", maxWorkload: 1000 }] });
    // Tolerance at 1000 is 1e-3.
    expect(verifyAssignment(book(1000.0009), pairs(["c1", "r1"])).passed).toBe(true);
    expect(kinds(verifyAssignment(book(1000.0011), pairs(["c1", "r1"])))).toEqual(["max-workload"]);
    // Below 1 the floor is absolute 1e-6.
    const small = (w: number) => plan({ customers: [{ id: "c1", value: 1, workload: w }], reps: [{ id: "r1", maxWorkload: 0 }] });
    expect(verifyAssignment(small(9e-7), pairs(["c1", "r1"])).passed).toBe(true);
    expect(kinds(verifyAssignment(small(2e-6), pairs(["c1", "r1"])))).toEqual(["max-workload"]);
  });
});

describe("verifyAssignment: fairness bands", () => {
  const book = (c1: number, c2: number, fairness: object, reps: object[] = [{ id: "r1" }, { id: "r2" }]) =>
    plan({ customers: [{ id: "c1", value: c1 }, { id: "c2", value: c2 }], reps, policy: { fairness } });
  const split = pairs(["c1", "r1"], ["c2", "r2"]);

  it("passes exactly on the value band and fails just outside it", () => {
    // T = 100, equal shares of 50; band 0.2 → [40, 60]: 60 and 40 sit exactly on the band.
    expect(verifyAssignment(book(60, 40, { valueBand: 0.2 }), split).passed).toBe(true);
    // Band 0.19 → [40.5, 59.5]: r1 is above, r2 below.
    const report = verifyAssignment(book(60, 40, { valueBand: 0.19 }), split);
    expect(report.violations).toEqual([
      expect.objectContaining({ kind: "value-band", rep: "r1" }),
      expect.objectContaining({ kind: "value-band", rep: "r2" }),
    ]);
    expect(report.violations[0]?.message).toContain('rep "r1" has value 60 > 59.5');
    expect(report.violations[1]?.message).toContain('rep "r2" has value 40 < 40.5');
  });

  it("allows the band within tolerance (1e-6 × 60 = 6e-5) and no further", () => {
    expect(verifyAssignment(book(60.00003, 39.99997, { valueBand: 0.2 }), split).passed).toBe(true);
    expect(kinds(verifyAssignment(book(60.0002, 39.9998, { valueBand: 0.2 }), split))).toEqual(["value-band", "value-band"]);
  });

  it("uses capacity-weighted fair shares", () => {
    // Weights 30/40 and 10/40 of T = 100 → shares 75 and 25; band 0 demands them exactly.
    const reps = [{ id: "r1", maxWorkload: 30 }, { id: "r2", maxWorkload: 10 }];
    expect(verifyAssignment(book(75, 25, { valueBand: 0 }, reps), split).passed).toBe(true);
    expect(kinds(verifyAssignment(book(50, 50, { valueBand: 0.5 }, reps), split))).toEqual(["value-band"]);
  });

  it("ignores unavailable reps in the bands", () => {
    const reps = [{ id: "r1" }, { id: "r2" }, { id: "off", available: false }];
    // Shares are 50/50 between r1 and r2; "off" has weight 0 and no band.
    expect(verifyAssignment(book(50, 50, { valueBand: 0, countBand: 0 }, reps), split).passed).toBe(true);
  });

  it("reports a customer on an unavailable rep once, as unavailable, not also as a band breach", () => {
    const reps = [{ id: "r1" }, { id: "off", available: false }];
    // r1 is the only available rep: share = T = 100, band 10 → [−900, 1100].
    const report = verifyAssignment(book(50, 50, { valueBand: 10, countBand: 10 }, reps), pairs(["c1", "off"], ["c2", "r1"]));
    expect(report.violations).toEqual([expect.objectContaining({ kind: "unavailable", customer: "c1", rep: "off" })]);
  });

  it("applies the count band to the number of accounts", () => {
    const p = (countBand: number) =>
      plan({ customers: [{ id: "a", value: 1 }, { id: "b", value: 1 }, { id: "c", value: 1 }], reps: [{ id: "r1" }, { id: "r2" }], policy: { fairness: { countBand } } });
    const twoOne = pairs(["a", "r1"], ["b", "r1"], ["c", "r2"]);
    // Share 1.5 each; band 1/3 → [1, 2], exactly met by 2 and 1.
    expect(verifyAssignment(p(1 / 3), twoOne).passed).toBe(true);
    // Band 0.3 → [1.05, 1.95].
    const report = verifyAssignment(p(0.3), twoOne);
    expect(report.violations).toEqual([
      expect.objectContaining({ kind: "count-band", rep: "r1" }),
      expect.objectContaining({ kind: "count-band", rep: "r2" }),
    ]);
    expect(report.violations[0]?.message).toContain('rep "r1" has accounts 2 > 1.95');
  });
});

describe("verifyAssignment: moves", () => {
  const p = plan({
    customers: [
      { id: "stay", value: 1, territory: "N", currentRep: "r1" },
      { id: "vol1", value: 1, territory: "N", currentRep: "r1" },
      { id: "vol2", value: 1, territory: "N", currentRep: "r1" },
      { id: "outside", value: 1, territory: "S", currentRep: "r1" },
      { id: "locked", value: 1, territory: "N", currentRep: "r1" },
      { id: "new", value: 1, territory: "N" },
    ],
    reps: [{ id: "r1", territories: ["N"] }, { id: "r2" }],
    policy: { stability: { maxMoves: 1 }, locks: [{ customer: "locked", rep: "r2" }], allowUnassigned: true },
  });
  const ctx = buildPairRuleContext(p);
  const customer = (id: string) => {
    const c = p.customers.find((x) => x.id === id);
    if (c === undefined) throw new Error(id);
    return c;
  };

  it("classifies forced and voluntary moves", () => {
    expect(classifyMove(ctx, customer("stay"), "r1")).toBe("stay");
    expect(classifyMove(ctx, customer("new"), "r2")).toBe("stay");
    expect(classifyMove(ctx, customer("vol1"), "r2")).toBe("voluntary");
    // Unassigned counts as a move.
    expect(classifyMove(ctx, customer("vol1"), undefined)).toBe("voluntary");
    // The current pair breaks the hard territory rule.
    expect(classifyMove(ctx, customer("outside"), "r2")).toBe("forced");
    // Locked to another rep.
    expect(classifyMove(ctx, customer("locked"), "r2")).toBe("forced");
  });

  it("counts only voluntary moves against maxMoves", () => {
    const base = pairs(["stay", "r1"], ["outside", "r2"], ["locked", "r2"], ["new", "r1"]);
    expect(verifyAssignment(p, [...base, ...pairs(["vol1", "r2"], ["vol2", "r1"])]).passed).toBe(true);
    const report = verifyAssignment(p, [...base, ...pairs(["vol1", "r2"], ["vol2", "r2"])]);
    expect(report.violations).toEqual([
      { kind: "max-moves", message: '2 voluntary moves > maxMoves 1 (customers "vol1", "vol2")' },
    ]);
    // Leaving vol2 unassigned is a move too.
    expect(kinds(verifyAssignment(p, [...base, ...pairs(["vol1", "r2"])]))).toEqual(["max-moves"]);
  });

  it("treats a current rep that became unavailable as a forced move", () => {
    const q = plan({
      customers: [{ id: "c1", value: 1, currentRep: "gone" }, { id: "c2", value: 1, currentRep: "r1" }],
      reps: [{ id: "gone", available: false }, { id: "r1" }, { id: "r2" }],
      policy: { stability: { maxMoves: 0 } },
    });
    expect(verifyAssignment(q, pairs(["c1", "r1"], ["c2", "r1"])).passed).toBe(true);
    expect(kinds(verifyAssignment(q, pairs(["c1", "r1"], ["c2", "r2"])))).toEqual(["max-moves"]);
  });
});

describe("verifyAssignment: objective", () => {
  const good = pairs(["c1", "r1"], ["c2", "r2"], ["c3", "r1"]);

  it("accepts a claim within relative 1e-6 and rejects a larger mismatch", () => {
    expect(verifyAssignment(base, good, { claimedObjective: 21 + 1e-5 }).passed).toBe(true);
    const report = verifyAssignment(base, good, { claimedObjective: 21.001 });
    expect(report.violations).toEqual([expect.objectContaining({ kind: "objective" })]);
    expect(report.violations[0]?.message).toContain("21.001");
    expect(report.violations[0]?.message).toContain("recomputed 21");
  });

  it("rejects a non-finite claim", () => {
    expect(kinds(verifyAssignment(base, good, { claimedObjective: Number.NaN }))).toEqual(["objective"]);
  });

  it("scales the tolerance with the objective", () => {
    const big = plan({ ...base, pairs: base.pairs?.map((s) => ({ ...s, score: s.score * 1e6 })) });
    // Objective 21e6: tolerance 21.
    expect(verifyAssignment(big, good, { claimedObjective: 21e6 + 20 }).passed).toBe(true);
    expect(verifyAssignment(big, good, { claimedObjective: 21e6 + 22 }).passed).toBe(false);
  });

  it("sums negative scores as given (a minimisation expressed as score = −cost)", () => {
    const costs = plan({ ...base, pairs: base.pairs?.map((s) => ({ ...s, score: -s.score })) });
    expect(verifyAssignment(costs, good, { claimedObjective: -21 })).toEqual({ passed: true, violations: [], objective: -21 });
  });
});

describe("verifyAssignment: objective on the built-in model", () => {
  it("sums value × p × fit − travel − penalties, as scorePair defines it", () => {
    const p = plan({
      customers: [
        { id: "c1", value: 100, needs: ["a", "b"], location: { lat: 0, lon: 1 }, currentRep: "r2" },
        { id: "c2", value: 40 },
      ],
      reps: [{ id: "r1", specialties: ["a"], location: { lat: 0, lon: 0 } }, { id: "r2" }],
      history: [{ rep: "r1", wins: 3, attempts: 10 }, { rep: "r2", wins: 5, attempts: 10 }],
      policy: { travelCostPerKm: 0.01, stability: { movePenalty: 2 } },
    });
    const scoring: ScoringContext = { policy: resolvePolicy(p.policy), conversion: buildConversionModel(p.history), pairScores: null };
    const [c1, c2] = p.customers;
    const [r1, r2] = p.reps;
    if (c1 === undefined || c2 === undefined || r1 === undefined || r2 === undefined) throw new Error("fixture");
    const ev1 = scorePair(scoring, c1, r1);
    // The pieces, by hand: fit 1 + 0.25 × 1/2, travel 0.01 × ~111.2 km, move penalty 2.
    expect(ev1.components.fit).toBe(1.125);
    expect(ev1.components.travelCost).toBeCloseTo(1.112, 3);
    expect(ev1.components.penalty).toBe(2);
    const expected = ev1.expectedValue + scorePair(scoring, c2, r2).expectedValue;
    const report = verifyAssignment(p, pairs(["c1", "r1"], ["c2", "r2"]), { claimedObjective: expected });
    expect(report).toEqual({ passed: true, violations: [], objective: expected });
  });
});

describe("verifyAssignment: reporting", () => {
  it("reports every violation of a bad assignment", () => {
    const p = plan({
      customers: [
        { id: "c1", value: 10, workload: 5 },
        { id: "c2", value: 10, requires: ["x"] },
        { id: "c3", value: 10 },
      ],
      reps: [{ id: "r1", maxAccounts: 1, maxWorkload: 4 }, { id: "r2", minAccounts: 1 }],
      policy: { forbid: [{ customer: "c3", rep: "r1" }], fairness: { countBand: 0 } },
    });
    const report = verifyAssignment(p, pairs(["c1", "r1"], ["c2", "r1"], ["c3", "r1"], ["c9", "r1"]), { claimedObjective: 1e9 });
    expect(kinds(report).sort()).toEqual(
      ["count-band", "count-band", "forbidden", "max-accounts", "max-workload", "min-accounts", "objective", "requires", "unknown-id"].sort(),
    );
  });

  it("caps the report at 100 violations", () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ customer: `ghost${i}`, rep: "r1" }));
    const report = verifyAssignment(base, [...pairs(["c1", "r1"], ["c2", "r2"], ["c3", "r1"]), ...many]);
    expect(report.passed).toBe(false);
    expect(report.violations).toHaveLength(100);
  });

  it("property: with no limits, any total assignment inside pairs passes, and dropping one customer is exactly one 'missing'", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 24, maxLength: 24 }),
        fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
        fc.nat(),
        (nc, nr, scores, picks, drop) => {
          const customers = Array.from({ length: nc }, (_, i) => ({ id: `c${i}`, value: i + 1 }));
          const reps = Array.from({ length: nr }, (_, j) => ({ id: `r${j}` }));
          const pairScores = customers.flatMap((c, i) => reps.map((r, j) => ({ customer: c.id, rep: r.id, score: scores[i * 4 + j] ?? 0 })));
          const p = plan({ customers, reps, pairs: pairScores });
          const chosen = customers.map((c, i) => ({ customer: c.id, rep: `r${(picks[i] ?? 0) % nr}` }));
          const expected = chosen.reduce((sum, a) => sum + (pairScores.find((s) => s.customer === a.customer && s.rep === a.rep)?.score ?? Number.NaN), 0);
          const full = verifyAssignment(p, chosen, { claimedObjective: expected });
          expect(full).toEqual({ passed: true, violations: [], objective: expected });
          const gone = drop % nc;
          const partial = verifyAssignment(p, chosen.filter((_, i) => i !== gone));
          expect(partial.violations).toEqual([expect.objectContaining({ kind: "missing", customer: `c${gone}` })]);
        },
      ),
      { seed: 20240611, numRuns: 200 },
    );
  });
});
