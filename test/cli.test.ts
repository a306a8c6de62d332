import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { Solution } from "../models/index.ts";
import { runCli } from "../src/cli/run-cli.ts";
import { gapRoot } from "./gap-fixtures.ts";
import { projectRoot } from "./project-root.ts";
import { tinyPlan } from "./tiny-plan.ts";

const scratch = mkdtempSync(path.join(tmpdir(), "allot-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The command in this process, with `input` as its stdin. */
async function cli(args: string[], input = ""): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const status = await runCli(args, {
    stdin: Readable.from([input]),
    stdout: { write: (text) => void (stdout += text) },
    stderr: { write: (text) => void (stderr += text) },
  });
  return { status, stdout, stderr };
}

/** The command as `npm run solve` starts it: a Node process of its own. */
function cliProcess(args: string[], input: string): Run {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/cli.ts", ...args], { cwd: projectRoot, encoding: "utf8", input });
}

function writePlan(name: string, plan: unknown): string {
  const file = path.join(scratch, name);
  writeFileSync(file, JSON.stringify(plan));
  return file;
}

describe("cli", () => {
  it("--help prints the usage on stdout and exits 0", async () => {
    const run = await cli(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Usage: npm run --silent solve");
    expect(run.stdout).toContain("--time-limit");
    expect(run.stderr).toBe("");
  });

  it("an invalid plan exits 2 with one `path: message` line per problem on stderr and nothing on stdout", async () => {
    const file = writePlan("invalid.json", {
      customers: [{ id: "c1", value: 1, currentRep: "ghost" }],
      reps: [{ id: "r1", minAccounts: 3, maxAccounts: 2 }],
    });
    const run = await cli([file]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trim().split("\n");
    expect(lines).toContain('customers[0].currentRep: unknown rep "ghost"');
    expect(lines).toContain("reps[0].minAccounts: minAccounts (3) exceeds maxAccounts (2)");
  });

  it("bad JSON exits 2 and says so", async () => {
    const run = await cli(["-"], '{"customers": [');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("invalid JSON");
  });

  it("an unreadable file and a bad option exit 2", async () => {
    const missing = await cli([path.join(scratch, "does-not-exist.json")]);
    expect(missing.status).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toContain("cannot read");
    const option = await cli(["--solver", "cplex"]);
    expect(option.status).toBe(2);
    expect(option.stdout).toBe("");
    expect(option.stderr).toContain("--solver must be one of");
  });

  it("solves a tiny plan from a file: exit 0, stdout is the Solution alone, pretty-printed", async () => {
    const run = await cli([writePlan("tiny.json", tinyPlan)]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith('{\n  "status": ')).toBe(true);
    const solution = Solution.parse(JSON.parse(run.stdout));
    expect(run.stdout).toBe(JSON.stringify(JSON.parse(run.stdout), null, 2) + "\n");
    expect(solution.status).toBe("optimal");
    expect(solution.objective).toBeCloseTo(17, 9);
    expect(solution.assignments.map((a) => [a.customer, a.rep]).sort()).toEqual([
      ["c1", "r1"],
      ["c2", "r2"],
    ]);
  });

  it("reads the plan from stdin, honours --solver, and prints timings on stderr only with --timing", async () => {
    const run = await cli(["--solver", "jslp", "--timing"], JSON.stringify(tinyPlan));
    expect(run.status).toBe(0);
    const solution = Solution.parse(JSON.parse(run.stdout));
    expect(solution.status).toBe("optimal");
    expect(solution.objective).toBeCloseTo(17, 9);
    expect(solution.solver.backend).toBe("jslp");
    expect(run.stderr).toMatch(/^timing: read .* ms, parse .* ms, solve .* ms/m);
  });

  it("an infeasible plan is an answer, not a failure: exit 0 with status infeasible", async () => {
    const run = await cli(["-"], JSON.stringify({ customers: tinyPlan.customers, reps: [{ id: "r1", maxAccounts: 1 }] }));
    expect(run.status).toBe(0);
    expect(Solution.parse(JSON.parse(run.stdout)).status).toBe("infeasible");
  });

  it("a rule that gives a wrong-typed result for a pair is an input error: exit 2 naming the rule", async () => {
    const plan = { ...tinyPlan, pairs: undefined, policy: { rules: [{ name: "oops", require: "rep.seniority" }] } };
    const run = await cli(["-"], JSON.stringify(plan));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('rule "oops" gave 0, not true or false');
  });

  it("--format gap solves OR-Library gap1-0 to its known optimum (total cost 261)", async () => {
    const run = await cli(["--format", "gap", path.join(gapRoot, "cattrysse1994", "gap1-0")]);
    expect(run.status).toBe(0);
    const solution = Solution.parse(JSON.parse(run.stdout));
    expect(solution.status).toBe("optimal");
    expect(solution.objective).toBeCloseTo(-261, 6);
    expect(solution.assignments).toHaveLength(15);
  });

  it("--format gap rejects a malformed instance with exit 2", async () => {
    const run = await cli(["--format", "gap", "-"], "2 3 1 2 3");
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("GAP instance");
  });
});

describe("cli as a process", () => {
  it("exits 0 and writes exactly the Solution bytes on stdout, nothing on stderr", async () => {
    const input = JSON.stringify(tinyPlan);
    const run = cliProcess(["-"], input);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe((await cli(["-"], input)).stdout);
  });

  it("exits 2 on an invalid plan, with the problems on stderr and nothing on stdout", () => {
    const run = cliProcess(["-"], JSON.stringify({ customers: [{ id: "c1", value: 1, currentRep: "ghost" }], reps: [{ id: "r1" }] }));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('customers[0].currentRep: unknown rep "ghost"');
  });
});
