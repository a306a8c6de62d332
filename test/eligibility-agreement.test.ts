import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Customer, Plan, Policy, Rep, Rule } from "../models/index.ts";
import { pairExclusion, type ExclusionRule } from "../src/plan/eligibility.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { buildPairRuleContext, pairWorkload } from "../src/verify/pair-rules.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { validPlan } from "./plan-parsing.ts";

/**
 * The solver's eligibility (the pair table, src/plan/) and the verifier's (src/verify/) are written
 * apart on purpose. On random small plans that switch every rule type on at random, they must agree
 * pair by pair: a pair the table keeps passes the verifier, and a pair it drops is refused by the
 * verifier for the same reason.
 */

const TERRITORIES = ["north", "south", "east"] as const;
const SKILLS = ["erp", "cloud", "legal"] as const;
/** Values that customers and seniority thresholds (and the rule "big-needs-erp") share, so that edges (≥ vs >) are hit. */
const VALUE_EDGES = [0, 50_000] as const;

/** Planner rules over several fields, each excluding some pairs and keeping others. */
const RULES: readonly Rule[] = [
  { name: "ent-to-seniors", when: 'customer.segment == "ent"', require: "rep.seniority >= 2" },
  { name: "big-needs-erp", when: "customer.value >= 50000", require: 'contains(rep.specialties, "erp")' },
  { name: "north-not-r0", when: 'customer.territory == "north"', require: 'rep.id != "r0"' },
  { name: "heavy-to-roomy", require: "customer.workload <= 2 or rep.maxDistanceKm > 100" },
];

/** The violation kinds by which the verifier refuses a pair: the pair rules and the customer's lock. */
const PAIR_KINDS: ReadonlySet<string> = new Set(["unavailable", "forbidden", "not-in-pairs", "territory", "requires", "seniority", "distance", "rule", "lock"]);

const near = fc.record({ lat: fc.double({ min: 48, max: 50, noNaN: true }), lon: fc.double({ min: 2, max: 4, noNaN: true }) });
/** Absent half of the time. */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
/** Absent six times in seven. */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: arb, weight: 1 });

const repArb = (id: string): fc.Arbitrary<Rep> =>
  fc
    .record({
      territories: maybe(fc.subarray([...TERRITORIES], { minLength: 1 })),
      specialties: maybe(fc.subarray([...SKILLS])),
      seniority: maybe(fc.integer({ min: 0, max: 3 })),
      location: maybe(near),
      maxDistanceKm: maybe(fc.double({ min: 20, max: 250, noNaN: true })),
      available: rarely(fc.constant(false)),
    })
    .map((fields) => withoutUndefined({ id, ...fields }));

const customerArb = (id: string): fc.Arbitrary<Customer> =>
  fc
    .record({
      value: fc.oneof(fc.constantFrom(...VALUE_EDGES), fc.integer({ min: 1, max: 100_000 })),
      territory: maybe(fc.constantFrom(...TERRITORIES)),
      segment: maybe(fc.constantFrom("smb", "ent")),
      requires: maybe(fc.subarray([...SKILLS], { maxLength: 2 })),
      workload: maybe(fc.integer({ min: 1, max: 4 })),
      location: maybe(near),
    })
    .map((fields) => withoutUndefined({ id, ...fields }));

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A valid plan of 1–5 customers and 1–4 reps with every eligibility rule type switched on at random. */
const planArb: fc.Arbitrary<Plan> = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }))
  .chain(([nC, nR]) => {
    const customerIndex = fc.integer({ min: 0, max: nC - 1 });
    const repIndex = fc.integer({ min: 0, max: nR - 1 });
    return fc.record({
      customers: fc.tuple(...Array.from({ length: nC }, (_, c) => customerArb(`c${c}`))),
      reps: fc.tuple(...Array.from({ length: nR }, (_, r) => repArb(`r${r}`))),
      territory: maybe(fc.constantFrom("hard", "soft", "ignore")),
      seniority: maybe(
        fc.array(fc.record({ minValue: fc.oneof(fc.constantFrom(...VALUE_EDGES), fc.integer({ min: 0, max: 100_000 })), minSeniority: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 2 }),
      ),
      locks: fc.array(fc.tuple(customerIndex, repIndex), { maxLength: 2 }),
      forbid: fc.array(fc.tuple(customerIndex, repIndex), { maxLength: 3 }),
      rules: fc.subarray([...RULES]),
      /** Per (customer, rep), listed in `pairs` or not; no `pairs` at all when null. */
      listed: fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.array(fc.boolean(), { minLength: nC * nR, maxLength: nC * nR }), weight: 1 }),
    });
  })
  .map(({ customers, reps, territory, seniority, locks, forbid, rules, listed }) => {
    const nR = reps.length;
    const lockedTo = new Map<number, number>();
    for (const [c, r] of locks) if (!lockedTo.has(c)) lockedTo.set(c, r);
    const policy: Policy = {
      ...(territory !== undefined ? { territory } : {}),
      ...(seniority !== undefined ? { seniority } : {}),
      locks: [...lockedTo].map(([c, r]) => ({ customer: `c${c}`, rep: `r${r}` })),
      // A pair may not be both locked and forbidden (the contract refuses it).
      forbid: forbid.filter(([c, r]) => lockedTo.get(c) !== r).map(([c, r]) => ({ customer: `c${c}`, rep: `r${r}` })),
      rules,
    };
    const plan: Plan = { customers, reps, policy };
    if (listed !== null) {
      // A locked pair must be listed when `pairs` is given (the contract refuses it otherwise).
      plan.pairs = customers.flatMap((c, ci) =>
        reps.flatMap((r, ri) =>
          listed[ci * nR + ri] === true || lockedTo.get(ci) === ri
            ? [{ customer: c.id, rep: r.id, score: 100 * ci + ri, ...(ri % 2 === 1 ? { workload: 2 } : {}) }]
            : [],
        ),
      );
    }
    return plan;
  });

/**
 * The verifier's refusals when every customer goes to `rep`: per customer, the kinds of the
 * violations that name it (the pair rules and its lock), i.e. the verdict on the pair (customer, rep).
 */
function verifierRefusals(plan: Plan, rep: Rep): Map<string, string[]> {
  const report = verifyAssignment(
    plan,
    plan.customers.map((c) => ({ customer: c.id, rep: rep.id })),
  );
  const out = new Map<string, string[]>(plan.customers.map((c) => [c.id, []]));
  for (const v of report.violations) if (v.customer !== undefined && PAIR_KINDS.has(v.kind)) out.get(v.customer)?.push(v.kind);
  return out;
}

describe("eligibility: the solver's pair table and the independent verifier agree", () => {
  it("on every pair of random plans: kept pairs pass the verifier, dropped pairs are refused for the same reason", () => {
    const seen = new Map<ExclusionRule | "eligible" | "lock-overrides", number>();
    const count = (key: ExclusionRule | "eligible" | "lock-overrides") => seen.set(key, (seen.get(key) ?? 0) + 1);
    fc.assert(
      fc.property(planArb, (input) => {
        const plan = validPlan(input);
        const table = buildPairTable(plan, resolvePolicy(plan.policy));
        const unlocked = { ...table.rules, lockOf: new Map<string, string>() };
        const ctx = buildPairRuleContext(plan);

        const disagreements: string[] = [];
        const disagree = (pair: string, what: string) => disagreements.push(`${pair}: ${what}`);
        plan.reps.forEach((rep, r) => {
          const refusals = verifierRefusals(plan, rep);
          plan.customers.forEach((customer, c) => {
            const pair = `${customer.id}/${rep.id}`;
            const reason = pairExclusion(table.rules, customer, rep);
            const k = (table.byCustomer[c] ?? []).find((k) => table.rep[k] === r);
            const kinds = refusals.get(customer.id) ?? [];
            // The table holds exactly the pairs its rules call eligible.
            if ((k !== undefined) !== (reason === null)) disagree(pair, `in the table: ${k !== undefined}, exclusion: ${reason}`);
            if (k !== undefined) {
              count("eligible");
              if (pairExclusion(unlocked, customer, rep) !== null) count("lock-overrides");
              if (kinds.length > 0) disagree(pair, `in the pair table, refused by the verifier for ${kinds.join(", ")}`);
              const workload = pairWorkload(ctx, customer, rep);
              if (table.workload[k] !== workload) disagree(pair, `workload ${table.workload[k]} in the table, ${workload} for the verifier`);
              return;
            }
            if (reason === null) return;
            count(reason);
            // A customer locked to another rep breaks its lock here, whatever else the pair breaks.
            const lock = table.rules.lockOf.get(customer.id);
            if (kinds.includes("lock") !== (lock !== undefined && lock !== rep.id)) disagree(pair, `locked to ${lock}, verifier says ${kinds.join(", ")}`);
            // Availability, forbid and the pairs list come before the lock; the rest apply to unlocked customers only.
            const breaches = kinds.filter((kind) => kind !== "lock");
            if (reason !== "locked-elsewhere" && (breaches.length !== 1 || breaches[0] !== reason)) {
              disagree(pair, `excluded for ${reason}, refused by the verifier for ${breaches.join(", ") || "nothing"}`);
            }
          });
        });
        expect(disagreements).toEqual([]);
      }),
      { seed: 20240611, numRuns: 200 },
    );
    // Every rule type was exercised, and locks did override rules.
    const reasons: (ExclusionRule | "eligible" | "lock-overrides")[] = [
      "eligible",
      "lock-overrides",
      "unavailable",
      "forbidden",
      "not-in-pairs",
      "locked-elsewhere",
      "territory",
      "requires",
      "seniority",
      "distance",
      "rule",
    ];
    for (const reason of reasons) expect(seen.get(reason) ?? 0, reason).toBeGreaterThanOrEqual(5);
  });
});
