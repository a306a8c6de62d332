/**
 * One benchmark job, run in a child process by bench/run.ts so that each gets its own heap and its
 * peak memory can be read (process.resourceUsage().maxRSS). The job is a JSON argument; every result
 * is printed as one JSON line prefixed with "RESULT ".
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Plan } from "../models/index.ts";
import { generateBook } from "../data/book-generator.ts";
import { generateGapInstance, type GapType } from "../data/gap-generator.ts";
import { formulate } from "../src/mip/formulation.ts";
import { gapToPlan, parseGapInstance } from "../src/formats/gap-instance.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { getBackend } from "../src/mip/solver-registry.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { bookOptions, type BookSpec } from "./bench-books.ts";

export interface BookJob {
  kind: "book";
  book: BookSpec;
  /** "auto" = Allot; "highs" = HiGHS on the full MIP; "jslp" = javascript-lp-solver on the full MIP. */
  solver: "auto" | "highs" | "jslp";
  timeLimitMs: number;
  mipGap: number;
  /** Threads the solve may use (SolveOptions.threads); default 1. */
  threads?: number;
}

export interface GapTask {
  label: string;
  /** OR-Library instance (set/name under the GAP data directory) or a generated one. */
  source: { set: string; name: string } | { type: GapType; agents: number; jobs: number; seed: number };
  solver: "auto" | "highs";
  timeLimitMs: number;
  /** Threads the solve may use (SolveOptions.threads; 2 = the portfolio); default 1. */
  threads?: number;
}

export interface GapJob {
  kind: "gap";
  gapRoot: string;
  tasks: GapTask[];
}

export type Job = BookJob | GapJob;

export interface JobResult {
  label: string;
  status: string;
  objective: number | null;
  bound: number | null;
  gap: number | null;
  ms: number;
  backend: string;
  maxRssMb: number;
  pairs?: number;
}

const print = (result: JobResult) => process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
const rssMb = () => process.resourceUsage().maxRSS / 1024;

async function runBook(job: BookJob): Promise<void> {
  const plan: Plan = generateBook(bookOptions(job.book));
  if (job.solver === "jslp") {
    // javascript-lp-solver on the full MIP, its answer checked by the verifier.
    const started = performance.now();
    const policy = resolvePolicy(plan.policy);
    const table = buildPairTable(plan, policy);
    const result = await getBackend("jslp").solve(formulate(plan, table, policy), { timeLimitMs: job.timeLimitMs, mipGap: job.mipGap });
    let status: string = result.status;
    let objective: number | null = null;
    if (result.values !== null) {
      const assignments: { customer: string; rep: string }[] = [];
      for (let k = 0; k < table.count; k++) {
        if ((result.values[k] ?? 0) > 0.5) assignments.push({ customer: plan.customers[table.customer[k] ?? 0]?.id ?? "", rep: plan.reps[table.rep[k] ?? 0]?.id ?? "" });
      }
      const report = verifyAssignment(plan, assignments);
      if (report.passed) objective = report.objective;
      else status = "rejected";
    }
    print({ label: job.book.name, status, objective, bound: null, gap: null, ms: performance.now() - started, backend: "jslp", maxRssMb: rssMb(), pairs: table.count });
    return;
  }
  const started = performance.now();
  const { solution } = await solvePlan(plan, { solver: job.solver, timeLimitMs: job.timeLimitMs, mipGap: job.mipGap, threads: job.threads ?? 1 });
  print({
    label: job.book.name,
    status: solution.status,
    objective: solution.objective,
    bound: solution.bound,
    gap: solution.gap,
    ms: performance.now() - started,
    backend: solution.solver.backend,
    maxRssMb: rssMb(),
  });
}

function gapPlan(root: string, task: GapTask): Plan {
  const source = task.source;
  if ("set" in source) return gapToPlan(parseGapInstance(readFileSync(path.join(root, source.set, source.name), "utf8")));
  return gapToPlan(generateGapInstance(source));
}

async function runGap(job: GapJob): Promise<void> {
  // Warm-up (untimed): load and exercise both HiGHS runtimes and the engine, as a long-running
  // worker would have done before.
  const warm = gapToPlan(generateGapInstance({ type: "D", agents: 5, jobs: 60, seed: 999 }));
  const threads = Math.max(1, ...job.tasks.map((task) => task.threads ?? 1));
  for (const solver of ["auto", "highs"] as const) await solvePlan(warm, { solver, timeLimitMs: 1_500, mipGap: 0, threads });
  for (const task of job.tasks) {
    const plan = gapPlan(job.gapRoot, task);
    const started = performance.now();
    const { solution } = await solvePlan(plan, { solver: task.solver, timeLimitMs: task.timeLimitMs, mipGap: 0, threads: task.threads ?? 1 });
    print({
      label: task.label,
      status: solution.status,
      // Minimisation instances: report costs (the plan's objective is minus the total cost).
      objective: solution.objective === null ? null : -solution.objective,
      bound: solution.bound === null ? null : -solution.bound,
      gap: solution.gap,
      ms: performance.now() - started,
      backend: solution.solver.backend,
      maxRssMb: rssMb(),
    });
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? "{}") as Job;
  if (job.kind === "book") await runBook(job);
  else await runGap(job);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
