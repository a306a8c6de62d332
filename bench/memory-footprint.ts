/**
 * Peak memory of one solve by size and path, to size the service's limits (docs/operations.md):
 * each book is generated and solved in a fresh process, which reports its peak resident set
 * (maxRSS) and the eligible pairs; the baseline is the same process after generating the book
 * without solving. `npm run bench:memory` (a few minutes: the 100k × 1,000 book runs its 60 s).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { generateBook } from "../data/book-generator.ts";
import { bookOptions, type BookSpec } from "./bench-books.ts";
import { alignedTable } from "./table-format.ts";

interface Probe {
  customers: number;
  reps: number;
  solver: "auto" | "highs";
  timeLimitMs: number;
}

const PROBES: readonly Probe[] = [
  { customers: 1_000, reps: 20, solver: "highs", timeLimitMs: 10_000 },
  { customers: 5_000, reps: 100, solver: "highs", timeLimitMs: 10_000 },
  { customers: 10_000, reps: 200, solver: "auto", timeLimitMs: 10_000 },
  { customers: 20_000, reps: 400, solver: "auto", timeLimitMs: 20_000 },
  { customers: 50_000, reps: 500, solver: "auto", timeLimitMs: 30_000 },
  { customers: 100_000, reps: 1_000, solver: "auto", timeLimitMs: 60_000 },
];

async function child(probe: Probe, solve: boolean): Promise<void> {
  const spec: BookSpec = { name: "", customers: probe.customers, reps: probe.reps, kind: "all" };
  const options = bookOptions(spec);
  const plan = generateBook({ ...options, policy: { ...options.policy, timeLimitMs: probe.timeLimitMs, solver: probe.solver } });
  let pairs = 0;
  let backend = "-";
  if (solve) {
    const { solvePlan } = await import("../src/solve/solve-plan.ts");
    const { solution } = await solvePlan(plan);
    backend = solution.solver.backend;
  }
  const { estimatePairCount } = await import("../src/solve/plan-statistics.ts");
  pairs = estimatePairCount(plan);
  process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, pairs, backend, json: JSON.stringify(plan).length }));
}

function run(probe: Probe, solve: boolean): { maxRssKb: number; pairs: number; backend: string; json: number } {
  const out = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", JSON.stringify(probe), solve ? "solve" : "generate"], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (out.status !== 0) throw new Error(`probe failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as { maxRssKb: number; pairs: number; backend: string; json: number };
}

if (process.argv[2] === "--child") {
  await child(JSON.parse(process.argv[3] ?? "{}") as Probe, process.argv[4] === "solve");
} else {
  const rows: string[][] = [];
  for (const probe of PROBES) {
    const base = run(probe, false);
    const solved = run(probe, true);
    const extraMib = (solved.maxRssKb - base.maxRssKb) / 1024;
    rows.push([
      `${probe.customers} × ${probe.reps}`,
      solved.backend,
      String(solved.pairs),
      (solved.json / 2 ** 20).toFixed(1),
      (base.maxRssKb / 1024).toFixed(0),
      (solved.maxRssKb / 1024).toFixed(0),
      extraMib.toFixed(0),
      ((extraMib * 2 ** 20) / solved.pairs).toFixed(0),
    ]);
    process.stderr.write(`${rows[rows.length - 1]?.join("  ")}\n`);
  }
  process.stdout.write(
    alignedTable(["book", "path (backend)", "eligible pairs", "plan JSON MiB", "RSS after generating MiB", "peak RSS solving MiB", "solve adds MiB", "bytes per pair"], rows) + "\n",
  );
}
