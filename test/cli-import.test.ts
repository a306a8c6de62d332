import { parse } from "csv-parse/sync";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { Solution } from "../models/index.ts";
import { parseCliArguments } from "../src/cli/cli-arguments.ts";
import { runCli } from "../src/cli/run-cli.ts";
import { projectRoot } from "./project-root.ts";

const dir = mkdtempSync(path.join(tmpdir(), "allot-cli-import-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await runCli(args, { stdin: Readable.from([]), stdout: { write: (t) => void (stdout += t) }, stderr: { write: (t) => void (stderr += t) } });
  return { status, stdout, stderr };
}

const crm = (name: string) => path.join(projectRoot, "data", "crm", name);

describe("npm run solve -- --customers … --reps … --opportunities …", () => {
  it("imports the CRM files, solves, prints the Solution, reports the import on stderr and writes the CSV export", async () => {
    const policy = path.join(dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ territory: "hard", timeLimitMs: 5000 }));
    const out = path.join(dir, "assignments.csv");
    const { status, stdout, stderr } = await run(["--customers", crm("accounts.csv"), "--reps", crm("users.csv"), "--opportunities", crm("opportunities.csv"), "--policy", policy, "--export", out]);
    expect(stderr).toMatch(/^import: 300 of 300 accounts, 12 of 12 reps, \d+ deals in 59 history rows \(mapping: salesforce\)/);
    expect(status).toBe(0);
    const solution = Solution.parse(JSON.parse(stdout));
    const rows: Record<string, string>[] = parse(readFileSync(out, "utf8"), { columns: true });
    expect(rows.map((r) => [r.AccountId, r.OwnerId])).toEqual(solution.assignments.map((a) => [a.customer, a.rep]));
  });

  it("exits 2 naming the file for an unreadable export, and refuses half an import", async () => {
    const garbage = path.join(dir, "garbage.csv");
    writeFileSync(garbage, Buffer.from(Uint8Array.from({ length: 2000 }, (_, i) => (i * 31) % 256)));
    const bad = await run(["--customers", garbage, "--reps", crm("users.csv")]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${garbage}: the file holds NUL bytes`);
    expect(parseCliArguments(["--customers", "a.csv"])).toEqual({ kind: "error", message: "an import needs both --customers and --reps" });
    expect(parseCliArguments(["--customers", "a.csv", "--reps", "r.csv", "plan.json"])).toMatchObject({ kind: "error" });
    expect(parseCliArguments(["--export", "out.pdf", "plan.json"])).toMatchObject({ kind: "error", message: expect.stringContaining(".csv or .xlsx") });
  });
});
