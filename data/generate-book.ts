/**
 * Writes a synthetic book as JSON: `npm run --silent generate -- --customers N --reps M --seed S
 * [--out file]` (see `--help`). Exit 0 on success, 2 on bad arguments or options, 1 when --out
 * cannot be written. `runGenerateBook` is the command as a function (for tests); run as a script,
 * this file calls it on the real process.
 */
import { realpathSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateBook } from "./book-generator.ts";
import { GENERATE_USAGE, parseGenerateArguments } from "./generate-book-arguments.ts";

/** Where the command writes text. */
export interface GenerateIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Runs the command (arguments without the node and script paths) and returns its exit status. */
export function runGenerateBook(argv: readonly string[], io: GenerateIo): number {
  const args = parseGenerateArguments(argv);
  if (args.kind === "help") {
    io.stdout.write(GENERATE_USAGE);
    return 0;
  }
  if (args.kind === "error") {
    io.stderr.write(`${args.message}\n(see --help)\n`);
    return 2;
  }
  let json: string;
  try {
    json = JSON.stringify(generateBook(args.options), null, args.compact ? undefined : 2) + "\n";
  } catch (error) {
    if (error instanceof RangeError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (args.out === null) io.stdout.write(json);
  else {
    try {
      writeFileSync(args.out, json);
    } catch (error) {
      io.stderr.write(`cannot write ${args.out}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  }
  return 0;
}

/** True when Node was started on this file (not when a test imports it). */
function startedAsScript(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (startedAsScript()) process.exitCode = runGenerateBook(process.argv.slice(2), process);
