import { parseArgs } from "node:util";
import { AdvicePart } from "../../models/index.ts";

export const CLI_USAGE = `Usage: npm run --silent solve -- [options] [file]

Solves a plan and prints the Solution as JSON on stdout. Reads stdin when the file is "-" or absent.
Exit status: 0 when a Solution was produced (whatever its status: optimal, feasible, infeasible or
timeout), 2 for bad arguments, unreadable input, invalid JSON or an invalid plan, 1 for an internal
error.

Options:
  --solver <auto|highs|jslp>  solver backend (overrides policy.solver)
  --time-limit <ms>           time limit in milliseconds (overrides policy.timeLimitMs)
  --mip-gap <x>               relative MIP gap at which to stop (overrides policy.mipGap)
  --threads <n>               threads the solve may use (default 1); 2: HiGHS on a second thread beside
                              the heuristics on large parts, the same answer unless the clock stops it
  --format <plan|gap>         input format: a Plan as JSON (default) or an OR-Library GAP instance
  --advice <parts>            add the advice to the Solution (true, all, or a list of capacity, relaxation,
                              frontier) and print a summary of it on stderr (docs/advice.md)
  --customers <file>          import accounts from a CRM export (.csv or .xlsx) instead of a plan file;
                              needs --reps (docs/workspace.md)
  --reps <file>               the reps (users or owners) export
  --opportunities <file>      closed deals, counted into each rep's conversion history
  --mapping <file>            JSON mapping of the columns (default: detected from the headers)
  --policy <file>             JSON policy for the imported plan
  --export <file>             also write the assignments: a CRM bulk-update .csv, or an .xlsx workbook
  --timing                    print timings on stderr
  --help                      show this help
`;

export type SolverName = "auto" | "highs" | "jslp";
export type InputFormat = "plan" | "gap";

export interface SolveArguments {
  kind: "solve";
  /** The input file, or null for stdin. */
  input: string | null;
  format: InputFormat;
  solver?: SolverName;
  timeLimitMs?: number;
  mipGap?: number;
  /** Threads the solve may use (SolveOptions.threads). */
  threads?: number;
  timing: boolean;
  /** Parts of the advice to add (absent or empty: none). */
  advice?: AdvicePart[];
  /** Build the plan from CRM exports instead of reading one. */
  import?: { customers: string; reps: string; opportunities?: string; mapping?: string; policy?: string };
  /** Write the assignments to this .csv or .xlsx file. */
  export?: string;
}

export type CliArguments = { kind: "help" } | { kind: "error"; message: string } | SolveArguments;

const SOLVERS: readonly SolverName[] = ["auto", "highs", "jslp"];
const FORMATS: readonly InputFormat[] = ["plan", "gap"];

function oneOf<T extends string>(text: string, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === text);
}

function notOneOf(flag: string, text: string, allowed: readonly string[]): { kind: "error"; message: string } {
  return { kind: "error", message: `--${flag} must be one of ${allowed.join(", ")}, got "${text}"` };
}

/** Parses the arguments of the solve command (without the node and script paths). */
export function parseCliArguments(argv: readonly string[]): CliArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        solver: { type: "string" },
        "time-limit": { type: "string" },
        "mip-gap": { type: "string" },
        threads: { type: "string" },
        format: { type: "string" },
        timing: { type: "boolean" },
        advice: { type: "string" },
        customers: { type: "string" },
        reps: { type: "string" },
        opportunities: { type: "string" },
        mapping: { type: "string" },
        policy: { type: "string" },
        export: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: "help" };

  if (positionals.length > 1) return { kind: "error", message: `expected at most one input file, got ${positionals.length}: ${positionals.join(" ")}` };
  const first = positionals[0];
  const out: SolveArguments = { kind: "solve", input: first === undefined || first === "-" ? null : first, format: "plan", timing: values.timing === true };
  if (values.advice !== undefined) {
    const parts: AdvicePart[] = [];
    out.advice = parts;
    for (const name of values.advice.split(",").map((v) => v.trim())) {
      const part = AdvicePart.options.find((p) => p === name);
      if (name === "true") parts.push(...(["capacity", "relaxation"] as const).filter((p) => !parts.includes(p)));
      else if (name === "all") parts.push(...AdvicePart.options.filter((p) => !parts.includes(p)));
      else if (part !== undefined) {
        if (!parts.includes(part)) parts.push(part);
      } else if (name !== "false") return { kind: "error", message: `--advice must be true, false, all, or a comma-separated list of ${AdvicePart.options.join(", ")}, got "${values.advice}"` };
    }
  }

  if (values.customers !== undefined || values.reps !== undefined || values.opportunities !== undefined || values.mapping !== undefined || values.policy !== undefined) {
    if (values.customers === undefined || values.reps === undefined) return { kind: "error", message: "an import needs both --customers and --reps" };
    if (first !== undefined) return { kind: "error", message: `--customers imports the plan: do not also name a plan file (${first})` };
    if (values.format !== undefined) return { kind: "error", message: "--format does not apply to an import" };
    out.import = { customers: values.customers, reps: values.reps };
    if (values.opportunities !== undefined) out.import.opportunities = values.opportunities;
    if (values.mapping !== undefined) out.import.mapping = values.mapping;
    if (values.policy !== undefined) out.import.policy = values.policy;
  }
  if (values.export !== undefined) {
    if (!/\.(csv|xlsx)$/i.test(values.export)) return { kind: "error", message: `--export must name a .csv or .xlsx file, got "${values.export}"` };
    out.export = values.export;
  }
  if (values.format !== undefined) {
    const format = oneOf(values.format, FORMATS);
    if (format === undefined) return notOneOf("format", values.format, FORMATS);
    out.format = format;
  }
  if (values.solver !== undefined) {
    const solver = oneOf(values.solver, SOLVERS);
    if (solver === undefined) return notOneOf("solver", values.solver, SOLVERS);
    out.solver = solver;
  }
  const limit = values["time-limit"];
  if (limit !== undefined) {
    const ms = Number(limit);
    if (!/^\d+$/.test(limit.trim()) || !Number.isSafeInteger(ms) || ms <= 0) {
      return { kind: "error", message: `--time-limit must be a positive integer number of milliseconds, got "${limit}"` };
    }
    out.timeLimitMs = ms;
  }
  const gap = values["mip-gap"];
  if (gap !== undefined) {
    const x = Number(gap);
    if (gap.trim() === "" || !Number.isFinite(x) || x < 0) return { kind: "error", message: `--mip-gap must be a number ≥ 0, got "${gap}"` };
    out.mipGap = x;
  }
  const threads = values.threads;
  if (threads !== undefined) {
    const n = Number(threads);
    if (!/^\d+$/.test(threads.trim()) || !Number.isSafeInteger(n) || n < 1 || n > 64) {
      return { kind: "error", message: `--threads must be an integer from 1 to 64, got "${threads}"` };
    }
    out.threads = n;
  }
  return out;
}
