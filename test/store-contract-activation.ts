/**
 * The storage contract of approval, scheduled activation and roll back
 * (src/storage/plan-control-store.ts), part of the suite every store runs (store-contract.ts calls
 * it): the same hand-computed cases on SQLite and PostgreSQL, with a clock the test moves, plain SQL
 * to check that the schema itself keeps approval steps and schedules, and other instances on the
 * same database racing to carry out one due schedule.
 */
import { describe, expect, it } from "vitest";
import { Plan, type ScoreComponents } from "../models/index.ts";
import { carryOver } from "../src/routing/carry-over.ts";
import { buildRoutingContext } from "../src/routing/live-routing.ts";
import type { AuditContext, RouteEffect } from "../src/storage/plan-store.ts";
import { PLAN_A, PLAN_B, solved } from "./plans-fixtures.ts";
import type { ContractStore, StoreKind, StoreUnderTest } from "./store-contract.ts";

const ana: AuditContext = { requestId: "req-ana", keyId: "key-ana-0001", keyLabel: "ana", keyRole: "planner" };
const bo: AuditContext = { requestId: "req-bo", keyId: "key-bo-00002", keyLabel: "bo", keyRole: "planner" };

async function using<T>(kind: StoreKind, test: (s: StoreUnderTest) => Promise<T>, options?: { now?: () => number }): Promise<T> {
  const s = await kind.open(options);
  try {
    return await test(s);
  } finally {
    await s.close();
  }
}

const save = async (store: ContractStore, label: string, plan: Plan = PLAN_A) => store.savePlan({ label, plan, solution: await solved(plan) }, ana);

/** A clock the test moves: starts at 2027-01-01T00:00:00Z. */
function clock() {
  let t = Date.parse("2027-01-01T00:00:00.000Z");
  return { now: () => t, at: (seconds: number) => new Date(Date.parse("2027-01-01T00:00:00.000Z") + seconds * 1000).toISOString(), advance: (seconds: number) => void (t += seconds * 1000) };
}

/** The earlier version: own1 locked to ra (1 of 2 seats); rb with room for workload 3. */
const EARLY = Plan.parse({
  customers: [{ id: "own1", value: 100 }],
  reps: [
    { id: "ra", maxAccounts: 2 },
    { id: "rb", maxAccounts: 5, maxWorkload: 3 },
  ],
  policy: { locks: [{ customer: "own1", rep: "ra" }] },
});
/** The later version: room everywhere, and a rep (rd) the earlier one does not have. */
const LATE = Plan.parse({
  customers: [{ id: "late1", value: 5 }],
  reps: [
    { id: "ra", maxAccounts: 10 },
    { id: "rb", maxAccounts: 10 },
    { id: "rd", maxAccounts: 10 },
  ],
  policy: { locks: [{ customer: "late1", rep: "rd" }] },
});

const components = (value: number): ScoreComponents => ({ value, conversion: null, conversionInterval: null, fit: null, distanceKm: null, travelCost: 0, penalty: 0, source: "pairs" });

/** Routes a customer to a fixed rep (or unassigned) under the active plan. */
async function routeTo(store: ContractStore, planId: string, customer: string, rep: string | null, value: number, workload: number) {
  const effect: RouteEffect = rep === null
    ? { rep: null, workload: 0, value: 0, expectedValue: null, components: null, reason: "no room" }
    : { rep, workload, value, expectedValue: value / 10, components: components(value), reason: "test" };
  const outcome = await store.route({ planId, customerId: customer, reps: rep === null ? [] : [rep], decide: () => effect, audit: ana });
  if (outcome.kind !== "routed") throw new Error(`routing ${customer}: ${outcome.kind}`);
}

export function activationContract(kind: StoreKind): void {
  describe(`${kind.name} store: approval`, () => {
    it("takes submit, approve and reject steps by the rules, refuses self-approval, keeps the history, audits each step, and gates activation", () =>
      using(kind, async ({ store, exec }) => {
        const v = await save(store, "Q1");
        const other = await save(store, "Q1 other");
        expect(await store.getApproval(v.id)).toEqual({ planId: v.id, state: "none", history: [] });
        expect(await store.getApproval("nope")).toBeNull();
        expect(await store.recordApproval("nope", { action: "submit", by: "ana", comment: null }, ana)).toEqual({ kind: "not-found" });
        expect(await store.recordApproval(v.id, { action: "approve", by: "bo", comment: null }, bo)).toMatchObject({ kind: "refused", self: false });

        expect(await store.recordApproval(v.id, { action: "submit", by: "ana", comment: "ready" }, ana)).toMatchObject({ kind: "recorded", approval: { state: "submitted" } });
        expect(await store.recordApproval(v.id, { action: "submit", by: "ana", comment: null }, ana)).toMatchObject({ kind: "refused", self: false });
        // Four eyes: the submitter's name (any case) or key cannot approve.
        expect(await store.recordApproval(v.id, { action: "approve", by: " ANA ", comment: null }, bo)).toMatchObject({ kind: "refused", self: true });
        expect(await store.recordApproval(v.id, { action: "approve", by: "bo", comment: null }, ana)).toMatchObject({ kind: "refused", self: true });
        // The submitter may withdraw it (reject), then submit again.
        expect(await store.recordApproval(v.id, { action: "reject", by: "ana", comment: "one more look" }, ana)).toMatchObject({ kind: "recorded", approval: { state: "rejected" } });
        await store.recordApproval(v.id, { action: "submit", by: "ana", comment: null }, ana);

        // Gated: neither version is approved yet.
        expect(await store.activatePlan(v.id, ana, { requireApproval: true })).toMatchObject({ kind: "not-approved", approval: "submitted" });
        expect(await store.activatePlan(other.id, ana, { requireApproval: true })).toMatchObject({ kind: "not-approved", approval: "none" });
        expect((await store.getPlan(v.id))?.state).toBe("draft");

        const approved = await store.recordApproval(v.id, { action: "approve", by: "bo", comment: "fine" }, bo);
        expect(approved.kind).toBe("recorded");
        if (approved.kind !== "recorded") return;
        expect(approved.approval.state).toBe("approved");
        expect(approved.approval.history.map((s) => [s.action, s.by, s.comment, s.keyId])).toEqual([
          ["submit", "ana", "ready", ana.keyId],
          ["reject", "ana", "one more look", ana.keyId],
          ["submit", "ana", null, ana.keyId],
          ["approve", "bo", "fine", bo.keyId],
        ]);
        expect(await store.recordApproval(v.id, { action: "reject", by: "cy", comment: null }, bo)).toMatchObject({ kind: "refused" });
        expect(await store.getApproval(v.id)).toEqual(approved.approval);

        expect(await store.activatePlan(v.id, ana, { requireApproval: true })).toMatchObject({ kind: "activated", plan: { id: v.id, state: "active" } });
        // Without the gate any verified draft activates, as before.
        expect(await store.activatePlan(other.id, ana)).toMatchObject({ kind: "activated", archived: { id: v.id } });

        const audit = (await store.listAudit({ limit: 20, after: null })).items.filter((e) => e.action.startsWith("plan.") && e.action !== "plan.saved").reverse();
        expect(audit.map((e) => [e.action, e.planId, e.note, e.keyId])).toEqual([
          ["plan.submitted", v.id, "by ana: ready", ana.keyId],
          ["plan.rejected", v.id, "by ana: one more look", ana.keyId],
          ["plan.submitted", v.id, "by ana", ana.keyId],
          ["plan.approved", v.id, "by bo: fine", bo.keyId],
          ["plan.activated", v.id, `"Q1"`, ana.keyId],
          ["plan.archived", v.id, `replaced by ${other.id}`, ana.keyId],
          ["plan.activated", other.id, `"Q1 other", replacing ${v.id}`, ana.keyId],
        ]);
        // The schema keeps the steps.
        for (const statement of ["UPDATE plan_approvals SET by = 'mallory'", "DELETE FROM plan_approvals", "UPDATE plans SET approval = 'granted'"]) {
          await expect(exec(statement), statement).rejects.toThrow(/never|check|constraint/i);
        }
      }));
  });

  describe(`${kind.name} store: scheduled activation`, () => {
    it("activates a version at its time, on the first read after it, with its audit; cancels, skips and lists schedules", () => {
      const time = clock();
      return using(
        kind,
        async ({ store, exec }) => {
          const a = await save(store, "A");
          const b = await save(store, "B", PLAN_B);
          const c = await save(store, "C");
          await store.activatePlan(a.id, ana);

          const scheduled = await store.scheduleActivation(b.id, time.at(60), bo, { requireApproval: false });
          expect(scheduled).toMatchObject({ kind: "scheduled", schedule: { planId: b.id, activateAt: time.at(60), state: "scheduled", finishedAt: null } });
          if (scheduled.kind !== "scheduled") return;
          const toCancel = await store.scheduleActivation(c.id, time.at(30), ana, { requireApproval: false });
          if (toCancel.kind !== "scheduled") throw new Error(toCancel.kind);
          expect(await store.cancelSchedule(toCancel.schedule.id, ana)).toMatchObject({ kind: "cancelled", schedule: { state: "cancelled" } });
          expect(await store.cancelSchedule(toCancel.schedule.id, ana)).toMatchObject({ kind: "not-waiting" });
          expect(await store.cancelSchedule("nope", ana)).toEqual({ kind: "not-found" });
          // Refusals: unknown, archived later, not approved when required, the active one later.
          expect(await store.scheduleActivation("nope", time.at(60), ana, { requireApproval: false })).toEqual({ kind: "not-found" });
          expect(await store.scheduleActivation(c.id, time.at(60), ana, { requireApproval: true })).toMatchObject({ kind: "not-approved" });
          expect(await store.scheduleActivation(a.id, time.at(60), ana, { requireApproval: false })).toMatchObject({ kind: "not-activatable" });

          time.advance(59);
          expect((await store.activePlan())?.id).toBe(a.id);
          time.advance(61);
          // No timer ran: the read carries the schedule out, as of its time, credited to whoever scheduled it.
          const active = await store.activePlan();
          expect(active).toMatchObject({ id: b.id, state: "active", activatedAt: time.at(60) });
          expect(await store.getPlan(a.id)).toMatchObject({ state: "archived", archivedAt: time.at(60) });
          expect(await store.promoteDueActivations()).toBe(0);
          const schedules = await store.schedulesOf(b.id);
          expect(schedules).toEqual([{ ...scheduled.schedule, state: "done", finishedAt: time.at(120), note: null }]);
          expect(await store.schedulesOf("nope")).toBeNull();
          const list = await store.listSchedules({ limit: 1, after: null });
          expect(list.items.map((s) => s.id)).toEqual([toCancel.schedule.id]);
          expect((await store.listSchedules({ limit: 5, after: list.next })).items.map((s) => s.id)).toEqual([scheduled.schedule.id]);

          // A schedule whose version was archived in the meantime is skipped, and says why.
          const d = await save(store, "D");
          const skipped = await store.scheduleActivation(d.id, time.at(300), ana, { requireApproval: false });
          if (skipped.kind !== "scheduled") throw new Error(skipped.kind);
          await store.activatePlan(d.id, ana);
          await store.activatePlan(c.id, ana);
          // activateAt now or past: at once.
          expect(await store.scheduleActivation(b.id, time.at(0), ana, { requireApproval: false })).toMatchObject({ kind: "not-activatable" });
          time.advance(200);
          expect((await store.activePlan())?.id).toBe(c.id);
          expect((await store.schedulesOf(d.id))?.[0]).toMatchObject({ state: "skipped", note: expect.stringMatching(/archived/) });

          const audit = (await store.listAudit({ limit: 50, after: null })).items.reverse().filter((e) => e.action !== "plan.saved");
          expect(audit.map((e) => [e.action, e.planId, e.keyId])).toEqual([
            ["plan.activated", a.id, ana.keyId],
            ["plan.scheduled", b.id, bo.keyId],
            ["plan.scheduled", c.id, ana.keyId],
            ["plan.schedule-cancelled", c.id, ana.keyId],
            ["plan.archived", a.id, bo.keyId],
            ["plan.activated", b.id, bo.keyId],
            ["plan.scheduled", d.id, ana.keyId],
            ["plan.archived", b.id, ana.keyId],
            ["plan.activated", d.id, ana.keyId],
            ["plan.archived", d.id, ana.keyId],
            ["plan.activated", c.id, ana.keyId],
            ["plan.schedule-skipped", d.id, ana.keyId],
          ]);
          expect(audit[5]?.note).toContain(`scheduled (${scheduled.schedule.id}) for ${time.at(60)}`);
          // The schema keeps the schedules' flow.
          for (const statement of ["UPDATE activation_schedules SET state = 'scheduled'", "DELETE FROM activation_schedules"]) {
            await expect(exec(statement), statement).rejects.toThrow(/never|schedule moves only/);
          }
        },
        { now: time.now },
      );
    });

    it("routing itself carries a due schedule out before it routes, in any instance", () => {
      const time = clock();
      return using(
        kind,
        async ({ store, another }) => {
          const a = await save(store, "A");
          const b = await save(store, "B");
          await store.activatePlan(a.id, ana);
          await store.scheduleActivation(b.id, time.at(10), ana, { requireApproval: false });
          await routeTo(store, a.id, "before", "r1", 1, 1);
          time.advance(10);
          const other = await another();
          const effect: RouteEffect = { rep: "r2", workload: 1, value: 1, expectedValue: 1, components: components(1), reason: "test" };
          // The caller still believes A is active: the store says B is, as of the schedule's time.
          expect(await other.route({ planId: a.id, customerId: "after", reps: ["r2"], decide: () => effect, audit: bo })).toEqual({ kind: "plan-changed", activePlanId: b.id });
          expect(await other.route({ planId: b.id, customerId: "after", reps: ["r2"], decide: () => effect, audit: bo })).toMatchObject({ kind: "routed" });
          expect(await store.getPlan(b.id)).toMatchObject({ state: "active", activatedAt: time.at(10) });
        },
        { now: time.now },
      );
    });

    it("lets one of several instances carry out a due schedule, once", () => {
      const time = clock();
      return using(
        kind,
        async ({ store, another }) => {
          const instances = [store, await another(), await another()];
          const a = await save(store, "A");
          const b = await save(store, "B");
          await store.activatePlan(a.id, ana);
          await store.scheduleActivation(b.id, time.at(10), ana, { requireApproval: false });
          time.advance(11);
          const handled = await Promise.all([...instances, ...instances].map((s) => s.promoteDueActivations()));
          expect(handled.reduce((x, y) => x + y, 0)).toBe(1);
          for (const s of instances) expect((await s.activePlan())?.id).toBe(b.id);
          const audit = (await store.listAudit({ limit: 50, after: null })).items;
          expect(audit.filter((e) => e.action === "plan.activated" && e.planId === b.id)).toHaveLength(1);
        },
        { now: time.now },
      );
    });
  });

  describe(`${kind.name} store: roll back`, () => {
    it("re-activates an earlier version and carries the routed customers over, keeping those that fit and reporting the misfits; a dry run changes nothing", () =>
      using(kind, async ({ store, scalar }) => {
        const early = await save(store, "early", EARLY);
        const late = await save(store, "late", LATE);
        expect(await store.rollBack({ planId: early.id, dryRun: false, requireApproval: false, decide: () => [], audit: ana })).toMatchObject({ kind: "not-rollbackable" });
        await store.activatePlan(early.id, ana);
        await store.activatePlan(late.id, ana);
        const ctx = buildRoutingContext(early.id, EARLY);
        // Under the later version: (customer, rep, value, workload).
        await routeTo(store, late.id, "x1", "ra", 10, 1);
        await routeTo(store, late.id, "x2", "ra", 20, 1);
        await routeTo(store, late.id, "x3", "rb", 30, 2);
        await routeTo(store, late.id, "x4", "rb", 40, 2);
        await routeTo(store, late.id, "x5", "rd", 50, 1);
        await routeTo(store, late.id, "x6", null, 0, 0);
        await routeTo(store, late.id, "own1", "ra", 60, 1);
        const attempt = (dryRun: boolean) => ({ planId: early.id, dryRun, requireApproval: false, decide: carryOver.bind(null, ctx), audit: bo });

        const auditBefore = await store.listAudit({ limit: 100, after: null });
        const assignmentsBefore = Number(await scalar("SELECT count(*) FROM assignments"));
        const preview = await store.rollBack(attempt(true));
        expect(preview.kind).toBe("rolled-back");
        if (preview.kind !== "rolled-back") return;
        // Hand-computed: ra has own1 (1 of 2 seats): x1 fits, x2 does not; rb has workload room 3: x3 (2) fits, x4 (2 more) does not;
        // rd is not in the earlier version; x6 was routed unassigned; own1 is the earlier version's own customer.
        const expected = [
          ["x1", "ra", "ra", "kept"],
          ["x2", "ra", null, "no-room"],
          ["x3", "rb", "rb", "kept"],
          ["x4", "rb", null, "no-room"],
          ["x5", "rd", null, "rep-missing"],
          ["x6", null, null, "unassigned"],
          ["own1", "ra", "ra", "already-present"],
        ];
        expect(preview.decisions.map((d) => [d.customer, d.from, d.rep, d.outcome])).toEqual(expected);
        expect(preview).toMatchObject({ dryRun: true, plan: { id: early.id, state: "archived" }, archived: { id: late.id, state: "active" } });
        expect((await store.activePlan())?.id).toBe(late.id);
        expect(await store.listAudit({ limit: 100, after: null })).toEqual(auditBefore);
        expect(Number(await scalar("SELECT count(*) FROM assignments"))).toBe(assignmentsBefore);

        const done = await store.rollBack(attempt(false));
        expect(done.kind).toBe("rolled-back");
        if (done.kind !== "rolled-back") return;
        expect(done.decisions.map((d) => [d.customer, d.from, d.rep, d.outcome])).toEqual(expected);
        expect(done).toMatchObject({ dryRun: false, plan: { id: early.id, state: "active", archivedAt: null }, archived: { id: late.id, state: "archived" } });
        expect((await store.activePlan())?.id).toBe(early.id);

        const page = await store.listAssignments(early.id, { limit: 50, after: null });
        expect(page?.items.map((r) => [r.customer, r.rep, r.source])).toEqual([
          ["own1", "ra", "plan"],
          ["x1", "ra", "routed"],
          ["x2", null, "routed"],
          ["x3", "rb", "routed"],
          ["x4", null, "routed"],
          ["x5", null, "routed"],
          ["x6", null, "routed"],
        ]);
        expect(page?.items[2]?.reason).toMatch(/ra is at maxAccounts \(2 of 2\)/);
        const loads = await store.repLoads(early.id);
        expect(loads?.get("ra")).toMatchObject({ accounts: 2, value: 110 });
        expect(loads?.get("rb")).toMatchObject({ accounts: 1, workload: 2, value: 30 });

        const audit = (await store.listAudit({ limit: 8, after: null })).items.reverse();
        expect(audit.map((e) => [e.action, e.planId, e.customer, e.rep, e.keyId])).toEqual([
          ["plan.archived", late.id, null, null, bo.keyId],
          ["plan.rolled-back", early.id, null, null, bo.keyId],
          ["customer.carried", early.id, "x1", "ra", bo.keyId],
          ["customer.not-carried", early.id, "x2", "ra", bo.keyId],
          ["customer.carried", early.id, "x3", "rb", bo.keyId],
          ["customer.not-carried", early.id, "x4", "rb", bo.keyId],
          ["customer.not-carried", early.id, "x5", "rd", bo.keyId],
          ["customer.carried", early.id, "x6", null, bo.keyId],
        ]);
        expect(audit[1]?.note).toContain("7 routed customers carried over, 2 kept, 3 no longer fit (recorded unassigned), 1 already present, 1 unassigned");

        // Routing goes on under the earlier version, from the carried loads.
        await expect(routeTo(store, early.id, "y1", "ra", 1, 1)).resolves.toBeUndefined();
        expect((await store.repLoads(early.id))?.get("ra")?.accounts).toBe(3);
        // Rolling back to the version just left works the same way (nothing routed since).
        const back = await store.rollBack({ ...attempt(false), planId: late.id, decide: carryOver.bind(null, buildRoutingContext(late.id, LATE)) });
        expect(back).toMatchObject({ kind: "rolled-back", plan: { id: late.id, state: "active" } });
        // x1 … x6 are the later version's already; y1, routed since, is new there.
        if (back.kind === "rolled-back") {
          expect(back.decisions.map((d) => [d.customer, d.outcome])).toEqual([...["x1", "x2", "x3", "x4", "x5", "x6"].map((c) => [c, "already-present"]), ["y1", "kept"]]);
        }
        expect(await store.rollBack(attempt(false))).toMatchObject({ kind: "rolled-back" });
        expect(await store.rollBack({ ...attempt(false), requireApproval: true })).toMatchObject({ kind: "not-rollbackable" });
        expect(await store.rollBack({ ...attempt(false), planId: late.id, requireApproval: true })).toMatchObject({ kind: "not-approved" });
      }));
  });
}
