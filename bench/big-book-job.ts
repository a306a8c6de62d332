/**
 * The advertised scale through the front door: the 100,000 × 1,000 benchmark book (every
 * constraint) sent gzipped to POST /v1/jobs of a service started with every setting at its
 * default, followed to its end; beside it the CLI on the same book. Reports the body sizes, the
 * 202's latency, the end-to-end time, the result's status, gap and verification, and the peak
 * memory of the service and of the CLI. Part of `npm run bench:http` (BENCH_BIG=0 skips it).
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { generateBook } from "../data/book-generator.ts";
import { bookOptions } from "./bench-books.ts";
import { projectRoot, startServer } from "./loopback-server.ts";
import { alignedTable, fixed } from "./table-format.ts";

const CUSTOMERS = 100_000;
const REPS = 1_000;
const TIME_LIMIT_MS = 60_000;

function peakMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? NaN : Number(kb) / 1024;
}

function runCliPeak(file: string): Promise<{ wallMs: number; maxRssMiB: number; status: string; gap: number | null; verification: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/cli-peak.ts", file], { cwd: projectRoot, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.once("close", () => {
      const line = err.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line) as { wallMs: number; maxRssMiB: number; status: string; gap: number | null; verification: string });
      } catch {
        reject(new Error(`cli-peak: ${err.slice(-500)}`));
      }
    });
  });
}

export async function bigBookRows(): Promise<{ header: string[]; rows: string[][]; note: string }> {
  const options = bookOptions({ name: "", customers: CUSTOMERS, reps: REPS, kind: "all" });
  const plan = generateBook({ ...options, policy: { ...options.policy, timeLimitMs: TIME_LIMIT_MS } });
  const json = JSON.stringify({ kind: "solve", input: plan });
  const gz = gzipSync(json);
  const file = path.join(projectRoot, "var", "bench-100k.json");
  writeFileSync(file, JSON.stringify(plan));

  // Every setting at its default (only the port, the log and an in-memory database differ).
  const server = await startServer({});
  const rows: string[][] = [];
  try {
    const t0 = performance.now();
    const res = await fetch(`${server.base}/v1/jobs`, { method: "POST", headers: { "content-type": "application/json", "content-encoding": "gzip" }, body: gz });
    const acceptMs = performance.now() - t0;
    const job = (await res.json()) as { id: string; state: string };
    if (res.status !== 202) throw new Error(`POST /v1/jobs answered ${res.status}: ${JSON.stringify(job)}`);
    let state = job.state;
    while (state === "queued" || state === "running") {
      await new Promise((wake) => setTimeout(wake, 500));
      state = ((await (await fetch(`${server.base}/v1/jobs/${job.id}`)).json()) as { state: string }).state;
    }
    const endMs = performance.now() - t0;
    const result = (await (await fetch(`${server.base}/v1/jobs/${job.id}/result`)).json()) as { status: string; gap: number | null; verification: { state: string } };
    rows.push([
      "POST /v1/jobs (gzip), defaults",
      `${fixed(json.length / 2 ** 20, 1)} → ${fixed(gz.length / 2 ** 20, 1)} MiB`,
      `${fixed(acceptMs, 0)} ms`,
      `${fixed(endMs / 1000, 1)} s`,
      `${state}, ${result.status}`,
      result.gap === null ? "—" : `${fixed(100 * result.gap, 3)}%`,
      result.verification.state,
      `${fixed(peakMiB(server.pid), 0)} MiB`,
    ]);
  } finally {
    await server.stop();
  }
  const cli = await runCliPeak(file);
  rows.push(["npm run solve (CLI)", `${fixed(JSON.stringify(plan).length / 2 ** 20, 1)} MiB file`, "—", `${fixed(cli.wallMs / 1000, 1)} s`, cli.status, cli.gap === null ? "—" : `${fixed(100 * cli.gap, 3)}%`, cli.verification, `${fixed(cli.maxRssMiB, 0)} MiB`]);
  return {
    header: ["100,000 × 1,000 book, 60 s", "body", "202 after", "end to end", "state, status", "gap", "verified", "peak RSS"],
    rows,
    note: "The service's peak RSS is the whole process (API, both worker threads, the body being read); the CLI's is one process solving on its main thread.",
  };
}

export function bigBookTable(result: { header: string[]; rows: string[][] }): string {
  return alignedTable(result.header, result.rows);
}
