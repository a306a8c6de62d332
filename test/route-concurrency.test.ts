import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { Plan, PlanVersion, RouteResult } from "../models/index.ts";
import { openSqliteStore } from "../src/storage/sqlite-store.ts";
import { projectRoot } from "./project-root.ts";
import { plansService, solved } from "./plans-fixtures.ts";

const dir = mkdtempSync(path.join(tmpdir(), "allot-route-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SEATS = 30;
/** Four reps with 30 seats each, one of them already taken by the plan's own (locked) customer: 116 free seats. */
const CROWD = Plan.parse({
  customers: ["t1", "t2", "t3", "t4"].map((rep) => ({ id: `own-${rep}`, value: 1000 })),
  reps: ["t1", "t2", "t3", "t4"].map((id) => ({ id, maxAccounts: SEATS })),
  policy: { locks: ["t1", "t2", "t3", "t4"].map((rep) => ({ customer: `own-${rep}`, rep })) },
});
const FREE = 4 * (SEATS - 1);

describe("concurrent routing never overfills a rep", () => {
  it("answers 200 concurrent POST /v1/route calls, gives each free seat exactly once, and records every customer once", async () => {
    const { app, store } = plansService();
    const plan = PlanVersion.parse((await request(app).post("/v1/plans").send({ label: "crowd", plan: CROWD })).body);
    expect((await request(app).post(`/v1/plans/${plan.id}/activate`)).status).toBe(200);

    const server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    try {
      const calls = Array.from({ length: 200 }, (_, i) =>
        fetch(`http://127.0.0.1:${port}/v1/route`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ customer: { id: `lead-${i}`, value: 100 + i } }),
        }).then(async (res) => ({ status: res.status, body: RouteResult.parse(await res.json()) })),
      );
      const answers = await Promise.all(calls);
      expect(answers.every((a) => a.status === 200)).toBe(true);
      const routed = answers.filter((a) => a.body.rep !== null);
      expect(routed).toHaveLength(FREE);
      expect(answers.filter((a) => a.body.rep === null).every((a) => a.body.reason.startsWith("All 4 eligible reps are at capacity"))).toBe(true);
      // Every seat of every rep was handed out once: the loads reported are 2, 3, …, 30 for each rep.
      for (const rep of ["t1", "t2", "t3", "t4"]) {
        const seats = routed.filter((a) => a.body.rep === rep).map((a) => a.body.load?.accounts ?? -1);
        expect(seats.sort((x, y) => x - y)).toEqual(Array.from({ length: SEATS - 1 }, (_, i) => i + 2));
      }
    } finally {
      server.close();
    }
    const loads = await store.repLoads(plan.id);
    for (const rep of ["t1", "t2", "t3", "t4"]) expect(loads?.get(rep)?.accounts).toBe(SEATS);

    const customers: string[] = [];
    let after: number | null = null;
    do {
      const page = await store.listAssignments(plan.id, { limit: 500, after });
      customers.push(...(page?.items.filter((i) => i.source === "routed").map((i) => i.customer) ?? []));
      after = page?.next ?? null;
    } while (after !== null);
    expect(customers).toHaveLength(200);
    expect(new Set(customers).size).toBe(200);
  });

  it("holds across processes: two processes routing on one database file never overfill a rep", async () => {
    const file = path.join(dir, "shared.db");
    const store = openSqliteStore(file);
    const version = await store.savePlan({ label: "crowd", plan: CROWD, solution: await solved(CROWD) }, { requestId: "setup", keyId: null });
    await store.activatePlan(version.id, { requestId: "setup", keyId: null });
    store.close();

    const PER_PROCESS = 150;
    const children = ["a", "b"].map((prefix) => spawn(process.execPath, ["--import", "tsx", "test/route-process-worker.ts", file, prefix, String(PER_PROCESS)], { cwd: projectRoot, stdio: ["pipe", "pipe", "inherit"] }));
    const outputs = children.map((child) => createInterface({ input: child.stdout })[Symbol.asyncIterator]());
    for (const lines of outputs) expect((await lines.next()).value).toBe("ready");
    for (const child of children) child.stdin.write("go\n");
    const results = await Promise.all(outputs.map(async (lines) => JSON.parse(String((await lines.next()).value)) as Record<string, string | null>));
    await Promise.all(children.map((child) => (child.exitCode === null ? once(child, "exit") : Promise.resolve())));
    expect(children.map((c) => c.exitCode)).toEqual([0, 0]);

    const got = Object.assign({}, ...results) as Record<string, string | null>;
    expect(Object.keys(got)).toHaveLength(2 * PER_PROCESS);
    expect(Object.values(got).filter((rep) => rep !== null)).toHaveLength(FREE);

    const db = new Database(file, { readonly: true });
    const rows = db.prepare("SELECT customer_id, rep_id FROM assignments WHERE source = 'routed'").all() as { customer_id: string; rep_id: string | null }[];
    expect(rows).toHaveLength(2 * PER_PROCESS);
    expect(new Set(rows.map((r) => r.customer_id)).size).toBe(2 * PER_PROCESS);
    for (const r of rows) expect(got[r.customer_id]).toBe(r.rep_id);
    const loads = db.prepare("SELECT rep_id, accounts FROM rep_loads").all() as { rep_id: string; accounts: number }[];
    expect(loads.map((l) => l.accounts)).toEqual([SEATS, SEATS, SEATS, SEATS]);
    for (const l of loads) expect(rows.filter((r) => r.rep_id === l.rep_id)).toHaveLength(SEATS - 1);
    // Both processes start together (ready/go barrier); how finely their writes interleave is up to
    // the OS scheduler, so it is not asserted: the invariants above must hold in every interleaving.
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
  });
});
