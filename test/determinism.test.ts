import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { generateBook } from "../data/book-generator.ts";
import { Plan } from "../models/index.ts";
import { buildAssignmentProblem } from "../src/structured/assignment-problem.ts";
import { solveComponent } from "../src/structured/component-solver.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";

/**
 * The promise of docs/decisions.md: the same plan and options give the same bytes unless the clock
 * cut the search (solver.stoppedBy "time-limit"). The structured path bounds its phases by work,
 * so a run on a machine made busy by sibling threads spinning on the CPU gives the same Solution
 * as a run on the quiet machine, as long as neither is cut by the clock.
 */

/** Threads that spin on the CPU until told to stop; they report how many rounds they spun. */
function busySiblings(count: number): { stop: () => Promise<number[]> } {
  const source = `
    const { parentPort, workerData } = require("node:worker_threads");
    const flag = new Int32Array(workerData);
    let rounds = 0, x = 0;
    while (Atomics.load(flag, 0) === 0) {
      for (let i = 0; i < 100000; i++) x = (x * 1103515245 + 12345) | 0;
      rounds++;
    }
    parentPort.postMessage(rounds + (x & 0));
  `;
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const workers = Array.from({ length: count }, () => new Worker(source, { eval: true, workerData: flag.buffer }));
  const reports = workers.map((w) => new Promise<number>((resolve) => w.once("message", resolve)));
  return {
    stop: async () => {
      Atomics.store(flag, 0, 1);
      const rounds = await Promise.all(reports);
      await Promise.all(workers.map((w) => w.terminate()));
      return rounds;
    },
  };
}

// 2,000 customers, 40 reps in 4 territories with workloads and capacities: one part of about
// 27,000 pairs, solved by the Lagrangian search with neighbourhood sub-MIPs (no whole-part MIP).
const book = generateBook({ seed: 7, customers: 2_000, reps: 40 });

/** The book as the structured path's problem (one part). */
function bookProblem() {
  const plan = Plan.parse(book);
  const policy = resolvePolicy(plan.policy);
  return buildAssignmentProblem(plan, buildPairTable(plan, policy), policy);
}

describe("determinism of the structured path", () => {
  it("gives the same bytes on a quiet and on a busy machine when the clock cut nothing", { timeout: 300_000 }, async () => {
    // mipGap 0: no early stop at the gap. A time limit far above the work the search does before its
    // phases end by their caps and convergence, so that the clock (the hard stop) cuts nothing even
    // on a slow machine.
    const options = { timeLimitMs: 100_000, mipGap: 0 };
    // And one part on its own with a small work budget and no hard stop at all: its phases end by
    // the work they drew from the budget, which a busy machine does not change.
    const problem = bookProblem();
    const bounded = { deadline: Infinity, mipGap: 0, budgetMs: 2_000 };
    const quiet = (await solvePlan(book, options)).solution;
    const quietPart = await solveComponent(problem, bounded);

    const siblings = busySiblings(Math.max(2, availableParallelism()));
    const busy = (await solvePlan(book, options)).solution;
    const busyPart = await solveComponent(problem, bounded);
    const rounds = await siblings.stop();

    expect(rounds.every((r) => r > 0)).toBe(true);
    expect(quiet.solver.backend).toContain("neighbourhood-mip");
    expect(quiet.status).toBe("feasible");
    expect(quiet.solver.stoppedBy).toBe("complete");
    expect(busy.solver.stoppedBy).toBe("complete");
    expect(JSON.stringify(busy)).toBe(JSON.stringify(quiet));

    expect(quietPart.algorithms).toContain("neighbourhood-mip");
    expect(quietPart.stoppedBy).toBe("complete");
    expect(busyPart.stoppedBy).toBe("complete");
    expect(busyPart.workMs).toBe(quietPart.workMs);
    expect(busyPart.objective).toBe(quietPart.objective);
    expect(Array.from(busyPart.choice ?? [])).toEqual(Array.from(quietPart.choice ?? []));
    // The budget bound the search: with all the work it wants the same part ends elsewhere.
    expect(quietPart.objective).toBeLessThan(quiet.objective ?? Number.NaN);
  });

  it("says time-limit when the clock cuts the search of a big plan", async () => {
    const big = generateBook({ seed: 11, customers: 20_000, reps: 400, territories: 20, policy: { fairness: { valueBand: 0.2 }, stability: { maxMoves: 2_000 } } });
    const { solution } = await solvePlan(big, { timeLimitMs: 300, mipGap: 1e-4 });
    expect(solution.solver.stoppedBy).toBe("time-limit");
    expect(solution.status).toBe("timeout");
  });

  it("says how the MIP path stopped: gap when HiGHS proves the optimum, complete when it proves there is none", async () => {
    const small = (maxAccounts: number) =>
      Plan.parse({
        customers: [
          { id: "a", value: 10 },
          { id: "b", value: 20 },
        ],
        reps: [{ id: "r1", maxAccounts }],
        pairs: [
          { customer: "a", rep: "r1", score: 5 },
          { customer: "b", rep: "r1", score: 7 },
        ],
        policy: { specialtyBonus: 0 },
      });
    const solved = (await solvePlan(small(2), { solver: "highs" })).solution;
    expect(solved.status).toBe("optimal");
    expect(solved.solver.stoppedBy).toBe("gap");
    const none = (await solvePlan(small(1), { solver: "highs" })).solution;
    expect(none.status).toBe("infeasible");
    expect(none.solver.stoppedBy).toBe("complete");
  });

  it("says time-limit when a part's hard stop comes before its work is done, complete or gap otherwise", async () => {
    const problem = bookProblem();
    const cut = await solveComponent(problem, { deadline: performance.now() - 1, mipGap: 0, budgetMs: 100_000 });
    expect(cut.stoppedBy).toBe("time-limit");
    // A budget too small for anything past the first phases, and no hard stop: the work ends it.
    const small = await solveComponent(problem, { deadline: Infinity, mipGap: 0, budgetMs: 100 });
    expect(small.stoppedBy).toBe("complete");
    expect(small.status).toBe("feasible");
    // The default gap (0.01%) is within reach of the heuristics on this book.
    const closed = await solveComponent(problem, { deadline: Infinity, mipGap: 1e-4, budgetMs: 100_000 });
    expect(closed.status).toBe("optimal");
    expect(closed.stoppedBy).toBe("gap");
  });
});
