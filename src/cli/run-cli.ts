/**
 * The command line as a function: `runCli(argv, io)` reads the plan (a file, or `io.stdin`), solves
 * it and writes the Solution JSON to `io.stdout` and nothing else there; messages go to `io.stderr`.
 * It returns the exit status: 0 whenever a Solution was produced (infeasible and timeout are
 * answers, not failures), 2 for bad arguments or input, 1 for an internal error. `cli.ts` runs it
 * on the real process; tests run it in process.
 */
import { readFile, writeFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import type { FieldError, Plan } from "../../models/index.ts";
import { CLI_USAGE, parseCliArguments, type SolveArguments } from "./cli-arguments.ts";
import { formatNumber } from "../numeric/number-format.ts";
import { gapToPlan, parseGapInstance } from "../formats/gap-instance.ts";
import { parsePlan } from "../plan/parse-plan.ts";
import { PlanExpressionError } from "../expressions/plan-expression-error.ts";
import { solvePlan, type SolveOptions, type SolveOutcome } from "../solve/solve-plan.ts";
import { DEFAULT_TIME_LIMIT_MS, resolvePolicy } from "../plan/resolved-policy.ts";
import { solveProgressBar } from "./solve-progress-bar.ts";
import { adviceSummary } from "../advice/advice-summary.ts";
import { adviseOnSolution } from "../advice/plan-advice.ts";
import { importBook, type BookFiles } from "../imports/book-import.ts";
import { readTable } from "../imports/read-table.ts";
import { FileFormatError } from "../formats/file-format-error.ts";
import { exportFromSolution } from "../exports/assignment-export.ts";
import { assignmentsCsv, assignmentsWorkbook } from "../exports/assignment-files.ts";

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_USAGE = 2;

/** Where the command writes text; a returned promise is awaited (e.g. until stdout has flushed). */
export interface TextSink {
  write(text: string): void | Promise<void>;
}

export interface CliIo {
  /** Read when no file (or "-") is named. */
  stdin: AsyncIterable<unknown>;
  stdout: TextSink;
  stderr: TextSink;
  /** A terminal to draw a progress bar on for solves longer than a second (absent: no bar). */
  progress?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** An input problem to report on stderr with exit status 2. */
class InputError extends Error {}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readAll(stream: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk instanceof Uint8Array ? chunk : String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

async function readInput(input: string | null, stdin: AsyncIterable<unknown>): Promise<string> {
  try {
    return input === null ? await readAll(stdin) : await readFile(input, "utf8");
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

async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${message(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: invalid JSON: ${message(error)}`);
  }
}

/** The plan built from CRM exports; the data-quality report's issues go to stderr, one line each. */
async function importPlan(files: NonNullable<SolveArguments["import"]>, stderr: TextSink): Promise<Plan> {
  const table = async (file: string) => {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new InputError(`cannot read ${file}: ${message(error)}`);
    }
    try {
      return await readTable(bytes, file);
    } catch (error) {
      if (error instanceof FileFormatError) throw new InputError(`${file}${error.row === null ? "" : `, row ${error.row}`}: ${error.message}`);
      throw error;
    }
  };
  const book: BookFiles = { accounts: await table(files.customers), reps: await table(files.reps) };
  if (files.opportunities !== undefined) book.opportunities = await table(files.opportunities);
  const options: { mapping?: unknown; policy?: unknown } = {};
  if (files.mapping !== undefined) options.mapping = await readJsonFile(files.mapping);
  if (files.policy !== undefined) options.policy = await readJsonFile(files.policy);
  const result = importBook(book, options);
  if (!result.ok) throw invalidPlan(result.errors);
  const { rows, imported, issues } = result.report;
  await stderr.write(`import: ${imported.customers} of ${rows.accounts} accounts, ${imported.reps} of ${rows.reps} reps, ${imported.deals} deals in ${imported.historyRows} history rows (mapping: ${result.mapping.source})\n`);
  for (const i of issues) {
    const first = i.examples[0];
    const at = first === undefined ? "" : ` (e.g. ${first.file}${first.row === null ? "" : ` row ${first.row}`}${first.column === null ? "" : ` ${first.column}`}: ${first.message})`;
    await stderr.write(`  ${i.severity} ${i.kind} ×${i.count}: ${i.action}${at}\n`);
  }
  return result.plan;
}

function invalidPlan(errors: readonly FieldError[]): InputError {
  const lines = errors.map((e) => `${e.path === "" ? "(plan)" : e.path}: ${e.message}`);
  return new InputError(`invalid plan (${errors.length} problem${errors.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
}

async function solveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCliArguments(argv);
  if (args.kind === "help") {
    await io.stdout.write(CLI_USAGE);
    return EXIT_OK;
  }
  if (args.kind === "error") {
    await io.stderr.write(`${args.message}\n(see --help)\n`);
    return EXIT_USAGE;
  }

  const started = performance.now();
  let plan: Plan;
  let readMs: number;
  try {
    if (args.import !== undefined) {
      plan = await importPlan(args.import, io.stderr);
      readMs = performance.now() - started;
    } else {
      const text = await readInput(args.input, io.stdin);
      readMs = performance.now() - started;
      plan = toPlan(text, args);
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    await io.stderr.write(`${error.message}\n`);
    return EXIT_USAGE;
  }
  const parseMs = performance.now() - started - readMs;

  const options: SolveOptions = {};
  if (args.solver !== undefined) options.solver = args.solver;
  if (args.timeLimitMs !== undefined) options.timeLimitMs = args.timeLimitMs;
  if (args.mipGap !== undefined) options.mipGap = args.mipGap;
  if (args.threads !== undefined) options.threads = args.threads;
  let outcome: SolveOutcome;
  const bar = io.progress === undefined ? null : solveProgressBar(io.progress, args.timeLimitMs ?? plan.policy?.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS);
  if (bar !== null) options.onProgress = (progress) => bar.onProgress(progress);
  try {
    outcome = await solvePlan(plan, options);
  } catch (error) {
    // A rule or score expression that gives a wrong-typed result for some pair is an input problem.
    if (!(error instanceof PlanExpressionError)) throw error;
    await io.stderr.write(`${invalidPlan(error.errors).message}\n`);
    return EXIT_USAGE;
  } finally {
    bar?.stop();
  }
  if (args.advice !== undefined && args.advice.length > 0) {
    // The advice has its own time: the plan's time limit again.
    const timeLimitMs = options.timeLimitMs ?? resolvePolicy(plan.policy).timeLimitMs;
    const advice = await adviseOnSolution(plan, outcome.solution, { parts: args.advice, solve: options, timeLimitMs });
    await io.stdout.write(JSON.stringify({ ...outcome.solution, advice }, null, 2) + "\n");
    await io.stderr.write(adviceSummary(advice));
  } else await io.stdout.write(JSON.stringify(outcome.solution, null, 2) + "\n");

  if (args.export !== undefined) {
    const data = exportFromSolution(plan, outcome.solution);
    try {
      await writeFile(args.export, args.export.toLowerCase().endsWith(".xlsx") ? await assignmentsWorkbook(data) : assignmentsCsv(data));
    } catch (error) {
      await io.stderr.write(`cannot write ${args.export}: ${message(error)}\n`);
      return EXIT_USAGE;
    }
  }

  if (args.timing) {
    const f = (ms: number) => `${formatNumber(ms, { decimals: 1 })} ms`;
    await io.stderr.write(
      `timing: read ${f(readMs)}, parse ${f(parseMs)}, solve ${f(outcome.timings.solveMs)}, engine total ${f(outcome.timings.totalMs)}, ` +
        `wall ${f(performance.now() - started)}\n`,
    );
  }
  return EXIT_OK;
}

/** Runs the command (arguments without the node and script paths) and returns its exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await solveCommand(argv, io);
  } catch (error) {
    await io.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_INTERNAL;
  }
}
