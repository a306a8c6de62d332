import request from "supertest";
import { describe, expect, it } from "vitest";
import { AssignmentPage, AuditPage, PlanVersion, RouteResult } from "../models/index.ts";
import { ROUTING_PLAN, lead, plansService } from "./plans-fixtures.ts";

describe("POST /v1/route against the active plan", () => {
  it("needs an active plan", async () => {
    const { app } = plansService();
    const res = await request(app).post("/v1/route").send(lead("lead-1"));
    expect(res.status).toBe(409);
    expect(res.body.type).toBe("/docs#problem-no-active-plan");
  });

  it("routes to the best eligible rep with room, records the customer and the load, and audits it", async () => {
    const { app, store } = plansService();
    const plan = PlanVersion.parse((await request(app).post("/v1/plans").send({ label: "routing", plan: ROUTING_PLAN })).body);
    expect((await request(app).post(`/v1/plans/${plan.id}/activate`)).status).toBe(200);

    // r1 (both needs, 1500) has one seat; r4 (one need, 1250) is next; r2 is too junior for 1000.
    const first = await request(app).post("/v1/route").send(lead("lead-1"));
    expect(first.status).toBe(200);
    const a = RouteResult.parse(first.body);
    expect(a).toMatchObject({ planId: plan.id, customer: "lead-1", rep: "r1", expectedValue: 1500, runnerUp: { rep: "r4", expectedValue: 1250 } });
    expect(a.load).toEqual({ accounts: 1, workload: 1, value: 1000, maxAccounts: 1, maxWorkload: null });
    expect(first.headers["server-timing"]).toMatch(/decide;dur=/);

    const b = RouteResult.parse((await request(app).post("/v1/route").send(lead("lead-2"))).body);
    expect(b.rep).toBe("r4");
    expect(b.passedOver).toEqual([{ rep: "r1", expectedValue: 1500, because: "maxAccounts" }]);
    expect(b.load).toEqual({ accounts: 1, workload: 1, value: 1000, maxAccounts: 5, maxWorkload: null });

    // Nobody has specialty z: recorded as unassigned, still a 200.
    const c = await request(app).post("/v1/route").send(lead("lead-3", { requires: ["z"] }));
    expect(c.status).toBe(200);
    expect(RouteResult.parse(c.body)).toMatchObject({ rep: null, expectedValue: null, runnerUp: null, load: null });
    expect(c.body.reason).toContain("No rep of the active plan is eligible");

    const loads = await store.repLoads(plan.id);
    expect(Object.fromEntries([...(loads ?? new Map())].map(([rep, l]) => [rep, l.accounts]))).toEqual({ r1: 1, r2: 1, r3: 1, r4: 1, r5: 0 });

    const page = AssignmentPage.parse((await request(app).get(`/v1/plans/${plan.id}/assignments`)).body);
    expect(page.items.map((i) => [i.customer, i.rep, i.source])).toEqual([
      ["n1", "r2", "plan"],
      ["s1", "r3", "plan"],
      ["lead-1", "r1", "routed"],
      ["lead-2", "r4", "routed"],
      ["lead-3", null, "routed"],
    ]);
    expect(page.items[2]?.reason).toBe(a.reason);
    expect(page.items[2]?.routedAt).toBe(a.routedAt);
    expect(page.items[4]?.reason).toContain("required specialties");

    const audit = AuditPage.parse((await request(app).get("/v1/audit?limit=3")).body);
    expect(audit.items.map((e) => [e.action, e.customer, e.rep])).toEqual([
      ["customer.unassigned", "lead-3", null],
      ["customer.routed", "lead-2", "r4"],
      ["customer.routed", "lead-1", "r1"],
    ]);
    expect(audit.items[2]?.requestId).toBe(first.headers["x-request-id"]);
  });

  it("routes each customer once: a plan customer or an already routed one is a 409 naming where it is", async () => {
    const { app } = plansService();
    const plan = PlanVersion.parse((await request(app).post("/v1/plans").send({ label: "routing", plan: ROUTING_PLAN })).body);
    await request(app).post(`/v1/plans/${plan.id}/activate`);
    expect((await request(app).post("/v1/route").send(lead("lead-1"))).status).toBe(200);
    const again = await request(app).post("/v1/route").send(lead("lead-1"));
    expect(again.status).toBe(409);
    expect(again.body.type).toBe("/docs#problem-customer-exists");
    expect(again.body.detail).toMatch(/^Customer "lead-1" was already routed at \S+ \(to rep r1\)\.$/);
    const planned = await request(app).post("/v1/route").send(lead("n1"));
    expect(planned.status).toBe(409);
    expect(planned.body.detail).toBe('Customer "n1" is a customer of the active plan (with rep r2).');
  });

  it("rejects a malformed customer or one that does not fit the plan with paths", async () => {
    const { app } = plansService();
    const plan = PlanVersion.parse((await request(app).post("/v1/plans").send({ label: "routing", plan: ROUTING_PLAN })).body);
    await request(app).post(`/v1/plans/${plan.id}/activate`);
    const bad = await request(app).post("/v1/route").send({ customer: { id: "", value: -5 }, extra: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body.type).toBe("/docs#problem-invalid-request");
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["", "customer.id", "customer.value"]);
    const misfit = await request(app)
      .post("/v1/route")
      .send({ customer: { id: "lead-9", value: 1, currentRep: "ghost" }, pairs: [{ rep: "r1", score: 1 }] });
    expect(misfit.status).toBe(422);
    expect(misfit.body.errors.map((e: { path: string }) => e.path)).toEqual(["customer.currentRep", "pairs"]);
    const text = await request(app).post("/v1/route").set("content-type", "text/plain").send("hello");
    expect(text.status).toBe(415);
  });

  it("follows a newly activated plan, starting from that plan's own loads", async () => {
    const { app, store } = plansService();
    const first = PlanVersion.parse((await request(app).post("/v1/plans").send({ label: "v1", plan: ROUTING_PLAN })).body);
    await request(app).post(`/v1/plans/${first.id}/activate`);
    expect(RouteResult.parse((await request(app).post("/v1/route").send(lead("lead-1"))).body).rep).toBe("r1");
    const second = PlanVersion.parse((await request(app).post("/v1/plans").send({ label: "v2", plan: ROUTING_PLAN })).body);
    await request(app).post(`/v1/plans/${second.id}/activate`);
    // r1's seat is free again under the new version; the routed customer stays with the old one.
    const next = RouteResult.parse((await request(app).post("/v1/route").send(lead("lead-2"))).body);
    expect(next).toMatchObject({ planId: second.id, rep: "r1" });
    expect((await store.repLoads(first.id))?.get("r1")?.accounts).toBe(1);
    expect((await store.repLoads(second.id))?.get("r1")?.accounts).toBe(1);
    // lead-1 was routed under the old version only, so it can be routed under the new one.
    expect(RouteResult.parse((await request(app).post("/v1/route").send(lead("lead-1"))).body).rep).toBe("r4");
  });
});
