/**
 * Approval, scheduled activation and roll back through the HTTP API (in process, SQLite in memory):
 * ALLOT_REQUIRE_APPROVAL gating with its problem type, the four-eyes rule, the approval history on
 * GET /v1/plans/{id}, `?activateAt=` now, past and future, listing and cancelling schedules, and a
 * roll back (preview first) after real routing calls, hand-computed, with the misfits reported.
 */
import request from "supertest";
import { describe, expect, it } from "vitest";
import { ActivationSchedule, ActivationSchedulePage, AssignmentPage, AuditPage, Plan, PlanActivation, PlanApproval, PlanVersion, PlanVersionDetail, RollBackResult } from "../models/index.ts";
import { PLAN_A, PLAN_B, plansService } from "./plans-fixtures.ts";

type App = ReturnType<typeof plansService>["app"];

async function saved(app: App, label: string, plan: Plan = PLAN_A): Promise<PlanVersion> {
  const res = await request(app).post("/v1/plans").send({ label, plan });
  expect(res.status).toBe(200);
  return PlanVersion.parse(res.body);
}

const step = (app: App, id: string, body: unknown) => request(app).post(`/v1/plans/${id}/approval`).send(body as object);

describe("approval", () => {
  it("with ALLOT_REQUIRE_APPROVAL=true activates only an approved version, approved by someone other than the submitter", async () => {
    const { app } = plansService({ env: { ALLOT_REQUIRE_APPROVAL: "true" } });
    const v = await saved(app, "Q1");
    const refused = await request(app).post(`/v1/plans/${v.id}/activate`);
    expect(refused.status).toBe(409);
    expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: "/docs#problem-plan-not-approved", detail: expect.stringMatching(/not approved \(none\)/) });
    // Scheduling is gated the same way.
    expect((await request(app).post(`/v1/plans/${v.id}/activate?activateAt=2999-01-01T00:00:00Z`)).body.type).toBe("/docs#problem-plan-not-approved");

    const bad = await step(app, v.id, { action: "sign", by: "", comment: 5, extra: true });
    expect(bad.status).toBe(422);
    expect(bad.body.type).toBe("/docs#problem-invalid-request");
    expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(["", "action", "by", "comment"]);
    expect((await step(app, "nope", { action: "submit", by: "ana" })).body.type).toBe("/docs#problem-plan-not-found");

    expect((await step(app, v.id, { action: "submit", by: "ana", comment: "ready" })).status).toBe(200);
    const self = await step(app, v.id, { action: "approve", by: "Ana" });
    expect(self.status).toBe(409);
    expect(self.body).toMatchObject({ type: "/docs#problem-approval-refused", detail: expect.stringMatching(/another person must approve/) });
    const approved = await step(app, v.id, { action: "approve", by: "bo", comment: "ok" });
    expect(approved.status).toBe(200);
    expect(PlanApproval.parse(approved.body)).toMatchObject({ planId: v.id, state: "approved" });
    expect((await step(app, v.id, { action: "approve", by: "cy" })).body.type).toBe("/docs#problem-approval-refused");

    const activated = await request(app).post(`/v1/plans/${v.id}/activate`);
    expect(activated.status).toBe(200);
    expect(PlanActivation.parse(activated.body).plan.state).toBe("active");
    const detail = PlanVersionDetail.parse((await request(app).get(`/v1/plans/${v.id}`)).body);
    expect(detail.approval.state).toBe("approved");
    expect(detail.approval.history.map((s) => [s.action, s.by, s.comment])).toEqual([
      ["submit", "ana", "ready"],
      ["approve", "bo", "ok"],
    ]);
    const audit = AuditPage.parse((await request(app).get("/v1/audit?limit=3")).body).items.map((e) => [e.action, e.note]);
    expect(audit).toEqual([
      ["plan.activated", `"Q1"`],
      ["plan.approved", "by bo: ok"],
      ["plan.submitted", "by ana: ready"],
    ]);
  });
});

describe("activation at a given time", () => {
  it("activates at once for now or a past time, schedules a future one (202), lists and cancels schedules", async () => {
    const { app } = plansService();
    const a = await saved(app, "A");
    const b = await saved(app, "B", PLAN_B);
    for (const [value, message] of [
      ["tomorrow", /ISO 8601/],
      ["2027-02-30T00:00:00Z", /real date/],
      ["2027-01-01T08:00:00", /ISO 8601/],
    ] as const) {
      const res = await request(app).post(`/v1/plans/${a.id}/activate?activateAt=${encodeURIComponent(value)}`);
      expect(res.status, value).toBe(400);
      expect(res.body.errors).toEqual([{ path: "activateAt", message: expect.stringMatching(message) }]);
    }
    const now = await request(app).post(`/v1/plans/${a.id}/activate?activateAt=${encodeURIComponent("2020-01-01T09:00:00+01:00")}`);
    expect(now.status).toBe(200);
    expect(PlanActivation.parse(now.body).plan).toMatchObject({ id: a.id, state: "active" });

    const later = await request(app).post(`/v1/plans/${b.id}/activate?activateAt=${encodeURIComponent("2999-06-01T10:00+02:00")}`);
    expect(later.status).toBe(202);
    const schedule = ActivationSchedule.parse(later.body);
    expect(schedule).toMatchObject({ planId: b.id, activateAt: "2999-06-01T08:00:00.000Z", state: "scheduled" });
    expect((await request(app).get(`/v1/plans/${a.id}`)).body.plan.state).toBe("active");
    expect(PlanVersionDetail.parse((await request(app).get(`/v1/plans/${b.id}`)).body).schedules).toEqual([schedule]);
    expect(ActivationSchedulePage.parse((await request(app).get("/v1/schedules")).body)).toEqual({ items: [schedule], nextCursor: null });

    const cancelled = await request(app).delete(`/v1/schedules/${schedule.id}`);
    expect(cancelled.status).toBe(200);
    expect(ActivationSchedule.parse(cancelled.body)).toMatchObject({ id: schedule.id, state: "cancelled" });
    expect((await request(app).delete(`/v1/schedules/${schedule.id}`)).body.type).toBe("/docs#problem-schedule-not-waiting");
    expect((await request(app).delete("/v1/schedules/nope")).body.type).toBe("/docs#problem-schedule-not-found");
    expect((await request(app).get("/v1/schedules?cursor=bad")).status).toBe(400);
  });
});

/** The earlier version: own1 locked to ra (1 of 2 seats); rb with room for workload 3. */
const EARLY = Plan.parse({
  customers: [{ id: "own1", value: 100 }],
  reps: [
    { id: "ra", maxAccounts: 2 },
    { id: "rb", maxAccounts: 5, maxWorkload: 3 },
  ],
  policy: { locks: [{ customer: "own1", rep: "ra" }] },
});
/** The later version scores pairs externally, so each routing call picks its rep by the pairs it sends. */
const LATE = Plan.parse({
  customers: [{ id: "l1", value: 5 }],
  reps: [
    { id: "ra", maxAccounts: 10 },
    { id: "rb", maxAccounts: 10 },
    { id: "rd", maxAccounts: 10 },
  ],
  pairs: [{ customer: "l1", rep: "rd", score: 1 }],
});

describe("roll back", () => {
  it("previews, then re-activates the earlier version with the routed customers carried over and the misfits reported", async () => {
    const { app } = plansService();
    const early = await saved(app, "early", EARLY);
    const late = await saved(app, "late", LATE);
    expect((await request(app).post(`/v1/plans/${early.id}/rollback`)).body.type).toBe("/docs#problem-plan-not-rollbackable");
    expect((await request(app).post(`/v1/plans/${early.id}/activate`)).status).toBe(200);
    expect((await request(app).post(`/v1/plans/${late.id}/activate`)).status).toBe(200);
    const route = async (id: string, rep: string | null, value: number, workload: number) => {
      const res = await request(app)
        .post("/v1/route")
        .send({ customer: { id, value, workload }, pairs: rep === null ? [] : [{ rep, score: 1 }] });
      expect(res.status, id).toBe(200);
      expect(res.body.rep, id).toBe(rep);
    };
    await route("x1", "ra", 10, 1);
    await route("x2", "ra", 20, 1);
    await route("x3", "rb", 30, 2);
    await route("x4", "rb", 40, 2);
    await route("x5", "rd", 50, 1);
    await route("x6", null, 60, 1);

    expect((await request(app).post(`/v1/plans/${early.id}/rollback?dryRun=maybe`)).body.errors).toEqual([{ path: "dryRun", message: "must be true or false" }]);
    const auditBefore = (await request(app).get("/v1/audit?limit=500")).body;
    const preview = await request(app).post(`/v1/plans/${early.id}/rollback?dryRun=true`);
    expect(preview.status).toBe(200);
    const previewed = RollBackResult.parse(preview.body);
    // ra holds own1 (1 of 2 seats): x1 fits, x2 does not; rb has workload 3: x3 (2) fits, x4 (2 more) does not; rd is not in the earlier version.
    const carried = [
      ["x1", "ra", "ra", "kept"],
      ["x2", "ra", null, "no-room"],
      ["x3", "rb", "rb", "kept"],
      ["x4", "rb", null, "no-room"],
      ["x5", "rd", null, "rep-missing"],
      ["x6", null, null, "unassigned"],
    ];
    expect(previewed.carried.map((c) => [c.customer, c.from, c.rep, c.outcome])).toEqual(carried);
    expect(previewed.counts).toEqual({ carried: 6, kept: 2, outsideBand: 0, misfits: 3, alreadyPresent: 0, unassigned: 1 });
    expect(previewed).toMatchObject({ dryRun: true, plan: { id: early.id, state: "archived" }, archived: { id: late.id, state: "active" } });
    expect((await request(app).get("/v1/audit?limit=500")).body).toEqual(auditBefore);

    const done = await request(app).post(`/v1/plans/${early.id}/rollback`);
    expect(done.status).toBe(200);
    const result = RollBackResult.parse(done.body);
    expect({ ...result, dryRun: true, plan: previewed.plan, archived: previewed.archived }).toEqual(previewed);
    expect(result).toMatchObject({ dryRun: false, plan: { id: early.id, state: "active" }, archived: { id: late.id, state: "archived" } });
    const assignments = AssignmentPage.parse((await request(app).get(`/v1/plans/${early.id}/assignments`)).body).items;
    expect(assignments.map((a) => [a.customer, a.rep, a.source])).toEqual([
      ["own1", "ra", "plan"],
      ["x1", "ra", "routed"],
      ["x2", null, "routed"],
      ["x3", "rb", "routed"],
      ["x4", null, "routed"],
      ["x5", null, "routed"],
      ["x6", null, "routed"],
    ]);
    const misfits = AuditPage.parse((await request(app).get("/v1/audit?limit=20")).body).items.filter((e) => e.action === "customer.not-carried");
    expect(misfits.map((e) => [e.customer, e.rep]).reverse()).toEqual([
      ["x2", "ra"],
      ["x4", "rb"],
      ["x5", "rd"],
    ]);
    // Routing goes on under the earlier version: ra is full (own1, x1), so a new customer goes to rb.
    const next = await request(app).post("/v1/route").send({ customer: { id: "y1", value: 1, workload: 1 } });
    expect(next.body).toMatchObject({ planId: early.id, rep: "rb" });
  });
});
