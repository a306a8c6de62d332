import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan, type ReassignResult } from "../models/index.ts";
import { classifyMove } from "../src/verify/move-classification.ts";
import { buildPairRuleContext } from "../src/verify/pair-rules.ts";
import { capacityCuts, solveReassignment, solverMoveBudget, withMoveBudget, withStability } from "../src/what-if/reassignment.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { changedPlan } from "./changed-plan.ts";
import { EXACT } from "./exact-solve.ts";
import { randomSmallPlan } from "./random-small-plan.ts";
import { smallBook } from "./what-if-fixtures.ts";

function afterEvents(plan: Plan, events: unknown[], settings: { maxMoves?: number; movePenalty?: number } = {}): Plan {
  return withStability(changedPlan(plan, events, ["events"]), settings);
}

/** Every check a reassignment answer must pass, from the plan it was asked for. */
function checkResult(plan: Plan, result: ReassignResult, maxMoves: number | null): void {
  const assigned = new Map(result.assignments.map((a) => [a.customer, a.rep]));
  // The moves are exactly the customers whose rep changed, in plan order.
  const changed = plan.customers.filter((c) => c.currentRep !== undefined && assigned.get(c.id) !== c.currentRep);
  expect(result.moves.map((m) => [m.customer, m.from, m.to])).toEqual(changed.map((c) => [c.id, c.currentRep, assigned.get(c.id) ?? null]));
  // Forced by a rule: the engine's own classification agrees.
  const ctx = buildPairRuleContext(plan);
  const cutOf = new Map(result.moveSummary.capacityCuts.map((c) => [c.rep, c.mustMove]));
  const labelled = new Map<string, number>();
  for (const m of result.moves) {
    const customer = plan.customers.find((c) => c.id === m.customer);
    if (customer === undefined) throw new Error("unknown customer");
    const kind = classifyMove(ctx, customer, m.to ?? undefined);
    if (m.reason === "capacity") {
      expect(kind).toBe("voluntary");
      labelled.set(m.from, (labelled.get(m.from) ?? 0) + 1);
    } else expect(kind).toBe(m.forced ? "forced" : "voluntary");
    expect(m.forced).toBe(m.reason !== "chosen");
  }
  // No more capacity moves from a rep than its cut, and every cut fully used (a feasible plan must).
  for (const [rep, n] of cutOf) expect(labelled.get(rep) ?? 0).toBe(n);
  const chosen = result.moves.filter((m) => m.reason === "chosen").length;
  expect(result.moveSummary.chosen).toBe(chosen);
  if (maxMoves !== null) expect(chosen).toBeLessThanOrEqual(maxMoves);
  // Independent verification: every constraint but the budget on the plan as asked, the budget on the solver's plan.
  expect(verifyAssignment(withMoveBudget(plan, null), result.assignments).violations).toEqual([]);
  const cuts = capacityCuts(plan);
  expect(verifyAssignment(withMoveBudget(plan, solverMoveBudget(plan, cuts)), result.assignments).passed).toBe(true);
}

describe("reassignment on a hand-made book", () => {
  it("with maxMoves 0, only the customers of the rep who left move (rep-left), each with its value change", async () => {
    const plan = afterEvents(smallBook, [{ op: "removeRep", rep: "r2" }], { maxMoves: 0 });
    const { result } = await solveReassignment(plan, EXACT);
    expect(result.status).toBe("optimal");
    // r2 held only c3; r1 is full (c1, c2, c4), so c3 goes to r4.
    expect(result.moves).toEqual([
      { customer: "c3", from: "r2", to: "r4", reason: "rep-left", forced: true, detail: 'rep "r2" left (unavailable)', valueDelta: expect.any(Number) },
    ]);
    expect(result.moveSummary).toMatchObject({ maxMoves: 0, solverMaxMoves: 0, forced: 1, chosen: 0, byReason: { "rep-left": 1, chosen: 0 }, capacityCuts: [] });
    // valueDelta = expected value with r4 (move penalty included) − with r2 (as in the base solution, where c3 stays with r2).
    const before = (await solvePlan(smallBook, EXACT)).solution.assignments.find((a) => a.customer === "c3");
    expect(before?.rep).toBe("r2");
    const now = result.assignments.find((a) => a.customer === "c3")?.expectedValue ?? NaN;
    expect(result.moves[0]?.valueDelta).toBeCloseTo(now - (before?.expectedValue ?? NaN), 9);
    expect(result.assignments.find((a) => a.customer === "c3")?.components.penalty).toBe(500);
    checkResult(plan, result, 0);
  });

  it("a capacity cut forces moves without using the budget (the plain move budget would make it infeasible)", async () => {
    // r1 holds c1, c2, c4 and is cut to one account: two of them must go.
    const plan = afterEvents(smallBook, [{ op: "updateRep", rep: "r1", set: { maxAccounts: 1 } }], { maxMoves: 0 });
    expect(capacityCuts(plan)).toEqual([{ rep: "r1", mustMove: 2, detail: 'rep "r1" has maxAccounts 1 but 3 customers that could stay: at least 2 must move' }]);
    expect((await solvePlan(plan, EXACT)).solution.status).toBe("infeasible");
    const { result } = await solveReassignment(plan, EXACT);
    expect(result.status).toBe("optimal");
    expect(result.moveSummary).toMatchObject({ maxMoves: 0, solverMaxMoves: 2, forced: 2, chosen: 0 });
    expect(result.moves.every((m) => m.reason === "capacity" && m.from === "r1")).toBe(true);
    checkResult(plan, result, 0);
  });

  it("chosen moves report what they gain, within the budget", async () => {
    const plan = afterEvents(smallBook, [], { maxMoves: 1, movePenalty: 0 });
    const { result } = await solveReassignment(plan, EXACT);
    const chosen = result.moves.filter((m) => m.reason === "chosen");
    expect(chosen.length).toBe(1);
    expect(chosen[0]?.valueDelta).toBeGreaterThan(0);
    expect(chosen[0]?.detail).toMatch(/^chosen: gains \d+\.\d\d in expected value/);
    expect(result.moveSummary.chosenValue).toBeCloseTo(chosen[0]?.valueDelta ?? NaN, 9);
    checkResult(plan, result, 1);
  });

  it("gives the same bytes for the same request", async () => {
    const plan = afterEvents(smallBook, [{ op: "removeRep", rep: "r2" }], { maxMoves: 1 });
    const [a, b] = await Promise.all([solveReassignment(plan, EXACT), solveReassignment(plan, EXACT)]);
    expect(JSON.stringify(b.result)).toBe(JSON.stringify(a.result));
  });

  it("reports a customer locked elsewhere, or whose pair became ineligible, as forced", async () => {
    const plan = afterEvents(
      smallBook,
      [
        { op: "updateCustomer", customer: "c6", set: { territory: "north" } },
        { op: "setPolicy", policy: { locks: [{ customer: "c7", rep: "r3" }], fairness: null } },
      ],
      { maxMoves: 0 },
    );
    const { result } = await solveReassignment(plan, EXACT);
    expect(result.moves.map((m) => [m.customer, m.reason])).toEqual([
      ["c6", "ineligible"],
      ["c7", "locked"],
    ]);
    expect(result.moves[0]?.detail).toMatch(/no longer eligible: .*territory "north"/);
    checkResult(plan, result, 0);
  });
});

describe("reassignment on random small plans", () => {
  it("never chooses more moves than the budget, with maxMoves 0 only forced moves, every answer verified, and at least the plain budget's value", async () => {
    let checked = 0;
    const seen = { capacity: 0, chosen: 0, repLeft: 0 };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 }), async (seed, budget, event) => {
        const raw = Plan.parse(randomSmallPlan(seed, 7, 3));
        const rep = raw.reps[seed % raw.reps.length]?.id ?? "r0";
        const events = [[], [{ op: "removeRep", rep }], [{ op: "updateRep", rep, set: { maxAccounts: 1 } }], [{ op: "updateRep", rep, set: { maxWorkload: 2 } }]][event] ?? [];
        const plan = afterEvents(raw, events, { maxMoves: budget });
        const { result } = await solveReassignment(plan, EXACT);
        if (result.objective === null) return;
        checked++;
        seen.capacity += result.moveSummary.byReason.capacity;
        seen.chosen += result.moveSummary.chosen;
        seen.repLeft += result.moveSummary.byReason["rep-left"];
        checkResult(plan, result, budget);
        if (budget === 0) expect(result.moves.every((m) => m.forced)).toBe(true);
        // The budget applies to chosen moves only, so it is never tighter than the engine's own.
        const plain = (await solvePlan(plan, EXACT)).solution;
        if (plain.objective !== null) expect(result.objective).toBeGreaterThanOrEqual(plain.objective - 1e-6 * Math.max(1, Math.abs(plain.objective)));
      }),
      { seed: 2024, numRuns: 60 },
    );
    expect(checked).toBeGreaterThanOrEqual(25);
    // The runs cover every kind of move.
    expect(seen.capacity).toBeGreaterThan(0);
    expect(seen.chosen).toBeGreaterThan(0);
    expect(seen.repLeft).toBeGreaterThan(0);
  });
});
