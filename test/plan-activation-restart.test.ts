/**
 * Scheduled activation and roll back survive a SIGKILL (the real server as a child process on a
 * SQLite file, test/service-process.ts): a version scheduled a few seconds ahead is active after a
 * restart that comes after its time although no process ran at that time (routing uses it, and the
 * audit says so, credited to whoever scheduled it), and an acknowledged roll back is whole after a
 * SIGKILL that follows it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ActivationSchedule, AssignmentPage, AuditPage, Plan, PlanVersion, PlanVersionDetail, RollBackResult } from "../models/index.ts";
import { kill, startApiProcess, stopAll } from "./service-process.ts";

const dir = mkdtempSync(path.join(tmpdir(), "allot-activation-restart-"));
afterAll(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

const BOOK = (seats: number) =>
  Plan.parse({
    customers: ["a", "b"].map((rep) => ({ id: `own-${rep}`, value: 500 })),
    reps: ["a", "b"].map((id) => ({ id, maxAccounts: seats })),
    policy: { locks: ["a", "b"].map((rep) => ({ customer: `own-${rep}`, rep })) },
  });

async function call(base: string, method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}${url}`, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

describe("scheduled activation and roll back across a SIGKILL", () => {
  it("activates the scheduled version although the process was dead at its time, and keeps an acknowledged roll back", async () => {
    const env = { ALLOT_DB_PATH: path.join(dir, "allot.db"), ALLOT_REQUIRE_APPROVAL: "false" };
    const first = await startApiProcess(env);
    const saveA = await call(first.base, "POST", "/v1/plans", { label: "A", plan: BOOK(2) });
    const saveB = await call(first.base, "POST", "/v1/plans", { label: "B", plan: BOOK(10) });
    const a = PlanVersion.parse(saveA.json);
    const b = PlanVersion.parse(saveB.json);
    expect((await call(first.base, "POST", `/v1/plans/${a.id}/activate`)).status).toBe(200);
    const activateAt = new Date(Date.now() + 3_000).toISOString();
    const scheduled = await call(first.base, "POST", `/v1/plans/${b.id}/activate?activateAt=${activateAt}`);
    expect(scheduled.status).toBe(202);
    const schedule = ActivationSchedule.parse(scheduled.json);
    // a and b tie (one account each, equal shares): the smaller id, a, takes it; a is now full under A (2 of 2).
    expect((await call(first.base, "POST", "/v1/route", { customer: { id: "before", value: 1 } })).json).toMatchObject({ planId: a.id, rep: "a" });
    await kill(first);

    // Nothing runs when the time comes.
    await sleep(Date.parse(activateAt) - Date.now() + 500);
    const second = await startApiProcess(env);
    // The first read after the time carries the schedule out: routing already uses B.
    // Under B (10 seats each) a and b tie again: a.
    expect((await call(second.base, "POST", "/v1/route", { customer: { id: "after", value: 1 } })).json).toMatchObject({ planId: b.id, rep: "a" });
    const detail = PlanVersionDetail.parse((await call(second.base, "GET", `/v1/plans/${b.id}`)).json);
    expect(detail.plan).toMatchObject({ state: "active", activatedAt: activateAt });
    expect(detail.schedules).toEqual([{ ...schedule, state: "done", finishedAt: expect.any(String), note: null }]);
    expect(PlanVersionDetail.parse((await call(second.base, "GET", `/v1/plans/${a.id}`)).json).plan).toMatchObject({ state: "archived", archivedAt: activateAt });
    const audit = AuditPage.parse((await call(second.base, "GET", "/v1/audit?limit=50")).json).items;
    const activations = audit.filter((e) => e.action === "plan.activated" && e.planId === b.id);
    expect(activations).toHaveLength(1);
    expect(activations[0]?.note).toContain(`scheduled (${schedule.id}) for ${activateAt}`);

    // Approval steps are kept like any other state change.
    expect((await call(second.base, "POST", `/v1/plans/${b.id}/approval`, { action: "submit", by: "ana" })).status).toBe(200);
    expect((await call(second.base, "POST", `/v1/plans/${b.id}/approval`, { action: "approve", by: "bo" })).status).toBe(200);

    // Roll back to A: "after" (rep a under B) no longer fits, a is full under A: it is kept as unassigned and reported.
    const rolled = await call(second.base, "POST", `/v1/plans/${a.id}/rollback`);
    expect(rolled.status).toBe(200);
    const result = RollBackResult.parse(rolled.json);
    expect(result.carried.map((c) => [c.customer, c.from, c.rep, c.outcome])).toEqual([["after", "a", null, "no-room"]]);
    expect(result.counts).toMatchObject({ carried: 1, kept: 0, misfits: 1 });
    await kill(second);

    // Restarted with approval required: B's approval survived, a new unapproved version cannot be activated.
    const third = await startApiProcess({ ...env, ALLOT_REQUIRE_APPROVAL: "true" });
    expect(PlanVersionDetail.parse((await call(third.base, "GET", `/v1/plans/${b.id}`)).json).approval).toMatchObject({ state: "approved", history: [{ by: "ana" }, { by: "bo" }] });
    const c = PlanVersion.parse((await call(third.base, "POST", "/v1/plans", { label: "C", plan: BOOK(3) })).json);
    expect((await call(third.base, "POST", `/v1/plans/${c.id}/activate`)).json).toMatchObject({ type: "/docs#problem-plan-not-approved" });
    expect((await call(third.base, "POST", `/v1/plans/${b.id}/rollback?dryRun=true`)).status).toBe(200);
    expect(PlanVersionDetail.parse((await call(third.base, "GET", `/v1/plans/${a.id}`)).json).plan.state).toBe("active");
    expect(PlanVersionDetail.parse((await call(third.base, "GET", `/v1/plans/${b.id}`)).json).plan.state).toBe("archived");
    const customers = AssignmentPage.parse((await call(third.base, "GET", `/v1/plans/${a.id}/assignments`)).json).items.map((r) => [r.customer, r.rep, r.source]);
    expect(customers).toEqual([
      ["own-a", "a", "plan"],
      ["own-b", "b", "plan"],
      ["before", "a", "routed"],
      ["after", null, "routed"],
    ]);
    const last = AuditPage.parse((await call(third.base, "GET", "/v1/audit?limit=4")).json).items.slice(1).map((e) => [e.action, e.planId, e.customer, e.rep]);
    expect(last).toEqual([
      ["customer.not-carried", a.id, "after", "a"],
      ["plan.rolled-back", a.id, null, null],
      ["plan.archived", b.id, null, null],
    ]);
    // Routing goes on under A from the carried loads: a is full, b has one seat left.
    expect((await call(third.base, "POST", "/v1/route", { customer: { id: "late", value: 1 } })).json).toMatchObject({ planId: a.id, rep: "b" });
    await kill(third);
  }, 120_000);
});
