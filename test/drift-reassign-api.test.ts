import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DriftReassignProposal, PlanPerformance, PlanVersion, ReassignResult } from "../models/index.ts";
import { startService, type TestService } from "./api-test-service.ts";
import { closedDeals, smallWorld } from "./learning-fixtures.ts";
import { openApiChecker } from "./what-if-fixtures.ts";

const world = smallWorld(5, 6, 300);

/** A saved, active plan of the world and `perRep` deals per rep recorded since, r3's true rate × r3Factor. */
async function planWithOutcomes(service: TestService, r3Factor: number, perRep = 200) {
  const saved = PlanVersion.parse((await request(service.app).post("/v1/plans").send({ label: "Q1", plan: world.plan })).body);
  expect((await request(service.app).post(`/v1/plans/${saved.id}/activate`)).status).toBe(200);
  const outcomes = closedDeals(world, 77, perRep, (rep) => (rep === "r3" ? r3Factor : 1)).map(({ planId: _p, recordedAt: _r, ...o }) => ({ ...o, deal: `${saved.id}-${o.deal}` }));
  const res = await request(service.app).post("/v1/outcomes").send({ outcomes });
  expect(res.status).toBe(200);
  return saved;
}

describe("POST /v1/plans/{id}/performance/reassign", () => {
  let service: TestService;
  const check = openApiChecker();
  beforeAll(() => {
    service = startService();
  });
  afterAll(() => service.close());

  it("turns a drift alert into moves under the budget, each with its reason, as the /v1/reassign request it returns", async () => {
    const saved = await planWithOutcomes(service, 0.4);
    const perf = PlanPerformance.parse((await request(service.app).get(`/v1/plans/${saved.id}/performance`)).body);
    expect(perf.drift.alerts.map((a) => [a.rep, a.direction])).toEqual([["r3", "lower"]]);

    const res = await request(service.app).post(`/v1/plans/${saved.id}/performance/reassign`).send({ maxMoves: 5 });
    expect(res.status).toBe(200);
    const json: unknown = JSON.parse(res.text);
    expect(check(json, "DriftReassignProposal")).toEqual([]);
    const proposal = DriftReassignProposal.parse(json);
    expect(proposal.drift).toEqual(perf.drift);
    const event = proposal.request.events?.[0];
    expect(event).toMatchObject({ op: "updateHistory", resetReps: ["r3"] });
    expect(proposal.request.maxMoves).toBe(5);
    // The book as the plan left it: each customer's current rep is its rep in the saved plan.
    const saved_ = (await request(service.app).get(`/v1/plans/${saved.id}/assignments?limit=500`)).body as { items: { customer: string; rep: string | null }[] };
    const planRep = new Map(saved_.items.map((i) => [i.customer, i.rep]));
    for (const c of proposal.request.plan.customers) expect(c.currentRep ?? null).toBe(planRep.get(c.id) ?? null);
    const result = proposal.result;
    expect(result?.verification.passed).toBe(true);
    expect(result?.moveSummary.chosen).toBeLessThanOrEqual(5);
    expect(result?.moveSummary.chosen).toBeGreaterThan(0);
    for (const move of result?.moves ?? []) {
      expect(move.reason).toBe("chosen");
      expect(move.detail).toMatch(/^chosen: /);
    }
    // The drifted rep loses accounts; the moves gain expected value under the updated history.
    const before = [...planRep.values()].filter((r) => r === "r3").length;
    expect(result?.reps.find((r) => r.id === "r3")?.accounts).toBeLessThan(before);
    expect(result?.moves.some((m) => m.from === "r3")).toBe(true);
    expect(result?.moveSummary.chosenValue).toBeGreaterThan(0);

    // The request is a /v1/reassign request: sent there, it gives the same answer.
    const replay = await request(service.app).post("/v1/reassign").send(proposal.request);
    expect(replay.status).toBe(200);
    expect(ReassignResult.parse(JSON.parse(replay.text))).toEqual(result);
  });

  it("answers no result when nothing drifted, the budget's default, and bad bodies and unknown plans", async () => {
    const saved = await planWithOutcomes(service, 1, 30);
    const res = await request(service.app).post(`/v1/plans/${saved.id}/performance/reassign`).send({});
    expect(res.status).toBe(200);
    const proposal = DriftReassignProposal.parse(JSON.parse(res.text));
    expect(proposal.drift.alerts).toEqual([]);
    expect(proposal.result).toBeNull();
    expect(proposal.request.maxMoves).toBe(Math.ceil(0.1 * world.plan.customers.length));
    expect(proposal.request.events?.[0]).toMatchObject({ op: "updateHistory" });
    expect(proposal.request.events?.[0]).not.toHaveProperty("resetReps");

    const bad = await request(service.app).post(`/v1/plans/${saved.id}/performance/reassign`).send({ maxMoves: -1, credibility: 2, colour: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["", "credibility", "maxMoves"]);
    expect((await request(service.app).post("/v1/plans/nope/performance/reassign").send({})).status).toBe(404);
  });
});

describe("the updateHistory event", () => {
  it("drops the earlier history of resetReps, then adds the new results, and names unknown reps by path", async () => {
    const { applyChanges } = await import("../src/what-if/plan-changes.ts");
    const plan = smallWorld(2, 3, 10).plan;
    const applied = applyChanges(plan, [{ op: "updateHistory", add: [{ rep: "r2", segment: "smb", wins: 1, attempts: 4 }], resetReps: ["r2"] }], ["events"]);
    expect(applied.ok).toBe(true);
    if (!applied.ok) return;
    expect(applied.plan.history?.filter((h) => h.rep === "r2")).toEqual([{ rep: "r2", segment: "smb", wins: 1, attempts: 4 }]);
    expect(applied.plan.history?.filter((h) => h.rep !== "r2")).toEqual(plan.history?.filter((h) => h.rep !== "r2"));
    const bad = applyChanges(plan, [{ op: "updateHistory", add: [{ rep: "ghost", wins: 0, attempts: 1 }], resetReps: ["r1", "nobody"] }], ["events"]);
    expect(bad).toEqual({
      ok: false,
      errors: [
        { path: "events[0].resetReps[1]", message: 'unknown rep "nobody"' },
        { path: "events[0].add[0].rep", message: 'unknown rep "ghost"' },
      ],
    });
  });
});
