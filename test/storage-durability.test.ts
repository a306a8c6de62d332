import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { AssignmentPage, Plan, PlanVersion, PlanVersionDetail, RouteResult, type AssignmentRecord } from "../models/index.ts";
import { projectRoot } from "./project-root.ts";

const dir = mkdtempSync(path.join(tmpdir(), "allot-durability-"));
const dbFile = path.join(dir, "data", "allot.db");
const running: ChildProcess[] = [];
afterAll(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** The real server (`node --import tsx api/server.ts`) on a free port; resolves with its base URL once it listens. */
async function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "api/server.ts"], {
    cwd: projectRoot,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ALLOT_POOL_SIZE: "1", LOG_LEVEL: "info", ALLOT_API_KEYS: "", ALLOT_DB_PATH: dbFile },
    stdio: ["ignore", "pipe", "inherit"],
  });
  running.push(child);
  // Every log line is read (a full pipe would block the server); the listening line gives the port.
  const lines = createInterface({ input: child.stdout ?? process.stdin });
  return new Promise((resolve, reject) => {
    lines.on("line", (line) => {
      const entry: unknown = JSON.parse(line);
      if (typeof entry === "object" && entry !== null && "port" in entry && typeof entry.port === "number") resolve({ child, base: `http://127.0.0.1:${entry.port}` });
    });
    child.once("exit", () => reject(new Error("the server exited before listening")));
  });
}

async function post(base: string, url: string, body: unknown, key?: string): Promise<Response> {
  return fetch(`${base}${url}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key === undefined ? {} : { "idempotency-key": key }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Five reps of 20 seats (one taken by the plan's own customer each): 95 free seats. */
const BOOK = Plan.parse({
  customers: ["a", "b", "c", "d", "e"].map((rep) => ({ id: `own-${rep}`, value: 500 })),
  reps: ["a", "b", "c", "d", "e"].map((id) => ({ id, maxAccounts: 20 })),
  policy: { locks: ["a", "b", "c", "d", "e"].map((rep) => ({ customer: `own-${rep}`, rep })) },
});

describe("durability", () => {
  it("keeps every acknowledged write through a SIGKILL, and the file passes PRAGMA integrity_check", async () => {
    const first = await startServer();
    const saved = await post(first.base, "/v1/plans", { label: "durable", plan: BOOK }, "save-1");
    expect(saved.status).toBe(200);
    const plan = PlanVersion.parse(await saved.json());
    expect((await post(first.base, `/v1/plans/${plan.id}/activate`, undefined)).status).toBe(200);

    // A burst of routing calls; the server is killed once some of them have been answered.
    const acknowledged = new Map<string, RouteResult>();
    const burst = Array.from({ length: 120 }, (_, i) =>
      post(first.base, "/v1/route", { customer: { id: `lead-${i}`, value: 100 + i } }, `route-${i}`)
        .then(async (res) => {
          if (res.status === 200) acknowledged.set(`lead-${i}`, RouteResult.parse(await res.json()));
        })
        .catch(() => undefined),
    );
    const deadline = performance.now() + 20_000;
    while (acknowledged.size < 30 && performance.now() < deadline) await new Promise((wake) => setTimeout(wake, 1));
    const killed = once(first.child, "exit");
    first.child.kill("SIGKILL");
    await Promise.all([killed, ...burst]);
    expect(first.child.signalCode).toBe("SIGKILL");
    expect(acknowledged.size).toBeGreaterThanOrEqual(30);

    // The file as the killed process left it: sound, and its routed rows agree with the loads.
    const db = new Database(dbFile);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    const routed = db.prepare("SELECT rep_id, count(*) AS n FROM assignments WHERE source = 'routed' AND rep_id IS NOT NULL GROUP BY rep_id").all() as { rep_id: string; n: number }[];
    const loads = db.prepare("SELECT rep_id, accounts FROM rep_loads").all() as { rep_id: string; accounts: number }[];
    for (const load of loads) expect(load.accounts).toBe(1 + (routed.find((r) => r.rep_id === load.rep_id)?.n ?? 0));
    db.close();

    const second = await startServer();
    try {
      const detail = PlanVersionDetail.parse(await (await fetch(`${second.base}/v1/plans/${plan.id}`)).json());
      expect(detail.plan).toMatchObject({ id: plan.id, state: "active", label: "durable" });
      const records: AssignmentRecord[] = [];
      let cursor: string | null = null;
      do {
        const page = AssignmentPage.parse(await (await fetch(`${second.base}/v1/plans/${plan.id}/assignments?limit=500${cursor === null ? "" : `&cursor=${cursor}`}`)).json());
        records.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
      const byCustomer = new Map(records.map((r) => [r.customer, r]));
      for (const [customer, answer] of acknowledged) {
        expect(byCustomer.get(customer)).toMatchObject({ rep: answer.rep, source: "routed", routedAt: answer.routedAt });
      }
      // An acknowledged call retried with its key gets its stored answer back: the key survived too.
      const [someId, someAnswer] = [...acknowledged][0] ?? ["", null];
      const retry = await post(second.base, "/v1/route", { customer: { id: someId, value: 100 + Number(someId.slice(5)) } }, `route-${someId.slice(5)}`);
      expect(retry.headers.get("idempotency-replayed")).toBe("true");
      expect(RouteResult.parse(await retry.json())).toEqual(someAnswer);
      // The saved plan's own key too.
      const again = await post(second.base, "/v1/plans", { label: "durable", plan: BOOK }, "save-1");
      expect(again.headers.get("idempotency-replayed")).toBe("true");
    } finally {
      const stopped = once(second.child, "exit");
      second.child.kill("SIGTERM");
      await stopped;
    }
    const after = new Database(dbFile, { readonly: true });
    expect(after.pragma("integrity_check", { simple: true })).toBe("ok");
    after.close();
  });
});
