import { Readable } from "node:stream";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Plan, Solution } from "../models/index.ts";
import { seatChange, workloadChange, hireChange } from "../src/advice/capacity-changes.ts";
import { parseCliArguments } from "../src/cli/cli-arguments.ts";
import { runCli } from "../src/cli/run-cli.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { samplePlan, startService, type TestService } from "./api-test-service.ts";
import { tinyPlan } from "./tiny-plan.ts";

/** Three north customers for one two-seat north rep: infeasible, fixed by one seat or one territory crossing. */
const crowded = {
  customers: [
    { id: "n1", value: 100, territory: "north" },
    { id: "n2", value: 100, territory: "north" },
    { id: "n3", value: 100, territory: "north" },
    { id: "s1", value: 100, territory: "south" },
  ],
  reps: [
    { id: "rn", territories: ["north"], maxAccounts: 2 },
    { id: "rs", territories: ["south"], maxAccounts: 2 },
  ],
};

describe("?advice= on POST /v1/solve", () => {
  let service: TestService;
  beforeAll(() => {
    service = startService({ ALLOT_POOL_SIZE: "1", ALLOT_MAX_TIME_LIMIT_MS: "60000" });
  });
  afterAll(() => service.close());

  it("leaves the Solution without advice unless asked, and refuses an unknown value with the parameter's name", async () => {
    const plain = await request(service.app).post("/v1/solve").send(tinyPlan);
    expect(Solution.parse(JSON.parse(plain.text)).advice).toBeUndefined();
    const bad = await request(service.app).post("/v1/solve?advice=maybe").send(tinyPlan);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: "advice" })]);
  });

  it("adds capacity values to a solved plan, with comparison when both are asked", async () => {
    const res = await request(service.app).post("/v1/solve?advice=true&compare=round-robin").send(tinyPlan);
    expect(res.status).toBe(200);
    const solution = Solution.parse(JSON.parse(res.text));
    expect(solution.comparison?.baselines).toHaveLength(1);
    // c1→r1 + c2→r2 = 17; a second seat for r1 gives c1, c2 → r1 = 18.
    expect(solution.advice?.capacity?.reps[0]?.seat).toMatchObject({ value: 1, method: "re-solve", exact: true });
    expect(solution.advice?.relaxation).toBeUndefined();
    expect(solution.advice?.stoppedBy).toBe("complete");
  });

  it("answers an infeasible plan with its cheapest relaxation and the plan under it", async () => {
    const res = await request(service.app).post("/v1/solve?advice=true").send(crowded);
    const solution = Solution.parse(JSON.parse(res.text));
    expect(solution.status).toBe("infeasible");
    const cheapest = solution.advice?.relaxation?.cheapest;
    expect(cheapest?.cost).toBe(1);
    expect(cheapest?.minimal).toBe(true);
    expect(cheapest?.plan).toMatchObject({ meetsPlanAsGiven: false, status: "optimal", verified: true });
    expect(solution.advice?.relaxation?.alternatives.map((a) => a.changes[0]?.group)).toEqual(["maxAccounts", "territory"]);
  });

  it("gives seat, workload and hire values for every rep and territory of the sample book, consistent with re-solves", { timeout: 240_000 }, async () => {
    const plan = samplePlan(20_000);
    const res = await request(service.app).post("/v1/solve?advice=true").send(plan);
    expect(res.status).toBe(200);
    const solution = Solution.parse(JSON.parse(res.text));
    const capacity = solution.advice?.capacity;
    expect(capacity?.reps.map((r) => r.rep)).toEqual(plan.reps.map((r) => r.id));
    expect(capacity?.territories.map((t) => t.territory)).toEqual(["benelux", "dach", "iberia", "nordics"]);
    for (const value of [...(capacity?.reps ?? []).flatMap((r) => [r.seat, r.workload]), ...(capacity?.territories ?? []).map((t) => t.hire)]) {
      expect(["re-solve", "lp-dual", "lagrangian", "unchanged"]).toContain(value.method);
      // Every figure has a proven upper end; the value lies in its bracket.
      expect(value.high).not.toBeNull();
      if (value.value !== null && value.high !== null) expect(value.value).toBeLessThanOrEqual(value.high);
      if (value.value !== null && value.low !== null) expect(value.value).toBeGreaterThanOrEqual(value.low);
    }
    expect(capacity?.resolved).toBeGreaterThan(0);
    // Re-solve two figures here, independently: the true change lies in both brackets, so they overlap.
    const base = { objective: solution.objective ?? NaN, bound: solution.bound ?? NaN };
    const parsed = Plan.parse(plan);
    const checks = [
      { changed: seatChange(parsed, 0), figure: capacity?.reps[0]?.seat },
      { changed: workloadChange(parsed, 2), figure: capacity?.reps[2]?.workload },
      { changed: hireChange(parsed, "benelux").plan, figure: capacity?.territories[0]?.hire },
    ];
    for (const { changed, figure } of checks) {
      if (changed === null || figure === undefined) throw new Error("missing figure");
      const again = (await solvePlan(changed)).solution;
      const low = (again.objective ?? NaN) - base.bound;
      const high = (again.bound ?? Infinity) - base.objective;
      expect(figure.low ?? -Infinity).toBeLessThanOrEqual(high + 1e-6 * Math.abs(base.objective));
      expect(figure.high ?? Infinity).toBeGreaterThanOrEqual(low - 1e-6 * Math.abs(base.objective));
    }
  });
});

describe("--advice on the command line", () => {
  it("reads the parts and refuses an unknown one", () => {
    expect(parseCliArguments(["--advice", "true", "plan.json"])).toMatchObject({ advice: ["capacity", "relaxation"] });
    expect(parseCliArguments(["--advice", "all"])).toMatchObject({ advice: ["capacity", "relaxation", "frontier", "overrides"] });
    expect(parseCliArguments(["plan.json"])).not.toHaveProperty("advice");
    expect(parseCliArguments(["--advice", "soon"])).toMatchObject({ kind: "error" });
  });

  it("writes the advice in the Solution on stdout and its summary on stderr", async () => {
    let stdout = "";
    let stderr = "";
    const status = await runCli(["--advice", "all", "-"], {
      stdin: Readable.from([JSON.stringify({ ...crowded, policy: { territory: "hard" } })]),
      stdout: { write: (text) => void (stdout += text) },
      stderr: { write: (text) => void (stderr += text) },
    });
    expect(status).toBe(0);
    const solution = Solution.parse(JSON.parse(stdout));
    expect(solution.advice?.relaxation?.cheapest?.changes[0]).toMatchObject({ group: "maxAccounts", rep: "rn", from: 2, to: 3 });
    // The frontier: every band is infeasible (the plan is), so every point says so.
    expect(solution.advice?.bandFrontier?.map((p) => p.status).every((s) => s === "infeasible")).toBe(true);
    expect(stderr).toMatch(/^advice: Cheapest relaxation \(cost 1\): raise rn's maxAccounts by 1 \(2 → 3\)/);
    expect(stderr).toMatch(/advice: value against band width/);
  });
});
