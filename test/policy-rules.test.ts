import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan, type Rule } from "../models/index.ts";
import { PlanExpressionError } from "../src/expressions/plan-expression-error.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { planErrors, validPlan } from "./plan-parsing.ts";
import { randomSmallPlan } from "./random-small-plan.ts";

/** The same plan with its built-in seniority rules and `requires` lists expressed as policy.rules. */
function asRules(plan: Plan): Plan {
  const rules: Rule[] = [];
  (plan.policy?.seniority ?? []).forEach((s, i) =>
    rules.push({ name: `seniority-${i}`, when: `customer.value >= ${s.minValue}`, require: `rep.seniority >= ${s.minSeniority}` }),
  );
  for (const c of plan.customers) {
    if ((c.requires ?? []).length === 0) continue;
    const all = (c.requires ?? []).map((s) => `contains(rep.specialties, ${JSON.stringify(s)})`).join(" and ");
    rules.push({ name: `requires-${c.id}`, when: `customer.id == ${JSON.stringify(c.id)}`, require: all });
  }
  const policy = { ...plan.policy, rules };
  delete policy.seniority;
  return { ...plan, customers: plan.customers.map(({ requires: _requires, ...rest }) => rest), policy };
}

const small = (policy: Record<string, unknown>) => ({
  customers: [
    { id: "bank", value: 250_000, segment: "finance", territory: "north" },
    { id: "shop", value: 20_000, segment: "retail", territory: "north" },
  ],
  reps: [
    { id: "senior", seniority: 3, specialties: ["compliance"] },
    { id: "junior", seniority: 0 },
  ],
  policy,
});

describe("planner rules are hard constraints", () => {
  it("a plan with rules solves exactly like the same plan with the equivalent built-in constraints", async () => {
    let withRules = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const builtIn = Plan.parse(randomSmallPlan(seed, 8, 3));
        const ruled = validPlan(asRules(builtIn));
        if ((ruled.policy?.rules ?? []).length > 0) withRules++;
        const a = (await solvePlan(builtIn, { mipGap: 0 })).solution;
        const b = (await solvePlan(ruled, { mipGap: 0 })).solution;
        expect(b.status).toBe(a.status);
        expect(b.objective).toBe(a.objective);
        expect(b.assignments.map((x) => [x.customer, x.rep])).toEqual(a.assignments.map((x) => [x.customer, x.rep]));
      }),
      { seed: 4242, numRuns: 120 },
    );
    expect(withRules).toBeGreaterThan(20);
  });

  it("'finance accounts over 100k go to seniority 2+'", async () => {
    const rules = [{ name: "finance-senior", when: 'customer.segment == "finance" and customer.value > 100000', require: "rep.seniority >= 2" }];
    const { solution } = await solvePlan(validPlan(small({ rules, fairness: { countBand: 0 } })));
    expect(solution.assignments.map((a) => [a.customer, a.rep])).toEqual([
      ["bank", "senior"],
      ["shop", "junior"],
    ]);
  });

  it("the infeasibility diagnosis names the rule that removed a customer's reps", async () => {
    const rules = [{ name: "healthcare-compliance", when: 'customer.segment == "finance"', require: 'contains(rep.specialties, "legal")' }];
    const { solution } = await solvePlan(validPlan(small({ rules })));
    expect(solution.status).toBe("infeasible");
    const cause = solution.diagnosis?.causes.find((c) => c.kind === "no-eligible-rep");
    expect(cause?.customers).toEqual(["bank"]);
    expect(cause?.message).toContain('excluded by rule "healthcare-compliance" (policy.rules[0])');
  });

  it("a rule whose result is not true/false is an input error naming the rule and the pair", async () => {
    const plan = validPlan(small({ rules: [{ name: "oops", require: "rep.seniority + 1" }] }));
    const failure = await solvePlan(plan).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PlanExpressionError);
    const [error] = (failure as PlanExpressionError).errors;
    expect(error?.path).toBe("policy.rules[0].require");
    expect(error?.message).toMatch(/rule "oops" gave \d+, not true or false, for customer "bank" and rep "senior"/);
  });
});

describe("score expressions", () => {
  const rich = () =>
    Plan.parse({
      customers: [
        { id: "a", value: 120_000, segment: "tech", needs: ["erp", "cloud"], location: { lat: 48.85, lon: 2.35 }, currentRep: "r1" },
        { id: "b", value: 40_000, segment: "retail", territory: "west", location: { lat: 45.76, lon: 4.84 } },
        { id: "c", value: 75_000, segment: "tech", needs: ["erp"] },
      ],
      reps: [
        { id: "r1", specialties: ["erp"], territories: ["east"], location: { lat: 50.85, lon: 4.35 }, seniority: 1 },
        { id: "r2", specialties: ["cloud", "erp"], location: { lat: 48.14, lon: 11.58 }, seniority: 3, maxAccounts: 2 },
      ],
      history: [
        { rep: "r1", segment: "tech", wins: 9, attempts: 30 },
        { rep: "r2", segment: "tech", wins: 2, attempts: 2 },
        { rep: "r2", segment: "retail", wins: 5, attempts: 40 },
      ],
      policy: { territory: "soft", territoryPenalty: 700, travelCostPerKm: 3, stability: { movePenalty: 900 } },
    });

  it("the default expression reproduces the built-in expected value exactly", async () => {
    const plan = rich();
    const withDefault = validPlan({ ...plan, policy: { ...plan.policy, score: "value * conversion * fit - travelCost" } });
    const a = (await solvePlan(plan)).solution;
    const b = (await solvePlan(withDefault)).solution;
    expect(b.objective).toBe(a.objective);
    expect(b.assignments.map((x) => x.expectedValue)).toEqual(a.assignments.map((x) => x.expectedValue));
    expect(b.assignments[0]?.components.source).toBe("expression");
    expect(b.assignments[0]?.components.score).toBe((a.assignments[0]?.expectedValue ?? 0) + (a.assignments[0]?.components.penalty ?? 0));
  });

  it("a custom score changes the assignment the way a hand calculation says", async () => {
    // No history, no needs: every pair is worth its value (100 and 60) with either rep, and r1 takes one
    // account. Favouring senior reps on accounts ≥ 80 by 1.5×: a→r2 150 + b→r1 60 = 210 beats
    // a→r1 100 + b→r2 90 = 190, so "a" goes to the senior rep.
    const plan = (score?: string) =>
      validPlan({
        customers: [
          { id: "a", value: 100 },
          { id: "b", value: 60 },
        ],
        reps: [
          { id: "r1", seniority: 0, maxAccounts: 1 },
          { id: "r2", seniority: 3, maxAccounts: 1 },
        ],
        policy: score === undefined ? { forbid: [] } : { score },
      });
    const favoured = (await solvePlan(plan("value * (customer.value >= 80 and rep.seniority >= 2 ? 1.5 : 1)"), { mipGap: 0 })).solution;
    expect(favoured.assignments.map((x) => [x.customer, x.rep])).toEqual([
      ["a", "r2"],
      ["b", "r1"],
    ]);
    expect(favoured.objective).toBeCloseTo(210, 9);
    // Pricing travel differently: a score that ignores value entirely prefers whatever is cheapest.
    const flat = (await solvePlan(plan("1"), { mipGap: 0 })).solution;
    expect(flat.objective).toBe(2);
  });

  it("a score that is not a finite number is an input error naming the pair", async () => {
    const failure = await solvePlan(validPlan({ ...small({ score: "10 ^ 10 ^ 10" }) })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PlanExpressionError);
    expect((failure as PlanExpressionError).errors[0]?.path).toBe("policy.score");
    expect((failure as PlanExpressionError).errors[0]?.message).toMatch(/not a finite number, for customer "bank"/);
  });

  it("cannot be combined with external pair scores", () => {
    const plan = { ...small({ score: "value" }), pairs: [{ customer: "bank", rep: "senior", score: 1 }] };
    expect(planErrors(plan).map((e) => e.path)).toContain("policy.score");
  });
});

describe("hostile and broken expressions are rejected before anything runs", () => {
  const hostile = [
    'process.exit(1)',
    'customer.constructor',
    'customer["__proto__"]',
    'customer.value.constructor("return process")()',
    'import({ pwned: 1 }, {})',
    'evaluate("1 + 1")',
    'parse("1")',
    'createUnit("pwn")',
    'simplify("x + x")',
    'derivative("x^2", "x")',
    'f(x) = f(x) + 1; f(1)',
    'f(x) = f(x)',
    'x = 1',
    'cos.constructor("globalThis.pwned = 1")()',
    '[1, 2, 3][1]',
    '1:1000000000',
    'customer.needs[1]',
    '{a: 1}',
    'rep',
  ];
  it.each(hostile)("%s", (expression) => {
    const errors = planErrors(small({ rules: [{ name: "evil", require: expression }] }));
    expect(errors[0]?.path).toBe("policy.rules[0].require");
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it("a 100 kB expression is refused by length", () => {
    const errors = planErrors(small({ score: `value + ${"1 + ".repeat(25_000)}1` }));
    expect(errors.map((e) => e.path)).toEqual(["policy.score"]);
  });

  it("a syntax error carries its path and character position", () => {
    const errors = planErrors(small({ rules: [{ name: "ok", require: "rep.seniority >= 1" }, { name: "x", require: "true" }, { name: "bad", when: "customer.value > (3", require: "true" }] }));
    expect(errors).toEqual([{ path: "policy.rules[2].when", message: expect.stringMatching(/syntax error: .* \(at character 20\)/) }]);
  });

  it("unknown names and fields are named", () => {
    const errors = planErrors(small({ score: "value * bonus + customer.revenue" }));
    expect(errors[0]?.message).toMatch(/unknown name "bonus"/);
  });

  it("huge exponents in a rule do not hang or escape: they are just numbers", async () => {
    const plan = validPlan(small({ rules: [{ name: "big", require: "10 ^ 10 ^ 10 > rep.seniority" }] }));
    expect((await solvePlan(plan)).solution.status).toBe("optimal");
  });
});
