import { describe, expect, it } from "vitest";
import { parsePlan } from "../src/plan/parse-plan.ts";
import { planErrors } from "./plan-parsing.ts";

const base = () => ({
  customers: [
    { id: "c0", value: 10 },
    { id: "c1", value: 20, currentRep: "r0" },
  ],
  reps: [{ id: "r0" }, { id: "r1" }],
});

describe("plan validation: each rule rejects with the right path", () => {
  it("accepts a valid plan", () => {
    expect(parsePlan(base()).ok).toBe(true);
  });

  it.each([
    ["duplicate customer id", (p: ReturnType<typeof base>) => p.customers.push({ id: "c0", value: 1 }), "customers[2].id"],
    ["duplicate rep id", (p: ReturnType<typeof base>) => p.reps.push({ id: "r1" }), "reps[2].id"],
    ["unknown currentRep", (p: ReturnType<typeof base>) => ((p.customers[1] as { currentRep: string }).currentRep = "ghost"), "customers[1].currentRep"],
    ["minAccounts > maxAccounts", (p: ReturnType<typeof base>) => (p.reps[1] = { id: "r1", minAccounts: 5, maxAccounts: 2 } as never), "reps[1].minAccounts"],
    ["latitude out of range", (p: ReturnType<typeof base>) => (p.customers[0] = { id: "c0", value: 1, location: { lat: 91, lon: 0 } } as never), "customers[0].location.lat"],
    ["longitude out of range", (p: ReturnType<typeof base>) => (p.reps[0] = { id: "r0", location: { lat: 0, lon: -181 } } as never), "reps[0].location.lon"],
    ["negative value", (p: ReturnType<typeof base>) => (p.customers[0] = { id: "c0", value: -1 }), "customers[0].value"],
    ["unknown key (typo)", (p: ReturnType<typeof base>) => (p.reps[0] = { id: "r0", maxAcounts: 3 } as never), "reps[0]"],
    ["empty id", (p: ReturnType<typeof base>) => (p.customers[0] = { id: "", value: 1 }), "customers[0].id"],
    ["id longer than 128", (p: ReturnType<typeof base>) => (p.customers[0] = { id: "x".repeat(129), value: 1 }), "customers[0].id"],
    ["non-integer maxAccounts", (p: ReturnType<typeof base>) => (p.reps[0] = { id: "r0", maxAccounts: 1.5 } as never), "reps[0].maxAccounts"],
    ["history of unknown rep", (p: ReturnType<typeof base>) => Object.assign(p, { history: [{ rep: "ghost", wins: 1, attempts: 2 }] }), "history[0].rep"],
    ["wins above attempts", (p: ReturnType<typeof base>) => Object.assign(p, { history: [{ rep: "r0", wins: 3, attempts: 2 }] }), "history[0].wins"],
    ["pair of unknown customer", (p: ReturnType<typeof base>) => Object.assign(p, { pairs: [{ customer: "zz", rep: "r0", score: 1 }] }), "pairs[0].customer"],
    ["pair of unknown rep", (p: ReturnType<typeof base>) => Object.assign(p, { pairs: [{ customer: "c0", rep: "zz", score: 1 }] }), "pairs[0].rep"],
    ["lock of unknown rep", (p: ReturnType<typeof base>) => Object.assign(p, { policy: { locks: [{ customer: "c0", rep: "zz" }] } }), "policy.locks[0].rep"],
    ["forbid of unknown customer", (p: ReturnType<typeof base>) => Object.assign(p, { policy: { forbid: [{ customer: "zz", rep: "r0" }] } }), "policy.forbid[0].customer"],
    [
      "a pair both locked and forbidden",
      (p: ReturnType<typeof base>) => Object.assign(p, { policy: { locks: [{ customer: "c0", rep: "r0" }], forbid: [{ customer: "c0", rep: "r0" }] } }),
      "policy.forbid[0]",
    ],
    [
      "a customer locked to two reps",
      (p: ReturnType<typeof base>) => Object.assign(p, { policy: { locks: [{ customer: "c0", rep: "r0" }, { customer: "c0", rep: "r1" }] } }),
      "policy.locks[1]",
    ],
    ["unknown territory mode", (p: ReturnType<typeof base>) => Object.assign(p, { policy: { territory: "strict" } }), "policy.territory"],
    ["zero time limit", (p: ReturnType<typeof base>) => Object.assign(p, { policy: { timeLimitMs: 0 } }), "policy.timeLimitMs"],
  ])("%s", (_name, mutate, path) => {
    const plan = base();
    mutate(plan);
    expect(planErrors(plan).map((e) => e.path)).toContain(path);
  });

  it("rejects NaN and Infinity anywhere numbers are expected", () => {
    expect(planErrors({ ...base(), customers: [{ id: "c0", value: Number.NaN }] }).map((e) => e.path)).toContain("customers[0].value");
    expect(planErrors({ ...base(), reps: [{ id: "r0", maxWorkload: Number.POSITIVE_INFINITY }] }).map((e) => e.path)).toContain("reps[0].maxWorkload");
  });

  it("reports every problem, not only the first", () => {
    const plan = base();
    plan.customers.push({ id: "c0", value: 1 });
    plan.reps.push({ id: "r2", minAccounts: 3, maxAccounts: 1 } as never);
    (plan.customers[1] as { currentRep: string }).currentRep = "ghost";
    const paths = planErrors(plan).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["customers[2].id", "customers[1].currentRep", "reps[2].minAccounts"]));
  });

  it("requires at least one customer and one rep", () => {
    expect(planErrors({ customers: [], reps: [] }).map((e) => e.path)).toEqual(["customers", "reps"]);
  });
});
