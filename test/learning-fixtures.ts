/**
 * Shared set-up of the learning suites: a small world with hidden true conversion rates (reps ×
 * segments), a plan whose history was drawn from them, and deals closed since, drawn from the same
 * rates or from changed ones.
 */
import { SeededRandom } from "../data/seeded-random.ts";
import { Plan, type Outcome, type RecordedOutcome } from "../models/index.ts";

export const SEGMENTS = ["smb", "mid", "ent"] as const;

export interface SmallWorld {
  plan: Plan;
  /** rep → segment → true rate. */
  rates: Map<string, Map<string, number>>;
}

/** `reps` reps with rates 0.15–0.45 per segment, `historyPerCell` past attempts per rep and segment, 10 customers per rep. */
export function smallWorld(seed: number, reps = 8, historyPerCell = 100): SmallWorld {
  const rng = new SeededRandom(seed);
  const rates = new Map<string, Map<string, number>>();
  const history: Outcome[] = [];
  const repList = Array.from({ length: reps }, (_, i) => ({ id: `r${i + 1}`, maxAccounts: 12 }));
  for (const rep of repList) {
    const skill = rng.uniform(0.5, 1.5);
    const bySegment = new Map<string, number>();
    for (const [s, segment] of SEGMENTS.entries()) {
      const p = Math.min(0.9, (0.2 + 0.08 * s) * skill);
      bySegment.set(segment, p);
      history.push({ rep: rep.id, segment, wins: rng.binomial(historyPerCell, p), attempts: historyPerCell });
    }
    rates.set(rep.id, bySegment);
  }
  const customers = Array.from({ length: reps * 10 }, (_, i) => ({
    id: `c${String(i + 1).padStart(3, "0")}`,
    value: Math.round(rng.uniform(1_000, 50_000)),
    segment: SEGMENTS[i % SEGMENTS.length] ?? "smb",
  }));
  return { plan: Plan.parse({ customers, reps: repList, history, policy: { timeLimitMs: 10_000 } }), rates };
}

/**
 * `dealsPerRep` deals per rep since the plan, each with a customer of the plan (cycling through
 * them) and won with the rep's true rate in the customer's segment × `factor(rep)`.
 */
export function closedDeals(world: SmallWorld, seed: number, dealsPerRep: number, factor: (rep: string) => number = () => 1): RecordedOutcome[] {
  const rng = new SeededRandom(seed);
  const out: RecordedOutcome[] = [];
  let n = 0;
  for (const rep of world.plan.reps) {
    for (let k = 0; k < dealsPerRep; k++) {
      const customer = world.plan.customers[n++ % world.plan.customers.length];
      if (customer === undefined) throw new Error("no customer");
      const p = (world.rates.get(rep.id)?.get(customer.segment ?? "") ?? 0) * factor(rep.id);
      out.push({
        deal: `d-${rep.id}-${k}`,
        customer: customer.id,
        rep: rep.id,
        won: rng.next() < p,
        amount: customer.value,
        closedAt: "2027-03-01",
        planId: "p1",
        recordedAt: "2027-03-02T00:00:00.000Z",
      });
    }
  }
  return out;
}
