/**
 * Command line: `npm run --silent solve -- [options] [plan.json | -]` (see `--help`).
 * The process entry of `runCli` (run-cli.ts): stdout carries the Solution JSON and nothing else;
 * everything else goes to stderr. Exit 0 whenever a Solution was produced (infeasible and timeout
 * are answers, not failures), 2 for bad arguments or input, 1 for an internal error.
 */
import { runCli, type TextSink } from "./run-cli.ts";

// Keep stdout for the Solution alone: anything a library logs goes to stderr.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

/** Writes to a process stream and resolves once the text is handed to the system. */
function sink(stream: NodeJS.WriteStream): TextSink {
  return { write: (text) => new Promise<void>((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve()))) };
}

// A progress bar only when stderr is a terminal (never in a pipe or a file).
const progress = process.stderr.isTTY ? { progress: process.stderr } : {};
process.exitCode = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: sink(process.stdout), stderr: sink(process.stderr), ...progress });
