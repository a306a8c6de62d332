import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";

const diagnose = async (input: unknown) => {
  const { solution } = await solvePlan(Plan.parse(input), { timeLimitMs: 20_000 });
  expect(solution.status).toBe("infeasible");
  expect(solution.assignments).toEqual([]);
  return solution.diagnosis?.causes ?? [];
};

describe("infeasibility diagnosis names the cause in words and ids", () => {
  it("total capacity below the customers to place", async () => {
    const causes = await diagnose({
      customers: ["a", "b", "c"].map((id) => ({ id, value: 1 })),
      reps: [
        { id: "r1", maxAccounts: 1 },
        { id: "r2", maxAccounts: 1 },
      ],
    });
    expect(causes.some((c) => c.kind === "capacity" && c.message.includes("3 customers") && c.message.includes("2 accounts"))).toBe(true);
  });

  it("a customer with no eligible rep, with the rule that removed each rep", async () => {
    const causes = await diagnose({
      customers: [{ id: "vip", value: 1e6, territory: "north", requires: ["legal"] }],
      reps: [
        { id: "south", territories: ["south"], specialties: ["legal"] },
        { id: "junior", territories: ["north"] },
        { id: "away", available: false },
      ],
    });
    const cause = causes.find((c) => c.kind === "no-eligible-rep");
    expect(cause?.customers).toEqual(["vip"]);
    expect(cause?.message).toMatch(/outside its territory/);
    expect(cause?.message).toMatch(/missing a required specialty \(junior\)/);
    expect(cause?.message).toMatch(/unavailable \(away\)/);
  });

  it("a territory whose reps cannot hold its customers", async () => {
    const causes = await diagnose({
      customers: [
        ...["n1", "n2", "n3"].map((id) => ({ id, value: 1, territory: "north" })),
        { id: "s1", value: 1, territory: "south" },
      ],
      reps: [
        { id: "rn", territories: ["north"], maxAccounts: 2 },
        { id: "rs", territories: ["south"], maxAccounts: 5 },
      ],
    });
    const cause = causes.find((c) => c.kind === "territory-capacity");
    expect(cause?.territory).toBe("north");
    expect(cause?.reps).toEqual(["rn"]);
  });

  it("locks that break a rep's capacity", async () => {
    const causes = await diagnose({
      customers: ["a", "b"].map((id) => ({ id, value: 1 })),
      reps: [{ id: "r1", maxAccounts: 1 }, { id: "r2" }],
      policy: { locks: [{ customer: "a", rep: "r1" }, { customer: "b", rep: "r1" }] },
    });
    expect(causes.find((c) => c.kind === "locks")?.reps).toEqual(["r1"]);
  });

  it("a lock to a rep who is unavailable", async () => {
    const causes = await diagnose({
      customers: [{ id: "a", value: 1 }],
      reps: [{ id: "gone", available: false }, { id: "r2" }],
      policy: { locks: [{ customer: "a", rep: "gone" }], allowUnassigned: true },
    });
    expect(causes.find((c) => c.kind === "locks")?.customers).toEqual(["a"]);
  });

  it("a fairness band no assignment can meet", async () => {
    // One customer worth 100 and two equal reps: each must hold 50 ± 10%.
    const causes = await diagnose({
      customers: [{ id: "a", value: 100 }],
      reps: [{ id: "r1" }, { id: "r2" }],
      policy: { fairness: { valueBand: 0.1 } },
    });
    expect(causes.some((c) => c.kind === "fairness")).toBe(true);
  });

  it("a count band with no whole number inside it", async () => {
    // 3 customers, 2 equal reps: each needs 1.5 ± 10% accounts.
    const causes = await diagnose({
      customers: ["a", "b", "c"].map((id) => ({ id, value: 1 })),
      reps: [{ id: "r1" }, { id: "r2" }],
      policy: { fairness: { countBand: 0.1 } },
    });
    expect(causes.find((c) => c.kind === "fairness")?.message).toMatch(/No whole number/);
  });

  it("a conflict only the solver finds is traced to the constraint group that causes it", async () => {
    // Two customers worth 60 and 40; equal reps; band 15% → each rep needs [42.5, 57.5]: no split works,
    // yet each rep alone could reach the lower bound, so only solving shows it.
    const causes = await diagnose({
      customers: [
        { id: "a", value: 60 },
        { id: "b", value: 40 },
      ],
      reps: [{ id: "r1" }, { id: "r2" }],
      policy: { fairness: { valueBand: 0.15 } },
    });
    expect(causes.some((c) => c.kind === "fairness" && c.message.includes("value fairness band"))).toBe(true);
  });

  it("a move budget that cannot be kept", async () => {
    // Both customers sit with r1 who can now hold only one; a budget of zero voluntary moves.
    const causes = await diagnose({
      customers: ["a", "b"].map((id) => ({ id, value: 1, currentRep: "r1" })),
      reps: [{ id: "r1", maxAccounts: 1 }, { id: "r2" }],
      policy: { stability: { maxMoves: 0 } },
    });
    expect(causes.some((c) => c.kind === "moves")).toBe(true);
  });
});
