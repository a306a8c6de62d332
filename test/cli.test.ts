import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Solution } from "../models/index.ts";
import { gapRoot as gapDir } from "./gap-fixtures.ts";
import { projectRoot } from "./project-root.ts";

const scratch = mkdtempSync(path.join(tmpdir(), "allot-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cli(args: string[], input?: string) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/cli.ts", ...args], { cwd: projectRoot, encoding: "utf8", input: input ?? "" });
}

function writePlan(name: string, plan: unknown): string {
  const file = path.join(scratch, name);
  writeFileSync(file, JSON.stringify(plan));
  return file;
}

/** Two customers, two reps with one seat each. Best: c1→r1 (10) + c2→r2 (7) = 17, not 4 + 8 = 12. */
const tinyPlan = {
  customers: [
    { id: "c1", value: 100 },
    { id: "c2", value: 100 },
  ],
  reps: [
    { id: "r1", maxAccounts: 1 },
    { id: "r2", maxAccounts: 1 },
  ],
  pairs: [
    { customer: "c1", rep: "r1", score: 10 },
    { customer: "c1", rep: "r2", score: 4 },
    { customer: "c2", rep: "r1", score: 8 },
    { customer: "c2", rep: "r2", score: 7 },
  ],
};

describe("cli", () => {
  it("--help prints the usage on stdout and exits 0", () => {
    const run = cli(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Usage: npm run --silent solve");
    expect(run.stdout).toContain("--time-limit");
  });

  it("an invalid plan exits 2 with one `path: message` line per problem on stderr and nothing on stdout", () => {
    const file = writePlan("invalid.json", {
      customers: [{ id: "c1", value: 1, currentRep: "ghost" }],
      reps: [{ id: "r1", minAccounts: 3, maxAccounts: 2 }],
    });
    const run = cli([file]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trim().split("\n");
    expect(lines).toContain('customers[0].currentRep: unknown rep "ghost"');
    expect(lines).toContain("reps[0].minAccounts: minAccounts (3) exceeds maxAccounts (2)");
  });

  it("bad JSON exits 2 and says so", () => {
    const run = cli(["-"], '{"customers": [');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("invalid JSON");
  });

  it("an unreadable file and a bad option exit 2", () => {
    const missing = cli([path.join(scratch, "does-not-exist.json")]);
    expect(missing.status).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toContain("cannot read");
    const option = cli(["--solver", "cplex"]);
    expect(option.status).toBe(2);
    expect(option.stdout).toBe("");
    expect(option.stderr).toContain("--solver must be one of");
  });

  it("solves a tiny plan from a file: exit 0, stdout is the Solution alone, pretty-printed", () => {
    const run = cli([writePlan("tiny.json", tinyPlan)]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith('{\n  "status": ')).toBe(true);
    const solution = Solution.parse(JSON.parse(run.stdout));
    expect(solution.status).toBe("optimal");
    expect(solution.objective).toBeCloseTo(17, 9);
    expect(solution.assignments.map((a) => [a.customer, a.rep]).sort()).toEqual([
      ["c1", "r1"],
      ["c2", "r2"],
    ]);
  });

  it("reads the plan from stdin, honours --solver, and prints timings on stderr only with --timing", () => {
    const run = cli(["--solver", "jslp", "--timing"], JSON.stringify(tinyPlan));
    expect(run.status).toBe(0);
    const solution = Solution.parse(JSON.parse(run.stdout));
    expect(solution.status).toBe("optimal");
    expect(solution.objective).toBeCloseTo(17, 9);
    expect(solution.solver.backend).toBe("jslp");
    expect(run.stderr).toMatch(/^timing: read .* ms, parse .* ms, solve .* ms/m);
  });

  it("an infeasible plan is an answer, not a failure: exit 0 with status infeasible", () => {
    const run = cli(["-"], JSON.stringify({ customers: tinyPlan.customers, reps: [{ id: "r1", maxAccounts: 1 }] }));
    expect(run.status).toBe(0);
    expect(Solution.parse(JSON.parse(run.stdout)).status).toBe("infeasible");
  });

  it("--format gap solves OR-Library gap1-0 to its known optimum (total cost 261)", () => {
    const run = cli(["--format", "gap", path.join(gapDir, "cattrysse1994", "gap1-0")]);
    expect(run.status).toBe(0);
    const solution = Solution.parse(JSON.parse(run.stdout));
    expect(solution.status).toBe("optimal");
    expect(solution.objective).toBeCloseTo(-261, 6);
    expect(solution.assignments).toHaveLength(15);
  });

  it("--format gap rejects a malformed instance with exit 2", () => {
    const run = cli(["--format", "gap", "-"], "2 3 1 2 3");
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("GAP instance");
  });
});
