import { describe, expect, it } from "vitest";
import { Change, Plan } from "../models/index.ts";
import { applyChanges } from "../src/what-if/plan-changes.ts";
import { changedPlan } from "./changed-plan.ts";

const base = Plan.parse({
  customers: [
    { id: "c1", value: 100, territory: "north", segment: "smb", currentRep: "r1" },
    { id: "c2", value: 200, territory: "south", segment: "ent", currentRep: "r2", workload: 2 },
    { id: "c3", value: 300, territory: "north", segment: "ent" },
  ],
  reps: [
    { id: "r1", territories: ["north"], maxAccounts: 2 },
    { id: "r2", territories: ["south"], maxAccounts: 2, minAccounts: 1 },
  ],
  history: [{ rep: "r2", wins: 1, attempts: 4 }],
  policy: { fairness: { valueBand: 0.5, countBand: 1 }, stability: { movePenalty: 10 }, locks: [{ customer: "c3", rep: "r1" }], forbid: [{ customer: "c2", rep: "r1" }] },
});

const at = ["scenarios", 1, "changes"] as const;

function apply(changes: unknown[]) {
  return applyChanges(base, changes.map((c) => Change.parse(c)), at);
}

const planOf = (changes: unknown[]): Plan => changedPlan(base, changes, at);

describe("applyChanges: each operation", () => {
  it("removeRep keeps the rep as unavailable (history kept), drops locks to it and leaves its customers pointing at it", () => {
    const plan = planOf([{ op: "removeRep", rep: "r1" }]);
    expect(plan.reps.map((r) => [r.id, r.available])).toEqual([
      ["r1", false],
      ["r2", undefined],
    ]);
    expect(plan.policy?.locks).toEqual([]);
    expect(plan.customers.find((c) => c.id === "c1")?.currentRep).toBe("r1");
    expect(plan.history).toEqual(base.history);
  });

  it("addRep appends; updateRep sets and removes fields (null lifts a limit)", () => {
    const plan = planOf([
      { op: "addRep", rep: { id: "r3", territories: ["north", "south"], maxAccounts: 5 } },
      { op: "updateRep", rep: "r2", set: { maxAccounts: null, minAccounts: 0, specialties: ["erp"] } },
    ]);
    expect(plan.reps.map((r) => r.id)).toEqual(["r1", "r2", "r3"]);
    expect(plan.reps[1]).toEqual({ id: "r2", territories: ["south"], minAccounts: 0, specialties: ["erp"] });
  });

  it("addCustomers appends; removeCustomers drops them with their locks and forbids; updateCustomer patches", () => {
    const plan = planOf([
      { op: "addCustomers", customers: [{ id: "c4", value: 50, currentRep: "r2" }] },
      { op: "removeCustomers", customers: ["c3", "c2"] },
      { op: "updateCustomer", customer: "c1", set: { value: 120, territory: null, currentRep: null, needs: ["erp"] } },
    ]);
    expect(plan.customers).toEqual([
      { id: "c1", value: 120, segment: "smb", needs: ["erp"] },
      { id: "c4", value: 50, currentRep: "r2" },
    ]);
    expect(plan.policy?.locks).toEqual([]);
    expect(plan.policy?.forbid).toEqual([]);
  });

  it("scaleValues multiplies the values of the matching customers only", () => {
    expect(planOf([{ op: "scaleValues", factor: 1.5 }]).customers.map((c) => c.value)).toEqual([150, 300, 450]);
    expect(planOf([{ op: "scaleValues", factor: 2, territory: "north" }]).customers.map((c) => c.value)).toEqual([200, 200, 600]);
    expect(planOf([{ op: "scaleValues", factor: 0, territory: "north", segment: "ent" }]).customers.map((c) => c.value)).toEqual([100, 200, 0]);
  });

  it("setPolicy replaces keys, merges fairness and stability key by key, and null removes", () => {
    const plan = planOf([{ op: "setPolicy", policy: { fairness: { valueBand: 0.2 }, stability: { maxMoves: 3 }, locks: null, territory: "soft" } }]);
    expect(plan.policy).toEqual({
      fairness: { valueBand: 0.2, countBand: 1 },
      stability: { movePenalty: 10, maxMoves: 3 },
      forbid: [{ customer: "c2", rep: "r1" }],
      territory: "soft",
    });
    const cleared = planOf([{ op: "setPolicy", policy: { fairness: { valueBand: null, countBand: null } } }]);
    expect(cleared.policy?.fairness).toBeUndefined();
  });

  it("applies changes in order: a customer added by one change can be updated by the next", () => {
    const plan = planOf([
      { op: "addCustomers", customers: [{ id: "c9", value: 1 }] },
      { op: "updateCustomer", customer: "c9", set: { value: 7 } },
    ]);
    expect(plan.customers.at(-1)).toEqual({ id: "c9", value: 7 });
  });

  it("does not modify the base plan", () => {
    const before = JSON.stringify(base);
    planOf([{ op: "removeRep", rep: "r1" }, { op: "scaleValues", factor: 3 }, { op: "removeCustomers", customers: ["c1"] }]);
    expect(JSON.stringify(base)).toBe(before);
  });
});

describe("applyChanges: problems are reported with the change's path", () => {
  it("names unknown ids where they occur", () => {
    const result = apply([
      { op: "removeRep", rep: "ghost" },
      { op: "updateRep", rep: "r9", set: { maxAccounts: 1 } },
      { op: "updateCustomer", customer: "c9", set: { value: 1 } },
      { op: "removeCustomers", customers: ["c1", "nobody"] },
      { op: "addCustomers", customers: [{ id: "c5", value: 1, currentRep: "r7" }] },
      { op: "updateCustomer", customer: "c2", set: { currentRep: "r8" } },
      { op: "setPolicy", policy: { locks: [{ customer: "c2", rep: "nope" }] } },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { path: "scenarios[1].changes[0].rep", message: 'unknown rep "ghost"' },
      { path: "scenarios[1].changes[1].rep", message: 'unknown rep "r9"' },
      { path: "scenarios[1].changes[2].customer", message: 'unknown customer "c9"' },
      { path: "scenarios[1].changes[3].customers[1]", message: 'unknown customer "nobody"' },
      { path: "scenarios[1].changes[4].customers[0].currentRep", message: 'unknown rep "r7"' },
      { path: "scenarios[1].changes[5].set.currentRep", message: 'unknown rep "r8"' },
      { path: "scenarios[1].changes[6].policy.locks[0].rep", message: 'unknown rep "nope"' },
    ]);
  });

  it("a removed customer is unknown to later changes; duplicates and min > max are reported", () => {
    const result = apply([
      { op: "removeCustomers", customers: ["c1"] },
      { op: "updateCustomer", customer: "c1", set: { value: 1 } },
      { op: "addCustomers", customers: [{ id: "c2", value: 1 }, { id: "c7", value: 1 }, { id: "c7", value: 2 }] },
      { op: "addRep", rep: { id: "r1" } },
      { op: "updateRep", rep: "r2", set: { minAccounts: 5 } },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual([
      "scenarios[1].changes[1].customer",
      "scenarios[1].changes[2].customers[0].id",
      "scenarios[1].changes[2].customers[2].id",
      "scenarios[1].changes[3].rep.id",
      "scenarios[1].changes[4].set.minAccounts",
    ]);
  });

  it("a filter that matches no customer is an error (a typo must not silently do nothing)", () => {
    const result = apply([{ op: "scaleValues", factor: 2, territory: "nort" }]);
    expect(result).toEqual({ ok: false, errors: [{ path: "scenarios[1].changes[0].territory", message: 'no customer has territory "nort"' }] });
  });

  it("a policy value out of range is reported under the change", () => {
    const result = apply([{ op: "setPolicy", policy: { fairness: { valueBand: 0.1 } } }, { op: "setPolicy", policy: { score: "value *" } }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.path).toBe("scenarios[1].changes");
    expect(result.errors[0]?.message).toMatch(/^after the changes, policy\.score: /);
  });

  it("a plan left without customers is reported as a problem of the changes", () => {
    const result = apply([{ op: "removeCustomers", customers: ["c1", "c2", "c3"] }]);
    expect(result).toEqual({
      ok: false,
      errors: [{ path: "scenarios[1].changes", message: "after the changes, customers: a plan needs at least one customer" }],
    });
  });
});
