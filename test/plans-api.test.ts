import request from "supertest";
import { describe, expect, it } from "vitest";
import { keyIdentity } from "../api/api-key-auth.ts";
import { AssignmentPage, AuditPage, PlanActivation, PlanVersion, PlanVersionDetail, PlanVersionPage, type AssignmentRecord } from "../models/index.ts";
import { generateBook } from "../data/book-generator.ts";
import { inputHash } from "../src/numeric/input-hash.ts";
import { INFEASIBLE_PLAN, PLAN_A, PLAN_B, plansService } from "./plans-fixtures.ts";

describe("POST /v1/plans and reading saved plans", () => {
  it("solves, saves a draft version with its input hash and solver, and serves it back unchanged", async () => {
    const { app } = plansService();
    const res = await request(app).post("/v1/plans").send({ label: "2027-Q1 draft", plan: PLAN_A });
    expect(res.status).toBe(200);
    const version = PlanVersion.parse(res.body);
    expect(res.headers.location).toBe(`/v1/plans/${version.id}`);
    expect(version).toMatchObject({
      version: 1,
      label: "2027-Q1 draft",
      state: "draft",
      status: "optimal",
      activatable: true,
      objective: 34,
      expectedValue: 34,
      inputHash: inputHash(PLAN_A),
      customers: 4,
      reps: 2,
      assigned: 4,
      unassigned: 0,
      activatedAt: null,
      archivedAt: null,
    });
    expect(version.solver.backend).toBe("highs");
    expect(version.solver.version).toMatch(/^\d+\.\d+/);

    const detail = PlanVersionDetail.parse((await request(app).get(`/v1/plans/${version.id}`)).body);
    expect(detail.plan).toEqual(version);
    expect(detail.solution.status).toBe("optimal");
    expect(detail.solution.reps.map((r) => [r.id, r.accounts])).toEqual([
      ["r1", 2],
      ["r2", 2],
    ]);
    expect("assignments" in detail.solution).toBe(false);

    const input = await request(app).get(`/v1/plans/${version.id}/input`);
    expect(input.status).toBe(200);
    expect(input.body).toEqual(PLAN_A);
    expect(inputHash(input.body)).toBe(version.inputHash);
  });

  it("reports problems of the envelope and of the plan with their paths", async () => {
    const { app, pool } = plansService();
    const noLabel = await request(app).post("/v1/plans").send({ plan: PLAN_A, colour: "red" });
    expect(noLabel.status).toBe(422);
    expect(noLabel.body.type).toBe("/docs#problem-invalid-request");
    expect(noLabel.body.errors.map((e: { path: string }) => e.path)).toEqual(["colour", "label"]);

    const badPlan = await request(app)
      .post("/v1/plans")
      .send({ label: "x", plan: { customers: [{ id: "c1", value: -1 }], reps: [{ id: "r1" }] } });
    expect(badPlan.status).toBe(422);
    expect(badPlan.body.type).toBe("/docs#problem-invalid-plan");
    expect(badPlan.body.errors).toEqual([{ path: "plan.customers[0].value", message: expect.any(String) }]);

    const tooBig = await request(plansService({ env: { ALLOT_MAX_CUSTOMERS: "3" } }).app).post("/v1/plans").send({ label: "x", plan: PLAN_A });
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.errors[0].path).toBe("plan.customers");
    expect(pool.solves).toBe(0);
  });

  it("saves infeasible solves as drafts that cannot be activated", async () => {
    const { app } = plansService();
    const res = await request(app).post("/v1/plans").send({ label: "over-full", plan: INFEASIBLE_PLAN });
    expect(res.status).toBe(200);
    const version = PlanVersion.parse(res.body);
    expect(version).toMatchObject({ state: "draft", status: "infeasible", activatable: false, objective: null });
    const activate = await request(app).post(`/v1/plans/${version.id}/activate`);
    expect(activate.status).toBe(409);
    expect(activate.body.type).toBe("/docs#problem-plan-not-activatable");
    expect(activate.body.detail).toContain("infeasible");
  });

  it("activates exclusively, audits who did it by key identity (never the key), and keeps an archived plan archived", async () => {
    const keyA = "key-for-planner-0001";
    const { app } = plansService({ env: { ALLOT_API_KEYS: `${keyA},key-for-the-crm-0002` } });
    const auth = { authorization: `Bearer ${keyA}` };
    const a = PlanVersion.parse((await request(app).post("/v1/plans").set(auth).send({ label: "A", plan: PLAN_A })).body);
    const b = PlanVersion.parse((await request(app).post("/v1/plans").set(auth).send({ label: "B", plan: PLAN_B })).body);

    const first = PlanActivation.parse((await request(app).post(`/v1/plans/${a.id}/activate`).set(auth)).body);
    expect(first.plan).toMatchObject({ id: a.id, state: "active" });
    expect(first.archived).toBeNull();
    const again = await request(app).post(`/v1/plans/${a.id}/activate`).set(auth);
    expect(again.status).toBe(200);
    expect(PlanActivation.parse(again.body).archived).toBeNull();

    const second = PlanActivation.parse((await request(app).post(`/v1/plans/${b.id}/activate`).set(auth)).body);
    expect(second.plan).toMatchObject({ id: b.id, state: "active" });
    expect(second.archived).toMatchObject({ id: a.id, state: "archived" });
    expect(second.archived?.archivedAt).not.toBeNull();

    const back = await request(app).post(`/v1/plans/${a.id}/activate`).set(auth);
    expect(back.status).toBe(409);
    expect(back.body.detail).toContain("archived");

    const list = PlanVersionPage.parse((await request(app).get("/v1/plans").set(auth)).body);
    expect(list.items.map((p) => [p.label, p.state])).toEqual([
      ["B", "active"],
      ["A", "archived"],
    ]);
    expect(list.nextCursor).toBeNull();

    const audit = await request(app).get("/v1/audit").set(auth);
    expect(audit.status).toBe(200);
    const entries = AuditPage.parse(audit.body).items;
    expect(entries.map((e) => [e.action, e.planId])).toEqual([
      ["plan.activated", b.id],
      ["plan.archived", a.id],
      ["plan.activated", a.id],
      ["plan.saved", b.id],
      ["plan.saved", a.id],
    ]);
    for (const e of entries) {
      expect(e.keyId).toBe(keyIdentity(keyA));
      expect(e.requestId).not.toBe("");
    }
    expect(audit.text).not.toContain(keyA);
    expect((await request(app).get("/v1/audit")).status).toBe(401);
  });

  it("pages plans and a plan's customers with opaque cursors, and refuses bad page parameters", async () => {
    const { app } = plansService();
    const ids: string[] = [];
    for (const label of ["q1", "q2", "q3"]) ids.push(PlanVersion.parse((await request(app).post("/v1/plans").send({ label, plan: PLAN_A })).body).id);
    const page1 = PlanVersionPage.parse((await request(app).get("/v1/plans?limit=2")).body);
    expect(page1.items.map((p) => p.label)).toEqual(["q3", "q2"]);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = PlanVersionPage.parse((await request(app).get(`/v1/plans?limit=2&cursor=${page1.nextCursor}`)).body);
    expect(page2.items.map((p) => p.label)).toEqual(["q1"]);
    expect(page2.nextCursor).toBeNull();

    const book = generateBook({ seed: 3, customers: 120, reps: 6, history: false, locations: false });
    const big = PlanVersion.parse((await request(app).post("/v1/plans").send({ label: "book", plan: book })).body);
    const seen: AssignmentRecord[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/plans/${big.id}/assignments?limit=50${cursor === null ? "" : `&cursor=${cursor}`}`;
      const page = AssignmentPage.parse((await request(app).get(url)).body);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen.map((a) => a.customer).sort()).toEqual(book.customers.map((c) => c.id).sort());
    expect(seen.filter((a) => a.rep !== null)).toHaveLength(big.assigned);

    for (const query of ["limit=0", "limit=501", "limit=ten", `cursor=${page1.nextCursor}&limit=5x`]) {
      const res = await request(app).get(`/v1/plans?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.type).toBe("/docs#problem-invalid-query");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["limit"]);
    }
    // A cursor of another list is refused, not misread.
    const foreign = await request(app).get(`/v1/plans/${big.id}/assignments?cursor=${page1.nextCursor}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors).toEqual([{ path: "cursor", message: expect.stringContaining("not a cursor of this list") }]);
  });

  it("answers 404 for an unknown plan and 405 for methods a plan path does not have", async () => {
    const { app } = plansService();
    for (const path of ["/v1/plans/nope", "/v1/plans/nope/input", "/v1/plans/nope/assignments"]) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.type).toBe("/docs#problem-plan-not-found");
    }
    expect((await request(app).post("/v1/plans/nope/activate")).status).toBe(404);
    const del = await request(app).delete("/v1/plans/abc");
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe("GET, HEAD");
    const put = await request(app).put("/v1/plans/abc/activate");
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe("POST");
    expect((await request(app).get("/v1/plans/abc/elsewhere")).status).toBe(404);
  });
});
