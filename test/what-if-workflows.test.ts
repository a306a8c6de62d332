/**
 * The what-if workflows of src/what-if/ (scenario batches, reassignment with its frontier) run in
 * process, with the real solve jobs the worker threads run (runtime/solve-job.ts).
 */
import { describe, expect, it } from "vitest";
import { Plan, ReassignResult, Scenario } from "../models/index.ts";
import { runSolveJob } from "../src/runtime/solve-job.ts";
import { deadlineSolution } from "../src/solve/deadline-solution.ts";
import { computeFrontier, FrontierSample, frontierSolveCount } from "../src/what-if/move-frontier.ts";
import { prepareReassignment, runReassignment } from "../src/what-if/reassignment-run.ts";
import { solveReassignment, withMoveBudget } from "../src/what-if/reassignment.ts";
import { prepareScenarioBatch, runScenarioBatch } from "../src/what-if/scenario-batch.ts";
import type { WhatIfSolveOutcome } from "../src/what-if/what-if-solve.ts";
import { tinyPlan } from "./tiny-plan.ts";
import { smallBook } from "./what-if-fixtures.ts";

/** Two customers, two one-seat reps, scores through `pairs`: objective 17 (test/tiny-plan.ts). */
const twoByTwo = Plan.parse(tinyPlan);

const digestSolve = (plan: Plan): Promise<WhatIfSolveOutcome> => runSolveJob(plan, {}, { kind: "digest", solution: false }).then((r) => ({ ...r, deadlineHit: false }));

describe("scenario batch", () => {
  it("reports duplicate names and unknown ids with their paths, in scenario order", () => {
    const scenarios = [
      { name: "a", changes: [{ op: "removeRep", rep: "r9" }] },
      { name: "b", changes: [] },
      { name: "a", changes: [{ op: "removeCustomers", customers: ["c1"] }] },
    ].map((s) => Scenario.parse(s));
    const prepared = prepareScenarioBatch(twoByTwo, scenarios);
    expect(prepared.ok).toBe(false);
    if (prepared.ok) return;
    expect(prepared.errors.map((e) => e.path)).toEqual(["scenarios[0].changes[0].rep", "scenarios[2].name"]);
  });

  it("solves the base and each scenario and diffs each against the base", async () => {
    const scenarios = [
      { name: "c2 churns", changes: [{ op: "removeCustomers", customers: ["c2"] }] },
      { name: "r1 takes two", changes: [{ op: "updateRep", rep: "r1", set: { maxAccounts: 2 } }] },
    ].map((s) => Scenario.parse(s));
    const prepared = prepareScenarioBatch(twoByTwo, scenarios);
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.errors));
    const solved: number[] = [];
    const result = await runScenarioBatch(prepared.batch, { solve: (plan) => (solved.push(plan.customers.length), digestSolve(plan)), concurrency: 2 });
    expect(solved).toEqual([2, 1, 2]);
    expect(result.base).toMatchObject({ status: "optimal", objective: 17 });
    const [churn, wider] = result.scenarios;
    // Without c2: c1 → r1 alone, 10; c2's 7 is lost.
    expect(churn).toMatchObject({ name: "c2 churns", status: "optimal", objective: 10 });
    expect(churn?.diff?.objective).toEqual({ from: 17, to: 10, delta: -7 });
    expect(churn?.diff?.customers).toEqual({ moved: 0, unchanged: 1, added: 0, removed: 1 });
    // r1 takes both: 10 + 8 = 18, c2 moves from r2 to r1.
    expect(wider).toMatchObject({ name: "r1 takes two", status: "optimal", objective: 18 });
    expect(wider?.diff?.objective).toEqual({ from: 17, to: 18, delta: 1 });
    expect(wider?.diff?.moves.map((m) => [m.customer, m.from, m.to])).toEqual([["c2", "r2", "r1"]]);
    expect(result.digests.map((d) => d.status)).toEqual(["optimal", "optimal", "optimal"]);
  });

  it("aborts the other solves when one fails, and fails with that error", async () => {
    const prepared = prepareScenarioBatch(twoByTwo, [Scenario.parse({ name: "same", changes: [] })]);
    if (!prepared.ok) throw new Error("unexpected");
    const failure = new Error("the scenario solve failed");
    let started = 0;
    let baseAborted = false;
    const run = runScenarioBatch(prepared.batch, {
      concurrency: 2,
      // The first solve (the base) waits for its signal; the second (the scenario) fails at once.
      solve: (_plan, signal) =>
        new Promise<WhatIfSolveOutcome>((_resolve, reject) => {
          started += 1;
          if (started === 2) {
            reject(failure);
            return;
          }
          signal.addEventListener("abort", () => {
            baseAborted = true;
            reject(new Error("aborted"));
          });
        }),
    });
    await expect(run).rejects.toBe(failure);
    expect(started).toBe(2);
    expect(baseAborted).toBe(true);
  });
});

describe("reassignment", () => {
  it("applies the events and the settings, or reports the events' problems with their paths", () => {
    const prepared = prepareReassignment(smallBook, { events: [{ op: "removeRep", rep: "r2" }], maxMoves: 1 });
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    expect(prepared.maxMoves).toBe(1);
    expect(prepared.plan.policy?.stability).toEqual({ movePenalty: 500, maxMoves: 1 });
    expect(prepared.plan.reps.find((r) => r.id === "r2")?.available).toBe(false);
    const wrong = prepareReassignment(smallBook, { events: [{ op: "updateCustomer", customer: "c99", set: { value: 1 } }] });
    expect(wrong.ok ? [] : wrong.errors.map((e) => e.path)).toEqual(["events[0].customer"]);
  });

  it("answers what solveReassignment answers, and a frontier equal to the one solved directly, without solving the asked budget twice", async () => {
    const prepared = prepareReassignment(smallBook, { maxMoves: 2, movePenalty: 0 });
    if (!prepared.ok) throw new Error("unexpected");
    const budgets: (number | null)[] = [];
    const result = await runReassignment(prepared.plan, {
      frontier: true,
      concurrency: 2,
      solve: async (plan, summaryOnly) => {
        budgets.push(plan.policy?.stability?.maxMoves ?? null);
        return { ...(await runSolveJob(plan, {}, { kind: "reassign", summaryOnly })), deadlineHit: false };
      },
    });
    const direct = await solveReassignment(prepared.plan);
    expect(JSON.parse(result.resultJson)).toEqual(JSON.parse(JSON.stringify(direct.result)));
    const expected = await computeFrontier(
      prepared.plan,
      2,
      async (budget) => {
        const { result: r } = await solveReassignment(withMoveBudget(prepared.plan, budget));
        return FrontierSample.parse({ maxMoves: r.moveSummary.maxMoves, status: r.status, objective: r.objective, chosenMoves: r.moveSummary.chosen, forcedMoves: r.moveSummary.forced });
      },
      1,
    );
    expect(result.frontier).toEqual(expected);
    expect(new Set(budgets).size).toBe(budgets.length);
    expect(budgets.filter((b) => b === 2)).toHaveLength(1);
    expect(budgets.length).toBeLessThanOrEqual(frontierSolveCount(prepared.plan, 2));
  });

  it("builds the moves around a deadline answer, which has no assignments", async () => {
    const prepared = prepareReassignment(smallBook, { events: [{ op: "removeRep", rep: "r2" }], maxMoves: 0 });
    if (!prepared.ok) throw new Error("unexpected");
    const timeout = deadlineSolution(prepared.plan, { timeLimitMs: 100, deadlineMs: 200 });
    const result = await runReassignment(prepared.plan, {
      frontier: false,
      concurrency: 1,
      solve: () => Promise.resolve({ status: "timeout", solutionJson: JSON.stringify(timeout), deadlineHit: true }),
    });
    expect(result.frontier).toBeNull();
    const answer = ReassignResult.parse(JSON.parse(result.resultJson));
    expect(answer.status).toBe("timeout");
    // The answer has no assignments, hence no moves to report; the summary is still there.
    expect(answer.moves).toEqual([]);
    expect(answer.moveSummary).toMatchObject({ maxMoves: 0, forced: 0, chosen: 0 });
    expect(answer.assignments).toEqual([]);
  });
});
