/**
 * Command line: `npm run --silent solve -- [options] [plan.json | -]` (see `--help`).
 * stdout carries the Solution JSON and nothing else; everything else goes to stderr.
 * Exit 0 whenever a Solution was produced (infeasible and timeout are answers, not failures),
 * 2 for bad arguments or input, 1 for an internal error.
 */
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import type { FieldError, Plan } from "../../models/index.ts";
import { CLI_USAGE, parseCliArguments, type SolveArguments } from "./cli-arguments.ts";
import { formatNumber } from "../numeric/number-format.ts";
import { gapToPlan, parseGapInstance } from "../formats/gap-instance.ts";
import { parsePlan } from "../plan/parse-plan.ts";
import { PlanExpressionError } from "../expressions/plan-expression-error.ts";
import { solvePlan, type SolveOptions, type SolveOutcome } from "../solve/solve-plan.ts";

const EXIT_OK = 0;
const EXIT_INTERNAL = 1;
const EXIT_USAGE = 2;

/** An input problem to report on stderr with exit status 2. */
class InputError extends Error {}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<unknown>) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

async function readInput(input: string | null): Promise<string> {
  try {
    return input === null ? await readStdin() : await readFile(input, "utf8");
  } catch (error) {
    throw new InputError(`cannot read ${input ?? "stdin"}: ${message(error)}`);
  }
}

function toPlan(text: string, args: SolveArguments): Plan {
  let document: unknown;
  if (args.format === "gap") {
    try {
      document = gapToPlan(parseGapInstance(text));
    } catch (error) {
      throw new InputError(message(error));
    }
  } else {
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new InputError(`invalid JSON: ${message(error)}`);
    }
  }
  const parsed = parsePlan(document);
  if (!parsed.ok) throw invalidPlan(parsed.errors);
  return parsed.plan;
}

function invalidPlan(errors: readonly FieldError[]): InputError {
  const lines = errors.map((e) => `${e.path === "" ? "(plan)" : e.path}: ${e.message}`);
  return new InputError(`invalid plan (${errors.length} problem${errors.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
}

async function main(argv: readonly string[]): Promise<number> {
  // Keep stdout for the Solution alone: anything a library logs goes to stderr.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;

  const args = parseCliArguments(argv);
  if (args.kind === "help") {
    process.stdout.write(CLI_USAGE);
    return EXIT_OK;
  }
  if (args.kind === "error") {
    process.stderr.write(`${args.message}\n(see --help)\n`);
    return EXIT_USAGE;
  }

  const started = performance.now();
  let plan: Plan;
  let readMs: number;
  try {
    const text = await readInput(args.input);
    readMs = performance.now() - started;
    plan = toPlan(text, args);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return EXIT_USAGE;
  }
  const parseMs = performance.now() - started - readMs;

  const options: SolveOptions = {};
  if (args.solver !== undefined) options.solver = args.solver;
  if (args.timeLimitMs !== undefined) options.timeLimitMs = args.timeLimitMs;
  if (args.mipGap !== undefined) options.mipGap = args.mipGap;
  let outcome: SolveOutcome;
  try {
    outcome = await solvePlan(plan, options);
  } catch (error) {
    // A rule or score expression that gives a wrong-typed result for some pair is an input problem.
    if (!(error instanceof PlanExpressionError)) throw error;
    process.stderr.write(`${invalidPlan(error.errors).message}\n`);
    return EXIT_USAGE;
  }
  const json = JSON.stringify(outcome.solution, null, 2) + "\n";
  await new Promise<void>((resolve, reject) => process.stdout.write(json, (error) => (error ? reject(error) : resolve())));

  if (args.timing) {
    const f = (ms: number) => `${formatNumber(ms, { decimals: 1 })} ms`;
    process.stderr.write(
      `timing: read ${f(readMs)}, parse ${f(parseMs)}, solve ${f(outcome.timings.solveMs)}, engine total ${f(outcome.timings.totalMs)}, ` +
        `wall ${f(performance.now() - started)}\n`,
    );
  }
  return EXIT_OK;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_INTERNAL;
  },
);
