/**
 * The carry-over of a roll back (src/routing/carry-over.ts), pure: a hand-computed case with bands,
 * and on random reps, loads and routed customers, against a plain re-statement of the rules
 * (an oracle that checks each customer against the loads the earlier ones left): one decision per
 * customer in order, nobody dropped, no capacity ever exceeded by a kept customer.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { carryOver } from "../src/routing/carry-over.ts";
import { buildRoutingContext } from "../src/routing/live-routing.ts";
import type { CarryCandidate } from "../src/storage/plan-control-store.ts";
import type { RepLoadState } from "../src/storage/plan-store.ts";

const candidate = (customer: string, rep: string | null, value: number, workload: number | null = 1): CarryCandidate => ({
  customer,
  rep,
  value,
  workload,
  expectedValue: value / 10,
  components: null,
  routedAt: null,
  present: null,
});
const load = (accounts: number, workload: number, value: number): RepLoadState => ({ accounts, workload, value, expectedValue: 0 });

describe("carry-over", () => {
  it("keeps a customer within capacity, flags one above its value band, and records the misfits unassigned (hand-computed)", () => {
    // Two equal reps (fair share 1/2 each), value band 0.2: a rep may hold up to 0.6 × the assigned value.
    const plan = Plan.parse({
      customers: [{ id: "c", value: 1 }],
      reps: [
        { id: "p", maxAccounts: 10 },
        { id: "q", maxAccounts: 10 },
        { id: "gone", maxAccounts: 10, available: false },
      ],
      policy: { fairness: { valueBand: 0.2 } },
    });
    const ctx = buildRoutingContext("early", plan);
    const shares = [ctx.shares.get("p"), ctx.shares.get("q")];
    expect(shares).toEqual([0.5, 0.5]);
    const loads = new Map([
      ["p", load(1, 1, 100)],
      ["q", load(1, 1, 100)],
    ]);
    const decisions = carryOver(ctx, [candidate("k1", "p", 10), candidate("k2", "p", 100), candidate("k3", "gone", 5), candidate("k4", null, 0), candidate("k5", "x", 5, null)], loads, { accounts: 2, value: 200 });
    // k1: p 110 ≤ 0.6 × 210 = 126: kept. k2: p 210 > 0.6 × 310 = 186: kept, outside its band. k3: unavailable. k4: unassigned. k5: no such rep.
    expect(decisions.map((d) => [d.customer, d.rep, d.outcome])).toEqual([
      ["k1", "p", "kept"],
      ["k2", "p", "kept-outside-band"],
      ["k3", null, "rep-missing"],
      ["k4", null, "unassigned"],
      ["k5", null, "rep-missing"],
    ]);
    // A customer routed before workloads were kept counts workload 1.
    expect(decisions[4]?.workload).toBe(1);
    // The caller's loads are not changed.
    expect(loads.get("p")).toEqual(load(1, 1, 100));
  });

  it("agrees with a re-statement of the rules on random loads, and never lets a kept customer exceed a capacity", () => {
    const reps = ["r0", "r1", "r2"];
    fc.assert(
      fc.property(
        fc.array(fc.record({ maxAccounts: fc.integer({ min: 0, max: 4 }), maxWorkload: fc.integer({ min: 0, max: 6 }), accounts: fc.integer({ min: 0, max: 4 }), workload: fc.integer({ min: 0, max: 6 }) }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.record({ rep: fc.constantFrom("r0", "r1", "r2", "r9", null), workload: fc.integer({ min: 0, max: 3 }), value: fc.integer({ min: 0, max: 50 }), present: fc.boolean() }), { maxLength: 12 }),
        (repSpecs, routed) => {
          const plan = Plan.parse({
            customers: [{ id: "c", value: 1 }],
            reps: reps.map((id, i) => ({ id, maxAccounts: repSpecs[i]?.maxAccounts ?? 0, maxWorkload: repSpecs[i]?.maxWorkload ?? 0 })),
          });
          const ctx = buildRoutingContext("early", plan);
          const start = new Map(reps.map((id, i) => [id, load(repSpecs[i]?.accounts ?? 0, repSpecs[i]?.workload ?? 0, 0)]));
          const candidates = routed.map((r, i) => ({ ...candidate(`x${i}`, r.rep, r.value, r.workload), present: r.present ? { rep: "r0", source: "plan" as const } : null }));
          const decisions = carryOver(ctx, candidates, start, { accounts: 0, value: 0 });

          // The oracle: the same rules, written out plainly.
          const accounts = new Map(reps.map((id, i) => [id, repSpecs[i]?.accounts ?? 0]));
          const work = new Map(reps.map((id, i) => [id, repSpecs[i]?.workload ?? 0]));
          const expected = candidates.map((c) => {
            if (c.present !== null) return "already-present";
            if (c.rep === null) return "unassigned";
            const i = reps.indexOf(c.rep);
            if (i < 0) return "rep-missing";
            const spec = repSpecs[i];
            if (spec === undefined) return "rep-missing";
            const a = accounts.get(c.rep) ?? 0;
            const w = work.get(c.rep) ?? 0;
            if (a + 1 > spec.maxAccounts || w + (c.workload ?? 1) > spec.maxWorkload + 1e-9) return "no-room";
            accounts.set(c.rep, a + 1);
            work.set(c.rep, w + (c.workload ?? 1));
            return "kept";
          });
          expect(decisions.map((d) => d.customer)).toEqual(candidates.map((c) => c.customer));
          expect(decisions.map((d) => d.outcome)).toEqual(expected);
          for (const d of decisions) {
            if (d.outcome === "kept") expect(d.rep).toBe(d.from);
            if (d.outcome === "no-room" || d.outcome === "rep-missing" || d.outcome === "unassigned") expect(d.rep).toBeNull();
          }
          // Kept customers never take a rep past a capacity it was within.
          reps.forEach((id, i) => {
            const spec = repSpecs[i];
            if (spec === undefined) return;
            const kept = decisions.filter((d) => d.outcome === "kept" && d.rep === id);
            if (kept.length === 0) return;
            expect((spec.accounts ?? 0) + kept.length).toBeLessThanOrEqual(spec.maxAccounts);
            expect(spec.workload + kept.reduce((sum, d) => sum + d.workload, 0)).toBeLessThanOrEqual(spec.maxWorkload + 1e-9);
          });
        },
      ),
      { numRuns: 300, seed: 20 },
    );
  });
});
