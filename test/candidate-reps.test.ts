import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Plan } from "../models/index.ts";
import { buildCandidateReps } from "../src/plan/candidate-reps.ts";
import { buildEligibilityRules, pairExclusion } from "../src/plan/eligibility.ts";
import { parsePlan } from "../src/plan/parse-plan.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { randomSmallPlan } from "./random-small-plan.ts";

/** r0: north; r1: south and north (listed twice); r2: everywhere; r3: no territory at all. */
const plan: Plan = {
  customers: [
    { id: "n1", value: 1, territory: "north" },
    { id: "n2", value: 1, territory: "north" },
    { id: "s1", value: 1, territory: "south" },
    { id: "e1", value: 1, territory: "east" },
    { id: "x1", value: 1 },
    { id: "l1", value: 1, territory: "north" },
  ],
  reps: [
    { id: "r0", territories: ["north"] },
    { id: "r1", territories: ["south", "north", "north"] },
    { id: "r2" },
    { id: "r3", territories: [] },
  ],
};
const customer = (id: string) => {
  const c = plan.customers.find((x) => x.id === id);
  if (c === undefined) throw new Error(id);
  return c;
};
const lists = (index: ReturnType<typeof buildCandidateReps>) => plan.customers.map((c) => [...index.of(c)]);

describe("candidate reps (hand-computed)", () => {
  it("under hard territories: the reps listing the territory and those working everywhere, the lock's rep alone", () => {
    const index = buildCandidateReps(plan, { territory: "hard", locks: [{ customer: "l1", rep: "r3" }] });
    expect(lists(index)).toEqual([[0, 1, 2], [0, 1, 2], [1, 2], [2], [0, 1, 2, 3], [3]]);
    expect(index.total()).toBe(3 + 3 + 2 + 1 + 4 + 1);
    expect([...index.inTerritory("north")]).toEqual([0, 1, 2]);
    expect([...index.inTerritory("nowhere")]).toEqual([2]);
    // Customers with the same candidates share the list (callers cache per list).
    expect(index.of(customer("n1"))).toBe(index.of(customer("n2")));
  });

  it("under soft territories every rep, locks included", () => {
    const index = buildCandidateReps(plan, { territory: "soft", locks: [{ customer: "l1", rep: "r3" }] });
    expect(lists(index)).toEqual(plan.customers.map(() => [0, 1, 2, 3]));
    expect(index.total()).toBe(6 * 4);
  });

  it("with listed pairs, only the listed reps, ascending, whatever the territories", () => {
    const withPairs: Plan = {
      ...plan,
      pairs: [
        { customer: "n1", rep: "r3", score: 1 },
        { customer: "n1", rep: "r0", score: 1 },
        { customer: "e1", rep: "r1", score: 1 },
      ],
    };
    const index = buildCandidateReps(withPairs, { territory: "hard", locks: [] });
    expect(lists(index)).toEqual([[0, 3], [], [], [1], [], []]);
    expect(index.total()).toBe(3);
  });
});

describe("candidate reps (random plans, fixed seed)", () => {
  it("hold every eligible pair, ascending without repeats, and total() counts them exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        const parsed = parsePlan(randomSmallPlan(seed, 10, 5));
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const p = parsed.plan;
        const policy = resolvePolicy(p.policy);
        const rules = buildEligibilityRules(p, policy);
        const index = buildCandidateReps(p, policy);
        let sum = 0;
        for (const c of p.customers) {
          const list = index.of(c);
          sum += list.length;
          for (let k = 1; k < list.length; k++) expect(list[k]).toBeGreaterThan(list[k - 1] ?? -1);
          p.reps.forEach((rep, r) => {
            if (pairExclusion(rules, c, rep) === null) expect(list).toContain(r);
          });
        }
        expect(index.total()).toBe(sum);
      }),
      { seed: 20_251_130, numRuns: 300 },
    );
  });
});
