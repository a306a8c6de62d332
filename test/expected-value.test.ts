import { describe, expect, it } from "vitest";
import type { Customer, PairScore, Policy, Rep } from "../models/index.ts";
import { buildConversionModel } from "../src/plan/conversion-model.ts";
import {
  buildPairScoreIndex,
  pairPenalty,
  scorePair,
  specialtyFit,
  type ScoringContext,
} from "../src/plan/expected-value.ts";
import { EARTH_RADIUS_KM } from "../src/numeric/geo-distance.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";

/** One degree of arc on the equator: R·π/180 ≈ 111.195 km. */
const ONE_DEGREE_KM = (EARTH_RADIUS_KM * Math.PI) / 180;

function context(policy: Policy | undefined, history = buildConversionModel(undefined), pairs?: PairScore[]): ScoringContext {
  return { policy: resolvePolicy(policy), conversion: history, pairScores: buildPairScoreIndex(pairs) };
}

describe("specialtyFit", () => {
  const rep: Rep = { id: "r1", specialties: ["a", "c", "x"] };

  it("is 1 without needs, with empty needs, or with a zero bonus", () => {
    expect(specialtyFit({ id: "c1", value: 1 }, rep, 0.25)).toBe(1);
    expect(specialtyFit({ id: "c1", value: 1, needs: [] }, rep, 0.25)).toBe(1);
    expect(specialtyFit({ id: "c1", value: 1, needs: ["a"] }, rep, 0)).toBe(1);
  });

  it("adds bonus × share of distinct needs covered", () => {
    // needs {a, b, c} (a repeated), covered {a, c}: 1 + 0.25 · 2/3
    expect(specialtyFit({ id: "c1", value: 1, needs: ["a", "b", "c", "a"] }, rep, 0.25)).toBeCloseTo(1 + 0.5 / 3, 14);
    // all covered: 1 + bonus
    expect(specialtyFit({ id: "c1", value: 1, needs: ["x", "x"] }, rep, 0.4)).toBeCloseTo(1.4, 14);
    // none covered, or a rep without specialties
    expect(specialtyFit({ id: "c1", value: 1, needs: ["b"] }, rep, 0.25)).toBe(1);
    expect(specialtyFit({ id: "c1", value: 1, needs: ["a"] }, { id: "r2" }, 0.25)).toBe(1);
  });

  it("counts the same way for long lists", () => {
    // 30 distinct needs n0..n29, each listed twice; the rep covers n0..n9 plus 40 others: share 10/30
    const needs = Array.from({ length: 60 }, (_, i) => `n${i % 30}`);
    const specialties = [...Array.from({ length: 10 }, (_, i) => `n${i}`), ...Array.from({ length: 40 }, (_, i) => `o${i}`)];
    expect(specialtyFit({ id: "c1", value: 1, needs }, { id: "r1", specialties }, 0.3)).toBeCloseTo(1.1, 14);
  });
});

describe("pairPenalty", () => {
  const rep: Rep = { id: "r1", territories: ["north", "east"] };
  const soft = resolvePolicy({ territory: "soft", territoryPenalty: 50, stability: { movePenalty: 20 } });

  it("charges the territory penalty only for a soft breach", () => {
    const outside: Customer = { id: "c1", value: 1, territory: "south" };
    expect(pairPenalty(soft, outside, rep)).toBe(50);
    expect(pairPenalty(soft, { ...outside, territory: "east" }, rep)).toBe(0);
    expect(pairPenalty(soft, { id: "c1", value: 1 }, rep)).toBe(0); // customer without territory
    expect(pairPenalty(soft, outside, { id: "r2" })).toBe(0); // rep works everywhere
    expect(pairPenalty(resolvePolicy({ territory: "hard", territoryPenalty: 50 }), outside, rep)).toBe(0);
    expect(pairPenalty(resolvePolicy({ territory: "ignore", territoryPenalty: 50 }), outside, rep)).toBe(0);
  });

  it("charges the move penalty when the customer leaves its current rep", () => {
    expect(pairPenalty(soft, { id: "c1", value: 1, currentRep: "r2" }, rep)).toBe(20);
    expect(pairPenalty(soft, { id: "c1", value: 1, currentRep: "r1" }, rep)).toBe(0);
    expect(pairPenalty(soft, { id: "c1", value: 1, currentRep: "r2", territory: "south" }, rep)).toBe(70);
  });
});

describe("buildPairScoreIndex", () => {
  it("is null without pairs and indexes customer → rep otherwise", () => {
    expect(buildPairScoreIndex(undefined)).toBeNull();
    expect(buildPairScoreIndex([])?.size).toBe(0);
    const pairs: PairScore[] = [
      { customer: "c1", rep: "r1", score: 3 },
      { customer: "c1", rep: "r2", score: -4, workload: 2 },
      { customer: "c2", rep: "r1", score: 5 },
    ];
    const index = buildPairScoreIndex(pairs);
    expect(index?.get("c1")?.get("r2")).toBe(pairs[1]);
    expect(index?.get("c2")?.get("r1")?.score).toBe(5);
    expect(index?.get("c2")?.get("r2")).toBeUndefined();
  });

  it("rejects a duplicate pair", () => {
    expect(() =>
      buildPairScoreIndex([
        { customer: "c1", rep: "r1", score: 3 },
        { customer: "c1", rep: "r1", score: 4 },
      ]),
    ).toThrow(/duplicate/);
  });
});

describe("scorePair with the built-in model", () => {
  // Two reps in segment smb: r1 3/10, r2 1/10. p0 = 4/20 = 0.2.
  // Rep k: rates 0.3, 0.1; s² = 0.02; noise = 0.16 · 0.1 = 0.016; τ² = 0.004; k = 0.16/0.004 − 1 = 39.
  // One segment → k_seg = 20; p_smb = (4 + 20·0.2)/(20 + 20) = 0.2.
  // p(r1, smb) = (3 + 39·0.2)/(10 + 39) = 10.8/49 ≈ 0.22041
  const conversion = buildConversionModel([
    { rep: "r1", segment: "smb", wins: 3, attempts: 10 },
    { rep: "r2", segment: "smb", wins: 1, attempts: 10 },
  ]);
  const p = 10.8 / 49;
  const rep: Rep = { id: "r1", territories: ["north"], specialties: ["a"], location: { lat: 0, lon: 1 } };
  const customer: Customer = {
    id: "c1",
    value: 1000,
    segment: "smb",
    territory: "south",
    needs: ["a", "b"],
    location: { lat: 0, lon: 0 },
    currentRep: "r2",
  };
  const policy: Policy = {
    territory: "soft",
    territoryPenalty: 50,
    travelCostPerKm: 0.5,
    stability: { movePenalty: 20 },
  };

  it("combines value × p × fit − travel − penalties", () => {
    expect(conversion.priorStrength).toBeCloseTo(39, 10);
    const { expectedValue, components } = scorePair(context(policy, conversion), customer, rep);
    // fit = 1 + 0.25 · 1/2 = 1.125; km = 111.195; travel = 0.5 · 111.195 = 55.598; penalty = 50 + 20
    // ev = 1000 · 0.22041 · 1.125 − 55.598 − 70 ≈ 122.36
    expect(expectedValue).toBeCloseTo(1000 * p * 1.125 - 0.5 * ONE_DEGREE_KM - 70, 10);
    expect(expectedValue).toBeCloseTo(122.36, 2);
    expect(components).toEqual({
      value: 1000,
      conversion: expect.closeTo(p, 12),
      conversionInterval: conversion.estimate("r1", "smb").interval,
      fit: 1.125,
      distanceKm: expect.closeTo(ONE_DEGREE_KM, 9),
      travelCost: expect.closeTo(0.5 * ONE_DEGREE_KM, 9),
      penalty: 70,
      source: "model",
    });
    const [lower, upper] = components.conversionInterval ?? [Number.NaN, Number.NaN];
    expect(lower).toBeLessThan(p);
    expect(upper).toBeGreaterThan(p);
  });

  it("uses the segment rate for a rep without data there, and the rep's pooled rate without a segment", () => {
    const stranger: Rep = { id: "r7" };
    const plain: Customer = { id: "c2", value: 100, segment: "smb" };
    // p_smb = 0.2, fit 1, no travel, no penalty: 100 · 0.2 = 20
    expect(scorePair(context(undefined, conversion), plain, stranger).expectedValue).toBeCloseTo(20, 12);
    // no segment: r1 pooled 3/10 toward p0 = 0.2 with k = 39 → same 10.8/49 here
    expect(scorePair(context(undefined, conversion), { id: "c3", value: 100 }, rep).expectedValue).toBeCloseTo(100 * p, 10);
  });

  it("is neutral without history: conversion 1, no interval", () => {
    const { expectedValue, components } = scorePair(context({ specialtyBonus: 0.5 }), { id: "c1", value: 80, needs: ["a"] }, rep);
    // 80 · 1 · (1 + 0.5) = 120
    expect(expectedValue).toBeCloseTo(120, 12);
    expect(components.conversion).toBe(1);
    expect(components.conversionInterval).toBeNull();
    expect(components.fit).toBeCloseTo(1.5, 14);
  });

  it("has no distance and no travel cost when a location is missing", () => {
    const { expectedValue, components } = scorePair(
      context({ travelCostPerKm: 3 }),
      { id: "c1", value: 10, location: { lat: 0, lon: 0 } },
      { id: "r1" },
    );
    expect(components.distanceKm).toBeNull();
    expect(components.travelCost).toBe(0);
    expect(expectedValue).toBe(10);
  });

  it("can go negative when travel outweighs value", () => {
    // 10 · 1 · 1 − 2 · 111.195 = −212.39
    const { expectedValue } = scorePair(
      context({ travelCostPerKm: 2 }),
      { id: "c1", value: 10, location: { lat: 0, lon: 0 } },
      { id: "r1", location: { lat: 1, lon: 0 } },
    );
    expect(expectedValue).toBeCloseTo(10 - 2 * ONE_DEGREE_KM, 9);
  });
});

describe("scorePair with pair scores", () => {
  const pairs: PairScore[] = [
    { customer: "c1", rep: "r1", score: 42 },
    { customer: "c1", rep: "r2", score: -7, workload: 3 },
  ];
  const customer: Customer = {
    id: "c1",
    value: 500,
    territory: "south",
    currentRep: "r2",
    needs: ["a"],
    location: { lat: 0, lon: 0 },
  };
  const policy: Policy = { territory: "soft", territoryPenalty: 5, travelCostPerKm: 10, stability: { movePenalty: 2 } };
  const history = buildConversionModel([{ rep: "r1", wins: 1, attempts: 10 }]);

  it("replaces value × p × fit − travel with the score, keeping penalties", () => {
    const rep: Rep = { id: "r1", territories: ["north"], specialties: ["a"], location: { lat: 0, lon: 1 } };
    const { expectedValue, components } = scorePair(context(policy, history, pairs), customer, rep);
    // 42 − (5 territory + 2 move) = 35
    expect(expectedValue).toBe(35);
    expect(components).toEqual({
      value: 500,
      conversion: null,
      conversionInterval: null,
      fit: null,
      distanceKm: expect.closeTo(ONE_DEGREE_KM, 9),
      travelCost: 0,
      penalty: 7,
      source: "pairs",
    });
  });

  it("uses a negative score as given (minimisation benchmarks)", () => {
    // r2 is the current rep and works everywhere: no penalty
    const { expectedValue, components } = scorePair(context(policy, history, pairs), customer, { id: "r2" });
    expect(expectedValue).toBe(-7);
    expect(components.distanceKm).toBeNull();
    expect(components.penalty).toBe(0);
  });

  it("throws for a pair that is not listed", () => {
    expect(() => scorePair(context(policy, history, pairs), customer, { id: "r3" })).toThrow(/no pair score/);
    expect(() => scorePair(context(policy, history, []), customer, { id: "r1" })).toThrow(/no pair score/);
  });
});
