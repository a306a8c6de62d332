import { z } from "zod";
import { AdviceRequest } from "./advice.ts";
import { Customer } from "./customer.ts";
import { Outcome } from "./outcome.ts";
import { PairScore } from "./pair-score.ts";
import { Policy } from "./policy.ts";
import { Rep } from "./rep.ts";

/** The shape of a plan, before the cross-field rules. */
export const PlanShape = z.strictObject({
  customers: z.array(Customer).min(1, "a plan needs at least one customer").describe("The accounts to assign, each once."),
  reps: z.array(Rep).min(1, "a plan needs at least one rep").describe("The reps who may take them."),
  history: z.array(Outcome).optional().describe("Past wins and attempts per rep (and segment), for the conversion estimates; absent = conversion is neutral (1)."),
  pairs: z.array(PairScore).optional().describe("External scores: when given, only the listed pairs are eligible and their score replaces the built-in expected value."),
  policy: Policy.optional().describe("Rules and solver settings; absent = every default."),
  advice: AdviceRequest.optional().describe("Settings of the advice, read only when advice is asked for; absent = every default."),
});

type PlanInput = z.infer<typeof PlanShape>;
type Issue = { path: (string | number)[]; message: string };

function duplicateIds(items: { id: string }[], field: string, out: Issue[]): Set<string> {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first !== undefined) out.push({ path: [field, i, "id"], message: `duplicate id "${item.id}" (first at ${field}[${first}])` });
    else seen.set(item.id, i);
  });
  return new Set(seen.keys());
}

/** Cross-field rules of contract v1: unique ids, references exist, min ≤ max, consistent locks. */
export function crossFieldIssues(plan: PlanInput): Issue[] {
  const out: Issue[] = [];
  const customerIds = duplicateIds(plan.customers, "customers", out);
  const repIds = duplicateIds(plan.reps, "reps", out);
  const needRep = (id: string, path: (string | number)[]) => {
    if (!repIds.has(id)) out.push({ path, message: `unknown rep "${id}"` });
  };
  const needCustomer = (id: string, path: (string | number)[]) => {
    if (!customerIds.has(id)) out.push({ path, message: `unknown customer "${id}"` });
  };

  plan.customers.forEach((c, i) => {
    if (c.currentRep !== undefined) needRep(c.currentRep, ["customers", i, "currentRep"]);
  });
  plan.reps.forEach((r, i) => {
    if (r.minAccounts !== undefined && r.maxAccounts !== undefined && r.minAccounts > r.maxAccounts) {
      out.push({ path: ["reps", i, "minAccounts"], message: `minAccounts (${r.minAccounts}) exceeds maxAccounts (${r.maxAccounts})` });
    }
  });
  plan.history?.forEach((o, i) => needRep(o.rep, ["history", i, "rep"]));

  const pairKeys = new Map<string, number>();
  plan.pairs?.forEach((p, i) => {
    needCustomer(p.customer, ["pairs", i, "customer"]);
    needRep(p.rep, ["pairs", i, "rep"]);
    const key = JSON.stringify([p.customer, p.rep]);
    const first = pairKeys.get(key);
    if (first !== undefined) out.push({ path: ["pairs", i], message: `duplicate pair (first at pairs[${first}])` });
    else pairKeys.set(key, i);
  });

  const policy = plan.policy;
  const lockedTo = new Map<string, { rep: string; index: number }>();
  policy?.locks?.forEach((l, i) => {
    needCustomer(l.customer, ["policy", "locks", i, "customer"]);
    needRep(l.rep, ["policy", "locks", i, "rep"]);
    const prior = lockedTo.get(l.customer);
    if (prior !== undefined && prior.rep !== l.rep) {
      out.push({ path: ["policy", "locks", i], message: `customer "${l.customer}" is already locked to rep "${prior.rep}" (policy.locks[${prior.index}])` });
    } else if (prior === undefined) lockedTo.set(l.customer, { rep: l.rep, index: i });
  });
  policy?.overrides?.forEach((o, i) => {
    needCustomer(o.customer, ["policy", "overrides", i, "customer"]);
    needRep(o.rep, ["policy", "overrides", i, "rep"]);
    const prior = lockedTo.get(o.customer);
    const where = (index: number) => (index < 0 ? `policy.overrides[${-index - 1}]` : `policy.locks[${index}]`);
    if (prior !== undefined) {
      out.push({ path: ["policy", "overrides", i], message: `customer "${o.customer}" is already ${prior.index < 0 ? "overridden" : "locked"} to rep "${prior.rep}" (${where(prior.index)})` });
    } else lockedTo.set(o.customer, { rep: o.rep, index: -i - 1 });
  });
  policy?.forbid?.forEach((f, i) => {
    needCustomer(f.customer, ["policy", "forbid", i, "customer"]);
    needRep(f.rep, ["policy", "forbid", i, "rep"]);
    const lock = lockedTo.get(f.customer);
    if (lock !== undefined && lock.rep === f.rep) {
      out.push({ path: ["policy", "forbid", i], message: `pair is both ${lock.index < 0 ? `overridden (policy.overrides[${-lock.index - 1}])` : `locked (policy.locks[${lock.index}])`} and forbidden` });
    }
  });
  const ruleNames = new Map<string, number>();
  policy?.rules?.forEach((rule, i) => {
    const first = ruleNames.get(rule.name);
    if (first !== undefined) out.push({ path: ["policy", "rules", i, "name"], message: `duplicate rule name "${rule.name}" (first at policy.rules[${first}])` });
    else ruleNames.set(rule.name, i);
  });
  const fairness = policy?.fairness;
  if (fairness?.mode === "soft" && fairness.valueBand === undefined) {
    out.push({ path: ["policy", "fairness", "mode"], message: 'mode "soft" needs a valueBand: the band is what value outside of is penalised' });
  }
  if (fairness?.penalty !== undefined && fairness.mode !== "soft") {
    out.push({ path: ["policy", "fairness", "penalty"], message: 'a penalty applies only with mode "soft" (the band is a hard limit otherwise)' });
  }
  if (plan.pairs !== undefined && policy?.score !== undefined) {
    out.push({ path: ["policy", "score"], message: "a score expression cannot be combined with pairs: external pair scores replace the built-in score" });
  }
  if (plan.pairs !== undefined) {
    policy?.locks?.forEach((l, i) => {
      if (customerIds.has(l.customer) && repIds.has(l.rep) && !pairKeys.has(JSON.stringify([l.customer, l.rep]))) {
        out.push({ path: ["policy", "locks", i], message: "a locked pair must be listed in pairs when pairs are given" });
      }
    });
    policy?.overrides?.forEach((o, i) => {
      if (customerIds.has(o.customer) && repIds.has(o.rep) && !pairKeys.has(JSON.stringify([o.customer, o.rep]))) {
        out.push({ path: ["policy", "overrides", i], message: "an overridden pair must be listed in pairs when pairs are given" });
      }
    });
  }
  return out;
}

/** Parsing applies the shape and every cross-field rule (crossFieldIssues). */
export const Plan = PlanShape.superRefine((plan, ctx) => {
  for (const issue of crossFieldIssues(plan)) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
}).describe("The whole book to assign: customers, reps, optional history, pair scores and policy (contract v1).");
export type Plan = z.infer<typeof Plan>;
