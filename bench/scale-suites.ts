/**
 * `npm run bench:scale` (also the first part of `npm run bench`): every suite of issue 6, printed
 * as tables in one run, and bench/README.md rewritten with the date, the machine, the command and
 * the same tables.
 *
 *   1. Generated books (1k × 20, 10k × 200, 100k × 1,000) with hard territories, workloads, a ±20%
 *      value band and a move budget: Allot's time, objective, bound, gap and peak memory; and the
 *      same books with count capacities only (transportation) against HiGHS on the same model.
 *   2. The peers on the same books with the same time limit: HiGHS on the full MIP and
 *      javascript-lp-solver on the full MIP (where it can load it at all).
 *   1c. Realistic books (10k × 200 at 10 s, 20k × 400 at 20 s, 100k × 1,000 at 60 s): the traits of
 *      real books (data/book-generator.ts, REALISTIC_BOOK_TRAITS), Allot with HiGHS alone beside it.
 *   3. GAP: OR-Library (Cattrysse, Chu & Beasley A–D) and generated types D and E, at 1 s and 10 s
 *      per instance, Allot against HiGHS alone, and a summary of the hard classes C, D and E.
 *
 * Each book run is a child process (its own heap; peak RSS read in the child); runs that outlive
 * their time limit by a wide margin are killed and reported as such. Medians over several runs
 * where affordable (see RUNS). BENCH_QUICK=1 runs a small subset (for checking the harness).
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readOptima } from "../src/formats/gap-instance.ts";
import { bookName, REALISTIC_SIZES, SIZES, type BookSpec } from "./bench-books.ts";
import { ownedSections } from "./readme-section.ts";
import type { GapTask, Job, JobResult } from "./bench-job.ts";
import { duration, figure, fixed, memory, percentOf, titledTable } from "./table-format.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
/** The OR-Library instances that ship with the tests; ALLOT_GAP_DIR points at another folder of the same shape (optima.csv, one folder per set). */
const gapRoot = process.env.ALLOT_GAP_DIR ? path.resolve(process.env.ALLOT_GAP_DIR) : path.join(root, "test", "fixtures", "gap");
const quick = process.env.BENCH_QUICK === "1";
const jobScript = path.join(here, "bench-job.ts");

/** Time limits of the engine runs, per book size (the targets of the issue). */
const BOOK_LIMIT_MS: Record<number, number> = { 1_000: 10_000, 10_000: 10_000, 100_000: 60_000 };
/** Gap the engine is asked for: the issue's targets (0.5% at 100k, 0.1% below), stopping once proven. */
const BOOK_GAP: Record<number, number> = { 1_000: 1e-4, 10_000: 1e-3, 100_000: 5e-3 };
/** Runs per book for the medians (one at 100k: a run takes a minute). */
const RUNS: Record<number, number> = { 1_000: 3, 10_000: 3, 100_000: 1 };

interface ChildOutcome {
  results: JobResult[];
  killed: boolean;
  error: string | null;
  wallMs: number;
}

function runChild(job: Job, killAfterMs: number): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", jobScript, JSON.stringify(job)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, killAfterMs);
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("close", (code) => {
      clearTimeout(timer);
      const results = out
        .split("\n")
        .filter((line) => line.startsWith("RESULT "))
        .map((line) => JSON.parse(line.slice("RESULT ".length)) as JobResult);
      const error = !killed && code !== 0 ? (err.trim().split("\n").slice(-3).join(" ") || `exit ${code}`) : null;
      resolve({ results, killed, error, wallMs: performance.now() - started });
    });
  });
}

// ---------- statistics ----------

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

const sections: string[] = [];
function emit(section: string): void {
  sections.push(section);
  process.stdout.write(`\n${section}`);
}

// ---------- suite 1: books ----------

interface BookRun {
  result: JobResult | null;
  killed: boolean;
  error: string | null;
  wallMs: number;
}

async function bookRuns(spec: BookSpec, solver: "auto" | "highs" | "jslp", timeLimitMs: number, mipGap: number, runs: number, killAfterMs: number, threads = 1): Promise<BookRun[]> {
  const out: BookRun[] = [];
  for (let i = 0; i < runs; i++) {
    const outcome = await runChild({ kind: "book", book: spec, solver, timeLimitMs, mipGap, ...(threads > 1 ? { threads } : {}) }, killAfterMs);
    out.push({ result: outcome.results[0] ?? null, killed: outcome.killed, error: outcome.error, wallMs: outcome.wallMs });
    // A killed or failed peer is not retried: it would fail again.
    if (outcome.results.length === 0) break;
  }
  return out;
}

/** The run with the median time (its figures are quoted together). */
function medianRun(runs: BookRun[]): JobResult | null {
  const done = runs.map((r) => r.result).filter((r): r is JobResult => r !== null);
  if (done.length === 0) return null;
  const m = median(done.map((r) => r.ms));
  return done.reduce((best, r) => (Math.abs(r.ms - m) < Math.abs(best.ms - m) ? r : best));
}

/** The run whose gap is the median of the runs' (the lower middle one of an even count). */
function medianGapRun(runs: BookRun[]): JobResult | null {
  const done = runs.map((r) => r.result).filter((r): r is JobResult => r !== null && r.gap !== null);
  if (done.length === 0) return medianRun(runs);
  const sorted = [...done].sort((a, b) => (a.gap ?? 0) - (b.gap ?? 0));
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
}

function failure(runs: BookRun[], limitMs: number, killAfterMs: number): string {
  const last = runs[runs.length - 1];
  if (last === undefined) return "not run";
  if (last.killed) return `no answer: killed after ${duration(killAfterMs)} (limit ${duration(limitMs)})`;
  return `failed: ${last.error ?? "no result"}`;
}

async function suiteBooks(): Promise<Map<string, JobResult | null>> {
  const sizes = quick ? SIZES.slice(0, 2) : SIZES;
  const allot = new Map<string, JobResult | null>();
  const rows: string[][] = [];
  for (const size of sizes) {
    const spec: BookSpec = { name: bookName(size.customers, size.reps), ...size, kind: "all" };
    const limit = BOOK_LIMIT_MS[size.customers] ?? 10_000;
    const mipGap = BOOK_GAP[size.customers] ?? 1e-4;
    const runs = await bookRuns(spec, "auto", limit, mipGap, quick ? 1 : (RUNS[size.customers] ?? 1), limit + 30_000);
    const m = medianRun(runs);
    allot.set(spec.name, m);
    const times = runs.map((r) => r.result?.ms).filter((x): x is number => x !== undefined);
    rows.push(
      m === null
        ? [spec.name, duration(limit), percentOf(mipGap, 2), String(runs.length), failure(runs, limit, limit + 30_000), "", "", "", "", ""]
        : [
            spec.name,
            duration(limit),
            percentOf(mipGap, 2),
            String(times.length),
            `${duration(m.ms)}${times.length > 1 ? ` (${times.map(duration).join(", ")})` : ""}`,
            m.status,
            figure(m.objective),
            figure(m.bound),
            percentOf(m.gap),
            memory(Math.max(...runs.map((r) => r.result?.maxRssMb ?? 0))),
          ],
    );
  }
  emit(
    titledTable(
      "1. Generated books, all constraints — Allot",
      ["book (customers × reps)", "time limit", "gap asked", "runs", "time (median; all runs)", "status", "objective", "bound", "gap", "peak memory"],
      rows,
      "Hard territories (about one per 20 reps), workloads, value band ±20%, move budget 10% of customers. `gap` = (bound − objective) / bound with a proven bound (Lagrangian, recomputed from the data). Time is wall clock inside the child, from the plan to the verified Solution (pair scoring, solving, verification, assembly). Peak memory = max RSS of the child process (book generation included).",
    ),
  );

  // Transportation books: network simplex vs HiGHS on the same model.
  const tRows: string[][] = [];
  for (const size of sizes) {
    const spec: BookSpec = { name: bookName(size.customers, size.reps), ...size, kind: "transport" };
    const ours = await bookRuns(spec, "auto", 600_000, 0, quick ? 1 : (RUNS[size.customers] ?? 1), 660_000);
    const m = medianRun(ours);
    // HiGHS gets 10 × Allot's time (at least 10 s, at most 60 s): enough to show a 10× ratio.
    const highsLimit = Math.min(60_000, Math.max(10_000, 10 * (m?.ms ?? 1000)));
    const skipHighs = size.customers >= 100_000;
    const theirs = skipHighs ? [] : await bookRuns(spec, "highs", highsLimit, 0, 1, highsLimit + 30_000);
    const h = medianRun(theirs);
    const ratio = m === null ? "—" : h !== null && h.status === "optimal" ? `${fixed(h.ms / m.ms, 0)}×` : skipHighs ? "—" : `> ${fixed(highsLimit / m.ms, 0)}×`;
    tRows.push([
      spec.name,
      m === null ? failure(ours, 600_000, 660_000) : `${duration(m.ms)}`,
      m === null ? "" : `${m.status}, gap ${percentOf(m.gap, 6)}`,
      m === null ? "" : memory(m.maxRssMb),
      skipHighs ? "not run (the 10k model already takes HiGHS minutes)" : h === null ? failure(theirs, highsLimit, highsLimit + 30_000) : `${duration(h.ms)}, ${h.status}${h.gap === null ? "" : `, gap ${percentOf(h.gap, 6)}`}`,
      ratio,
    ]);
  }
  emit(
    titledTable(
      "1b. Transportation books (count capacities only) — network simplex vs HiGHS on the same model",
      ["book", "Allot time", "Allot status", "Allot peak memory", "HiGHS (full MIP, same model)", "HiGHS time / Allot time"],
      tRows,
      "Allot solves these by network simplex (exact) and proves optimality by a Lagrangian bound recomputed from the flow's duals. HiGHS gets 10 × Allot's time (10–60 s); `> N×` means it had no optimal answer in that time.",
    ),
  );
  return allot;
}

// ---------- suite 1c: realistic books ----------

/** Runs per realistic book for the medians (one at 100k: a run takes a minute). */
const REALISTIC_RUNS: Record<number, number> = { 2_000: 3, 10_000: 3, 20_000: 3, 100_000: 1 };
/** Gap the engine is asked for on the realistic books: the issue's targets (the mid-size book: the default, 0.01%). */
const REALISTIC_GAP: Record<number, number> = { 2_000: 1e-4, 10_000: 1e-3, 20_000: 1e-3, 100_000: 5e-3 };

async function suiteRealistic(): Promise<void> {
  const sizes = quick ? REALISTIC_SIZES.slice(0, 1) : REALISTIC_SIZES;
  const rows: string[][] = [];
  for (const size of sizes) {
    const spec: BookSpec = { name: bookName(size.customers, size.reps), customers: size.customers, reps: size.reps, kind: "realistic" };
    const limit = size.limitMs;
    const mipGap = REALISTIC_GAP[size.customers] ?? 1e-3;
    const runs = await bookRuns(spec, "auto", limit, mipGap, quick ? 1 : (REALISTIC_RUNS[size.customers] ?? 1), limit + 30_000);
    // The run with the median gap gives the plan's figures; the time column its own median.
    const m = medianGapRun(runs);
    const times = runs.map((r) => r.result?.ms).filter((x): x is number => x !== undefined);
    const gaps = runs.map((r) => r.result?.gap).filter((x): x is number => x !== undefined && x !== null);
    // Offered a second thread (as the service's pool does when another thread is idle): the dives side by side with the exchanges.
    const twoThreads = size.customers >= 100_000 ? [] : await bookRuns(spec, "auto", limit, mipGap, quick ? 1 : (REALISTIC_RUNS[size.customers] ?? 1), limit + 30_000, 2);
    const m2 = medianRun(twoThreads);
    const gaps2 = twoThreads.map((r) => r.result?.gap).filter((x): x is number => x !== undefined && x !== null);
    // HiGHS alone on the full MIP at the same limit (not at 100k: the model alone does not fit the limit).
    const skipHighs = size.customers >= 100_000;
    const theirs = skipHighs ? [] : await bookRuns(spec, "highs", limit, mipGap, 1, limit + 20_000);
    const h = theirs[0]?.result ?? null;
    rows.push([
      spec.name,
      duration(limit),
      percentOf(mipGap, 2),
      m === null ? failure(runs, limit, limit + 30_000) : `${duration(median(times))}${times.length > 1 ? ` (${times.map(duration).join(", ")})` : ""}`,
      m?.status ?? "—",
      figure(m?.objective ?? null),
      figure(m?.bound ?? null),
      m === null ? "—" : `${percentOf(m.gap)}${gaps.length > 1 ? ` (${gaps.map((g) => percentOf(g)).join(", ")})` : ""}`,
      m === null ? "—" : memory(Math.max(...runs.map((r) => r.result?.maxRssMb ?? 0))),
      size.customers >= 100_000 ? "not run" : m2 === null ? failure(twoThreads, limit, limit + 30_000) : `${percentOf(median(gaps2))}${gaps2.length > 1 ? ` (${gaps2.map((g) => percentOf(g)).join(", ")})` : ""}, ${memory(Math.max(...twoThreads.map((r) => r.result?.maxRssMb ?? 0)))}`,
      skipHighs ? "not run (the full MIP alone outlasts the limit)" : h === null ? failure(theirs, limit, limit + 20_000) : `${h.status}${h.objective === null ? "" : `, ${figure(h.objective)}`}${h.gap === null ? "" : `, gap ${percentOf(h.gap)}`}`,
    ]);
  }
  emit(
    titledTable(
      "1c. Realistic books — Allot, with HiGHS alone beside it",
      ["book (customers × reps)", "time limit", "gap asked", "time (median; all runs)", "status", "objective", "bound", "gap (median; all runs)", "peak memory", "Allot, 2 threads: gap (median; all runs), peak memory", "HiGHS alone, full MIP, same limit"],
      rows,
      "Books with the traits of real ones (data/book-generator.ts, REALISTIC_BOOK_TRAITS; bench/bench-books.ts): hard territories staffed in proportion to their value (each rep's fair share is its value in a hidden feasible plan), log-normal values (σ 1.1), the top 6% of accounts for reps of seniority ≥ 2, a ±20% value band, every customer with a current rep of whom 15% are stale (a random rep of the territory) and a move budget of 15% of the customers, 30% of reps covering a neighbouring territory, 3% of accounts requiring a specialty, workloads 0.5–3.5. Every answer passed the verifier (the engine returns no other). `Allot, 2 threads`: SolveOptions.threads 2, as the service's pool offers a solve when another of its threads is idle (each turn's fixing dive on a helper thread beside the exchanges, their plans crossed by a MIP; not at 100k, where the dives do not apply). The 2k × 40 book is one part of about 26,000 pairs: the search gets half of its time, HiGHS on the whole part the other half, from the search's plan.",
    ),
  );
}

// ---------- suite 2: peers ----------

async function suitePeers(allot: Map<string, JobResult | null>): Promise<void> {
  const sizes = quick ? SIZES.slice(0, 1) : SIZES;
  const rows: string[][] = [];
  const gaveUp = new Map<string, string>();
  for (const size of sizes) {
    const spec: BookSpec = { name: bookName(size.customers, size.reps), ...size, kind: "all" };
    const limit = BOOK_LIMIT_MS[size.customers] ?? 10_000;
    const ours = allot.get(spec.name) ?? null;
    for (const solver of ["highs", "jslp"] as const) {
      // Peers overrun their limits (model building is not timed by them): killed at limit + 20 s.
      const killAfter = limit + 20_000;
      // A peer that could not answer on a smaller book is not run on a larger one.
      const smaller = gaveUp.get(solver);
      if (smaller !== undefined) {
        rows.push([spec.name, solver === "highs" ? "HiGHS, full MIP" : "javascript-lp-solver, full MIP", duration(limit), `not run: no answer on the ${smaller} book`, "—", "—", "—", "—", "—"]);
        continue;
      }
      const runs = await bookRuns(spec, solver, limit, 1e-4, 1, killAfter);
      if (runs[0]?.result === null || runs[0]?.result === undefined) gaveUp.set(solver, spec.name);
      const r = runs[0]?.result ?? null;
      const versus = r?.objective !== null && r?.objective !== undefined && ours?.objective !== null && ours?.objective !== undefined ? percentOf((ours.objective - r.objective) / Math.abs(ours.objective), 3) : "—";
      rows.push([
        spec.name,
        solver === "highs" ? "HiGHS, full MIP" : "javascript-lp-solver, full MIP",
        duration(limit),
        r === null ? failure(runs, limit, killAfter) : duration(r.ms),
        r?.status ?? "—",
        figure(r?.objective ?? null),
        percentOf(r?.gap ?? null),
        versus,
        r === null ? "—" : memory(r.maxRssMb),
      ]);
    }
  }
  emit(
    titledTable(
      "2. The peers on the same books, same time limit",
      ["book", "solver", "time limit", "time", "status", "objective", "own gap", "Allot ahead by", "peak memory"],
      rows,
      "`Allot ahead by` = (Allot's objective − the peer's) / Allot's objective, with Allot's median run of table 1. A peer without a verified plan in time has no objective.",
    ),
  );
}

// ---------- suite 3: GAP ----------

interface GapCell {
  cost: number | null;
  bound: number | null;
  status: string;
  ms: number;
}

async function runGapTasks(tasks: GapTask[]): Promise<Map<string, GapCell>> {
  const out = new Map<string, GapCell>();
  // Batches keep child start-up (and the warm-up) from dominating; a batch is killed if it hangs.
  const batchSize = 24;
  for (let i = 0; i < tasks.length; i += batchSize) {
    const batch = tasks.slice(i, i + batchSize);
    const budget = batch.reduce((s, t) => s + t.timeLimitMs + 5_000, 30_000);
    const outcome = await runChild({ kind: "gap", gapRoot, tasks: batch }, budget);
    for (const r of outcome.results) out.set(r.label, { cost: r.objective, bound: r.bound, status: r.status, ms: r.ms });
  }
  return out;
}

const LIMITS = [1_000, 10_000] as const;
/** Allot on one thread, HiGHS alone on the whole MIP; with `portfolio`, also Allot offered a second thread (docs/scale.md). */
const SOLVERS = ["auto", "highs"] as const;
const WITH_PORTFOLIO = ["auto", "auto2", "highs"] as const;
const TITLES: Record<string, string> = { auto: "Allot", auto2: "Allot, 2 threads", highs: "HiGHS" };
const key = (name: string, solver: string, limit: number) => `${name}|${solver}|${limit}`;

function gapTasksFor(name: string, source: GapTask["source"], limits: readonly number[], variants: readonly string[] = SOLVERS): GapTask[] {
  return limits.flatMap((limit) =>
    variants.map((variant) => ({ label: key(name, variant, limit), source, solver: variant === "highs" ? ("highs" as const) : ("auto" as const), timeLimitMs: limit, threads: variant === "auto2" ? 2 : 1 })),
  );
}

async function suiteGap(): Promise<void> {
  if (!existsSync(gapRoot)) {
    emit(`### 3. GAP\n\nThe OR-Library instances were not found in ${gapRoot}: suite skipped.\n`);
    return;
  }
  const optima = readOptima(readFileSync(path.join(gapRoot, "optima.csv"), "utf8"));
  const dev = (cost: number | null, reference: number) => (cost === null ? null : (cost - reference) / reference);

  // 3a. Cattrysse (small; solved exactly by both): a summary per set, at 1 s.
  const cattrysse = readdirSync(path.join(gapRoot, "cattrysse1994")).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const cNames = quick ? cattrysse.slice(0, 5) : cattrysse;
  const cResults = await runGapTasks(cNames.flatMap((name) => gapTasksFor(name, { set: "cattrysse1994", name }, [1_000])));
  const bySet = new Map<string, string[]>();
  for (const name of cNames) {
    const set = name.split("-")[0] ?? name;
    bySet.set(set, [...(bySet.get(set) ?? []), name]);
  }
  const cRows = [...bySet].map(([set, names]) => {
    const cells = SOLVERS.map((solver) => {
      const devs = names.map((n) => dev(cResults.get(key(n, solver, 1_000))?.cost ?? null, optima.get(n)?.minOptimum ?? Number.NaN));
      const optimal = devs.filter((d) => d !== null && Math.abs(d) < 1e-9).length;
      const worst = Math.max(...devs.map((d) => d ?? Infinity));
      const times = names.map((n) => cResults.get(key(n, solver, 1_000))?.ms ?? Number.NaN);
      return [`${optimal}/${names.length}`, percentOf(worst === Infinity ? null : worst), duration(median(times))];
    });
    return [set, ...cells.flat()];
  });
  emit(
    titledTable(
      "3a. OR-Library GAP, Cattrysse & Van Wassenhove sets (5 instances each), 1 s per instance",
      ["set", "Allot: at optimum", "Allot: worst deviation", "Allot: median time", "HiGHS: at optimum", "HiGHS: worst deviation", "HiGHS: median time"],
      cRows,
    ),
  );

  // 3b. Chu & Beasley A, B, C at 1 s and 10 s.
  const chu = readdirSync(path.join(gapRoot, "chu1997")).sort();
  const chuNames = quick ? chu.filter((n) => n.startsWith("c")).slice(0, 2) : chu;
  const chuResults = await runGapTasks(chuNames.flatMap((name) => gapTasksFor(name, { set: "chu1997", name }, LIMITS, WITH_PORTFOLIO)));
  const chuRows = chuNames.map((name) => {
    const opt = optima.get(name)?.minOptimum ?? Number.NaN;
    return [
      name,
      String(opt),
      ...LIMITS.flatMap((limit) =>
        WITH_PORTFOLIO.map((solver) => {
          const c = chuResults.get(key(name, solver, limit));
          return c === undefined ? "—" : `${figure(c.cost)} (${percentOf(dev(c.cost, opt), 2)})`;
        }),
      ),
    ];
  });
  emit(
    titledTable(
      "3b. OR-Library GAP, Chu & Beasley types A–D and Yagiura type E: cost (deviation from the optimum; d20200: from its best known 12,244)",
      ["instance", "optimum", ...LIMITS.flatMap((limit) => WITH_PORTFOLIO.map((v) => `${TITLES[v] ?? v} ${limit / 1000} s`))],
      chuRows,
      "One run each, in a child process, one instance after another. `Allot, 2 threads`: SolveOptions.threads 2, as the service's pool offers a solve when another of its threads is idle (HiGHS on the whole part on a helper thread from the start, path relinking on the solve's thread while HiGHS runs).",
    ),
  );

  // 3c. Generated D and E: deviation from the best proven bound of all runs.
  const generated: { name: string; source: GapTask["source"] }[] = [];
  // The sizes of Chu & Beasley's D set that matter most (10 and 20 agents), and two E instances.
  const dSizes = quick ? [[5, 100]] : [[5, 100], [10, 100], [10, 200], [20, 200]];
  const eSizes = quick ? [] : [[10, 200], [20, 200]];
  for (const [type, sizes] of [["D", dSizes], ["E", eSizes]] as const) {
    for (const [agents, jobs] of sizes) {
      generated.push({ name: `${type.toLowerCase()}${String(agents).padStart(2, "0")}${jobs}`, source: { type, agents: agents ?? 5, jobs: jobs ?? 100, seed: 1 } });
    }
  }
  const gResults = await runGapTasks(generated.flatMap((g) => gapTasksFor(g.name, g.source, LIMITS, WITH_PORTFOLIO)));
  const gRows = generated.map(({ name }) => {
    const cells = LIMITS.flatMap((limit) => WITH_PORTFOLIO.map((solver) => gResults.get(key(name, solver, limit))));
    // Minimisation: the best bound is the largest proven lower bound.
    const best = Math.max(...cells.map((c) => c?.bound ?? -Infinity));
    const bestCost = Math.min(...cells.map((c) => c?.cost ?? Infinity));
    return [
      name,
      Number.isFinite(best) ? figure(Math.ceil(best - 1e-9)) : "—",
      Number.isFinite(bestCost) ? figure(bestCost) : "—",
      ...cells.map((c) => (c === undefined || c.cost === null ? "—" : `${figure(c.cost)} (${percentOf(dev(c.cost, Math.ceil(best - 1e-9)), 2)})`)),
    ];
  });
  emit(
    titledTable(
      "3c. Generated GAP types D and E (seed 1): cost (deviation from the best proven bound)",
      ["instance", "best bound", "best cost", ...LIMITS.flatMap((limit) => WITH_PORTFOLIO.map((v) => `${TITLES[v] ?? v} ${limit / 1000} s`))],
      gRows,
      "Generated by data/gap-generator.ts (recipes in its header: type D after Chu & Beasley 1997, type E after Laguna et al. 1995). `best bound` = the largest lower bound proven by any run (costs are integers, so it is rounded up); instance name = type, agents, jobs.",
    ),
  );

  // 3d. The hard classes together: OR-Library C and D against their optima, generated D and E
  // against the best proven bound (an upper estimate of the deviation from the optimum).
  const classes: { label: string; cells: (solver: string, limit: number) => (number | null)[] }[] = [
    {
      label: "C (OR-Library, vs optimum)",
      cells: (solver, limit) => chuNames.filter((n) => n.startsWith("c")).map((n) => dev(chuResults.get(key(n, solver, limit))?.cost ?? null, optima.get(n)?.minOptimum ?? Number.NaN)),
    },
    {
      label: "D (OR-Library, vs optimum or best known)",
      cells: (solver, limit) => chuNames.filter((n) => n.startsWith("d")).map((n) => dev(chuResults.get(key(n, solver, limit))?.cost ?? null, optima.get(n)?.minOptimum ?? Number.NaN)),
    },
    {
      label: "E (OR-Library, vs optimum)",
      cells: (solver, limit) => chuNames.filter((n) => n.startsWith("e")).map((n) => dev(chuResults.get(key(n, solver, limit))?.cost ?? null, optima.get(n)?.minOptimum ?? Number.NaN)),
    },
    ...(["d", "e"] as const).map((type) => ({
      label: `${type.toUpperCase()} (generated, vs best bound)`,
      cells: (solver: string, limit: number) =>
        generated
          .filter((g) => g.name.startsWith(type))
          .map(({ name }) => {
            const all = LIMITS.flatMap((l) => WITH_PORTFOLIO.map((s) => gResults.get(key(name, s, l))));
            const best = Math.ceil(Math.max(...all.map((c) => c?.bound ?? -Infinity)) - 1e-9);
            return Number.isFinite(best) ? dev(gResults.get(key(name, solver, limit))?.cost ?? null, best) : null;
          }),
    })),
  ];
  const summary = (devs: (number | null)[]): string => {
    if (devs.length === 0) return "—";
    const found = devs.filter((d): d is number => d !== null && Number.isFinite(d));
    const missing = devs.length - found.length;
    if (found.length === 0) return `no plan (${devs.length})`;
    const mean = found.reduce((a, b) => a + b, 0) / found.length;
    return `${percentOf(mean, 2)} / ${percentOf(Math.max(...found), 2)}${missing > 0 ? `, ${missing} without a plan` : ""}`;
  };
  emit(
    titledTable(
      "3d. Hard GAP classes C, D, E: mean / worst deviation",
      ["class (instances)", ...LIMITS.flatMap((limit) => WITH_PORTFOLIO.map((v) => `${TITLES[v] ?? v} ${limit / 1000} s`))],
      classes
        .filter((c) => c.cells("auto", 1_000).length > 0)
        .map((c) => [`${c.label} (${c.cells("auto", 1_000).length})`, ...LIMITS.flatMap((limit) => WITH_PORTFOLIO.map((solver) => summary(c.cells(solver, limit))))]),
      "From the runs of tables 3b and 3c. Deviation = (cost − reference) / reference; the reference is the optimum for OR-Library instances and the best bound proven by any run for generated ones (so the figure there is at least the true deviation from the optimum).",
    ),
  );
}

// ---------- main ----------

async function main(): Promise<void> {
  const started = new Date();
  const t0 = performance.now();
  process.stdout.write(`Allot benchmark — ${started.toISOString()}${quick ? " (quick subset)" : ""}\n`);
  const allot = await suiteBooks();
  await suiteRealistic();
  await suitePeers(allot);
  await suiteGap();
  const totalMs = performance.now() - t0;
  const cpus = os.cpus();
  const header = [
    "# Benchmarks",
    "",
    "Generated by `npm run bench:scale` (bench/scale-suites.ts, also run first by `npm run bench`); do not edit by hand — rerun the command. " +
      "The sections at the end belong to other benchmarks (`npm run bench:value`), which rewrite them; bench:scale keeps them.",
    "",
    `- Date: ${started.toISOString()}${quick ? " (BENCH_QUICK=1: a small subset only)" : ""}`,
    `- Machine: ${cpus.length} cores (${cpus[0]?.model ?? "unknown CPU"}), ${fixed(os.totalmem() / 1024 ** 3, 1)} GiB memory, ${os.type()} ${os.release()}, Node ${process.version}`,
    `- Command: \`npm run bench:scale\` (total ${duration(totalMs)})`,
    "- Every figure is from this run; times are wall clock and vary with the machine's load (other processes may have shared these cores).",
    "",
  ].join("\n");
  // Sections other benchmarks own (bench/readme-section.ts) are kept at the end.
  const readme = path.join(here, "README.md");
  const kept = existsSync(readme) ? ownedSections(readFileSync(readme, "utf8")) : "";
  writeFileSync(readme, `${header}\n${sections.join("\n")}${kept === "" ? "" : `\n${kept}`}`);
  process.stdout.write(`\nTotal ${duration(totalMs)}; tables written to bench/README.md\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
