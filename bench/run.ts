/**
 * `npm run bench`: runs every benchmark of the project in turn, each in its own process, and prints
 * their tables. Never part of the tests. The individual benches: bench:scale (engine at scale,
 * peers and GAP; rewrites bench/README.md), bench:expressions, bench:http, bench:load, bench:route,
 * what-if:sample, bench:value (realised value over quarters; rewrites its section of bench/README.md).
 */
import { spawnSync } from "node:child_process";
import { projectRoot } from "./loopback-server.ts";
import { fixed } from "./table-format.ts";

const BENCHES = ["bench/scale-suites.ts", "bench/expression-cost.ts", "bench/http-solve.ts", "bench/load.ts", "bench/route-latency.ts", "bench/what-if-sample.ts", "bench/value-over-quarters.ts"];

let failed = 0;
const times: string[] = [];
const started = performance.now();
for (const file of BENCHES) {
  process.stdout.write(`\n## ${file}\n`);
  const t = performance.now();
  const run = spawnSync(process.execPath, ["--import", "tsx", file], { cwd: projectRoot, stdio: "inherit", env: process.env });
  if (run.status !== 0) failed++;
  times.push(`${file} ${fixed((performance.now() - t) / 1000, 0)} s${run.status === 0 ? "" : " (failed)"}`);
}
process.stdout.write(`\nAll benchmarks: ${fixed((performance.now() - started) / 60_000, 1)} min (${times.join("; ")})\n`);
process.exitCode = failed === 0 ? 0 : 1;
