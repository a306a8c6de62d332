import { describe, expect, it } from "vitest";
import { generateBook } from "../data/book-generator.ts";
import { generateGapInstance } from "../data/gap-generator.ts";
import { Plan, SolveProgress, type SolvePhase, type Solution } from "../models/index.ts";
import { gapToPlan } from "../src/formats/gap-instance.ts";
import { getBackend } from "../src/mip/solver-registry.ts";
import type { SolverBackend } from "../src/mip/mip-model.ts";
import { LEGACY_MAX_COLUMNS } from "../src/structured/algorithm-choice.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { solvePlan, type SolveOptions } from "../src/solve/solve-plan.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";

/**
 * The engine's live progress (SolveOptions.onProgress) and cooperative stop (stopRequested): reports
 * in order and ending on the Solution's own figures, answers unchanged by the hooks, and a stop that
 * ends a long search early with a verified plan and solver.stoppedBy "cancelled".
 */

/** Which phase may follow which (a phase repeats while the incumbent or the bound improves). */
const NEXT: Record<SolvePhase, readonly SolvePhase[]> = {
  queued: [],
  scoring: ["presolve", "done"],
  presolve: ["mip", "structured", "done"],
  // After a rejected answer the MIP path goes on to the next backend.
  mip: ["verify", "done"],
  verify: ["mip", "done"],
  structured: ["lagrangian", "local-search", "verify", "done"],
  lagrangian: ["local-search", "structured", "verify", "done"],
  "local-search": ["lagrangian", "structured", "verify", "done"],
  done: [],
};

const close = (a: number | null, b: number | null): boolean => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)));

async function solveWatched(plan: Plan, options: SolveOptions = {}): Promise<{ solution: Solution; reports: SolveProgress[] }> {
  const reports: SolveProgress[] = [];
  const { solution } = await solvePlan(plan, { ...options, onProgress: (p) => reports.push(p) });
  return { solution, reports };
}

/** What every run's reports must satisfy, whatever the path. */
function expectOrderly(reports: readonly SolveProgress[], solution: Solution): void {
  expect(reports.length).toBeGreaterThanOrEqual(2);
  expect(reports[0]?.phase).toBe("scoring");
  reports.forEach((report, i) => {
    expect(SolveProgress.safeParse(report).success).toBe(true);
    const before = reports[i - 1];
    if (before === undefined) return;
    expect(report.elapsedMs).toBeGreaterThanOrEqual(before.elapsedMs);
    if (report.phase !== before.phase) expect(NEXT[before.phase], `${before.phase} → ${report.phase}`).toContain(report.phase);
  });
  const last = reports.at(-1);
  expect(last?.phase).toBe("done");
  expect(reports.filter((r) => r.phase === "done")).toHaveLength(1);
  expect(close(last?.objective ?? null, solution.objective)).toBe(true);
  expect(close(last?.bound ?? null, solution.bound)).toBe(true);
  expect(close(last?.gap ?? null, solution.gap)).toBe(true);

  // Before the end: the incumbent only rises, the bound only falls, each is sound against the
  // answer (a bound is above every plan; every plan reported is below the proven bound), and the gap
  // is the gap of the two.
  const live = reports.slice(0, -1);
  let objective = -Infinity;
  let bound = Infinity;
  for (const r of live) {
    if (r.objective !== null) {
      expect(r.objective).toBeGreaterThanOrEqual(objective);
      objective = r.objective;
      if (solution.bound !== null) expect(r.objective).toBeLessThanOrEqual(solution.bound + 1e-6 * Math.max(1, Math.abs(solution.bound)));
    } else {
      expect(objective).toBe(-Infinity);
    }
    if (r.bound !== null) {
      expect(r.bound).toBeLessThanOrEqual(bound);
      bound = r.bound;
      if (solution.objective !== null) expect(r.bound).toBeGreaterThanOrEqual(solution.objective - 1e-6 * Math.max(1, Math.abs(solution.objective)));
    }
    if (r.objective !== null && r.bound !== null) expect(close(r.gap, (r.bound - r.objective) / Math.max(1, Math.abs(r.bound)))).toBe(true);
    else expect(r.gap).toBeNull();
  }
}

function eligiblePairs(plan: Plan): number {
  return buildPairTable(plan, resolvePolicy(plan.policy)).count;
}

/** A generalised assignment instance (OR-Library type D or E) as a plan: scores are minus costs, so objectives are negative. */
function gapPlan(type: "D" | "E", agents: number, jobs: number, seed: number): Plan {
  return Plan.parse(gapToPlan(generateGapInstance({ type, agents, jobs, seed })));
}

// The MIP path: 150 pairs that HiGHS branches on (several incumbents and bounds); objective < 0.
const mipPlan = gapPlan("E", 5, 30, 2);
// The structured path: one part of 20 reps (Lagrangian search, local search, HiGHS on the part).
const onePart = generateBook({ seed: 9, customers: 1_000, reps: 20, territories: 4 });
// Three independent parts, solved one after another.
const threeParts = generateBook({ seed: 5, customers: 400, reps: 10, territories: 3 });

describe("progress of a solve", () => {
  it("on the MIP path: in order, the incumbent never falling, the last report the Solution's own figures", async () => {
    expect(eligiblePairs(mipPlan)).toBeLessThanOrEqual(LEGACY_MAX_COLUMNS);
    const { solution, reports } = await solveWatched(mipPlan, { timeLimitMs: 60_000 });
    expect(solution.status).toBe("optimal");
    expect(solution.objective ?? 0).toBeLessThan(0);
    expectOrderly(reports, solution);
    expect(reports.map((r) => r.phase).filter((p, i, all) => p !== all[i - 1])).toEqual(["scoring", "presolve", "mip", "verify", "done"]);
    // HiGHS's incumbents and bounds came through while it searched, in the plan's units (negative here).
    const live = reports.filter((r) => r.phase === "mip" && r.objective !== null);
    expect(live.length).toBeGreaterThanOrEqual(2);
    expect(live.every((r) => (r.objective ?? 0) < 0)).toBe(true);
    expect(reports.some((r) => r.phase === "mip" && r.bound !== null)).toBe(true);
  });

  it("on the structured path: reports from the Lagrangian and local-search phases, a bound before a plan", async () => {
    expect(eligiblePairs(onePart)).toBeGreaterThan(LEGACY_MAX_COLUMNS);
    const { solution, reports } = await solveWatched(onePart, { timeLimitMs: 60_000 });
    expect(solution.solver.backend).toContain("lagrangian");
    expect(solution.solver.stoppedBy).not.toBe("time-limit");
    expectOrderly(reports, solution);
    const phases = new Set(reports.map((r) => r.phase));
    for (const phase of ["structured", "lagrangian", "local-search", "verify"] as const) expect(phases).toContain(phase);
    expect(phases).not.toContain("mip");
    const firstPlan = reports.findIndex((r) => r.objective !== null);
    expect(reports.findIndex((r) => r.bound !== null)).toBeLessThan(firstPlan);
    // HiGHS on the part (phase "structured") tightened the bound as it went.
    expect(reports.filter((r) => r.phase === "structured" && r.bound !== null).length).toBeGreaterThan(2);
  });

  it("on a plan in independent parts: whole-plan figures, the objective only once every part has a plan", async () => {
    const { solution, reports } = await solveWatched(threeParts, { timeLimitMs: 60_000 });
    expect(solution.solver.backend).toMatch(/in 3 parts$/);
    expect(solution.solver.stoppedBy).not.toBe("time-limit");
    expectOrderly(reports, solution);
    // Before any part is searched the bound is each customer's best pair score, summed.
    const table = buildPairTable(threeParts, resolvePolicy(threeParts.policy));
    let best = 0;
    for (const pairs of table.byCustomer) best += Math.max(...pairs.map((k) => table.score[k] ?? -Infinity));
    const first = reports.find((r) => r.bound !== null);
    expect(first?.phase).toBe("structured");
    expect(close(first?.bound ?? null, best)).toBe(true);
    expect(first?.objective).toBeNull();
  });

  it("never changes the answer: the same bytes with and without the hooks, even a hook that throws", async () => {
    for (const plan of [mipPlan, onePart, threeParts]) {
      const options = { timeLimitMs: 60_000 };
      const plain = (await solvePlan(plan, options)).solution;
      expect(plain.solver.stoppedBy).not.toBe("time-limit");
      const watched = (await solvePlan(plan, { ...options, onProgress: () => undefined, stopRequested: () => false })).solution;
      expect(JSON.stringify(watched)).toBe(JSON.stringify(plain));
      let calls = 0;
      const faulty = (
        await solvePlan(plan, {
          ...options,
          onProgress: () => {
            calls++;
            throw new Error("observer failed");
          },
        })
      ).solution;
      expect(calls).toBe(1);
      expect(JSON.stringify(faulty)).toBe(JSON.stringify(plain));
    }
  });
});

describe("a stop request", () => {
  /** Stops once the first plan has been reported, and remembers that plan's objective. */
  function stopAfterFirstPlan() {
    const state = { first: null as number | null, reports: [] as SolveProgress[] };
    const options: SolveOptions = {
      onProgress: (p) => {
        state.reports.push(p);
        if (state.first === null && p.objective !== null) state.first = p.objective;
      },
      stopRequested: () => state.first !== null,
    };
    return { state, options };
  }

  function expectVerifiedCancel(plan: Plan, solution: Solution, first: number | null): void {
    expect(solution.solver.stoppedBy).toBe("cancelled");
    expect(solution.status).toBe("feasible");
    expect(solution.verification.passed).toBe(true);
    const report = verifyAssignment(plan, solution.assignments);
    expect(report.passed).toBe(true);
    expect(close(report.objective, solution.objective)).toBe(true);
    expect(solution.diagnosis?.summary).toMatch(/stopped on request/);
    // The plan returned is at least as good as the one that was reported before the stop.
    expect(first).not.toBeNull();
    expect(solution.objective ?? -Infinity).toBeGreaterThanOrEqual((first ?? Infinity) - 1e-6 * Math.abs(first ?? 1));
  }

  it("interrupts HiGHS on the MIP path and returns its incumbent, verified", { timeout: 15_000 }, async () => {
    // Type D with 200 pairs: HiGHS needs far more than the test's timeout to prove the optimum.
    const hard = gapPlan("D", 5, 40, 1);
    expect(eligiblePairs(hard)).toBeLessThanOrEqual(LEGACY_MAX_COLUMNS);
    const { state, options } = stopAfterFirstPlan();
    const { solution } = await solvePlan(hard, { ...options, timeLimitMs: 60_000, mipGap: 0 });
    expectVerifiedCancel(hard, solution, state.first);
    expect(solution.solver.backend).toBe("highs");
    expectOrderly(state.reports, solution);
  });

  it("ends the structured path's search and its sub-MIPs, and returns the plan found so far, verified", { timeout: 15_000 }, async () => {
    // A value band over 12 reps: at mipGap 0 the search runs for most of a minute.
    const hard = generateBook({ seed: 5, customers: 600, reps: 12, territories: 2, policy: { fairness: { valueBand: 0.2 } } });
    expect(eligiblePairs(hard)).toBeGreaterThan(LEGACY_MAX_COLUMNS);
    const { state, options } = stopAfterFirstPlan();
    const { solution } = await solvePlan(hard, { ...options, timeLimitMs: 60_000, mipGap: 0 });
    expectVerifiedCancel(hard, solution, state.first);
    expect(solution.solver.backend).toContain("lagrangian");
    expectOrderly(state.reports, solution);
    // The subgradient steps tightened the bound before the first plan.
    expect(state.reports.filter((r) => r.phase === "lagrangian" && r.bound !== null).length).toBeGreaterThan(2);
  });

  it("already true at the start: no plan, stoppedBy cancelled, never an exception", async () => {
    for (const plan of [mipPlan, onePart]) {
      const reports: SolveProgress[] = [];
      const { solution } = await solvePlan(plan, { timeLimitMs: 60_000, onProgress: (p) => reports.push(p), stopRequested: () => true });
      expect(solution.status).toBe("timeout");
      expect(solution.assignments).toEqual([]);
      expect(solution.objective).toBeNull();
      expect(solution.solver.stoppedBy).toBe("cancelled");
      expect(solution.diagnosis?.summary).toMatch(/stopped on request/);
      expect(reports.map((r) => r.phase)).toEqual(["scoring", "done"]);
    }
  });

  it("after scoring: the MIP backends are not started, the structured parts not searched", async () => {
    for (const plan of [mipPlan, threeParts]) {
      let stop = false;
      const { solution } = await solvePlan(plan, {
        timeLimitMs: 60_000,
        onProgress: (p) => {
          if (p.phase === "presolve") stop = true;
        },
        stopRequested: () => stop,
      });
      expect(solution.status).toBe("timeout");
      expect(solution.solver.stoppedBy).toBe("cancelled");
      expect(solution.verification.state).toBe("not-run");
    }
  });

  it("ends the explanation of an infeasible plan: infeasible all the same, the explanation said to be stopped", async () => {
    // Values 60 and 40 for two equal reps under a 15% band: infeasible, and only solving shows it.
    const plan = Plan.parse({
      customers: [
        { id: "a", value: 60 },
        { id: "b", value: 40 },
      ],
      reps: [{ id: "r1" }, { id: "r2" }],
      policy: { fairness: { valueBand: 0.15 } },
    });
    const unstopped = (await solvePlan(plan, { timeLimitMs: 20_000 })).solution;
    expect(unstopped.status).toBe("infeasible");
    expect(unstopped.solver.stoppedBy).toBe("complete");
    expect(unstopped.diagnosis?.causes.some((c) => c.kind === "fairness")).toBe(true);

    // The real HiGHS, watched: the stop comes as soon as it has proved the plan infeasible.
    let stop = false;
    const highs = getBackend("highs");
    const watched: SolverBackend = {
      name: "highs",
      version: () => highs.version(),
      solve: async (model, options) => {
        const result = await highs.solve(model, options);
        if (result.status === "infeasible") stop = true;
        return result;
      },
    };
    const { solution } = await solvePlan(plan, { timeLimitMs: 20_000, backends: { highs: watched }, stopRequested: () => stop });
    expect(stop).toBe(true);
    expect(solution.status).toBe("infeasible");
    expect(solution.solver.stoppedBy).toBe("cancelled");
    expect(solution.diagnosis?.causes).toHaveLength(1);
    expect(solution.diagnosis?.causes[0]?.message).toMatch(/stopped on request/);
  });
});
