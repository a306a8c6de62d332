/**
 * A second process routing against the same SQLite file (see route-concurrency.test.ts): opens the
 * store, says "ready", waits for a line on stdin, routes its customers one after another as fast as
 * it can (with a millisecond's pause between calls, as a server between requests), and prints one JSON line with the rep each customer got.
 *
 * argv: database file, name prefix for the customers, how many.
 */
import { createInterface } from "node:readline";
import { Plan } from "../models/index.ts";
import { buildRoutingContext, chooseRep, rankCandidates } from "../src/routing/live-routing.ts";
import { openSqliteStore } from "../src/storage/sqlite-store.ts";

const [file = "", prefix = "p", countText = "0"] = process.argv.slice(2);
const store = openSqliteStore(file, { busyTimeoutMs: 20_000 });
const active = await store.activePlan();
const input = active === null ? null : await store.getPlanInput(active.id);
if (active === null || input === null) throw new Error("no active plan");
const ctx = buildRoutingContext(active.id, Plan.parse(JSON.parse(input)));

process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
await new Promise<void>((go) => lines.once("line", () => go()));
lines.close();

const got: Record<string, string | null> = {};
for (let i = 0; i < Number(countText); i++) {
  const customer = { id: `${prefix}-${i}`, value: 100 + i };
  const ranking = rankCandidates(ctx, customer);
  const outcome = await store.route({
    planId: active.id,
    customerId: customer.id,
    reps: ranking.candidates.map((c) => c.rep.id),
    decide: (loads, totals) => chooseRep(ctx, ranking, loads, totals),
    audit: { requestId: `${prefix}-${i}`, keyId: null },
  });
  if (outcome.kind !== "routed") throw new Error(`unexpected ${outcome.kind}`);
  got[customer.id] = outcome.decision.rep;
  // Like a server between requests: leave the file to the other process now and then.
  await new Promise((resume) => setTimeout(resume, 1));
}
store.close();
process.stdout.write(`${JSON.stringify(got)}\n`);
