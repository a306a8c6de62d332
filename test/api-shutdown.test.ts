import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { Solution } from "../models/index.ts";
import { waitFor } from "./api-test-service.ts";
import { gapPlan } from "./gap-fixtures.ts";
import { projectRoot } from "./project-root.ts";

interface LogLine {
  msg?: string;
  port?: number;
  [key: string]: unknown;
}

describe("graceful shutdown", () => {
  it("on SIGTERM under load finishes the solves in flight and queued, refuses new work, then exits 0", async () => {
    // What `npm start` runs: node itself with the tsx loader, so that signals reach the server directly.
    const child = spawn(process.execPath, ["--import", "tsx", "api/server.ts"], {
      cwd: projectRoot,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ALLOT_POOL_SIZE: "1", ALLOT_SHUTDOWN_GRACE_MS: "30000", LOG_LEVEL: "info", ALLOT_API_KEYS: "", ALLOT_DB_PATH: ":memory:" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const logs: LogLine[] = [];
    let stderr = "";
    let pending = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.trim() !== "") logs.push(JSON.parse(line) as LogLine);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // "close", not "exit": every line of stdout has been read by then.
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));

    try {
      await waitFor("the server to listen", () => logs.some((l) => typeof l.port === "number"), 40_000);
      const port = logs.find((l) => typeof l.port === "number")?.port;
      const base = `http://127.0.0.1:${String(port)}`;
      expect(logs.some((l) => String(l.msg).startsWith("try: curl -s ") && String(l.msg).includes("/v1/solve"))).toBe(true);

      // A hard GAP plan keeps the single worker busy for its whole 1 s time limit; two more wait in the queue.
      const plan = gapPlan("c20200", { timeLimitMs: 1000 });
      const solve = () => fetch(`${base}/v1/solve`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(plan) });
      const inFlight = solve();
      let running = false;
      await waitFor(
        "the solve to run",
        () => {
          void fetch(`${base}/readyz`)
            .then((r) => r.json())
            .then((body: unknown) => {
              running = JSON.stringify(body).includes('"running":1');
            })
            .catch(() => undefined);
          return running;
        },
        40_000,
      );

      const queued = [solve(), solve()];
      await new Promise((wake) => setTimeout(wake, 300)); // let both reach the queue
      child.kill("SIGTERM");
      for (const res of await Promise.all([inFlight, ...queued])) {
        expect(res.status).toBe(200);
        const solution = Solution.parse(await res.json());
        expect(["feasible", "timeout"]).toContain(solution.status);
      }

      // By now the server takes no new work: the connection is refused or the answer is 503.
      const late = await fetch(`${base}/v1/solve`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).then(
        (r) => r.status,
        () => "refused",
      );
      expect([503, "refused"]).toContain(late);

      expect(await exited).toBe(0);
      const messages = logs.map((l) => l.msg);
      expect(messages).toContain("shutting down");
      expect(messages, JSON.stringify(logs.slice(-4)) + stderr).toContain("stopped");
      expect(logs.find((l) => l.msg === "shutting down")).toMatchObject({ signal: "SIGTERM", running: 1 });
      expect(logs.find((l) => l.msg === "request" && l.path === "/v1/solve")).toMatchObject({ status: 200 });
      expect(stderr).not.toMatch(/error/i);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
