/**
 * `npm run solve` on one plan file, with its wall time and peak memory on stderr as one JSON line
 * (`{"wallMs":…,"maxRssMiB":…,"status":…}`), the Solution discarded: the CLI's side of the big-book
 * benchmark (big-book-job.ts).
 */
import { performance } from "node:perf_hooks";
import { runCli } from "../src/cli/run-cli.ts";

const started = performance.now();
let stdout = "";
const status = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: { write: (text) => void (stdout += text) },
  stderr: { write: (text) => void process.stderr.write(text) },
});
const solution = JSON.parse(stdout) as { status: string; gap: number | null; verification: { state: string } };
process.stderr.write(
  `${JSON.stringify({ exit: status, wallMs: performance.now() - started, maxRssMiB: process.resourceUsage().maxRSS / 1024, status: solution.status, gap: solution.gap, verification: solution.verification.state })}\n`,
);
