import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DIVE_GROWTH, MAX_TURN_CANDIDATES, nextTurnDive, type TurnDive } from "../src/structured/turn-dive-schedule.ts";

describe("the schedule of the turns' dives", () => {
  const base = 2_000;

  it("keeps a dive that improved the plan at its candidates and gives the next the base time", () => {
    expect(nextTurnDive({ candidates: 3, maxMs: 4_500 }, { improved: true, cut: true }, base)).toEqual({ candidates: 3, maxMs: 2_000 });
    expect(nextTurnDive({ candidates: 2, maxMs: 2_000 }, { improved: true, cut: false }, base)).toEqual({ candidates: 2, maxMs: 2_000 });
  });

  it("gives the next dive more time after one its time limit stopped with nothing better", () => {
    expect(nextTurnDive({ candidates: 2, maxMs: 2_000 }, { improved: false, cut: true }, base)).toEqual({ candidates: 2, maxMs: 3_000 });
    expect(nextTurnDive({ candidates: 2, maxMs: 3_000 }, { improved: false, cut: true }, base)).toEqual({ candidates: 2, maxMs: 4_500 });
  });

  it("widens the neighbourhood after a dive that proved nothing better, and ends past the widest", () => {
    expect(nextTurnDive({ candidates: 2, maxMs: 2_000 }, { improved: false, cut: false }, base)).toEqual({ candidates: 3, maxMs: 3_000 });
    expect(nextTurnDive({ candidates: MAX_TURN_CANDIDATES - 1, maxMs: 2_000 }, { improved: false, cut: false }, base)).toEqual({ candidates: MAX_TURN_CANDIDATES, maxMs: 3_000 });
    expect(nextTurnDive({ candidates: MAX_TURN_CANDIDATES, maxMs: 2_000 }, { improved: false, cut: false }, base)).toBeNull();
  });

  it("never narrows, never passes the widest, and ends after a few proofs of nothing better in a row", () => {
    const outcome = fc.record({ improved: fc.boolean(), cut: fc.boolean() });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_TURN_CANDIDATES }), fc.array(outcome, { maxLength: 30 }), (start, outcomes) => {
        let dive: TurnDive | null = { candidates: start, maxMs: base };
        let proofsInARow = 0;
        for (const o of outcomes) {
          if (dive === null) break;
          const next: TurnDive | null = nextTurnDive(dive, o, base);
          proofsInARow = !o.improved && !o.cut ? proofsInARow + 1 : 0;
          if (next !== null) {
            expect(next.candidates).toBeGreaterThanOrEqual(dive.candidates);
            expect(next.candidates).toBeLessThanOrEqual(MAX_TURN_CANDIDATES);
            expect(next.maxMs).toBe(o.improved ? base : dive.maxMs * DIVE_GROWTH);
          }
          // Each proof of nothing better widens by one: after enough of them in a row, no dive is left.
          if (proofsInARow > MAX_TURN_CANDIDATES - start) expect(next).toBeNull();
          dive = next;
        }
      }),
    );
  });
});
