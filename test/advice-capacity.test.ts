import { describe, expect, it } from "vitest";
import { Plan, type CapacityValue } from "../models/index.ts";
import { hireChange, seatChange, workloadChange } from "../src/advice/capacity-changes.ts";
import { capacityAdvice } from "../src/advice/capacity-values.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { bruteForce } from "./brute-force-optimum.ts";
import { EXACT } from "./exact-solve.ts";
import { randomSmallPlan } from "./random-small-plan.ts";

const tolerance = (x: number) => 1e-6 * Math.max(1, Math.abs(x));

/** The exact change is inside the reported bracket (a missing end is no claim). */
function expectWithin(figure: CapacityValue, exact: number, what: string) {
  if (figure.low !== null) expect(exact, `${what}: low ${figure.low}`).toBeGreaterThanOrEqual(figure.low - tolerance(exact));
  if (figure.high !== null) expect(exact, `${what}: high ${figure.high}`).toBeLessThanOrEqual(figure.high + tolerance(exact));
}

async function adviceFor(plan: Plan, resolve: "auto" | "none") {
  const { solution } = await solvePlan(plan, EXACT);
  return { solution, ...(await capacityAdvice(plan, solution, { deadline: performance.now() + 60_000, solve: EXACT, resolve })) };
}

describe("what capacity is worth", () => {
  it("matches a brute-force re-solve of +1 seat, +1 workload unit and one more rep within the reported accuracy, on random small plans", { timeout: 300_000 }, async () => {
    let figures = 0;
    let exactFigures = 0;
    let plans = 0;
    for (let seed = 1; plans < 15 && seed < 200; seed++) {
      const plan = Plan.parse(randomSmallPlan(seed, 5, 3));
      const base = bruteForce(plan);
      if (base === null) continue;
      plans++;
      for (const resolve of ["auto", "none"] as const) {
        const { advice } = await adviceFor(plan, resolve);
        expect(advice.reps).toHaveLength(plan.reps.length);
        for (const [r, entry] of advice.reps.entries()) {
          for (const [kind, changed] of [
            ["seat", seatChange(plan, r)],
            ["workload", workloadChange(plan, r)],
          ] as const) {
            const figure = entry[kind];
            if (changed === null) {
              expect(figure).toEqual({ value: 0, low: 0, high: 0, method: "unchanged", exact: true });
              continue;
            }
            const after = bruteForce(changed);
            const what = `seed ${seed} ${resolve} ${entry.rep} ${kind}`;
            if (after === null) {
              if (resolve === "auto") expect(figure.value, what).toBeNull();
              continue;
            }
            figures++;
            expectWithin(figure, after - base, what);
            if (resolve === "auto") {
              expect(figure.method).toBe("re-solve");
              expect(figure.exact, what).toBe(true);
              expect(figure.value ?? NaN).toBeCloseTo(after - base, 5);
              exactFigures++;
            } else expect(figure.method).toBe("lp-dual");
          }
        }
        for (const entry of advice.territories) {
          const hire = hireChange(plan, entry.territory, plan.advice?.hire);
          const after = bruteForce(hire.plan);
          if (after === null) continue;
          figures++;
          expectWithin(entry.hire, after - base, `seed ${seed} ${resolve} hire in ${entry.territory}`);
        }
      }
    }
    expect(plans).toBe(15);
    expect(exactFigures).toBeGreaterThan(10);
    expect(figures).toBeGreaterThan(40);
  });

  it("prices a binding seat by hand: one more slot for the rep everyone wants is worth the runner-up's loss", async () => {
    // r1 has one seat; a (score 10 with r1, 4 with r2) and b (8 with r1, 7 with r2). Optimum a→r1, b→r2 = 17;
    // with two seats both go to r1 = 18: the seat is worth 1. r2's seat is not binding: worth 0.
    const plan = Plan.parse({
      customers: [
        { id: "a", value: 100 },
        { id: "b", value: 100 },
      ],
      reps: [
        { id: "r1", maxAccounts: 1 },
        { id: "r2", maxAccounts: 2 },
      ],
      pairs: [
        { customer: "a", rep: "r1", score: 10 },
        { customer: "a", rep: "r2", score: 4 },
        { customer: "b", rep: "r1", score: 8 },
        { customer: "b", rep: "r2", score: 7 },
      ],
    });
    for (const resolve of ["auto", "none"] as const) {
      const { advice } = await adviceFor(plan, resolve);
      const [r1, r2] = advice.reps;
      expectWithin(r1?.seat ?? ({} as CapacityValue), 1, `${resolve} r1`);
      expectWithin(r2?.seat ?? ({} as CapacityValue), 0, `${resolve} r2`);
      expect(r1?.workload.method).toBe("unchanged");
      if (resolve === "auto") {
        expect(r1?.seat).toMatchObject({ value: 1, method: "re-solve", exact: true });
        expect(r2?.seat).toMatchObject({ value: 0, method: "re-solve", exact: true });
      } else {
        // The LP is integral here: its dual price of r1's seat is the exact value.
        expect(r1?.seat.value).toBeCloseTo(1, 9);
        expect(advice.lpBound).toBeCloseTo(17, 9);
      }
    }
  });
});
