import request from "supertest";
import { describe, expect, it } from "vitest";
import { AuditPage, Plan, PlanVersionDiff, ReviewResult } from "../models/index.ts";
import { PLAN_A, plansService } from "./plans-fixtures.ts";

/** PLAN_A with every customer currently at the other rep: the optimum (34) moves all four. */
const PROPOSED = Plan.parse({
  ...PLAN_A,
  customers: PLAN_A.customers.map((c, i) => ({ ...c, currentRep: i < 2 ? "r2" : "r1" })),
});

async function saved(app: Parameters<typeof request>[0]): Promise<string> {
  const res = await request(app).post("/v1/plans").send({ label: "2027-Q1", plan: PROPOSED });
  expect(res.status).toBe(200);
  return (res.body as { id: string }).id;
}

describe("POST /v1/plans/{id}/review", () => {
  it("a rejected move becomes a stay and an accepted one a lock: the new version (hand-computed 1 + 9 + 8 + 1 = 19) is saved, audited and diffable", async () => {
    const { app } = plansService();
    const id = await saved(app);
    const res = await request(app)
      .post(`/v1/plans/${id}/review`)
      .send({ by: "ana", comment: "round 1", decisions: [{ customer: "c1", decision: "reject", reason: "the customer asked to stay" }, { customer: "c3", decision: "accept" }] });
    expect(res.status).toBe(200);
    const round = ReviewResult.parse(res.body);
    expect(round).toMatchObject({ changed: true, reviewed: id, accepted: 1, rejected: 1 });
    expect(round.plan.id).not.toBe(id);
    expect(round.plan.version).toBe(2);
    expect(round.plan.objective).toBe(19);
    expect(round.plan.label).toBe("2027-Q1 · reviewed: 1 accepted, 1 rejected");

    // The decisions are first-class data on the new version: overrides with who and why.
    const input = Plan.parse((await request(app).get(`/v1/plans/${round.plan.id}/input`)).body);
    expect(input.policy?.overrides).toEqual([
      { customer: "c1", rep: "r2", by: "ana", reason: "the customer asked to stay" },
      { customer: "c3", rep: "r2", by: "ana", reason: "round 1" },
    ]);
    const diff = PlanVersionDiff.parse((await request(app).get(`/v1/plans/${id}/diff/${round.plan.id}`)).body);
    expect(diff.objective).toEqual({ from: 34, to: 19, delta: 19 - 34 });
    const audit = AuditPage.parse((await request(app).get("/v1/audit")).body);
    expect(audit.items[0]).toMatchObject({ action: "plan.saved", planId: round.plan.id });
  });

  it("a round with nothing rejected changes nothing: same version, no solve, no new version", async () => {
    const { app } = plansService();
    const id = await saved(app);
    const res = await request(app)
      .post(`/v1/plans/${id}/review`)
      .send({ by: "ana", decisions: ["c1", "c2", "c3", "c4"].map((customer) => ({ customer, decision: "accept" })) });
    expect(res.status).toBe(200);
    const round = ReviewResult.parse(res.body);
    expect(round).toMatchObject({ changed: false, reviewed: id, accepted: 4, rejected: 0 });
    expect(round.plan.id).toBe(id);
    const list = (await request(app).get("/v1/plans")).body as { items: unknown[] };
    expect(list.items).toHaveLength(1);
  });

  it("rounds converge: after round 1, accepting every remaining move changes nothing", async () => {
    const { app } = plansService();
    const id = await saved(app);
    const first = ReviewResult.parse((await request(app).post(`/v1/plans/${id}/review`).send({ by: "ana", decisions: [{ customer: "c1", decision: "reject" }] })).body);
    expect(first.changed).toBe(true);
    const assignments = (await request(app).get(`/v1/plans/${first.plan.id}/assignments`)).body as { items: { customer: string; rep: string | null }[] };
    const moves = assignments.items.filter((a) => PROPOSED.customers.find((c) => c.id === a.customer)?.currentRep !== a.rep).map((a) => a.customer);
    expect(moves.length).toBeGreaterThan(0);
    const second = ReviewResult.parse((await request(app).post(`/v1/plans/${first.plan.id}/review`).send({ by: "ana", decisions: moves.map((customer) => ({ customer, decision: "accept" })) })).body);
    expect(second).toMatchObject({ changed: false, reviewed: first.plan.id });
  });

  it("bad decisions are 422s naming decisions[i]; an unknown plan is a 404", async () => {
    const { app } = plansService();
    const id = await saved(app);
    const twice = await request(app)
      .post(`/v1/plans/${id}/review`)
      .send({ by: "ana", decisions: [{ customer: "c1", decision: "reject" }, { customer: "c1", decision: "accept" }, { customer: "zz", decision: "reject" }] });
    expect(twice.status).toBe(422);
    expect((twice.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["decisions[1].customer", "decisions[2].customer"]);
    const shape = await request(app).post(`/v1/plans/${id}/review`).send({ decisions: [{ customer: "c1", decision: "maybe" }] });
    expect(shape.status).toBe(422);
    expect((shape.body as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual(["by", "decisions[0].decision"]);
    const missing = await request(app).post("/v1/plans/nope/review").send({ by: "ana", decisions: [] });
    expect(missing.status).toBe(404);
  });
});
