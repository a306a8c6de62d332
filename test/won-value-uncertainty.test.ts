import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readUncertaintyQuery } from "../api/uncertainty-query.ts";
import { Plan, Solution } from "../models/index.ts";
import { wonValueUncertainty } from "../src/learning/won-value-uncertainty.ts";
import { lnBeta } from "../src/numeric/beta-distribution.ts";
import { buildConversionModel } from "../src/plan/conversion-model.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { startService, type TestService } from "./api-test-service.ts";
import { openApiChecker } from "./what-if-fixtures.ts";

/**
 * r1 holds three accounts of segment s (100, 200, 400: every subset has its own total), one of which
 * needs a specialty r1 has (fit 1.25); r2 holds one. History: r1 14 wins in 20, r2 8 in 30 (rates far enough apart for a weak prior).
 */
const plan = Plan.parse({
  customers: [
    { id: "a", value: 100, segment: "s" },
    { id: "b", value: 200, segment: "s", needs: ["erp"] },
    { id: "c", value: 400, segment: "s" },
    { id: "d", value: 300, segment: "s" },
  ],
  reps: [
    { id: "r1", specialties: ["erp"], quota: 300 },
    { id: "r2", quota: 300 },
  ],
  history: [
    { rep: "r1", segment: "s", wins: 14, attempts: 20 },
    { rep: "r2", segment: "s", wins: 8, attempts: 30 },
  ],
  policy: {
    locks: [
      { customer: "a", rep: "r1" },
      { customer: "b", rep: "r1" },
      { customer: "c", rep: "r1" },
      { customer: "d", rep: "r2" },
    ],
  },
});

/**
 * The exact distribution of a rep's won value by brute force: every subset of its accounts won,
 * with probability ∫ Π won q_i(θ) Π lost (1 − q_i(θ)) Beta(θ; α, β) dθ, q_i = min(1, θ·fit_i), the
 * integral by Simpson's rule on 20,000 intervals.
 */
function exactWonValue(accounts: { value: number; fit: number }[], alpha: number, beta: number): Map<number, number> {
  const n = 20_000;
  const h = 1 / n;
  const lnNorm = lnBeta(alpha, beta);
  const out = new Map<number, number>();
  for (let mask = 0; mask < 1 << accounts.length; mask++) {
    let sum = 0;
    for (let i = 1; i < n; i++) {
      const t = i * h;
      let like = Math.exp((alpha - 1) * Math.log(t) + (beta - 1) * Math.log1p(-t) - lnNorm);
      accounts.forEach((a, k) => {
        const q = Math.min(1, t * a.fit);
        like *= mask & (1 << k) ? q : 1 - q;
      });
      sum += (i % 2 === 1 ? 4 : 2) * like;
    }
    const won = accounts.reduce((s, a, k) => s + (mask & (1 << k) ? a.value : 0), 0);
    out.set(won, (out.get(won) ?? 0) + (sum * h) / 3);
  }
  return out;
}

/** Nearest-rank quantile of a discrete distribution, and the CDF's distance from q at the atoms around it. */
function exactQuantile(dist: Map<number, number>, q: number): { value: number; margin: number } {
  const atoms = [...dist.entries()].sort((a, b) => a[0] - b[0]);
  let cdf = 0;
  for (const [value, p] of atoms) {
    const before = cdf;
    cdf += p;
    if (cdf >= q) return { value, margin: Math.min(q - before, cdf - q) };
  }
  throw new Error("no quantile");
}

describe("P10 / P50 / P90 of won value from posterior sampling", () => {
  it("match the brute-force distribution of a small case within sampling error, as does the chance of making quota", async () => {
    const { solution } = await solvePlan(plan);
    const samples = 20_000;
    const u = wonValueUncertainty(plan, solution, { samples, seed: 7 });
    expect(u).toMatchObject({ modelled: true, samples, seed: 7 });
    const model = buildConversionModel(plan.history);
    const cases = [
      { rep: "r1", accounts: [{ value: 100, fit: 1 }, { value: 200, fit: 1.25 }, { value: 400, fit: 1 }] },
      { rep: "r2", accounts: [{ value: 300, fit: 1 }] },
    ];
    for (const { rep, accounts } of cases) {
      const posterior = model.estimate(rep, "s").posterior;
      if (posterior === undefined) throw new Error("no posterior");
      const dist = exactWonValue(accounts, posterior.alpha, posterior.beta);
      expect([...dist.values()].reduce((s, p) => s + p, 0)).toBeCloseTo(1, 9);
      const sampled = u.reps.find((r) => r.rep === rep);
      for (const [q, field] of [
        [0.1, "p10"],
        [0.5, "p50"],
        [0.9, "p90"],
      ] as const) {
        const exact = exactQuantile(dist, q);
        // The case is chosen so that no quantile sits on an atom edge: the CDF is well away from q on both sides.
        expect(exact.margin, `${rep} ${field}`).toBeGreaterThan(5 * Math.sqrt((q * (1 - q)) / samples));
        expect(sampled?.[field], `${rep} ${field}`).toBe(exact.value);
      }
      const mean = [...dist].reduce((s, [v, p]) => s + v * p, 0);
      const sd = Math.sqrt([...dist].reduce((s, [v, p]) => s + (v - mean) ** 2 * p, 0));
      expect(Math.abs((sampled?.expectedWonValue ?? 0) - mean)).toBeLessThan((4 * sd) / Math.sqrt(samples));
      const reach = [...dist].reduce((s, [v, p]) => s + (v >= 300 ? p : 0), 0);
      expect(Math.abs((sampled?.quotaProbability ?? 0) - reach)).toBeLessThan(4 * Math.sqrt((reach * (1 - reach)) / samples));
    }
    const chances = u.reps.map((r) => r.quotaProbability ?? 0);
    expect(u.fairness).toMatchObject({ repsWithQuota: 2, quotaProbabilityMin: Math.min(...chances), quotaProbabilityMax: Math.max(...chances), valueGini: solution.metrics.valueGini });
    expect(u.fairness?.quotaProbabilitySpread).toBeCloseTo(Math.max(...chances) - Math.min(...chances), 14);
    expect(u.total?.expectedWonValue).toBeCloseTo(u.reps.reduce((s, r) => s + r.expectedWonValue, 0), 6);
  });

  it("is deterministic in the seed, and says so when there is no conversion model to sample", async () => {
    const { solution } = await solvePlan(plan);
    const a = wonValueUncertainty(plan, solution, { samples: 500, seed: 3 });
    expect(JSON.stringify(wonValueUncertainty(plan, solution, { samples: 500, seed: 3 }))).toBe(JSON.stringify(a));
    expect(JSON.stringify(wonValueUncertainty(plan, solution, { samples: 500, seed: 4 }))).not.toBe(JSON.stringify(a));
    const { history: _h, ...withoutHistory } = plan;
    const neutral = Plan.parse(withoutHistory);
    const none = wonValueUncertainty(neutral, (await solvePlan(neutral)).solution, { samples: 500, seed: 3 });
    expect(none).toMatchObject({ modelled: false, reps: [], total: null, fairness: null, samples: 0 });
  });

  it("reads ?uncertainty=true with samples and seed, and names a bad parameter", () => {
    expect(readUncertaintyQuery("/v1/solve")).toEqual({ ok: true, options: null });
    expect(readUncertaintyQuery("/v1/solve?uncertainty=true")).toEqual({ ok: true, options: { samples: 2000, seed: 1 } });
    expect(readUncertaintyQuery("/v1/solve?uncertainty=1&samples=500&seed=9")).toEqual({ ok: true, options: { samples: 500, seed: 9 } });
    expect(readUncertaintyQuery("/v1/solve?uncertainty=false")).toEqual({ ok: true, options: null });
    for (const [url, path] of [
      ["/v1/solve?uncertainty=maybe", "uncertainty"],
      ["/v1/solve?uncertainty=true&samples=5", "samples"],
      ["/v1/solve?uncertainty=true&samples=1e4", "samples"],
      ["/v1/solve?uncertainty=true&seed=-1", "seed"],
      ["/v1/solve?samples=500", "samples"],
    ] as const) {
      expect(readUncertaintyQuery(url), url).toMatchObject({ ok: false, errors: [{ path }] });
    }
  });
});

describe("?uncertainty=true on POST /v1/solve", () => {
  let service: TestService;
  const check = openApiChecker();
  beforeAll(() => {
    service = startService();
  });
  afterAll(() => service.close());

  it("returns the Solution with the uncertainty computed in the worker, the same bytes each time, and the plain Solution unchanged", async () => {
    const url = "/v1/solve?uncertainty=true&samples=1000&seed=5&compare=round-robin";
    const res = await request(service.app).post(url).send(plan);
    expect(res.status).toBe(200);
    const json: unknown = JSON.parse(res.text);
    expect(check(json, "Solution")).toEqual([]);
    const solution = Solution.parse(json);
    expect(solution.uncertainty?.reps.map((r) => r.rep)).toEqual(["r1", "r2"]);
    expect(solution.comparison?.baselines.map((b) => b.method)).toEqual(["round-robin"]);
    const { uncertainty: _u, comparison: _c, ...plain } = solution;
    const direct = (await solvePlan(plan)).solution;
    expect(plain).toEqual(direct);
    expect(solution.uncertainty).toEqual(wonValueUncertainty(plan, direct, { samples: 1000, seed: 5 }));
    expect((await request(service.app).post(url).send(plan)).text).toBe(res.text);
    expect(Solution.parse(JSON.parse((await request(service.app).post("/v1/solve").send(plan)).text)).uncertainty).toBeUndefined();
    const bad = await request(service.app).post("/v1/solve?uncertainty=true&seed=x").send(plan);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).errors).toEqual([{ path: "seed", message: expect.any(String) }]);
  });
});
