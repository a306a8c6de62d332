/**
 * Starts the real service as a child process on a free loopback port, as `npm start` would, for the
 * HTTP benchmarks. Logs go nowhere; the caller's settings override the defaults below.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { projectRoot } from "../test/project-root.ts";

export { projectRoot };

/** A port that was free a moment ago (the server is then started on it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface LoopbackServer {
  base: string;
  /** The server's process id (e.g. to read its peak memory from /proc). */
  pid: number;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export async function startServer(env: Record<string, string>): Promise<LoopbackServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "api/server.ts"], {
    cwd: projectRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      // Logs as in production (one line per request), sent nowhere.
      LOG_LEVEL: "info",
      ALLOT_DB_PATH: ":memory:",
      ALLOT_RATE_LIMIT_PER_MINUTE: "0",
      ALLOT_API_KEYS: "",
      ALLOT_SHUTDOWN_GRACE_MS: "0",
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (;;) {
    const up = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || performance.now() - started > 60_000) throw new Error("the server did not start");
    await new Promise((wake) => setTimeout(wake, 100));
  }
  return {
    base,
    pid: child.pid ?? -1,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
