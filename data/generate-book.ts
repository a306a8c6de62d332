/**
 * Writes a synthetic book as JSON: `npm run --silent generate -- --customers N --reps M --seed S
 * [--out file]` (see `--help`). Exit 0 on success, 2 on bad arguments or options.
 */
import { writeFileSync } from "node:fs";
import { generateBook } from "./book-generator.ts";
import { GENERATE_USAGE, parseGenerateArguments } from "./generate-book-arguments.ts";

function main(argv: readonly string[]): number {
  const args = parseGenerateArguments(argv);
  if (args.kind === "help") {
    process.stdout.write(GENERATE_USAGE);
    return 0;
  }
  if (args.kind === "error") {
    process.stderr.write(`${args.message}\n(see --help)\n`);
    return 2;
  }
  let json: string;
  try {
    json = JSON.stringify(generateBook(args.options), null, args.compact ? undefined : 2) + "\n";
  } catch (error) {
    if (error instanceof RangeError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (args.out === null) process.stdout.write(json);
  else {
    try {
      writeFileSync(args.out, json);
    } catch (error) {
      process.stderr.write(`cannot write ${args.out}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
