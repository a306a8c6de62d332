/**
 * The storage contract (src/storage/plan-store.ts, idempotency-store.ts, job-record-store.ts) as
 * one suite that every store runs unchanged: storage-sqlite.test.ts and storage-postgres.test.ts
 * call `storeContract` with a way to open a fresh store of their kind. Besides the store's own
 * calls, a harness runs plain SQL on the same database (to check that the schema itself refuses a
 * change, not only the code) and opens more stores on it: stand-ins for other API instances
 * (another connection pool, another file handle), so the cross-instance guarantees are exercised
 * with real concurrency: no rep overfilled, no customer routed twice, one claim per idempotency key.
 */
import { describe, expect, it } from "vitest";
import { Plan, type DealOutcome, type JobProgress, type Solution } from "../models/index.ts";
import { buildRoutingContext, chooseRep, rankCandidates, type RoutingContext } from "../src/routing/live-routing.ts";
import type { ApiKeyStore, NewApiKeyRow } from "../src/storage/api-key-store.ts";
import type { NewSessionRow, SessionStore } from "../src/storage/session-store.ts";
import type { IdempotencyScope, IdempotencyStore } from "../src/storage/idempotency-store.ts";
import type { JobFinish, JobRecordStore } from "../src/storage/job-record-store.ts";
import type { OutcomeStore } from "../src/storage/outcome-store.ts";
import type { AuditContext, PlanStore, RouteOutcome } from "../src/storage/plan-store.ts";
import { INFEASIBLE_PLAN, PLAN_A, PLAN_B, ROUTING_PLAN, solved } from "./plans-fixtures.ts";
import { activationContract } from "./store-contract-activation.ts";

export type ContractStore = PlanStore & IdempotencyStore & JobRecordStore & OutcomeStore & ApiKeyStore & SessionStore;

export interface StoreUnderTest {
  store: ContractStore;
  /** Runs one statement on the same database outside the store (the statements used are the same text in both dialects). */
  exec(sql: string): Promise<void>;
  /** The first column of the first row of a query. */
  scalar(sql: string): Promise<unknown>;
  /** Another store on the same database: another instance. */
  another(): Promise<ContractStore>;
  /** Closes every store and connection opened by this harness. */
  close(): Promise<void>;
}

export interface StoreKind {
  name: string;
  /** A store on a fresh, empty database. */
  open(options?: { now?: () => number }): Promise<StoreUnderTest>;
}

const who: AuditContext = { requestId: "req-1", keyId: "abc123def456" };

/** Opens a store of `kind`, runs `test`, and closes it whatever happens. */
async function using<T>(kind: StoreKind, test: (s: StoreUnderTest) => Promise<T>, options?: { now?: () => number }): Promise<T> {
  const s = await kind.open(options);
  try {
    return await test(s);
  } finally {
    await s.close();
  }
}

async function activated(store: ContractStore, plan: Plan, label = "routing") {
  const version = await store.savePlan({ label, plan, solution: await solved(plan) }, who);
  const outcome = await store.activatePlan(version.id, who);
  if (outcome.kind !== "activated") throw new Error(`activation: ${outcome.kind}`);
  return version;
}

/** Routes one customer as POST /v1/route does: ranks the candidates, decides inside the store's transaction. */
function router(ctx: RoutingContext) {
  return (store: ContractStore, customer: Plan["customers"][number], requestId = customer.id): Promise<RouteOutcome<ReturnType<typeof chooseRep>>> => {
    const ranking = rankCandidates(ctx, customer);
    return store.route({
      planId: ctx.planId,
      customerId: customer.id,
      reps: ranking.candidates.map((c) => c.rep.id),
      decide: (loads, totals) => chooseRep(ctx, ranking, loads, totals),
      audit: { requestId, keyId: null },
    });
  };
}

const SEATS = 12;
/** Three reps of 12 seats, one taken by the plan's own locked customer each: 33 free seats. */
const TIGHT = Plan.parse({
  customers: ["t1", "t2", "t3"].map((rep) => ({ id: `own-${rep}`, value: 1000 })),
  reps: ["t1", "t2", "t3"].map((id) => ({ id, maxAccounts: SEATS })),
  policy: { locks: ["t1", "t2", "t3"].map((rep) => ({ customer: `own-${rep}`, rep })) },
});
const FREE = 3 * (SEATS - 1);

async function allAssignments(store: ContractStore, planId: string) {
  const out = [];
  let after: number | null = null;
  do {
    const page = await store.listAssignments(planId, { limit: 500, after });
    if (page === null) throw new Error("unknown plan");
    out.push(...page.items);
    after = page.next;
  } while (after !== null);
  return out;
}

export function storeContract(kind: StoreKind): void {
  activationContract(kind);
  describe(`${kind.name} store: plan versions`, () => {
    it("keeps versions immutable: the database itself refuses to change or delete them", () =>
      using(kind, async ({ store, exec }) => {
        const v1 = await store.savePlan({ label: "2027-Q1 draft", plan: PLAN_A, solution: await solved(PLAN_A) }, who);
        const v2 = await store.savePlan({ label: "2027-Q1 draft", plan: PLAN_A, solution: await solved(PLAN_A) }, who);
        expect(v2.id).not.toBe(v1.id);
        expect(v2.version).toBe(v1.version + 1);
        expect(v2.inputHash).toBe(v1.inputHash);
        const input = await store.getPlanInput(v1.id);
        expect(input).toBe(JSON.stringify(PLAN_A));
        for (const statement of [
          "UPDATE plans SET label = 'renamed'",
          "UPDATE plans SET input_json = '{}'",
          "UPDATE plans SET overview_json = '{}', objective = 0",
          "DELETE FROM plans",
          "UPDATE assignments SET rep_id = 'r2'",
          "UPDATE plans SET state = 'archived' WHERE state = 'draft'",
        ]) {
          await expect(exec(statement), statement).rejects.toThrow(/immutable|never|draft -> active -> archived/);
        }
        expect(await store.getPlanInput(v1.id)).toBe(input);
        expect(await store.getPlan(v1.id)).toEqual(v1);
        expect(await store.getPlacements(v1.id)).toEqual([
          { customer: "c1", rep: "r1", expectedValue: 10 },
          { customer: "c2", rep: "r1", expectedValue: 9 },
          { customer: "c3", rep: "r2", expectedValue: 8 },
          { customer: "c4", rep: "r2", expectedValue: 7 },
        ]);
        expect(await store.getPlacements("nope")).toBeNull();
        expect((await store.getSolutionOverview(v1.id))?.objective).toBe(34);
        expect(await store.getSolutionOverview("nope")).toBeNull();
      }));

    it("keeps one active plan: activation archives the previous one in the same transaction", () =>
      using(kind, async ({ store }) => {
        const a = await store.savePlan({ label: "A", plan: PLAN_A, solution: await solved(PLAN_A) }, who);
        const b = await store.savePlan({ label: "B", plan: PLAN_B, solution: await solved(PLAN_B) }, who);
        const bad = await store.savePlan({ label: "bad", plan: INFEASIBLE_PLAN, solution: await solved(INFEASIBLE_PLAN) }, who);
        expect(bad.status).toBe("infeasible");
        expect(bad.activatable).toBe(false);

        expect(await store.activePlan()).toBeNull();
        const first = await store.activatePlan(a.id, who);
        expect(first).toMatchObject({ kind: "activated", plan: { id: a.id, state: "active" }, archived: null });
        expect(await store.activatePlan(a.id, who)).toMatchObject({ kind: "already-active" });
        const second = await store.activatePlan(b.id, who);
        expect(second).toMatchObject({ kind: "activated", plan: { id: b.id, state: "active" }, archived: { id: a.id, state: "archived", activatable: false } });
        expect(await store.activatePlan(a.id, who)).toMatchObject({ kind: "not-activatable", why: expect.stringContaining("archived") });
        expect(await store.activatePlan(bad.id, who)).toMatchObject({ kind: "not-activatable", why: expect.stringContaining("infeasible") });
        expect(await store.activatePlan("nope", who)).toEqual({ kind: "not-found" });

        const states = (await store.listPlans({ limit: 10, after: null })).items.map((p) => [p.label, p.state]);
        expect(states).toEqual([
          ["bad", "draft"],
          ["B", "active"],
          ["A", "archived"],
        ]);
        expect((await store.activePlan())?.id).toBe(b.id);
        const audit = (await store.listAudit({ limit: 10, after: null })).items.map((e) => [e.action, e.planId, e.note]);
        expect(audit.slice(0, 3)).toEqual([
          ["plan.activated", b.id, `"B", replacing ${a.id}`],
          ["plan.archived", a.id, `replaced by ${b.id}`],
          ["plan.activated", a.id, '"A"'],
        ]);
      }));

    it("enforces a single active plan in the schema too", () =>
      using(kind, async ({ store, exec, scalar }) => {
        const solution: Solution = await solved(PLAN_A);
        await store.savePlan({ label: "A", plan: PLAN_A, solution }, who);
        await store.savePlan({ label: "B", plan: PLAN_A, solution }, who);
        await expect(exec("UPDATE plans SET state = 'active'")).rejects.toThrow(/unique/i);
        expect(Number(await scalar("SELECT count(*) FROM plans WHERE state = 'active'"))).toBe(0);
      }));

    it("activations racing from several instances leave exactly one active plan and a consistent history", () =>
      using(kind, async ({ store, another }) => {
        const others = [await another(), await another()];
        const solution = await solved(PLAN_A);
        const versions = [];
        for (const label of ["v1", "v2", "v3", "v4"]) versions.push(await store.savePlan({ label, plan: PLAN_A, solution }, who));
        const outcomes = await Promise.all(versions.map((v, i) => [store, ...others][i % 3]?.activatePlan(v.id, who)));
        expect(outcomes.every((o) => o?.kind === "activated")).toBe(true);
        const plans = (await store.listPlans({ limit: 10, after: null })).items;
        expect(plans.filter((p) => p.state === "active")).toHaveLength(1);
        expect(plans.filter((p) => p.state === "archived")).toHaveLength(3);
        // Each activation archived the one before it: the archived ones form a chain ending at the active one.
        const archivedBy = outcomes.flatMap((o) => (o?.kind === "activated" && o.archived !== null ? [o.archived.id] : []));
        expect(new Set(archivedBy).size).toBe(3);
      }));

    it("pages plans and the audit log newest first, and a plan's customers in order", () =>
      using(kind, async ({ store }) => {
        const solution = await solved(PLAN_A);
        for (const label of ["p1", "p2", "p3", "p4", "p5"]) await store.savePlan({ label, plan: PLAN_A, solution }, who);
        const labels: string[] = [];
        let after: number | null = null;
        let pages = 0;
        do {
          const page = await store.listPlans({ limit: 2, after });
          labels.push(...page.items.map((p) => p.label));
          after = page.next;
          pages++;
        } while (after !== null);
        expect(labels).toEqual(["p5", "p4", "p3", "p2", "p1"]);
        expect(pages).toBe(3);

        const audit = await store.listAudit({ limit: 3, after: null });
        expect(audit.items.map((e) => [e.action, e.note?.slice(0, 4)])).toEqual([
          ["plan.saved", '"p5"'],
          ["plan.saved", '"p4"'],
          ["plan.saved", '"p3"'],
        ]);
        expect(audit.items[0]).toMatchObject({ requestId: "req-1", keyId: "abc123def456", customer: null, rep: null });
        const rest = await store.listAudit({ limit: 3, after: audit.next });
        expect(rest.items.map((e) => e.note?.slice(0, 4))).toEqual(['"p2"', '"p1"']);
        expect(rest.next).toBeNull();

        const first = (await store.listPlans({ limit: 1, after: null })).items[0];
        const customers = await store.listAssignments(first?.id ?? "", { limit: 3, after: null });
        expect(customers?.items.map((a) => [a.customer, a.rep, a.source])).toEqual([
          ["c1", "r1", "plan"],
          ["c2", "r1", "plan"],
          ["c3", "r2", "plan"],
        ]);
        expect(customers?.next).not.toBeNull();
        const last = await store.listAssignments(first?.id ?? "", { limit: 3, after: customers?.next ?? null });
        expect(last?.items.map((a) => a.customer)).toEqual(["c4"]);
        expect(last?.next).toBeNull();
        expect(await store.listAssignments("nope", { limit: 3, after: null })).toBeNull();
      }));

    it("keeps an infeasible solve's unassigned customers with their reason", () =>
      using(kind, async ({ store }) => {
        const bad = await store.savePlan({ label: "bad", plan: INFEASIBLE_PLAN, solution: await solved(INFEASIBLE_PLAN) }, who);
        const rows = await allAssignments(store, bad.id);
        expect(rows.map((r) => [r.customer, r.rep, r.source])).toEqual([
          ["x1", null, "plan"],
          ["x2", null, "plan"],
        ]);
        expect(rows.every((r) => typeof r.reason === "string" && r.reason.length > 0)).toBe(true);
      }));
  });

  describe(`${kind.name} store: live routing`, () => {
    it("routes against the active plan, records the load and the audit entry, and refuses a customer twice", () =>
      using(kind, async ({ store }) => {
        const noPlan = await store.route({ planId: "nope", customerId: "x", reps: [], decide: () => ({ rep: null, workload: 0, value: 0, expectedValue: null, components: null, reason: "" }), audit: who });
        expect(noPlan).toEqual({ kind: "no-active-plan" });

        const plan = await activated(store, ROUTING_PLAN);
        const route = router(buildRoutingContext(plan.id, ROUTING_PLAN));
        const lead = { id: "lead-1", value: 1000, territory: "north", needs: ["x", "y"] };
        const first = await route(store, lead);
        expect(first).toMatchObject({ kind: "routed", decision: { rep: "r1" }, load: { accounts: 1, value: 1000, expectedValue: 1500 } });
        expect(await route(store, lead)).toMatchObject({ kind: "customer-exists", rep: "r1", source: "routed", routedAt: first.kind === "routed" ? first.routedAt : "" });
        expect(await route(store, { id: "n1", value: 5 })).toMatchObject({ kind: "customer-exists", rep: "r2", source: "plan", routedAt: null });
        // r1 is full (one seat): the next north lead goes to the runner-up.
        expect(await route(store, { ...lead, id: "lead-2" })).toMatchObject({ kind: "routed", decision: { rep: "r4" } });
        // No eligible rep has room for a territory nobody covers: recorded as unassigned, no load changes.
        const lost = await route(store, { id: "lead-3", value: 10, territory: "west" });
        expect(lost).toMatchObject({ kind: "routed", decision: { rep: null }, load: null });

        const loads = await store.repLoads(plan.id);
        expect(Object.fromEntries([...(loads ?? [])].map(([rep, l]) => [rep, l.accounts]))).toEqual({ r1: 1, r2: 1, r3: 1, r4: 1, r5: 0 });
        expect(await store.repLoads("nope")).toBeNull();
        const records = await allAssignments(store, plan.id);
        expect(records.map((r) => [r.customer, r.rep, r.source])).toEqual([
          ["n1", "r2", "plan"],
          ["s1", "r3", "plan"],
          ["lead-1", "r1", "routed"],
          ["lead-2", "r4", "routed"],
          ["lead-3", null, "routed"],
        ]);
        expect(records[2]?.components?.fit).toBe(1.5);
        const audit = (await store.listAudit({ limit: 3, after: null })).items.map((e) => [e.action, e.customer, e.rep]);
        expect(audit).toEqual([
          ["customer.unassigned", "lead-3", null],
          ["customer.routed", "lead-2", "r4"],
          ["customer.routed", "lead-1", "r1"],
        ]);
      }));

    it("tells a caller whose plan was replaced which plan is active now", () =>
      using(kind, async ({ store }) => {
        const first = await activated(store, ROUTING_PLAN, "first");
        const route = router(buildRoutingContext(first.id, ROUTING_PLAN));
        const second = await activated(store, ROUTING_PLAN, "second");
        expect(await route(store, { id: "late", value: 10, territory: "north" })).toEqual({ kind: "plan-changed", activePlanId: second.id });
      }));

    it("never overfills a rep nor routes a customer twice when several instances route at once", () =>
      using(kind, async ({ store, another }) => {
        const plan = await activated(store, TIGHT, "tight");
        const instances = [store, await another(), await another()];
        const route = router(buildRoutingContext(plan.id, TIGHT));
        // 3 instances × 20 new customers, plus each of the first 10 sent by two instances at once.
        const calls = instances.flatMap((s, i) => Array.from({ length: 20 }, (_, n) => route(s, { id: `lead-${i}-${n}`, value: 100 + n })));
        const twice = Array.from({ length: 10 }, (_, n) => [route(instances[1] ?? store, { id: `dup-${n}`, value: 50 }), route(instances[2] ?? store, { id: `dup-${n}`, value: 50 })]).flat();
        const outcomes = await Promise.all([...calls, ...twice]);
        expect(outcomes.filter((o) => o.kind !== "routed" && o.kind !== "customer-exists")).toEqual([]);
        const dupOutcomes = outcomes.slice(calls.length);
        for (let n = 0; n < 10; n++) {
          const pair = [dupOutcomes[2 * n]?.kind, dupOutcomes[2 * n + 1]?.kind].sort();
          expect(pair, `dup-${n}`).toEqual(["customer-exists", "routed"]);
        }
        const routed = outcomes.flatMap((o) => (o.kind === "routed" && o.decision.rep !== null ? [o] : []));
        expect(routed).toHaveLength(FREE);
        // Every seat handed out once: each rep reports loads 2, 3, …, 12.
        for (const rep of ["t1", "t2", "t3"]) {
          const seats = routed.filter((o) => o.decision.rep === rep).map((o) => o.load?.accounts ?? -1);
          expect(seats.sort((x, y) => x - y)).toEqual(Array.from({ length: SEATS - 1 }, (_, i) => i + 2));
        }
        const loads = await store.repLoads(plan.id);
        for (const rep of ["t1", "t2", "t3"]) expect(loads?.get(rep)?.accounts).toBe(SEATS);
        const records = (await allAssignments(store, plan.id)).filter((r) => r.source === "routed");
        expect(records).toHaveLength(70);
        expect(new Set(records.map((r) => r.customer)).size).toBe(70);
        // The loads are the plan's own plus the sum of what was routed to each rep.
        for (const rep of ["t1", "t2", "t3"]) {
          const value = 1000 + records.filter((r) => r.rep === rep).reduce((sum, r) => sum + valueOf(r.customer), 0);
          expect(loads?.get(rep)?.value).toBe(value);
        }
        const audit = (await store.listAudit({ limit: 500, after: null })).items;
        expect(audit.filter((e) => e.action === "customer.routed")).toHaveLength(FREE);
        expect(audit.filter((e) => e.action === "customer.unassigned")).toHaveLength(70 - FREE);
      }));
  });

  describe(`${kind.name} store: idempotency keys`, () => {
    const scope: IdempotencyScope = { identity: "k1", key: "abc", method: "POST", path: "/v1/route" };
    const options = { leaseMs: 30_000, retentionMs: 24 * 3_600_000 };

    it("claims, reports in-flight, replays, refuses another fingerprint, and frees a released key", async () => {
      let now = 1_000_000;
      await using(
        kind,
        async ({ store }) => {
          const claim = await store.claimIdempotencyKey(scope, "fp1", options);
          expect(claim.kind).toBe("claimed");
          const token = claim.kind === "claimed" ? claim.token : "";
          expect(await store.claimIdempotencyKey(scope, "fp1", options)).toEqual({ kind: "in-flight", retryAfterMs: 30_000 });
          expect(await store.claimIdempotencyKey(scope, "fp2", options)).toEqual({ kind: "mismatch" });
          // Another identity, method or path is another key.
          expect((await store.claimIdempotencyKey({ ...scope, identity: "k2" }, "fp2", options)).kind).toBe("claimed");
          expect((await store.claimIdempotencyKey({ ...scope, path: "/v1/plans" }, "fp2", options)).kind).toBe("claimed");

          await store.completeIdempotencyKey(scope, "someone-else", { status: 500, headers: {}, body: "nope" });
          expect((await store.claimIdempotencyKey(scope, "fp1", options)).kind).toBe("in-flight");
          await store.completeIdempotencyKey(scope, token, { status: 200, headers: { "content-type": "application/json" }, body: '{"ok":true}' });
          now += 1000;
          expect(await store.claimIdempotencyKey(scope, "fp1", options)).toEqual({
            kind: "replay",
            createdAt: 1_000_000,
            response: { status: 200, headers: { "content-type": "application/json" }, body: '{"ok":true}' },
          });
          expect(await store.claimIdempotencyKey(scope, "fp2", options)).toEqual({ kind: "mismatch" });

          const other = { ...scope, key: "released" };
          const held = await store.claimIdempotencyKey(other, "fp", options);
          await store.releaseIdempotencyKey(other, held.kind === "claimed" ? held.token : "");
          expect((await store.claimIdempotencyKey(other, "fp", options)).kind).toBe("claimed");
        },
        { now: () => now },
      );
    });

    it("lets a retry take over a claim whose lease ran out (a process that died), and forgets keys after the retention", async () => {
      let now = 5_000_000;
      await using(
        kind,
        async ({ store }) => {
          const first = await store.claimIdempotencyKey(scope, "fp", options);
          now += 29_999;
          expect((await store.claimIdempotencyKey(scope, "fp", options)).kind).toBe("in-flight");
          now += 2;
          const second = await store.claimIdempotencyKey(scope, "fp", options);
          expect(second.kind).toBe("claimed");
          // The first claimant's late answer no longer counts; the second's does.
          await store.completeIdempotencyKey(scope, first.kind === "claimed" ? first.token : "", { status: 200, headers: {}, body: "first" });
          await store.completeIdempotencyKey(scope, second.kind === "claimed" ? second.token : "", { status: 200, headers: {}, body: "second" });
          expect(await store.claimIdempotencyKey(scope, "fp", options)).toMatchObject({ kind: "replay", response: { body: "second" } });

          now += 24 * 3_600_000 - 60_000;
          expect((await store.claimIdempotencyKey(scope, "other", options)).kind).toBe("mismatch");
          now += 120_000;
          expect((await store.claimIdempotencyKey(scope, "other", options)).kind).toBe("claimed");
        },
        { now: () => now },
      );
    });

    it("shares keys between instances: one claim among racing instances, in-flight and replay whichever instance is asked", () =>
      using(kind, async ({ store, another }) => {
        const instances = [store, await another(), await another()];
        const racing = await Promise.all(Array.from({ length: 12 }, (_, i) => instances[i % 3]?.claimIdempotencyKey(scope, "fp", options)));
        const claims = racing.filter((c) => c?.kind === "claimed");
        expect(claims).toHaveLength(1);
        expect(racing.filter((c) => c?.kind === "in-flight")).toHaveLength(11);
        const token = claims[0]?.kind === "claimed" ? claims[0].token : "";
        await instances[2]?.completeIdempotencyKey(scope, token, { status: 201, headers: { location: "/v1/plans/x" }, body: "done" });
        for (const s of instances) {
          expect(await s.claimIdempotencyKey(scope, "fp", options)).toMatchObject({ kind: "replay", response: { status: 201, headers: { location: "/v1/plans/x" }, body: "done" } });
          expect(await s.claimIdempotencyKey(scope, "fp-other", options)).toEqual({ kind: "mismatch" });
        }
      }));

    it("lets one instance only take over an expired lease", async () => {
      let now = 9_000_000;
      await using(
        kind,
        async ({ store, another }) => {
          const instances = [store, await another(), await another()];
          expect((await store.claimIdempotencyKey(scope, "fp", options)).kind).toBe("claimed");
          now += options.leaseMs + 1;
          const racing = await Promise.all(Array.from({ length: 9 }, (_, i) => instances[i % 3]?.claimIdempotencyKey(scope, "fp", options)));
          expect(racing.filter((c) => c?.kind === "claimed")).toHaveLength(1);
          expect(racing.filter((c) => c?.kind === "in-flight")).toHaveLength(8);
        },
        { now: () => now },
      );
    });
  });

  describe(`${kind.name} store: job records`, () => {
    const at = (s: number) => new Date(Date.UTC(2027, 0, 1, 0, 0, s)).toISOString();
    const progress: JobProgress = { seq: 3, solve: null, solvesDone: 1, solvesTotal: 4 };
    const done = (state: JobFinish["state"], s: number): JobFinish => ({
      state,
      status: state === "succeeded" ? "optimal" : null,
      resultJson: state === "succeeded" ? '{"status":"optimal"}' : null,
      error: state === "failed" ? { type: "internal", detail: "boom", errors: [{ path: "plan", message: "bad" }] } : null,
      finishedAt: at(s),
      expiresAt: at(s + 100),
    });

    it("keeps jobs through their states, guarded by the state each change leaves", () =>
      using(kind, async ({ store, another }) => {
        const other = await another();
        for (let i = 1; i <= 5; i++) {
          const job = await store.insertJob({ id: `j${i}`, kind: i === 2 ? "scenarios" : "solve", workJson: `{"n":${i}}`, createdAt: at(i) });
          expect(job).toEqual({ id: `j${i}`, kind: i === 2 ? "scenarios" : "solve", state: "queued", createdAt: at(i), startedAt: null, finishedAt: null, attempts: 0, progress: null, status: null, error: null, expiresAt: null });
        }
        expect(await other.getJobWork("j3")).toBe('{"n":3}');
        expect(await other.getJobWork("nope")).toBeNull();
        expect(await other.getJob("nope")).toBeNull();

        const firstPage = await store.listJobs({ limit: 2, before: null });
        expect([firstPage.jobs.map((j) => j.id), firstPage.next]).toEqual([["j5", "j4"], "j4"]);
        const secondPage = await store.listJobs({ limit: 2, before: "j4" });
        expect([secondPage.jobs.map((j) => j.id), secondPage.next]).toEqual([["j3", "j2"], "j2"]);
        const lastPage = await store.listJobs({ limit: 2, before: "j2" });
        expect([lastPage.jobs.map((j) => j.id), lastPage.next]).toEqual([["j1"], null]);
        expect((await store.listJobs({ limit: 2, before: "nope" })).jobs).toEqual([]);

        // Two instances start the same job: one wins.
        const starts = await Promise.all([store.startJob("j1", at(10)), other.startJob("j1", at(10))]);
        expect(starts.sort()).toEqual([false, true]);
        await other.updateJobProgress("j1", progress);
        expect((await store.getJob("j1"))?.job).toMatchObject({ state: "running", attempts: 1, startedAt: at(10), progress });
        // A finish and a cancel racing: one wins.
        const ends = await Promise.all([store.finishJob("j1", done("succeeded", 20)), other.finishJob("j1", done("cancelled", 20))]);
        expect(ends.sort()).toEqual([false, true]);
        const j1 = await store.getJob("j1");
        expect(j1?.job.state === "succeeded" ? j1.resultJson : null).toBe(j1?.job.state === "succeeded" ? '{"status":"optimal"}' : null);
        expect(await store.finishJob("j1", done("failed", 21))).toBe(false);
        // Progress after the end is ignored.
        await store.updateJobProgress("j1", { ...progress, seq: 9 });
        expect((await store.getJob("j1"))?.job.progress).toEqual(progress);

        expect(await store.finishJob("j2", done("failed", 22))).toBe(true);
        expect((await store.getJob("j2"))?.job).toMatchObject({ state: "failed", error: { type: "internal", detail: "boom", errors: [{ path: "plan", message: "bad" }] }, expiresAt: at(122) });
        expect(await store.startJob("j2", at(23))).toBe(false);
        expect(await store.queuedJobs()).toEqual(["j3", "j4", "j5"]);

        // Left running by a process that died: queued again below the attempt limit, failed at it.
        expect(await store.startJob("j3", at(30))).toBe(true);
        expect(await store.startJob("j4", at(30))).toBe(true);
        const left = done("failed", 40);
        expect(await store.recoverInterruptedJobs(2, left)).toEqual({ requeued: 2, failed: 0 });
        expect(await store.startJob("j4", at(41))).toBe(true);
        expect(await store.recoverInterruptedJobs(2, left)).toEqual({ requeued: 0, failed: 1 });
        expect((await store.getJob("j4"))?.job).toMatchObject({ state: "failed", attempts: 2, finishedAt: at(40) });
        expect(await store.countJobs()).toEqual({ queued: 2, running: 0, succeeded: j1?.job.state === "succeeded" ? 1 : 0, failed: 2, cancelled: j1?.job.state === "cancelled" ? 1 : 0 });

        // j1 and j2 expire at 120 and 122 s, j4 at 140 s.
        expect(await store.deleteExpiredJobs(at(121))).toBe(1);
        expect(await store.deleteExpiredJobs(at(140))).toBe(2);
        expect((await store.listJobs({ limit: 10, before: null })).jobs.map((j) => j.id)).toEqual(["j5", "j3"]);
      }));
  });

  outcomeContract(kind);
  apiKeyContract(kind);
  sessionContract(kind);
}

const deal = (id: string, extra: Partial<DealOutcome> = {}): DealOutcome => ({ deal: id, customer: "n1", rep: "r2", won: true, amount: 1000, closedAt: "2027-02-14", ...extra });

/** Closed deals against the active plan (OutcomeStore). */
function outcomeContract(kind: StoreKind): void {
  describe(`${kind.name} store: deal outcomes`, () => {
    it("records a batch against the active plan whole or not at all, once per deal, and the database keeps it unchanged", () =>
      using(kind, async ({ store, exec }) => {
        expect(await store.recordOutcomes([deal("d0")], who)).toEqual({ kind: "no-active-plan" });
        const plan = await activated(store, ROUTING_PLAN);
        const route = router(buildRoutingContext(plan.id, ROUTING_PLAN));
        await route(store, { id: "lead-1", value: 1000, territory: "north", needs: ["x", "y"] });

        const unknown = await store.recordOutcomes([deal("d1"), deal("d2", { customer: "ghost", rep: "nobody" }), deal("d3", { rep: "r9" })], who);
        expect(unknown).toEqual({
          kind: "unknown-references",
          planId: plan.id,
          references: [
            { index: 1, field: "customer", id: "ghost" },
            { index: 1, field: "rep", id: "nobody" },
            { index: 2, field: "rep", id: "r9" },
          ],
        });
        const batch = [deal("d1"), deal("d2", { customer: "lead-1", rep: "r1", won: false, amount: 2500.5 }), deal("d3", { customer: "s1", rep: "r3", closedAt: "2027-03-01" })];
        const recorded = await store.recordOutcomes(batch, who);
        expect(recorded.kind).toBe("recorded");
        const recordedAt = recorded.kind === "recorded" ? (recorded.outcomes[0]?.recordedAt ?? "") : "";
        expect(recorded).toEqual({ kind: "recorded", planId: plan.id, outcomes: batch.map((o) => ({ ...o, planId: plan.id, recordedAt })) });
        // A batch with one deal already recorded is refused whole.
        expect(await store.recordOutcomes([deal("d4"), deal("d2", { customer: "n1", rep: "r2" })], who)).toEqual({ kind: "deal-exists", deals: [{ index: 1, deal: "d2", planId: plan.id, recordedAt }] });

        const all = await store.planOutcomes(plan.id);
        expect(all).toEqual(batch.map((o) => ({ ...o, planId: plan.id, recordedAt })));
        const first = await store.listOutcomes(plan.id, { limit: 2, after: null });
        expect(first?.items.map((o) => o.deal)).toEqual(["d1", "d2"]);
        const rest = await store.listOutcomes(plan.id, { limit: 2, after: first?.next ?? null });
        expect([rest?.items.map((o) => o.deal), rest?.next]).toEqual([["d3"], null]);
        expect(await store.listOutcomes("nope", { limit: 2, after: null })).toBeNull();
        expect(await store.planOutcomes("nope")).toBeNull();
        expect((await store.listAudit({ limit: 1, after: null })).items[0]).toMatchObject({ action: "outcomes.recorded", planId: plan.id, note: "3 outcomes (2 won)" });

        await expect(exec("UPDATE deal_outcomes SET amount = 0")).rejects.toThrow(/never changed/);
        await expect(exec("DELETE FROM deal_outcomes")).rejects.toThrow(/never deleted/);
        expect((await store.planOutcomes(plan.id))?.map((o) => o.amount)).toEqual([1000, 2500.5, 1000]);
      }));

    it("lets one of two instances record a deal both send at once; the other batch is refused whole", () =>
      using(kind, async ({ store, another }) => {
        const other = await another();
        await activated(store, ROUTING_PLAN);
        const [a, b] = await Promise.all([store.recordOutcomes([deal("x1"), deal("shared")], who), other.recordOutcomes([deal("shared"), deal("x2")], who)]);
        expect([a.kind, b.kind].sort()).toEqual(["deal-exists", "recorded"]);
        const refused = a.kind === "deal-exists" ? a : b;
        expect(refused).toMatchObject({ kind: "deal-exists", deals: [{ deal: "shared" }] });
        const plan = await store.activePlan();
        expect((await other.planOutcomes(plan?.id ?? ""))?.map((o) => o.deal).sort()).toEqual(a.kind === "recorded" ? ["shared", "x1"] : ["shared", "x2"]);
      }));
  });
}

/** A key row as POST /v1/keys makes it (the digest is any 64 hex digits here: the store never hashes). */
function keyRow(n: number, extra: Partial<NewApiKeyRow> = {}): NewApiKeyRow {
  const hex = n.toString(16).padStart(12, "0");
  return { id: hex, digest: hex.padEnd(64, "f"), role: "planner", label: `key ${n}`, expiresAt: null, ...extra };
}

/** Managed API keys (ApiKeyStore): kept as digests, listed newest first, revoked once, never deleted. */
function apiKeyContract(kind: StoreKind): void {
  describe(`${kind.name} store: api keys`, () => {
    it("creates, finds by digest, lists newest first, revokes once, records key label and role in the audit log, and never deletes", () =>
      using(kind, async ({ store, exec, scalar }) => {
        const admin: AuditContext = { requestId: "req-k", keyId: "feedfacecafe", keyLabel: "first admin", keyRole: "admin" };
        const a = await store.createApiKey(keyRow(1, { role: "integrator", label: "crm" }), admin);
        const b = await store.createApiKey(keyRow(2, { expiresAt: "2027-01-01T00:00:00.000Z" }), admin);
        expect(a).toEqual({ id: keyRow(1).id, role: "integrator", label: "crm", createdAt: a.createdAt, expiresAt: null, revokedAt: null });
        expect(b.expiresAt).toBe("2027-01-01T00:00:00.000Z");
        expect(await store.findApiKey(keyRow(1).digest)).toEqual(a);
        expect(await store.findApiKey("0".repeat(64))).toBeNull();
        expect((await store.listApiKeys()).map((k) => k.id)).toEqual([b.id, a.id]);
        // The same digest twice is refused by the schema.
        await expect(store.createApiKey(keyRow(1, { id: "other-id-0001" }), admin)).rejects.toThrow();

        const revoked = await store.revokeApiKey(a.id, admin);
        expect(revoked?.revokedAt).toEqual(expect.any(String));
        const again = await store.revokeApiKey(a.id, admin);
        expect(again).toEqual(revoked);
        expect(await store.revokeApiKey("no-such-key", admin)).toBeNull();
        expect((await store.findApiKey(keyRow(1).digest))?.revokedAt).toBe(revoked?.revokedAt);

        const audit = (await store.listAudit({ limit: 10, after: null })).items;
        expect(audit.map((e) => [e.action, e.keyLabel, e.keyRole, e.note])).toEqual([
          ["key.revoked", "first admin", "admin", a.id],
          ["key.created", "first admin", "admin", `${b.id} (planner) key 2`],
          ["key.created", "first admin", "admin", `${a.id} (integrator) crm`],
        ]);
        await expect(exec("DELETE FROM api_keys")).rejects.toThrow(/never deleted/);
        expect(Number(await scalar("SELECT count(*) FROM api_keys"))).toBe(2);
      }));

    it("shows a revocation made on one instance to every other at its next lookup", () =>
      using(kind, async ({ store, another }) => {
        const other = await another();
        await store.createApiKey(keyRow(7), who);
        expect((await other.findApiKey(keyRow(7).digest))?.revokedAt).toBeNull();
        await other.revokeApiKey(keyRow(7).id, who);
        expect((await store.findApiKey(keyRow(7).digest))?.revokedAt).toEqual(expect.any(String));
      }));
  });
}

/** A session row as POST /v1/sessions makes it (digests are any 64 hex digits here: the store never hashes). */
function sessionRow(n: number, extra: Partial<NewSessionRow> = {}): NewSessionRow {
  const hex = n.toString(16).padStart(4, "0");
  return {
    digest: hex.padEnd(64, "a"),
    csrfDigest: hex.padEnd(64, "c"),
    keyId: keyRow(n).id,
    keySource: "managed",
    role: "viewer",
    label: `key ${n}`,
    createdAt: "2027-01-01T08:00:00.000Z",
    expiresAt: "2027-01-01T16:00:00.000Z",
    ...extra,
  };
}

/** Sessions (SessionStore): kept by digest with their key's state, used forward only, revoked once, pruned past their end. */
function sessionContract(kind: StoreKind): void {
  describe(`${kind.name} store: sessions`, () => {
    it("finds a session by digest with its managed key's state; touches forward only; revokes once; prunes ended ones", () =>
      using(kind, async ({ store, scalar }) => {
        await store.createApiKey(keyRow(1, { role: "viewer", expiresAt: "2028-01-01T00:00:00.000Z" }), who);
        await store.createSession(sessionRow(1));
        await store.createSession(sessionRow(2, { keyId: "abcdefabcdef", keySource: "bootstrap", role: "admin", label: "ALLOT_API_KEYS" }));
        const first = await store.findSession(sessionRow(1).digest);
        expect(first).toEqual({
          csrfDigest: sessionRow(1).csrfDigest,
          keyId: keyRow(1).id,
          keySource: "managed",
          role: "viewer",
          label: "key 1",
          createdAt: "2027-01-01T08:00:00.000Z",
          lastSeenAt: "2027-01-01T08:00:00.000Z",
          expiresAt: "2027-01-01T16:00:00.000Z",
          revokedAt: null,
          key: { expiresAt: "2028-01-01T00:00:00.000Z", revokedAt: null },
        });
        // A bootstrap key is not in api_keys (even were an api key to share its id).
        expect((await store.findSession(sessionRow(2).digest))?.key).toBeNull();
        expect(await store.findSession("0".repeat(64))).toBeNull();
        // The same id twice is refused by the schema.
        await expect(store.createSession(sessionRow(1, { csrfDigest: "e".repeat(64) }))).rejects.toThrow();

        await store.touchSession(sessionRow(1).digest, "2027-01-01T08:20:00.000Z");
        await store.touchSession(sessionRow(1).digest, "2027-01-01T08:10:00.000Z");
        expect((await store.findSession(sessionRow(1).digest))?.lastSeenAt).toBe("2027-01-01T08:20:00.000Z");

        // The key's revocation shows through the session.
        await store.revokeApiKey(keyRow(1).id, who);
        expect((await store.findSession(sessionRow(1).digest))?.key?.revokedAt).toEqual(expect.any(String));

        expect(await store.revokeSession(sessionRow(2).digest, "2027-01-01T09:00:00.000Z")).toBe(true);
        expect(await store.revokeSession(sessionRow(2).digest, "2027-01-01T09:30:00.000Z")).toBe(false);
        expect(await store.revokeSession("0".repeat(64), "2027-01-01T09:30:00.000Z")).toBe(false);
        expect((await store.findSession(sessionRow(2).digest))?.revokedAt).toBe("2027-01-01T09:00:00.000Z");

        // A session made after both ended drops them.
        await store.createSession(sessionRow(3, { createdAt: "2027-01-02T08:00:00.000Z", expiresAt: "2027-01-02T16:00:00.000Z" }));
        expect(Number(await scalar("SELECT count(*) FROM sessions"))).toBe(1);
        expect(await store.findSession(sessionRow(1).digest)).toBeNull();
      }));

    it("shows a sign-out made on one instance to every other at its next lookup", () =>
      using(kind, async ({ store, another }) => {
        const other = await another();
        await store.createSession(sessionRow(9, { keySource: "bootstrap" }));
        expect((await other.findSession(sessionRow(9).digest))?.revokedAt).toBeNull();
        expect(await other.revokeSession(sessionRow(9).digest, "2027-01-01T09:00:00.000Z")).toBe(true);
        expect((await store.findSession(sessionRow(9).digest))?.revokedAt).toBe("2027-01-01T09:00:00.000Z");
      }));
  });
}

/** The value of a routed customer in the concurrency test: lead-i-n is worth 100 + n, dup-n 50. */
function valueOf(customer: string): number {
  const dup = /^dup-\d+$/.exec(customer);
  if (dup !== null) return 50;
  const n = Number(customer.split("-").at(-1));
  return 100 + n;
}
