/**
 * The real service as child processes, for the suites that run several of them: an API process
 * (`node --import tsx api/server.ts`, as `npm start` runs it) on a free loopback port, and a job
 * worker process (`api/worker.ts`). Their log lines are kept (a full pipe would block them);
 * `stopAll()` (in afterAll) kills whatever is still running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { projectRoot } from "./project-root.ts";

export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  /** Every stdout line so far (pino JSON). */
  lines: string[];
  /** Resolves with the exit code (null after a signal). */
  exited: Promise<number | null>;
}

export interface ApiProcess extends ServiceProcess {
  base: string;
}

const started: ServiceProcess[] = [];

function launch(script: string, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  createInterface({ input: child.stdout ?? process.stdin }).on("line", (line) => lines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const spawned = { child, pid: child.pid ?? -1, lines, exited };
  started.push(spawned);
  return spawned;
}

/** An API process on a free loopback port, resolved once it listens. Logs at info (the port is read from them). */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const spawned = launch("api/server.ts", {
    PORT: "0",
    HOST: "127.0.0.1",
    ALLOT_POOL_SIZE: "1",
    LOG_LEVEL: "info",
    ALLOT_API_KEYS: "",
    ALLOT_RATE_LIMIT_PER_MINUTE: "0",
    ALLOT_DB_PATH: "",
    ALLOT_SHUTDOWN_GRACE_MS: "1000",
    ...env,
  });
  const deadline = performance.now() + 60_000;
  for (;;) {
    for (const line of spawned.lines) {
      const entry: unknown = JSON.parse(line);
      if (typeof entry === "object" && entry !== null && "port" in entry && typeof entry.port === "number") return { ...spawned, base: `http://127.0.0.1:${entry.port}` };
    }
    if (spawned.child.exitCode !== null || performance.now() > deadline) throw new Error(`the API process did not start:\n${spawned.lines.join("\n")}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

/** A job worker process (it connects to Redis by itself). */
export function startWorkerProcess(env: Record<string, string>): ServiceProcess {
  return launch("api/worker.ts", { ALLOT_POOL_SIZE: "1", ALLOT_JOB_CONCURRENCY: "1", LOG_LEVEL: "warn", ...env });
}

export function isRunning(p: ServiceProcess): boolean {
  return p.child.exitCode === null && p.child.signalCode === null;
}

/** SIGKILL, and the exit. */
export async function kill(p: ServiceProcess): Promise<void> {
  if (isRunning(p)) p.child.kill("SIGKILL");
  await p.exited;
}

/** SIGTERM, and the exit code. */
export async function stop(p: ServiceProcess): Promise<number | null> {
  if (isRunning(p)) {
    const exit = once(p.child, "exit");
    p.child.kill("SIGTERM");
    await exit;
  }
  return p.exited;
}

/** Kills every process started by this file that still runs. */
export async function stopAll(): Promise<void> {
  await Promise.all(started.splice(0).map(kill));
}
