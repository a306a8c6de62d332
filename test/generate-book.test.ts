import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { generateBook } from "../data/book-generator.ts";
import { parseGenerateArguments } from "../data/generate-book-arguments.ts";
import { runGenerateBook } from "../data/generate-book.ts";
import { SAMPLE_BOOK_OPTIONS } from "../data/sample-book-options.ts";
import { projectRoot } from "./project-root.ts";

/** The command in this process. */
function generate(args: string[]) {
  let stdout = "";
  let stderr = "";
  const status = runGenerateBook(args, { stdout: { write: (text) => (stdout += text) }, stderr: { write: (text) => (stderr += text) } });
  return { status, stdout, stderr };
}

/** The command as `npm run generate` starts it: a Node process of its own. */
function generateProcess(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "data/generate-book.ts", ...args], { cwd: projectRoot, encoding: "utf8" });
}

describe("parseGenerateArguments", () => {
  it("maps flags to options and leaves the rest to the generator's defaults", () => {
    expect(parseGenerateArguments(["--customers", "50", "--reps", "5", "--seed=-3", "--slack", "1.3", "--owners", "0.5", "--no-history", "--out", "x.json"])).toEqual({
      kind: "run",
      options: {
        customers: 50,
        reps: 5,
        seed: -3,
        territories: undefined,
        segments: undefined,
        specialties: undefined,
        capacitySlack: 1.3,
        currentOwners: 0.5,
        history: false,
        locations: undefined,
        workloads: undefined,
        policy: undefined,
      },
      out: "x.json",
      compact: false,
    });
  });

  it("starts from the sample options with --sample, and flags override them", () => {
    const args = parseGenerateArguments(["--sample", "--seed", "99", "--specialties", "a,b"]);
    expect(args.kind).toBe("run");
    if (args.kind !== "run") return;
    expect(args.options).toEqual({ ...SAMPLE_BOOK_OPTIONS, seed: 99, specialties: ["a", "b"] });
  });

  it("validates numbers, the policy and unknown flags", () => {
    expect(parseGenerateArguments(["--help"])).toEqual({ kind: "help" });
    expect(parseGenerateArguments(["--customers", "1.5"])).toMatchObject({ kind: "error", message: expect.stringContaining("--customers") });
    expect(parseGenerateArguments(["--slack", "abc"])).toMatchObject({ kind: "error", message: expect.stringContaining("--slack") });
    expect(parseGenerateArguments(["--policy", "{"])).toMatchObject({ kind: "error", message: expect.stringContaining("not valid JSON") });
    expect(parseGenerateArguments(["--policy", '{"territory":"sometimes"}'])).toMatchObject({ kind: "error", message: expect.stringContaining("policy.territory") });
    expect(parseGenerateArguments(["--bogus"])).toMatchObject({ kind: "error" });
    expect(parseGenerateArguments(["stray"])).toMatchObject({ kind: "error" });
  });
});

describe("data/generate-book.ts", () => {
  it("writes the same book as generateBook to stdout", () => {
    const run = generate(["--customers", "30", "--reps", "4", "--territories", "2", "--seed", "8"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    const plan: unknown = JSON.parse(run.stdout);
    expect(Plan.safeParse(plan).success).toBe(true);
    expect(plan).toEqual(generateBook({ customers: 30, reps: 4, territories: 2, seed: 8 }));
    expect(run.stdout).toContain('\n  "customers": [');
  });

  it("writes compact JSON to --out", () => {
    const dir = mkdtempSync(join(tmpdir(), "allot-generate-"));
    try {
      const out = join(dir, "book.json");
      const run = generate(["--customers", "10", "--reps", "2", "--territories", "1", "--compact", "--out", out]);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe("");
      const written = readFileSync(out, "utf8");
      expect(written.trimEnd()).not.toContain("\n");
      expect(JSON.parse(written)).toEqual(generateBook({ customers: 10, reps: 2, territories: 1 }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 2 with a message for impossible options", () => {
    const run = generate(["--reps", "2", "--territories", "3"]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("territories (3) must not exceed reps (2)");
  });

  it("prints the usage with --help, and exits 2 on a bad flag", () => {
    const help = generate(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: npm run --silent generate");
    const bad = generate(["--bogus"]);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("(see --help)");
  });

  it("run as a process, exits 0 and writes the same bytes on stdout", () => {
    const args = ["--customers", "12", "--reps", "3", "--territories", "2", "--seed", "5"];
    const run = generateProcess(args);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(generate(args).stdout);
  });
});
