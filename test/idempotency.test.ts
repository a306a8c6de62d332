import request from "supertest";
import { describe, expect, it } from "vitest";
import { AuditPage, PlanVersion, PlanVersionPage, RouteResult } from "../models/index.ts";
import { openSqliteStore } from "../src/storage/sqlite-store.ts";
import { PLAN_A, PLAN_B, ROUTING_PLAN, lead, plansService } from "./plans-fixtures.ts";
import { waitFor } from "./api-test-service.ts";

async function activeRoutingService(options: Parameters<typeof plansService>[0] = {}, headers: Record<string, string> = {}) {
  const service = plansService(options);
  const plan = PlanVersion.parse((await request(service.app).post("/v1/plans").set(headers).send({ label: "routing", plan: ROUTING_PLAN })).body);
  expect((await request(service.app).post(`/v1/plans/${plan.id}/activate`).set(headers)).status).toBe(200);
  return { ...service, plan };
}

describe("Idempotency-Key", () => {
  it("replays the stored response of a routing call instead of routing again", async () => {
    const { app, store, plan } = await activeRoutingService();
    const first = await request(app).post("/v1/route").set("Idempotency-Key", "route-lead-1").send(lead("lead-1"));
    expect(first.status).toBe(200);
    expect(first.headers["idempotency-replayed"]).toBeUndefined();
    // Key order in the body does not matter: the body is compared as canonical JSON.
    const retry = await request(app)
      .post("/v1/route")
      .set("Idempotency-Key", "route-lead-1")
      .send({ customer: { needs: ["x", "y"], territory: "north", value: 1000, id: "lead-1" } });
    expect(retry.status).toBe(200);
    expect(retry.headers["idempotency-replayed"]).toBe("true");
    expect(retry.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(retry.text).toBe(first.text);
    expect(retry.headers["x-request-id"]).not.toBe(first.headers["x-request-id"]);
    // Routed once: one audit entry, one seat taken.
    const audit = AuditPage.parse((await request(app).get("/v1/audit")).body);
    expect(audit.items.filter((e) => e.action === "customer.routed")).toHaveLength(1);
    expect((await store.repLoads(plan.id))?.get("r1")?.accounts).toBe(1);
    // Without the key, the same call is a second routing of the same customer: 409.
    expect((await request(app).post("/v1/route").send(lead("lead-1"))).status).toBe(409);
  });

  it("refuses the same key with another body (422) and accepts it on another endpoint or for another API key", async () => {
    const keys = { a: "crm-key-number-one-01", b: "crm-key-number-two-02" };
    const { app } = await activeRoutingService({ env: { ALLOT_API_KEYS: `${keys.a},${keys.b}` } }, { authorization: `Bearer ${keys.a}` });
    const as = (key: string) => ({ authorization: `Bearer ${key}`, "Idempotency-Key": "k-1" });
    expect((await request(app).post("/v1/route").set(as(keys.a)).send(lead("lead-1"))).status).toBe(200);
    const other = await request(app).post("/v1/route").set(as(keys.a)).send(lead("lead-2"));
    expect(other.status).toBe(422);
    expect(other.body.type).toBe("/docs#problem-idempotency-key-reused");
    // Another API key has its own key space.
    const b = await request(app).post("/v1/route").set(as(keys.b)).send(lead("lead-2"));
    expect(b.status).toBe(200);
    expect(b.headers["idempotency-replayed"]).toBeUndefined();
    // Another path too.
    const plans = await request(app).post("/v1/plans").set(as(keys.a)).send({ label: "x", plan: PLAN_A });
    expect(plans.status).toBe(200);
  });

  it("answers 409 with Retry-After while the first request with the key is still running, then replays it", async () => {
    const { app, pool } = plansService();
    pool.hold();
    const body = { label: "slow", plan: PLAN_B };
    const first = request(app).post("/v1/plans").set("Idempotency-Key", "save-q2").send(body).then((res) => res);
    await waitFor("the first solve to start", () => pool.solves === 1);
    const second = await request(app).post("/v1/plans").set("Idempotency-Key", "save-q2").send(body);
    expect(second.status).toBe(409);
    expect(second.body.type).toBe("/docs#problem-idempotency-in-flight");
    expect(Number(second.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    // A different body is still a mismatch, even while the first runs.
    expect((await request(app).post("/v1/plans").set("Idempotency-Key", "save-q2").send({ ...body, label: "other" })).status).toBe(422);
    pool.release();
    const done = await first;
    expect(done.status).toBe(200);
    const third = await request(app).post("/v1/plans").set("Idempotency-Key", "save-q2").send(body);
    expect(third.status).toBe(200);
    expect(third.headers["idempotency-replayed"]).toBe("true");
    expect(third.headers.location).toBe(done.headers.location);
    expect(third.text).toBe(done.text);
    expect(pool.solves).toBe(1);
    expect(PlanVersionPage.parse((await request(app).get("/v1/plans")).body).items).toHaveLength(1);
  });

  it("stores client errors but not conflicts that may pass: a 409 no-active-plan is retried for real", async () => {
    const { app } = plansService();
    const early = await request(app).post("/v1/route").set("Idempotency-Key", "early").send(lead("lead-1"));
    expect(early.status).toBe(409);
    const plan = PlanVersion.parse((await request(app).post("/v1/plans").send({ label: "routing", plan: ROUTING_PLAN })).body);
    await request(app).post(`/v1/plans/${plan.id}/activate`);
    const later = await request(app).post("/v1/route").set("Idempotency-Key", "early").send(lead("lead-1"));
    expect(later.status).toBe(200);
    expect(later.headers["idempotency-replayed"]).toBeUndefined();

    const invalid = await request(app).post("/v1/route").set("Idempotency-Key", "bad-body").send({ customer: { id: "x", value: -1 } });
    expect(invalid.status).toBe(422);
    const again = await request(app).post("/v1/route").set("Idempotency-Key", "bad-body").send({ customer: { id: "x", value: -1 } });
    expect(again.status).toBe(422);
    expect(again.headers["idempotency-replayed"]).toBe("true");
  });

  it("works on /v1/solve and on activation, and refuses malformed keys", async () => {
    const { app, pool } = plansService();
    const solve = await request(app).post("/v1/solve").set("Idempotency-Key", "solve-a").send(PLAN_A);
    expect(solve.status).toBe(200);
    const replay = await request(app).post("/v1/solve").set("Idempotency-Key", "solve-a").send(PLAN_A);
    expect(replay.headers["idempotency-replayed"]).toBe("true");
    expect(replay.text).toBe(solve.text);
    expect(pool.solves).toBe(1);

    const plan = PlanVersion.parse((await request(app).post("/v1/plans").send({ label: "a", plan: PLAN_A })).body);
    const on = await request(app).post(`/v1/plans/${plan.id}/activate`).set("Idempotency-Key", "act-1");
    const onAgain = await request(app).post(`/v1/plans/${plan.id}/activate`).set("Idempotency-Key", "act-1");
    expect(onAgain.headers["idempotency-replayed"]).toBe("true");
    expect(onAgain.text).toBe(on.text);

    for (const key of ["", "x".repeat(256), "tab\there", "ünïcode"]) {
      const res = await request(app).post("/v1/solve").set("Idempotency-Key", key).send(PLAN_A);
      expect(res.status, key).toBe(400);
      expect(res.body.type).toBe("/docs#problem-invalid-idempotency-key");
    }
  });

  it("keeps keys 24 hours, then forgets them", async () => {
    let now = Date.UTC(2027, 0, 1);
    const store = openSqliteStore(":memory:", { now: () => now });
    const { app } = await activeRoutingService({ store });
    expect((await request(app).post("/v1/route").set("Idempotency-Key", "day-1").send(lead("lead-1"))).status).toBe(200);
    now += 23 * 3_600_000;
    const within = await request(app).post("/v1/route").set("Idempotency-Key", "day-1").send(lead("lead-2"));
    expect(within.status).toBe(422);
    now += 2 * 3_600_000;
    const after = await request(app).post("/v1/route").set("Idempotency-Key", "day-1").send(lead("lead-2"));
    expect(after.status).toBe(200);
    expect(RouteResult.parse(after.body).customer).toBe("lead-2");
  });
});
