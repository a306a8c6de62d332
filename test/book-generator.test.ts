import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { generateBook, generateBookWithWitness, REALISTIC_BOOK_TRAITS, type BookOptions } from "../data/book-generator.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";

const FC = { seed: 424242, numRuns: 40 };

/** Independent check that `witness` satisfies hard territories, required specialties and capacities. */
function witnessViolations(plan: Plan, witness: string[]): string[] {
  const problems: string[] = [];
  const reps = new Map(plan.reps.map((r) => [r.id, r]));
  const count = new Map<string, number>();
  const work = new Map<string, number>();
  plan.customers.forEach((c, i) => {
    const id = witness[i];
    const rep = id === undefined ? undefined : reps.get(id);
    if (rep === undefined) {
      problems.push(`${c.id}: no witness rep`);
      return;
    }
    if (c.territory !== undefined && rep.territories !== undefined && !rep.territories.includes(c.territory)) problems.push(`${c.id}: ${rep.id} does not cover ${c.territory}`);
    for (const s of c.requires ?? []) if (!(rep.specialties ?? []).includes(s)) problems.push(`${c.id}: ${rep.id} lacks ${s}`);
    count.set(rep.id, (count.get(rep.id) ?? 0) + 1);
    work.set(rep.id, (work.get(rep.id) ?? 0) + (c.workload ?? 1));
  });
  for (const rep of plan.reps) {
    if (rep.maxAccounts !== undefined && (count.get(rep.id) ?? 0) > rep.maxAccounts) problems.push(`${rep.id}: over maxAccounts`);
    if (rep.maxWorkload !== undefined && (work.get(rep.id) ?? 0) > rep.maxWorkload) problems.push(`${rep.id}: over maxWorkload`);
  }
  return problems;
}

const optionsArbitrary: fc.Arbitrary<BookOptions> = fc
  .record({
    seed: fc.integer(),
    customers: fc.integer({ min: 1, max: 400 }),
    reps: fc.integer({ min: 1, max: 25 }),
    territoryFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    segments: fc.integer({ min: 1, max: 10 }),
    specialties: fc.integer({ min: 1, max: 10 }),
    history: fc.boolean(),
    currentOwners: fc.double({ min: 0, max: 1, noNaN: true }),
    locations: fc.boolean(),
    workloads: fc.boolean(),
    capacitySlack: fc.double({ min: 1, max: 2, noNaN: true }),
  })
  .map(({ territoryFraction, ...rest }) => ({ ...rest, territories: 1 + Math.floor(territoryFraction * (rest.reps - 1)) }));

function homeTerritory(rep: Plan["reps"][number]): string {
  return rep.territories?.[0] ?? "";
}

describe("generateBook", () => {
  it("is deterministic in the seed", () => {
    expect(generateBook({ seed: 11, customers: 200 })).toEqual(generateBook({ seed: 11, customers: 200 }));
    expect(generateBook({ seed: 11, customers: 200 })).not.toEqual(generateBook({ seed: 12, customers: 200 }));
  });

  it("always produces a valid plan with a feasible hidden assignment, within the requested slack", () => {
    fc.assert(
      fc.property(optionsArbitrary, (options) => {
        const { plan, witness } = generateBookWithWitness(options);
        expect(Plan.safeParse(plan).success).toBe(true);
        expect(plan.customers).toHaveLength(options.customers ?? 0);
        expect(plan.reps).toHaveLength(options.reps ?? 0);
        expect(witnessViolations(plan, witness)).toEqual([]);

        const slack = options.capacitySlack ?? 0;
        const territories = new Set(plan.customers.map((c) => c.territory));
        expect(territories.size).toBeLessThanOrEqual(options.territories ?? 0);
        for (const t of new Set(plan.reps.map(homeTerritory))) {
          const demand = plan.customers.filter((c) => c.territory === t);
          const home = plan.reps.filter((r) => homeTerritory(r) === t);
          const accounts = home.reduce((s, r) => s + (r.maxAccounts ?? 0), 0);
          // Capacity of the territory's home reps alone ≥ slack × demand, and at most one unit of rounding per rep above it.
          expect(accounts).toBeGreaterThanOrEqual(slack * demand.length - 1e-9);
          expect(accounts).toBeLessThanOrEqual(slack * demand.length + home.length);
          if (options.workloads === true) {
            const work = demand.reduce((s, c) => s + (c.workload ?? 1), 0);
            const capacity = home.reduce((s, r) => s + (r.maxWorkload ?? 0), 0);
            expect(capacity).toBeGreaterThanOrEqual(slack * work - 1e-9);
            expect(capacity).toBeLessThanOrEqual(slack * work + home.length);
          }
        }
      }),
      FC,
    );
  });

  it("keeps the structural promises: reps, owners, required specialties, history", () => {
    fc.assert(
      fc.property(optionsArbitrary, (options) => {
        const plan = generateBook(options);
        for (const rep of plan.reps) {
          const territories = rep.territories ?? [];
          const specialties = rep.specialties ?? [];
          expect(territories.length).toBeGreaterThanOrEqual(1);
          expect(territories.length).toBeLessThanOrEqual(3);
          expect(new Set(territories).size).toBe(territories.length);
          expect(specialties.length).toBeGreaterThanOrEqual(1);
          expect(specialties.length).toBeLessThanOrEqual(3);
          expect(new Set(specialties).size).toBe(specialties.length);
          expect([0, 1, 2, 3]).toContain(rep.seniority);
          expect(rep.maxWorkload !== undefined).toBe(options.workloads === true);
          expect(rep.location !== undefined).toBe(options.locations === true);
        }
        const repById = new Map(plan.reps.map((r) => [r.id, r]));
        for (const c of plan.customers) {
          expect(c.value).toBeGreaterThan(0);
          expect(c.workload !== undefined).toBe(options.workloads === true);
          expect(c.location !== undefined).toBe(options.locations === true);
          if (c.currentRep !== undefined) expect(repById.get(c.currentRep)?.territories).toContain(c.territory);
          for (const s of c.requires ?? []) {
            const holders = plan.reps.filter((r) => homeTerritory(r) === c.territory && (r.specialties ?? []).includes(s));
            expect(holders.length).toBeGreaterThanOrEqual(2);
          }
        }
        expect(plan.history !== undefined).toBe(options.history === true);
        const keys = (plan.history ?? []).map((h) => `${h.rep}/${h.segment ?? ""}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const h of plan.history ?? []) expect(h.attempts).toBeGreaterThan(0);
      }),
      FC,
    );
  });

  it("looks like a real book at scale: values, owners, needs, clusters, uneven history", () => {
    const plan = generateBook({ seed: 7, customers: 20_000, reps: 200, territories: 6, segments: 6, currentOwners: 0.8 });
    const values = plan.customers.map((c) => c.value).sort((a, b) => a - b);
    const median = values[10_000] ?? 0;
    expect(median).toBeGreaterThan(45_000);
    expect(median).toBeLessThan(55_000);
    expect(values.at(-1)).toBeGreaterThan(1_000_000);
    expect(values.at(-1)).toBeLessThanOrEqual(5_000_000);

    const owned = plan.customers.filter((c) => c.currentRep !== undefined).length / plan.customers.length;
    expect(owned).toBeGreaterThan(0.78);
    expect(owned).toBeLessThan(0.82);
    const needs = plan.customers.filter((c) => (c.needs ?? []).length > 0).length / plan.customers.length;
    expect(needs).toBeGreaterThan(0.5);
    const requires = plan.customers.filter((c) => (c.requires ?? []).length > 0).length / plan.customers.length;
    expect(requires).toBeGreaterThan(0.01);
    expect(requires).toBeLessThan(0.08);

    // The first territory is centred on Brussels (50.85 N, 4.35 E).
    const benelux = plan.customers.filter((c) => c.territory === "benelux");
    const lat = benelux.reduce((s, c) => s + (c.location?.lat ?? 0), 0) / benelux.length;
    const lon = benelux.reduce((s, c) => s + (c.location?.lon ?? 0), 0) / benelux.length;
    expect(Math.abs(lat - 50.85)).toBeLessThan(0.1);
    expect(Math.abs(lon - 4.35)).toBeLessThan(0.15);

    // Most reps cover one territory; some cover more.
    const single = plan.reps.filter((r) => (r.territories ?? []).length === 1).length / plan.reps.length;
    expect(single).toBeGreaterThan(0.6);
    expect(single).toBeLessThan(0.9);

    // Very uneven sample sizes, and segments that convert at different rates.
    const attempts = (plan.history ?? []).map((h) => h.attempts);
    expect(attempts.some((a) => a <= 3)).toBe(true);
    expect(attempts.some((a) => a >= 200)).toBe(true);
    const rate = (segment: string) => {
      const rows = (plan.history ?? []).filter((h) => h.segment === segment);
      return rows.reduce((s, h) => s + h.wins, 0) / rows.reduce((s, h) => s + h.attempts, 0);
    };
    expect(rate("technology")).toBeGreaterThan(2 * rate("healthcare"));
  });

  it("honours the switches and copies the policy verbatim", () => {
    const policy = { territory: "soft" as const, territoryPenalty: 100 };
    const plan = generateBook({ customers: 50, reps: 4, territories: 2, history: false, currentOwners: false, locations: false, workloads: false, policy });
    expect(plan.history).toBeUndefined();
    expect(plan.policy).toEqual(policy);
    expect(plan.customers.every((c) => c.currentRep === undefined && c.location === undefined && c.workload === undefined)).toBe(true);
    expect(plan.reps.every((r) => r.maxWorkload === undefined && r.location === undefined && r.maxAccounts !== undefined)).toBe(true);
    expect(generateBook({ customers: 50, currentOwners: true }).customers.some((c) => c.currentRep !== undefined)).toBe(true);
    const named = generateBook({ customers: 50, specialties: ["x", "y"] });
    expect(new Set(named.reps.flatMap((r) => r.specialties ?? []))).toEqual(new Set(["x", "y"]));
  });

  it("names extra territories, segments and specialties beyond the built-in lists", () => {
    const plan = generateBook({ customers: 400, reps: 30, territories: 15, segments: 10, specialties: 10 });
    expect(new Set(plan.reps.map(homeTerritory)).size).toBe(15);
    expect(plan.reps.some((r) => homeTerritory(r) === "region-15")).toBe(true);
    expect(plan.customers.some((c) => c.segment === "segment-10")).toBe(true);
    expect(plan.reps.some((r) => (r.specialties ?? []).includes("specialty-10")) || plan.customers.some((c) => (c.needs ?? []).includes("specialty-10"))).toBe(true);
  });

  it("rejects impossible options with a clear RangeError", () => {
    expect(() => generateBook({ reps: 3, territories: 4 })).toThrow(/territories \(4\) must not exceed reps \(3\)/);
    expect(() => generateBook({ customers: 0 })).toThrow(RangeError);
    expect(() => generateBook({ reps: 2.5 })).toThrow(RangeError);
    expect(() => generateBook({ specialties: [] })).toThrow(RangeError);
    expect(() => generateBook({ specialties: ["a", "a"] })).toThrow(RangeError);
    expect(() => generateBook({ currentOwners: 1.5 })).toThrow(RangeError);
    expect(() => generateBook({ capacitySlack: 0 })).toThrow(RangeError);
  });

  // Generation speed is measured in bench/, never asserted here; this checks the large book is valid.
  it("generates a valid, feasible 100,000 customers × 1,000 reps book", () => {
    const { plan, witness } = generateBookWithWitness({ seed: 1, customers: 100_000, reps: 1_000, territories: 12, segments: 8 });
    expect(plan.customers).toHaveLength(100_000);
    expect(plan.reps).toHaveLength(1_000);
    expect(witnessViolations(plan, witness)).toEqual([]);
    expect(Plan.safeParse(plan).success).toBe(true);
  });

  describe("realistic traits", () => {
    const policy = { fairness: { valueBand: 0.2 }, stability: { maxMoves: 450 } };
    const options: BookOptions = { seed: 5, customers: 3_000, reps: 60, territories: 4, ...REALISTIC_BOOK_TRAITS, policy };

    it("keep the hidden assignment feasible under every rule: territories, specialties, seniority, capacities, value band, move budget", () => {
      for (const seed of [5, 6, 7]) {
        const { plan, witness } = generateBookWithWitness({ ...options, seed });
        expect(Plan.safeParse(plan).success).toBe(true);
        const report = verifyAssignment(
          plan,
          plan.customers.map((c, i) => ({ customer: c.id, rep: witness[i] ?? "" })),
        );
        expect(report.violations).toEqual([]);
        expect(report.passed).toBe(true);
      }
    });

    it("look as asked: senior accounts, stale owners, neighbour cover, specialties, workloads, value spread", () => {
      const { plan, witness } = generateBookWithWitness(options);
      const rule = plan.policy?.seniority?.[0];
      expect(plan.policy?.fairness).toEqual(policy.fairness);
      expect(rule?.minSeniority).toBe(2);
      const senior = plan.customers.filter((c) => c.value >= (rule?.minValue ?? Infinity)).length;
      expect(senior).toBeGreaterThanOrEqual(0.06 * 3_000);
      expect(senior).toBeLessThan(0.07 * 3_000);
      expect(plan.customers.every((c) => c.currentRep !== undefined)).toBe(true);
      const stale = plan.customers.filter((c, i) => c.currentRep !== witness[i]).length;
      expect(stale).toBeGreaterThan(0.1 * 3_000);
      expect(stale).toBeLessThan(0.15 * 3_000);
      const covering = plan.reps.filter((r) => (r.territories?.length ?? 0) === 2).length;
      expect(plan.reps.every((r) => (r.territories?.length ?? 0) <= 2)).toBe(true);
      expect(covering).toBeGreaterThan(0.15 * 60);
      expect(covering).toBeLessThan(0.45 * 60);
      const requiring = plan.customers.filter((c) => c.requires !== undefined).length;
      expect(requiring).toBeGreaterThan(0.015 * 3_000);
      expect(requiring).toBeLessThan(0.045 * 3_000);
      expect(plan.customers.every((c) => (c.workload ?? 0) >= 0.5 && (c.workload ?? 0) <= 3.5)).toBe(true);
      expect(new Set(plan.customers.map((c) => c.workload)).size).toBeGreaterThan(20);
      // Heavy tail: the mean is well above the median (log-normal σ 1.1: ratio e^0.605 ≈ 1.8).
      const values = plan.customers.map((c) => c.value).sort((a, b) => a - b);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      expect(mean / (values[1_500] ?? 1)).toBeGreaterThan(1.5);
      // Staffed by value: every rep's hidden value is its fair share (maxWorkload ∝ hidden value), to rounding.
      const total = values.reduce((s, v) => s + v, 0);
      const workSum = plan.reps.reduce((s, r) => s + (r.maxWorkload ?? 0), 0);
      const held = new Map<string, number>();
      plan.customers.forEach((c, i) => held.set(witness[i] ?? "", (held.get(witness[i] ?? "") ?? 0) + c.value));
      for (const rep of plan.reps) {
        const share = ((rep.maxWorkload ?? 0) / workSum) * total;
        expect(Math.abs((held.get(rep.id) ?? 0) - share)).toBeLessThan(0.05 * share);
      }
    });

    it("leave the default books unchanged and reject bad trait options", () => {
      const plain = generateBook({ seed: 9, customers: 200 });
      expect(generateBook({ seed: 9, customers: 200, staleOwners: 0.25, requiresFraction: 0.04, valueSigma: 1.2 })).toEqual(plain);
      expect(plain.policy).toBeUndefined();
      expect(() => generateBook({ staleOwners: 2 })).toThrow(RangeError);
      expect(() => generateBook({ workloadRange: [0, 1] })).toThrow(RangeError);
      expect(() => generateBook({ seniorAccounts: -0.1 })).toThrow(RangeError);
      expect(() => generateBook({ valueSigma: -1 })).toThrow(RangeError);
    });
  });
});
