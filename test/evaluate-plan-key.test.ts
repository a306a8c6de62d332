/**
 * Evaluating changes over a loaded plan (src/evaluate/changes-over-base.ts) and POST /v1/evaluate's
 * `planKey`: the answer for changes over a base equals the answer for the merged assignment from
 * scratch, whatever was evaluated before on the same loaded plan; a key stands for the same plan
 * and base everywhere; a key the server does not hold is a 409 and the plan sent again answers.
 */
import fc from "fast-check";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { Evaluation, Plan, type EvaluatedPair, type EvaluationPicture } from "../models/index.ts";
import { evaluateChanges, loadBase } from "../src/evaluate/changes-over-base.ts";
import { evaluationOf, loadAssignment } from "../src/evaluate/evaluate-assignment.ts";
import { LoadedBaseCache } from "../src/evaluate/loaded-base-cache.ts";
import { appWithStubPool, startService } from "./api-test-service.ts";
import { prng, randomSmallPlan } from "./random-small-plan.ts";
import { tinyPlan } from "./tiny-plan.ts";

/** A random partial assignment: each customer named or not, to a random rep or to nobody. */
function randomPairs(plan: Plan, seed: number, share: number): EvaluatedPair[] {
  const rnd = prng(seed);
  const out: EvaluatedPair[] = [];
  for (const c of plan.customers) {
    if (rnd() >= share) continue;
    const r = Math.floor(rnd() * (plan.reps.length + 1));
    out.push({ customer: c.id, rep: plan.reps[r]?.id ?? null });
  }
  return out;
}

/** The changes over the base, as one assignment (a changed customer takes its change). */
function merged(base: readonly EvaluatedPair[], changes: readonly EvaluatedPair[]): EvaluatedPair[] {
  const changed = new Map(changes.map((p) => [p.customer, p.rep]));
  return [...base.map((p) => (changed.has(p.customer) ? { customer: p.customer, rep: changed.get(p.customer) ?? null } : p)), ...changes.filter((p) => !base.some((b) => b.customer === p.customer))];
}

/** The picture without the paths (which name where each decision came from). */
const withoutPaths = (e: EvaluationPicture) => ({ ...e, broken: e.broken.map((b) => ({ ...b, path: "" })) });

/** Equal, numbers within 1e-6 relative (sums made in another order differ in the last bits). */
function expectClose(got: unknown, want: unknown, at = "$"): void {
  if (typeof got === "number" && typeof want === "number") {
    expect(Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(got), Math.abs(want)), `${at}: ${got} vs ${want}`).toBe(true);
  } else if (Array.isArray(got) && Array.isArray(want)) {
    expect(got.length, `${at}.length`).toBe(want.length);
    got.forEach((g, i) => expectClose(g, want[i], `${at}[${i}]`));
  } else if (typeof got === "object" && got !== null && typeof want === "object" && want !== null) {
    expect(Object.keys(got).sort(), at).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(got)) expectClose(v, (want as Record<string, unknown>)[k], `${at}.${k}`);
  } else expect(got, at).toEqual(want);
}

describe("changes over a loaded base", () => {
  it("equal the merged assignment evaluated from scratch, and the same changes give the same bytes after any sequence of others (fast-check)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 6 }), (seed, rounds) => {
        const plan = Plan.parse(randomSmallPlan(seed, 10, 4));
        const base = randomPairs(plan, seed ^ 0x2545f491, 0.8);
        const loaded = loadBase(plan, base);
        if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
        const firstChanges = randomPairs(plan, seed + 7919, 0.3);
        const firstBytes = JSON.stringify(evaluateChanges(loaded.base, firstChanges));
        for (let k = 0; k < rounds; k++) {
          const changes = randomPairs(plan, seed + 7919 * (k + 1), 0.3);
          const got = evaluateChanges(loaded.base, changes);
          if (!got.ok) throw new Error(JSON.stringify(got.errors));
          const scratch = loadAssignment(plan, merged(base, changes));
          if (!scratch.ok) throw new Error(JSON.stringify(scratch.errors));
          expectClose(withoutPaths(got.evaluation), withoutPaths(evaluationOf(scratch)));
        }
        // Put back exactly as it was: the same changes give the same bytes, no changes is the base itself.
        expect(JSON.stringify(evaluateChanges(loaded.base, firstChanges))).toBe(firstBytes);
        const none = evaluateChanges(loaded.base, []);
        const baseOnly = loadAssignment(plan, base);
        if (!none.ok || !baseOnly.ok) throw new Error("not loaded");
        expectClose(withoutPaths(none.evaluation), withoutPaths(evaluationOf(baseOnly)));
      }),
      { numRuns: 200 },
    );
  });

  it("paths name the change, the base or the current rep; bad changes name assignment[i] and leave the base as it was", () => {
    const plan = Plan.parse({ ...tinyPlan, customers: [{ id: "c1", value: 100, currentRep: "r1" }, { id: "c2", value: 100 }, { id: "c3", value: 1, currentRep: "r1" }] });
    const loaded = loadBase(plan, [{ customer: "c2", rep: "r1" }]);
    if (!loaded.ok) throw new Error("not loaded");
    const bad = evaluateChanges(loaded.base, [
      { customer: "c9", rep: "r1" },
      { customer: "c1", rep: "r2" },
      { customer: "c1", rep: "r1" },
    ]);
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(["assignment[0].customer", "assignment[2].customer"]);
    const good = evaluateChanges(loaded.base, [{ customer: "c1", rep: "r2" }]);
    if (!good.ok) throw new Error("refused");
    // r1 holds c2 (base) and c3 (current rep): 2 > maxAccounts 1; c3 has no pair in `pairs`.
    expect(good.evaluation.reps.map((r) => [r.id, r.accounts])).toEqual([["r1", 2], ["r2", 1]]);
    expect(good.evaluation.broken.map((b) => [b.kind, b.path])).toEqual([["not-in-pairs", "customers[2].currentRep"], ["max-accounts", "reps[0].maxAccounts"]]);
    const c2Away = evaluateChanges(loaded.base, [{ customer: "c2", rep: "r9" }]);
    expect(c2Away.ok ? [] : c2Away.errors.map((e) => e.path)).toEqual(["assignment[0].rep"]);
    const c3Moved = evaluateChanges(loaded.base, [{ customer: "c3", rep: "r2" }, { customer: "c1", rep: null }]);
    if (!c3Moved.ok) throw new Error("refused");
    expect(c3Moved.evaluation.broken.map((b) => [b.kind, b.path])).toEqual([["not-in-pairs", "assignment[0]"], ["missing", "assignment[1]"]]);
  });

  it("the cache keeps the last `capacity` entries, least recently used evicted first; 0 keeps none", () => {
    const plan = Plan.parse(tinyPlan);
    const loaded = loadBase(plan, []);
    if (!loaded.ok) throw new Error("not loaded");
    const cache = new LoadedBaseCache(2);
    cache.set("a", loaded.base);
    cache.set("b", loaded.base);
    expect(cache.get("a")).toBe(loaded.base);
    cache.set("c", loaded.base);
    expect([cache.get("a") !== undefined, cache.get("b") !== undefined, cache.get("c") !== undefined]).toEqual([true, false, true]);
    expect(cache.size).toBe(2);
    const none = new LoadedBaseCache(0);
    none.set("a", loaded.base);
    expect(none.get("a")).toBeUndefined();
  });
});

describe("POST /v1/evaluate with a base and a planKey", () => {
  const base = [
    { customer: "c1", rep: "r1" },
    { customer: "c2", rep: "r2" },
  ];
  const swap = [
    { customer: "c1", rep: "r2" },
    { customer: "c2", rep: "r1" },
  ];

  it("a key answers as the plan does, the same bytes whatever was asked in between; another app with the same plan gives the same key", async () => {
    const { app } = appWithStubPool();
    const first = await request(app).post("/v1/evaluate").send({ plan: tinyPlan, base, assignment: swap });
    expect(first.status).toBe(200);
    const e = Evaluation.parse(JSON.parse(first.text));
    expect(e).toMatchObject({ objective: 12, feasible: true });
    expect(e.planKey).toMatch(/^[0-9a-f]{64}$/);
    const byKey = await request(app).post("/v1/evaluate").send({ planKey: e.planKey, assignment: swap });
    expect(byKey.status).toBe(200);
    expect(byKey.text).toBe(first.text);
    const nothing = await request(app).post("/v1/evaluate").send({ planKey: e.planKey, assignment: [] });
    expect(Evaluation.parse(nothing.body)).toMatchObject({ objective: 17, feasible: true, planKey: e.planKey });
    const one = await request(app).post("/v1/evaluate").send({ planKey: e.planKey, assignment: [{ customer: "c2", rep: "r1" }] });
    // c1 stays with r1 (base), c2 joins it: 10 + 8 = 18, over r1's one seat.
    const oneE = Evaluation.parse(one.body);
    expect(oneE).toMatchObject({ objective: 18, feasible: false });
    expect(oneE.broken.map((b) => [b.kind, b.path, b.reps])).toEqual([["max-accounts", "reps[0].maxAccounts", ["r1"]]]);
    expect((await request(app).post("/v1/evaluate").send({ planKey: e.planKey, assignment: swap })).text).toBe(first.text);
    const other = await request(appWithStubPool().app).post("/v1/evaluate").send({ plan: tinyPlan, base, assignment: [] });
    expect(Evaluation.parse(other.body).planKey).toBe(e.planKey);
    const noBase = await request(app).post("/v1/evaluate").send({ plan: tinyPlan, assignment: [] });
    expect(Evaluation.parse(noBase.body).planKey).not.toBe(e.planKey);
  });

  it("a key the server does not hold is a 409 problem; the plan sent again answers with the same key", async () => {
    const { app } = appWithStubPool({ ALLOT_EVALUATE_CACHE: "0" });
    const first = await request(app).post("/v1/evaluate").send({ plan: tinyPlan, base, assignment: swap });
    const key = Evaluation.parse(first.body).planKey;
    const miss = await request(app).post("/v1/evaluate").send({ planKey: key, assignment: swap });
    expect(miss.status).toBe(409);
    expect(miss.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect((miss.body as { type: string }).type).toBe("/docs#problem-evaluation-plan-unknown");
    const again = await request(app).post("/v1/evaluate").send({ plan: tinyPlan, base, assignment: swap });
    expect(again.text).toBe(first.text);
  });

  it("with a key and optimum: true, solves the held plan on the pool: the swap gives up 17 − 12 = 5, the same bytes as with the plan", async () => {
    const service = startService({ ALLOT_POOL_SIZE: "1" });
    try {
      const withPlan = await request(service.app).post("/v1/evaluate").send({ plan: tinyPlan, base, assignment: swap, optimum: true });
      expect(withPlan.status).toBe(200);
      const e = Evaluation.parse(withPlan.body);
      expect(e.optimum).toMatchObject({ status: "optimal", objective: 17, valueGivenUp: 5, differingChoices: 2 });
      const byKey = await request(service.app).post("/v1/evaluate").send({ planKey: e.planKey, assignment: swap, optimum: true });
      expect(byKey.text).toBe(withPlan.text);
      // A bad change is refused before any solve.
      const bad = await request(service.app).post("/v1/evaluate").send({ planKey: e.planKey, assignment: [{ customer: "c1", rep: "nobody" }], optimum: true });
      expect(bad.status).toBe(422);
      expect((bad.body as { errors: { path: string }[] }).errors.map((x) => x.path)).toEqual(["assignment[0].rep"]);
    } finally {
      await service.close();
    }
  });

  it("bad input is a 422 naming the field: base with a key, a key with a plan, a malformed key, a bad base, a bad change over a key", async () => {
    const { app } = appWithStubPool();
    const key = Evaluation.parse((await request(app).post("/v1/evaluate").send({ plan: tinyPlan, base, assignment: [] })).body).planKey;
    const paths = async (body: object) => {
      const res = await request(app).post("/v1/evaluate").send(body);
      expect(res.status).toBe(422);
      return (res.body as { errors: { path: string }[] }).errors.map((e) => e.path);
    };
    expect(await paths({ planKey: key, base, assignment: [] })).toEqual(["base"]);
    expect(await paths({ plan: tinyPlan, planKey: key, assignment: [] })).toEqual(["planKey"]);
    expect(await paths({ planKey: "abc", assignment: [] })).toEqual(["planKey"]);
    expect(await paths({ plan: tinyPlan, base: [{ customer: "c1", rep: "r7" }], assignment: [] })).toEqual(["base[0].rep"]);
    expect(await paths({ planKey: key, assignment: [{ customer: "c8", rep: "r1" }] })).toEqual(["assignment[0].customer"]);
  });
});
