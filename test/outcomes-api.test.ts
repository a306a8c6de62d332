import request from "supertest";
import { describe, expect, it } from "vitest";
import { AuditPage, OutcomeReceipt, PlanPerformance, PlanVersion, RecordedOutcomePage, Solution, type DealOutcome } from "../models/index.ts";
import { ROUTING_PLAN, lead, plansService } from "./plans-fixtures.ts";
import { smallWorld } from "./learning-fixtures.ts";

const world = smallWorld(7, 4, 100);

async function activeService(plan: unknown = world.plan) {
  const service = plansService();
  const saved = await request(service.app).post("/v1/plans").send({ label: "Q1", plan });
  expect(saved.status).toBe(200);
  const version = PlanVersion.parse(saved.body);
  expect((await request(service.app).post(`/v1/plans/${version.id}/activate`)).status).toBe(200);
  return { ...service, version };
}

const deal = (id: string, extra: Partial<DealOutcome> = {}): DealOutcome => ({ deal: id, customer: "c001", rep: "r1", won: true, amount: 1000, closedAt: "2027-02-14", ...extra });

describe("POST /v1/outcomes", () => {
  it("needs an active plan", async () => {
    const { app } = plansService();
    const res = await request(app).post("/v1/outcomes").send({ outcomes: [deal("d1")] });
    expect(res.status).toBe(409);
    expect(res.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    expect(res.body.type).toBe("/docs#problem-no-active-plan");
  });

  it("records a batch against the active plan, reads it back page by page, and audits it", async () => {
    const { app, version } = await activeService();
    const outcomes = [deal("d1"), deal("d2", { customer: "c002", rep: "r2", won: false, amount: 2500.5 }), deal("d3", { customer: "c003", rep: "r1", closedAt: "2027-03-01" })];
    const res = await request(app).post("/v1/outcomes").send({ outcomes });
    expect(res.status).toBe(200);
    expect(res.headers.location).toBe(`/v1/plans/${version.id}/outcomes`);
    const receipt = OutcomeReceipt.parse(res.body);
    expect(receipt).toMatchObject({ planId: version.id, recorded: 3, won: 2 });
    expect(receipt.outcomes.map(({ planId: _p, recordedAt: _r, ...o }) => o)).toEqual(outcomes);
    for (const o of receipt.outcomes) expect(o.planId).toBe(version.id);

    const first = RecordedOutcomePage.parse((await request(app).get(`/v1/plans/${version.id}/outcomes?limit=2`)).body);
    expect(first.items).toEqual(receipt.outcomes.slice(0, 2));
    expect(first.nextCursor).not.toBeNull();
    const second = RecordedOutcomePage.parse((await request(app).get(`/v1/plans/${version.id}/outcomes?limit=2&cursor=${first.nextCursor ?? ""}`)).body);
    expect(second).toEqual({ items: receipt.outcomes.slice(2), nextCursor: null });

    const audit = AuditPage.parse((await request(app).get("/v1/audit?limit=1")).body);
    expect(audit.items[0]).toMatchObject({ action: "outcomes.recorded", planId: version.id, note: "3 outcomes (2 won)", requestId: res.headers["x-request-id"] });
  });

  it("answers every malformed outcome with a 422 naming its path, and records nothing", async () => {
    const { app, version } = await activeService();
    const cases: [unknown, string[]][] = [
      [{}, ["outcomes"]],
      [{ outcomes: [] }, ["outcomes"]],
      [{ outcomes: [deal("d1")], extra: 1 }, [""]],
      [{ outcomes: [{ ...deal("d1"), colour: "red" }] }, ["outcomes[0]"]],
      [{ outcomes: [{ customer: "c001", rep: "r1", won: true, amount: 1, closedAt: "2027-01-01" }] }, ["outcomes[0].deal"]],
      [{ outcomes: [deal("")] }, ["outcomes[0].deal"]],
      [{ outcomes: [deal("d1", { won: "yes" as unknown as boolean })] }, ["outcomes[0].won"]],
      [{ outcomes: [deal("d1", { amount: -5 })] }, ["outcomes[0].amount"]],
      [{ outcomes: [deal("d1", { amount: Number.NaN })] }, ["outcomes[0].amount"]],
      [{ outcomes: [deal("d1", { closedAt: "14/02/2027" })] }, ["outcomes[0].closedAt"]],
      [{ outcomes: [deal("d1", { closedAt: "2027-02-30" })] }, ["outcomes[0].closedAt"]],
      [{ outcomes: [deal("d1"), deal("d2"), deal("d1")] }, ["outcomes[2].deal"]],
      [{ outcomes: [deal("d1"), deal("d2", { customer: "nobody" })] }, ["outcomes[1].customer"]],
      [{ outcomes: [deal("d1", { rep: "ghost", customer: "ghost-co" })] }, ["outcomes[0].customer", "outcomes[0].rep"]],
    ];
    for (const [body, paths] of cases) {
      const res = await request(app).post("/v1/outcomes").send(body as object);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.type).toBe("/docs#problem-invalid-request");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(paths);
    }
    expect((await request(app).post("/v1/outcomes").set("content-type", "text/plain").send("d1")).status).toBe(415);
    expect((await request(app).post("/v1/outcomes").set("content-type", "application/json").send("{")).status).toBe(400);
    expect(RecordedOutcomePage.parse((await request(app).get(`/v1/plans/${version.id}/outcomes`)).body).items).toEqual([]);
  });

  it("refuses a second outcome for a deal (409, nothing of the batch recorded); a retry with the Idempotency-Key gets the first answer", async () => {
    const { app, version } = await activeService();
    const first = await request(app).post("/v1/outcomes").set("Idempotency-Key", "batch-1").send({ outcomes: [deal("d1"), deal("d2")] });
    expect(first.status).toBe(200);
    const replay = await request(app).post("/v1/outcomes").set("Idempotency-Key", "batch-1").send({ outcomes: [deal("d1"), deal("d2")] });
    expect(replay.status).toBe(200);
    expect(replay.headers["idempotency-replayed"]).toBe("true");
    expect(replay.text).toBe(first.text);

    const again = await request(app).post("/v1/outcomes").send({ outcomes: [deal("d3"), deal("d2", { won: false })] });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe("/docs#problem-outcome-exists");
    expect(again.body.errors).toEqual([{ path: "outcomes[1].deal", message: expect.stringContaining(`recorded at ${OutcomeReceipt.parse(first.body).outcomes[1]?.recordedAt}`) }]);
    const stored = RecordedOutcomePage.parse((await request(app).get(`/v1/plans/${version.id}/outcomes`)).body).items;
    expect(stored.map((o) => [o.deal, o.won])).toEqual([
      ["d1", true],
      ["d2", true],
    ]);
  });

  it("accepts a customer routed live, and records against whichever plan is active", async () => {
    const { app, version } = await activeService(ROUTING_PLAN);
    expect((await request(app).post("/v1/route").send(lead("lead-1"))).status).toBe(200);
    const routed = await request(app).post("/v1/outcomes").send({ outcomes: [deal("d1", { customer: "lead-1", rep: "r1" })] });
    expect(routed.status).toBe(200);

    const other = PlanVersion.parse((await request(app).post("/v1/plans").send({ label: "Q2", plan: world.plan })).body);
    expect((await request(app).post(`/v1/plans/${other.id}/activate`)).status).toBe(200);
    // lead-1 belongs to the archived plan only.
    expect((await request(app).post("/v1/outcomes").send({ outcomes: [deal("d2", { customer: "lead-1", rep: "r1" })] })).status).toBe(422);
    expect(OutcomeReceipt.parse((await request(app).post("/v1/outcomes").send({ outcomes: [deal("d2")] })).body).planId).toBe(other.id);
    const first = RecordedOutcomePage.parse((await request(app).get(`/v1/plans/${version.id}/outcomes`)).body).items;
    expect(first.map((o) => o.deal)).toEqual(["d1"]);
    expect((await request(app).get("/v1/plans/nope/outcomes")).status).toBe(404);
    expect((await request(app).get(`/v1/plans/${version.id}/outcomes?cursor=zzz`)).status).toBe(400);
  });
});

describe("GET /v1/plans/{id}/performance", () => {
  it("reports expected against actual per rep and a calibration that matches the hand computation from the plan's own estimates", async () => {
    const { app, version } = await activeService();
    const overview = Solution.omit({ assignments: true }).parse((await request(app).get(`/v1/plans/${version.id}`)).body.solution);
    expect(overview.status).toBe("optimal");
    // Six deals on customers of three segments (c001 smb, c002 mid, c003 ent, c004 smb …), worked by r1 and r2.
    const outcomes = [
      deal("d1", { customer: "c001", rep: "r1", won: true, amount: 100 }),
      deal("d2", { customer: "c002", rep: "r1", won: false, amount: 200 }),
      deal("d3", { customer: "c003", rep: "r1", won: false, amount: 300 }),
      deal("d4", { customer: "c004", rep: "r2", won: true, amount: 400 }),
      deal("d5", { customer: "c005", rep: "r2", won: true, amount: 500 }),
      deal("d6", { customer: "c006", rep: "r2", won: false, amount: 600 }),
    ];
    expect((await request(app).post("/v1/outcomes").send({ outcomes })).status).toBe(200);
    const res = await request(app).get(`/v1/plans/${version.id}/performance`);
    expect(res.status).toBe(200);
    const perf = PlanPerformance.parse(res.body);
    expect(perf.conversionModelled).toBe(true);

    // The plan's estimate of each deal's (rep, segment), read from the plan's own segment figures.
    const planP = (rep: string, segment: string) => perf.reps.find((r) => r.rep === rep)?.segments.find((s) => s.segment === segment)?.planConversion?.p ?? Number.NaN;
    const segmentOf = (customer: string) => world.plan.customers.find((c) => c.id === customer)?.segment ?? "";
    const ps = outcomes.map((o) => planP(o.rep, segmentOf(o.customer)));
    for (const p of ps) expect(p).toBeGreaterThan(0);
    const ys = outcomes.map((o) => (o.won ? 1 : 0));
    const brier = ps.reduce((s, p, i) => s + (p - (ys[i] ?? 0)) ** 2, 0) / 6;
    expect(perf.calibration?.brierScore).toBeCloseTo(brier, 12);
    expect(perf.calibration?.referenceBrierScore).toBeCloseTo(0.25, 12);
    expect(perf.calibration?.deals).toBe(6);
    const bins = new Map<number, number[]>();
    ps.forEach((p, i) => bins.set(Math.floor(p * 10), [...(bins.get(Math.floor(p * 10)) ?? []), i]));
    expect(perf.calibration?.bins.map((b) => [b.from, b.deals])).toEqual([...bins.keys()].sort().map((k) => [k / 10, bins.get(k)?.length]));
    for (const b of perf.calibration?.bins ?? []) {
      const members = bins.get(Math.round(b.from * 10)) ?? [];
      expect(b.meanPredicted).toBeCloseTo(members.reduce((s, i) => s + (ps[i] ?? 0), 0) / members.length, 12);
      expect(b.observedRate).toBeCloseTo(members.reduce((s, i) => s + (ys[i] ?? 0), 0) / members.length, 12);
    }

    const r1 = perf.reps.find((r) => r.rep === "r1");
    expect(r1).toMatchObject({ deals: 3, wins: 1, dealValue: 600, wonValue: 100 });
    expect(r1?.expectedWins).toBeCloseTo((ps[0] ?? 0) + (ps[1] ?? 0) + (ps[2] ?? 0), 12);
    expect(r1?.expectedWonValue).toBeCloseTo(100 * (ps[0] ?? 0) + 200 * (ps[1] ?? 0) + 300 * (ps[2] ?? 0), 9);
    expect(r1?.accounts).toBe(overview.reps.find((r) => r.id === "r1")?.accounts);
    expect(r1?.planExpectedValue).toBe(overview.reps.find((r) => r.id === "r1")?.expectedValue);
    expect(perf.reps.find((r) => r.rep === "r3")).toMatchObject({ deals: 0, wins: 0, planConversion: null, recentConversion: null, segments: [], drift: null });
    expect(perf.totals).toMatchObject({ deals: 6, wins: 3, dealValue: 2100, wonValue: 1000, firstClosedAt: "2027-02-14", lastClosedAt: "2027-02-14" });
    // Six deals prove nothing: no alert.
    expect(perf.drift.repsTested).toBe(2);
    expect(perf.drift.alerts).toEqual([]);
  });

  it("without a conversion model (pairs) reports the counts only; bad queries and unknown plans are answered", async () => {
    const { app, version } = await activeService(ROUTING_PLAN);
    expect((await request(app).post("/v1/outcomes").send({ outcomes: [deal("d1", { customer: "n1", rep: "r2" })] })).status).toBe(200);
    const perf = PlanPerformance.parse((await request(app).get(`/v1/plans/${version.id}/performance`)).body);
    expect(perf.conversionModelled).toBe(false);
    expect(perf.calibration).toBeNull();
    expect(perf.reps.find((r) => r.rep === "r2")).toMatchObject({ deals: 1, wins: 1, expectedWins: null, planConversion: null });
    for (const bad of ["2", "0.1", "abc", "0.9999", "-0.9"]) {
      const res = await request(app).get(`/v1/plans/${version.id}/performance?credibility=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.errors[0].path).toBe("credibility");
    }
    expect((await request(app).get(`/v1/plans/${version.id}/performance?credibility=0.95`)).status).toBe(200);
    expect((await request(app).get("/v1/plans/nope/performance")).status).toBe(404);
  });
});
