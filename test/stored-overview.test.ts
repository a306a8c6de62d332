import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import type { AuditContext } from "../src/storage/plan-store.ts";
import { openSqliteStore } from "../src/storage/sqlite-store.ts";
import { INFEASIBLE_PLAN, PLAN_A, solved } from "./plans-fixtures.ts";

const dir = mkdtempSync(path.join(tmpdir(), "allot-overview-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const who: AuditContext = { requestId: "req-1", keyId: "abc123def456" };

describe("stored solution overviews written before verification.state", () => {
  it("read back in today's terms: a returned plan passed; without one, failed (answers rejected) or not-run", async () => {
    const file = path.join(dir, "allot.db");
    const store = openSqliteStore(file);
    const optimal = await solved(PLAN_A);
    const infeasible = await solved(INFEASIBLE_PLAN);
    const a = await store.savePlan({ label: "A", plan: PLAN_A, solution: optimal }, who);
    const bad = await store.savePlan({ label: "bad", plan: INFEASIBLE_PLAN, solution: infeasible }, who);
    const rejected = await store.savePlan({ label: "rejected", plan: INFEASIBLE_PLAN, solution: infeasible }, who);
    // Today's overviews read back as written.
    expect((await store.getSolutionOverview(a.id))?.verification).toEqual(optimal.verification);
    expect((await store.getSolutionOverview(bad.id))?.verification).toEqual({ passed: false, state: "not-run", objective: null, rejected: [] });
    store.close();

    // Rewrite the rows as an older Allot stored them (no state; passed was true where nothing was
    // verified). The rows are immutable in service, so the trigger is dropped for this test only.
    const db = new Database(file);
    db.exec("DROP TRIGGER plans_immutable");
    const old = db.prepare("UPDATE plans SET overview_json = json_remove(json_set(overview_json, '$.verification.passed', json(?)), '$.verification.state') WHERE id = ?");
    old.run("true", a.id);
    old.run("true", bad.id);
    db.prepare(
      `UPDATE plans SET overview_json = json_set(overview_json, '$.status', 'timeout', '$.verification.passed', json('false'),
         '$.verification.rejected', json('[{"backend":"highs","violations":[{"kind":"duplicate","message":"x1 twice"}]}]')) WHERE id = ?`,
    ).run(rejected.id);
    db.prepare("UPDATE plans SET overview_json = json_remove(overview_json, '$.verification.state') WHERE id = ?").run(rejected.id);
    const stored = db.prepare("SELECT overview_json FROM plans WHERE id = ?").pluck();
    expect(JSON.parse(String(stored.get(bad.id))).verification).toEqual({ passed: true, objective: null, rejected: [] });
    db.close();

    const reopened = openSqliteStore(file);
    expect((await reopened.getSolutionOverview(a.id))?.verification).toEqual({ ...optimal.verification, passed: true, state: "passed" });
    expect((await reopened.getSolutionOverview(bad.id))?.verification).toEqual({ passed: false, state: "not-run", objective: null, rejected: [] });
    const readRejected = await reopened.getSolutionOverview(rejected.id);
    expect(readRejected?.status).toBe("timeout");
    expect(readRejected?.verification).toEqual({
      passed: false,
      state: "failed",
      objective: null,
      rejected: [{ backend: "highs", violations: [{ kind: "duplicate", message: "x1 twice" }] }],
    });
    reopened.close();
  });
});
