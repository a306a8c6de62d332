/**
 * npm run bench:import: importing a 100,000-account CRM export (with 1,000 reps and their closed
 * opportunities) with its data-quality report. The files are generated once into var/ (the book
 * generator's 100k × 1000 book as Salesforce-style CSVs, data/crm-export.ts's format); each run is a
 * fresh process that reads the three files from disk, parses them and builds the plan and report
 * (readTable + importBook, as POST /v1/imports does after the upload), so its peak RSS is the
 * import's own. Prints the table and writes it into bench/README.md (section "import").
 *
 *   npm run bench:import [-- --runs 5 --customers 100000 --reps 1000]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { generateBook } from "../data/book-generator.ts";
import { planToCrmTables } from "../src/exports/crm-files.ts";
import { writeCsv } from "../src/formats/csv-writer.ts";
import { importBook } from "../src/imports/book-import.ts";
import { readTable } from "../src/imports/read-table.ts";
import { projectRoot } from "./loopback-server.ts";
import { writeSection } from "./readme-section.ts";

const dir = path.join(projectRoot, "var", "bench-import");
const FILES = ["accounts.csv", "users.csv", "opportunities.csv"] as const;

async function child(): Promise<void> {
  const start = performance.now();
  const read = async (name: string) => readTable(readFileSync(path.join(dir, name)), name);
  const accounts = await read("accounts.csv");
  const reps = await read("users.csv");
  const opportunities = await read("opportunities.csv");
  const parsedMs = performance.now() - start;
  const result = importBook({ accounts, reps, opportunities });
  const totalMs = performance.now() - start;
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.errors.slice(0, 3))}`);
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ parsedMs, totalMs, maxRssMiB, customers: result.plan.customers.length, deals: result.report.imported.deals, issues: result.report.issues.length }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, customers: { type: "string", default: "100000" }, reps: { type: "string", default: "1000" }, child: { type: "boolean" } } });
  if (values.child === true) return child();
  const runs = Number(values.runs);
  const customers = Number(values.customers);
  const reps = Number(values.reps);
  const plan = generateBook({ seed: 7, customers, reps, territories: 40 });
  const tables = planToCrmTables(plan);
  mkdirSync(dir, { recursive: true });
  const sizes: Record<string, number> = {};
  for (const [name, table] of [
    ["accounts.csv", tables.accounts],
    ["users.csv", tables.users],
    ["opportunities.csv", tables.opportunities],
  ] as const) {
    const text = writeCsv(table.header, table.rows);
    writeFileSync(path.join(dir, name), text);
    sizes[name] = Buffer.byteLength(text);
  }
  const results: { parsedMs: number; totalMs: number; maxRssMiB: number; customers: number; deals: number }[] = [];
  for (let i = 0; i < runs; i += 1) {
    const run = spawnSync(process.execPath, ["--import", "tsx", "bench/import-speed.ts", "--child"], { cwd: projectRoot, encoding: "utf8", maxBuffer: 1 << 20 });
    if (run.status !== 0) throw new Error(`run ${i + 1} failed: ${run.stderr}`);
    results.push(JSON.parse(run.stdout));
    process.stderr.write(`run ${i + 1}/${runs}: ${run.stdout}\n`);
  }
  const mib = (b: number) => (b / 1024 / 1024).toFixed(1);
  const first = results[0];
  const section = [
    "## Import",
    "",
    `\`npm run bench:import\`: ${customers.toLocaleString("en")} accounts, ${reps.toLocaleString("en")} reps and ${first?.deals.toLocaleString("en")} closed opportunities as Salesforce-style CSV ` +
      `(${FILES.map((f) => `${f} ${mib(sizes[f] ?? 0)} MiB`).join(", ")}), read from disk, parsed, mapped (detected), checked and aggregated into a plan with its data-quality report, ` +
      `each run in a fresh process; median of ${runs} runs on this machine (target ≤ 5 s and ≤ 1 GiB).`,
    "",
    "| figure | median | min | max |",
    "|---|---:|---:|---:|",
    `| CSV read and parsed (ms) | ${median(results.map((r) => r.parsedMs)).toFixed(0)} | ${Math.min(...results.map((r) => r.parsedMs)).toFixed(0)} | ${Math.max(...results.map((r) => r.parsedMs)).toFixed(0)} |`,
    `| whole import with the report (ms) | ${median(results.map((r) => r.totalMs)).toFixed(0)} | ${Math.min(...results.map((r) => r.totalMs)).toFixed(0)} | ${Math.max(...results.map((r) => r.totalMs)).toFixed(0)} |`,
    `| peak RSS of the process (MiB) | ${median(results.map((r) => r.maxRssMiB)).toFixed(0)} | ${Math.min(...results.map((r) => r.maxRssMiB)).toFixed(0)} | ${Math.max(...results.map((r) => r.maxRssMiB)).toFixed(0)} |`,
    "",
  ].join("\n");
  process.stdout.write(`${section}\n`);
  writeSection(path.join(projectRoot, "bench", "README.md"), "import", section);
}

await main();
