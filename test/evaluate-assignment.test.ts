import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan, type BrokenConstraint, type EvaluatedPair, type Violation } from "../models/index.ts";
import { AssignmentEvaluator } from "../src/evaluate/assignment-evaluator.ts";
import { evaluationOf, loadAssignment } from "../src/evaluate/evaluate-assignment.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { solveExactly } from "./exact-solve.ts";
import { prng, randomSmallPlan } from "./random-small-plan.ts";
import { tinyPlan } from "./tiny-plan.ts";

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/** A random partial assignment: each customer named or not, to a random rep or to nobody. */
function randomAssignment(plan: Plan, seed: number): EvaluatedPair[] {
  const rnd = prng(seed);
  const out: EvaluatedPair[] = [];
  for (const c of plan.customers) {
    if (rnd() < 0.2) continue;
    const r = Math.floor(rnd() * (plan.reps.length + 1));
    out.push({ customer: c.id, rep: plan.reps[r]?.id ?? null });
  }
  return out;
}

/** The assignment the evaluator holds, as the verifier's (customer, rep) pairs in plan order. */
function held(evaluator: AssignmentEvaluator): { customer: string; rep: string }[] {
  const out: { customer: string; rep: string }[] = [];
  evaluator.plan.customers.forEach((c, i) => {
    const rep = evaluator.plan.reps[evaluator.repIndexOf(i)];
    if (rep !== undefined) out.push({ customer: c.id, rep: rep.id });
  });
  return out;
}

const brokenKeys = (broken: readonly BrokenConstraint[]) =>
  broken.map((b) => (b.kind === "max-moves" ? "max-moves||" : `${b.kind}|${b.customers[0] ?? ""}|${b.reps[0] ?? ""}`)).sort();
const violationKeys = (violations: readonly Violation[]) => violations.map((v) => `${v.kind}|${v.customer ?? ""}|${v.rep ?? ""}`).sort();

/** The evaluator and the verifier see the same assignment the same way. */
function expectAgreement(evaluator: AssignmentEvaluator): void {
  const report = verifyAssignment(evaluator.plan, held(evaluator));
  const totals = evaluator.totals();
  expect(close(totals.objective, report.objective), `objective ${totals.objective} vs verifier ${report.objective}`).toBe(true);
  expect(totals.feasible).toBe(report.passed);
  expect(brokenKeys(evaluator.broken())).toEqual(violationKeys(report.violations));
  const counted = Object.values(totals.brokenByKind).reduce((s, n) => s + n, 0);
  expect(counted).toBe(report.violations.length);
}

describe("evaluate: agrees with the verifier", () => {
  it("on random plans and random partial assignments", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const plan = Plan.parse(randomSmallPlan(seed, 10, 4));
        const loaded = loadAssignment(plan, randomAssignment(plan, seed ^ 0x5bd1e995));
        if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
        expectAgreement(loaded.evaluator);
      }),
      { numRuns: 300 },
    );
  });

  it("after every one of a random sequence of single moves (the incremental path)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const plan = Plan.parse(randomSmallPlan(seed, 10, 4));
        const evaluator = new AssignmentEvaluator(plan);
        const rnd = prng(seed + 17);
        for (let step = 0; step < 12; step++) {
          const c = Math.floor(rnd() * plan.customers.length);
          const r = Math.floor(rnd() * (plan.reps.length + 1)) - 1;
          evaluator.assign(c, r);
          expectAgreement(evaluator);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("evaluate: agrees with a solve", () => {
  it("an optimal assignment evaluates to the solve's objective, breaks nothing and gives up nothing; any feasible one gives up ≥ 0", async () => {
    let optimal = 0;
    let compared = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const plan = Plan.parse(randomSmallPlan(seed * 7919, 7, 3));
      const solution = await solveExactly(plan);
      if (solution.status !== "optimal" || solution.objective === null) continue;
      optimal++;
      const assigned = new Map(solution.assignments.map((a) => [a.customer, a.rep]));
      const full = plan.customers.map((c) => ({ customer: c.id, rep: assigned.get(c.id) ?? null }));
      const loaded = loadAssignment(plan, full);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
      const evaluation = evaluationOf(loaded, solution);
      expect(evaluation.broken).toEqual([]);
      expect(evaluation.feasible).toBe(true);
      expect(close(evaluation.objective, solution.objective)).toBe(true);
      expect(evaluation.optimum?.differingChoices).toBe(0);
      expect(Math.abs(evaluation.optimum?.valueGivenUp ?? NaN)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(solution.objective)));

      // Any other feasible assignment of the same plan gives up at least nothing against the proven optimum.
      const other = loadAssignment(plan, randomAssignment(plan, seed));
      if (!other.ok) throw new Error(JSON.stringify(other.errors));
      const against = evaluationOf(other, solution);
      if (against.feasible) {
        compared++;
        expect(against.optimum?.valueGivenUp ?? NaN).toBeGreaterThanOrEqual(-1e-6 * Math.max(1, Math.abs(solution.objective)));
      }
    }
    expect(optimal).toBeGreaterThan(20);
    expect(compared).toBeGreaterThan(0);
  });
});

describe("evaluate: a hand-computed case", () => {
  const plan = Plan.parse(tinyPlan);

  it("the swapped assignment: objective 4 + 8 = 12, gives up 17 − 12 = 5, c1's choice costs 10 − 4 = 6", async () => {
    const solution = await solveExactly(plan);
    const loaded = loadAssignment(plan, [
      { customer: "c1", rep: "r2" },
      { customer: "c2", rep: "r1" },
    ]);
    if (!loaded.ok) throw new Error("unexpected");
    const e = evaluationOf(loaded, solution);
    expect(e.objective).toBe(12);
    expect(e.feasible).toBe(true);
    expect(e.optimum?.objective).toBe(17);
    expect(e.optimum?.valueGivenUp).toBe(5);
    expect(e.optimum?.costliest).toEqual([
      { customer: "c1", chosen: "r2", optimal: "r1", valueGivenUp: 6 },
      { customer: "c2", chosen: "r1", optimal: "r2", valueGivenUp: -1 },
    ]);
    expect(e.reps.map((r) => [r.id, r.accounts, r.expectedValue, r.maxAccounts])).toEqual([
      ["r1", 1, 8, 1],
      ["r2", 1, 4, 1],
    ]);
  });

  it("both on r1: max-accounts on reps[0], with the rep named; partial: c2 unnamed and without currentRep is unassigned", () => {
    const loaded = loadAssignment(plan, [
      { customer: "c2", rep: "r1" },
      { customer: "c1", rep: "r1" },
    ]);
    if (!loaded.ok) throw new Error("unexpected");
    const e = evaluationOf(loaded);
    expect(e.objective).toBe(18);
    expect(e.broken).toEqual([{ kind: "max-accounts", message: 'rep "r1" has 2 accounts > maxAccounts 1', path: "reps[0].maxAccounts", customers: [], reps: ["r1"] }]);

    const partial = loadAssignment(plan, [{ customer: "c1", rep: "r1" }]);
    if (!partial.ok) throw new Error("unexpected");
    expect(evaluationOf(partial).broken).toEqual([
      { kind: "missing", message: 'customer "c2" is not assigned (policy.allowUnassigned is false)', path: "customers[1].currentRep", customers: ["c2"], reps: [] },
    ]);
  });

  it("a customer not named keeps its currentRep; a pair rule broken names the assignment entry", () => {
    const withCurrent = Plan.parse({ ...tinyPlan, customers: [{ id: "c1", value: 100, currentRep: "r2" }, { id: "c2", value: 100 }], policy: { forbid: [{ customer: "c2", rep: "r2" }] } });
    const loaded = loadAssignment(withCurrent, [{ customer: "c2", rep: "r2" }]);
    if (!loaded.ok) throw new Error("unexpected");
    const e = evaluationOf(loaded);
    expect(e.reps.map((r) => r.accounts)).toEqual([0, 2]);
    expect(e.broken.map((b) => [b.kind, b.path, b.customers, b.reps])).toEqual([
      ["forbidden", "assignment[0]", ["c2"], ["r2"]],
      ["max-accounts", "reps[1].maxAccounts", [], ["r2"]],
    ]);
  });

  it("an override not followed is a broken lock naming policy.overrides[j] (resolved after policy.locks); customers in plan order", () => {
    const withOverride = Plan.parse({
      ...tinyPlan,
      policy: { locks: [{ customer: "c2", rep: "r2" }], overrides: [{ customer: "c1", rep: "r1", by: "ana", reason: "key account" }] },
    });
    const loaded = loadAssignment(withOverride, [
      { customer: "c1", rep: "r2" },
      { customer: "c2", rep: "r1" },
    ]);
    if (!loaded.ok) throw new Error("unexpected");
    expect(evaluationOf(loaded).broken.map((b) => [b.kind, b.path, b.customers, b.reps])).toEqual([
      ["lock", "policy.overrides[0]", ["c1"], ["r1", "r2"]],
      ["lock", "policy.locks[0]", ["c2"], ["r2", "r1"]],
    ]);
  });

  it("unknown ids and a customer named twice are field errors with their paths", () => {
    const loaded = loadAssignment(plan, [
      { customer: "c1", rep: "r1" },
      { customer: "zz", rep: "r1" },
      { customer: "c2", rep: "nope" },
      { customer: "c1", rep: "r2" },
    ]);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors.map((e) => e.path)).toEqual(["assignment[1].customer", "assignment[2].rep", "assignment[3].customer"]);
  });
});
