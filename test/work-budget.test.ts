import { describe, expect, it } from "vitest";
import { generateBook } from "../data/book-generator.ts";
import { Plan } from "../models/index.ts";
import { buildAssignmentProblem } from "../src/structured/assignment-problem.ts";
import { ChainSearch } from "../src/structured/chain-search.ts";
import { mergeStoppedBy, type StoppedBy } from "../src/structured/component-result.ts";
import { repairGreedy } from "../src/structured/greedy-repair.ts";
import { SubgradientSolver, pairPrices, reducedScores } from "../src/structured/lagrangian-bound.ts";
import { PenaltySearch } from "../src/structured/penalty-search.ts";
import { WorkBudget } from "../src/structured/work-budget.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";

/** A 600-customer book with workloads and a value band: the repair and the searches have work to do. */
function bandProblem() {
  const plan = Plan.parse(generateBook({ seed: 5, customers: 600, reps: 12, territories: 2, policy: { fairness: { valueBand: 0.2 } } }));
  const policy = resolvePolicy(plan.policy);
  return buildAssignmentProblem(plan, buildPairTable(plan, policy), policy);
}

describe("work budget", () => {
  it("brings its hard stop forward and never back: a phase ends at the earlier stop, recorded as a clock cut", () => {
    const budget = new WorkBudget(1_000, performance.now() + 60_000);
    const phase = budget.until(1);
    expect(phase.exhausted()).toBe(false);
    budget.stopBy(Infinity);
    expect(budget.msLeft()).toBeLessThanOrEqual(60_000);
    budget.stopBy(performance.now() - 1);
    // The clock is looked at every few calls (CLOCK_CHECK_CALLS): within them the phase ends.
    let calls = 0;
    while (!phase.exhausted() && calls < 100) calls++;
    expect(calls).toBeLessThan(100);
    expect(budget.clockCut).toBe(true);
    expect(budget.msLeft()).toBeLessThan(0);
  });

  it("ends each phase at its share of the work, counted on the whole budget", () => {
    const budget = new WorkBudget(1_000, Infinity);
    const first = budget.until(0.25);
    first.spend(200);
    expect(first.exhausted()).toBe(false);
    expect(first.left()).toBe(50);
    first.spend(50);
    expect(first.exhausted()).toBe(true);
    expect(budget.used).toBe(250);
    const rest = budget.until(1);
    expect(rest.left()).toBe(750);
    expect(rest.exhausted()).toBe(false);
    rest.spend(750);
    expect(rest.exhausted()).toBe(true);
    expect(budget.exhausted()).toBe(true);
    // Work alone ended every phase: the clock cut nothing.
    expect(budget.clockCut).toBe(false);
  });

  it("records a cut when the hard stop has passed, however much work is left", () => {
    const budget = WorkBudget.clockOnly(performance.now() - 1);
    expect(budget.until(1).exhausted()).toBe(true);
    expect(budget.clockCut).toBe(true);
    const free = WorkBudget.clockOnly();
    free.spend(1e12);
    expect(free.exhausted()).toBe(false);
    expect(free.clockCut).toBe(false);
  });

  it("runs a clock-shaped phase past its work to the hard stop, counting the work all the same", () => {
    const budget = new WorkBudget(1_000, performance.now() + 60_000);
    budget.until(1).spend(1_500);
    expect(budget.until(1).exhausted()).toBe(true);
    const turns = budget.untilHardStop();
    expect(turns.exhausted()).toBe(false);
    expect(turns.left()).toBe(0);
    turns.spend(500);
    expect(budget.used).toBe(2_000);
    expect(turns.exhausted()).toBe(false);
    expect(budget.clockCut).toBe(false);
    // Past the hard stop it ends, and the budget records the cut.
    const late = new WorkBudget(1_000, performance.now() - 1);
    expect(late.untilHardStop().exhausted()).toBe(true);
    expect(late.clockCut).toBe(true);
    // A stop request ends it too, recorded as cancelled.
    const stopped = new WorkBudget(1_000, performance.now() + 60_000, () => true);
    expect(stopped.untilHardStop().exhausted()).toBe(true);
    expect(stopped.cancelled).toBe(true);
  });

  it("looks at the clock again once a million units were spent, not only every few calls (long steps of large parts)", () => {
    let asked = 0;
    const budget = new WorkBudget(1e12, Infinity, () => {
      asked++;
      return false;
    });
    const phase = budget.until(1);
    expect(phase.exhausted()).toBe(false);
    expect(asked).toBe(1);
    // Small steps: the next look comes after a few calls.
    phase.spend(10);
    expect(phase.exhausted()).toBe(false);
    expect(asked).toBe(1);
    // One long step (a subgradient step over millions of pairs): the very next call looks.
    phase.spend(1_000_000);
    expect(phase.exhausted()).toBe(false);
    expect(asked).toBe(2);
    phase.spend(1_000_000);
    expect(phase.exhausted()).toBe(false);
    expect(asked).toBe(3);
  });

  it("ends every phase once the caller asks to stop, polled with the clock, and records it as cancelled", () => {
    let asked = 0;
    let stop = false;
    const budget = new WorkBudget(1_000, Infinity, () => {
      asked++;
      return stop;
    });
    const phase = budget.until(1);
    for (let i = 0; i < 100; i++) expect(phase.exhausted()).toBe(false);
    // Asked every few checks, not at each one (the checks sit in the searches' inner loops).
    expect(asked).toBeGreaterThan(0);
    expect(asked).toBeLessThan(20);
    stop = true;
    let checks = 0;
    while (!phase.exhausted()) checks++;
    expect(checks).toBeLessThan(20);
    expect(budget.cancelled).toBe(true);
    expect(budget.clockCut).toBe(false);
    // Once seen, the stop holds without asking again, in every phase and for a solver inside.
    const before = asked;
    stop = false;
    expect(budget.until(1).exhausted()).toBe(true);
    expect(phase.stopHook()?.()).toBe(true);
    expect(asked).toBe(before);
    // Without a stop request there is no hook to install, and nothing is recorded.
    const plain = new WorkBudget(1_000, Infinity);
    expect(plain.until(1).stopHook()).toBeUndefined();
    expect(plain.exhausted()).toBe(false);
    expect(plain.cancelled).toBe(false);
  });

  it("merges how parts stopped: a stop request wins, then a clock cut anywhere, then work run out, then the gap", () => {
    const all: StoppedBy[] = ["gap", "complete", "time-limit", "cancelled"];
    const rank = (s: StoppedBy) => all.indexOf(s);
    for (const a of all) for (const b of all) expect(mergeStoppedBy(a, b)).toBe(rank(a) >= rank(b) ? a : b);
  });

  it("bounds the repair and the searches by their work: the same answer on every run, less work than unbounded", () => {
    const problem = bandProblem();
    const solver = new SubgradientSolver(problem);
    for (let i = 0; i < 60; i++) solver.step(null);
    const guide = reducedScores(problem, pairPrices(problem, solver.bestMultipliers));
    const start = solver.roundedAverage();

    const unbounded = WorkBudget.clockOnly();
    const penaltyFree = new PenaltySearch(problem, start);
    penaltyFree.setGuide(guide);
    const freeRun = penaltyFree.run({ work: unbounded, maxSweeps: 60 });
    expect(freeRun.sweeps).toBeGreaterThan(2);

    const runs = [0, 1].map(() => {
      const work = new WorkBudget(Math.floor(unbounded.used / 3), Infinity);
      const search = new PenaltySearch(problem, start);
      search.setGuide(guide);
      const result = search.run({ work, maxSweeps: 60 });
      return { result, work, choice: Array.from(search.state.choice) };
    });
    for (const { result, work } of runs) {
      expect(result.sweeps).toBeLessThan(freeRun.sweeps);
      expect(work.used).toBeGreaterThanOrEqual(work.total);
      expect(work.clockCut).toBe(false);
    }
    expect(runs[1]?.choice).toEqual(runs[0]?.choice);

    const repairFree = WorkBudget.clockOnly();
    repairGreedy(problem, start, guide, { work: repairFree });
    expect(repairFree.used).toBeGreaterThan(0);
    const short = new WorkBudget(1, Infinity);
    const repaired = repairGreedy(problem, start, guide, { work: short });
    expect(repaired.feasible).toBe(false);

    const feasible = freeRun.best;
    expect(feasible).not.toBeNull();
    if (feasible === null) return;
    const chainFree = WorkBudget.clockOnly();
    const whole = new ChainSearch(problem, feasible);
    const wholeSweeps = whole.run({ work: chainFree, maxSweeps: 400 });
    const cut = [0, 1].map(() => {
      const work = new WorkBudget(Math.floor(chainFree.used / 4), Infinity);
      const chain = new ChainSearch(problem, feasible);
      const sweeps = chain.run({ work, maxSweeps: 400 });
      expect(chain.state.isFeasible()).toBe(true);
      return { sweeps, choice: Array.from(chain.state.choice), objective: chain.state.objective };
    });
    expect(cut[0]?.sweeps).toBeLessThan(wholeSweeps);
    expect(cut[1]).toEqual(cut[0]);
    expect(cut[0]?.objective).toBeLessThanOrEqual(whole.state.objective);
  });
});
