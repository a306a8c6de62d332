import { formatPath, Policy, type Change, type Customer, type FieldError, type Plan, type PolicyPatch, type Rep } from "../../models/index.ts";
import { parsePlan } from "../plan/parse-plan.ts";

/**
 * Applies what-if changes (or reassignment events) to a plan, in order, checking every id a change
 * names against the plan as it stands at that change. Problems are reported with the change's path
 * (e.g. `scenarios[1].changes[0].rep`) and the whole result is then validated like any plan.
 *
 * Semantics (docs/what-if.md):
 * - `removeRep`: the rep leaves. It stays in the plan marked `available: false`, so that its history
 *   still informs the conversion model and its customers (`currentRep`) are seen to be forced to
 *   move; locks to it are dropped. It takes no customers.
 * - `removeCustomers` also drops their pairs, locks and forbids.
 * - Patches (`set`, `policy`): a value replaces the field, null removes it; `fairness` and
 *   `stability` are merged key by key.
 * - `scaleValues` multiplies customers' `value` (not external `pairs` scores); a territory or
 *   segment filter that matches no customer is an error (most likely a typo).
 * - `updateHistory` drops the history rows of `resetReps`, then appends `add`.
 */

export type ChangeResult = { ok: true; plan: Plan } | { ok: false; errors: FieldError[] };

type Path = readonly (string | number)[];

/** `target` with the patch applied: a value replaces the field, null removes it. */
function patched<T extends object>(target: T, patch: object): T {
  const out = new Map<string, unknown>(Object.entries(target));
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) out.delete(key);
    else out.set(key, value);
  }
  // The patch's keys are optional fields of T, each validated by the patch schema.
  return Object.fromEntries(out) as T;
}

function mergePolicy(policy: Policy | undefined, patch: PolicyPatch): Record<string, unknown> {
  const out: Record<string, unknown> = { ...policy };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) {
      delete out[key];
    } else if ((key === "fairness" || key === "stability") && typeof value === "object" && !Array.isArray(value)) {
      const before = out[key];
      const merged = patched(typeof before === "object" && before !== null ? before : {}, value);
      if (Object.keys(merged).length === 0) delete out[key];
      else out[key] = merged;
    } else {
      out[key] = value;
    }
  }
  return out;
}

export function applyChanges(plan: Plan, changes: readonly Change[], at: Path): ChangeResult {
  const errors: FieldError[] = [];
  const fail = (path: Path, message: string) => errors.push({ path: formatPath([...at, ...path]), message });
  const customers = new Map<string, Customer>(plan.customers.map((c) => [c.id, c]));
  const reps = new Map<string, Rep>(plan.reps.map((r) => [r.id, r]));
  const removedCustomers = new Set<string>();
  let policy: Policy | undefined = plan.policy;
  let history = plan.history;

  const minMax = (rep: Rep, path: Path) => {
    if (rep.minAccounts !== undefined && rep.maxAccounts !== undefined && rep.minAccounts > rep.maxAccounts) {
      fail(path, `minAccounts (${rep.minAccounts}) exceeds maxAccounts (${rep.maxAccounts})`);
    }
  };
  const dropLocks = (keep: (l: { customer: string; rep: string }) => boolean) => {
    if (policy === undefined) return;
    const locks = policy.locks?.filter(keep);
    if (locks !== undefined && locks.length !== policy.locks?.length) policy = { ...policy, locks };
    const overrides = policy.overrides?.filter(keep);
    if (overrides !== undefined && overrides.length !== policy.overrides?.length) policy = { ...policy, overrides };
  };

  changes.forEach((change, j) => {
    switch (change.op) {
      case "removeRep": {
        const rep = reps.get(change.rep);
        if (rep === undefined) {
          fail([j, "rep"], `unknown rep "${change.rep}"`);
          return;
        }
        reps.set(rep.id, { ...rep, available: false });
        dropLocks((l) => l.rep !== rep.id);
        return;
      }
      case "addRep": {
        const rep = change.rep;
        if (reps.has(rep.id)) {
          const leaving = reps.get(rep.id)?.available === false ? " (a removed rep stays in the plan as unavailable: use updateRep with available: true to bring it back)" : "";
          fail([j, "rep", "id"], `rep "${rep.id}" already exists${leaving}`);
          return;
        }
        minMax(rep, [j, "rep", "minAccounts"]);
        reps.set(rep.id, rep);
        return;
      }
      case "updateRep": {
        const rep = reps.get(change.rep);
        if (rep === undefined) {
          fail([j, "rep"], `unknown rep "${change.rep}"`);
          return;
        }
        const next = patched(rep, change.set);
        minMax(next, [j, "set", change.set.minAccounts !== undefined ? "minAccounts" : "maxAccounts"]);
        reps.set(rep.id, next);
        return;
      }
      case "addCustomers": {
        const seen = new Set<string>();
        change.customers.forEach((c, k) => {
          if (customers.has(c.id) || seen.has(c.id)) {
            fail([j, "customers", k, "id"], `customer "${c.id}" already exists`);
            return;
          }
          seen.add(c.id);
          if (c.currentRep !== undefined && !reps.has(c.currentRep)) {
            fail([j, "customers", k, "currentRep"], `unknown rep "${c.currentRep}"`);
            return;
          }
          customers.set(c.id, c);
          removedCustomers.delete(c.id);
        });
        return;
      }
      case "removeCustomers": {
        const gone = new Set<string>();
        change.customers.forEach((id, k) => {
          if (!customers.has(id)) {
            fail([j, "customers", k], `unknown customer "${id}"`);
            return;
          }
          customers.delete(id);
          removedCustomers.add(id);
          gone.add(id);
        });
        dropLocks((l) => !gone.has(l.customer));
        if (policy?.forbid !== undefined && gone.size > 0) policy = { ...policy, forbid: policy.forbid.filter((f) => !gone.has(f.customer)) };
        return;
      }
      case "updateCustomer": {
        const c = customers.get(change.customer);
        if (c === undefined) {
          fail([j, "customer"], `unknown customer "${change.customer}"`);
          return;
        }
        const rep = change.set.currentRep;
        if (typeof rep === "string" && !reps.has(rep)) {
          fail([j, "set", "currentRep"], `unknown rep "${rep}"`);
          return;
        }
        customers.set(c.id, patched(c, change.set));
        return;
      }
      case "scaleValues": {
        let matched = 0;
        for (const [id, c] of customers) {
          if (change.territory !== undefined && c.territory !== change.territory) continue;
          if (change.segment !== undefined && c.segment !== change.segment) continue;
          matched += 1;
          customers.set(id, { ...c, value: c.value * change.factor });
        }
        if (matched === 0 && (change.territory !== undefined || change.segment !== undefined)) {
          const what = [change.territory === undefined ? null : `territory "${change.territory}"`, change.segment === undefined ? null : `segment "${change.segment}"`]
            .filter((x) => x !== null)
            .join(" and ");
          fail([j, change.territory !== undefined ? "territory" : "segment"], `no customer has ${what}`);
        }
        return;
      }
      case "updateHistory": {
        let bad = false;
        change.resetReps?.forEach((rep, k) => {
          if (!reps.has(rep)) {
            fail([j, "resetReps", k], `unknown rep "${rep}"`);
            bad = true;
          }
        });
        change.add.forEach((o, k) => {
          if (!reps.has(o.rep)) {
            fail([j, "add", k, "rep"], `unknown rep "${o.rep}"`);
            bad = true;
          }
        });
        if (bad) return;
        const reset = new Set(change.resetReps ?? []);
        history = [...(history ?? []).filter((o) => !reset.has(o.rep)), ...change.add];
        return;
      }
      case "setPolicy": {
        const merged = Policy.safeParse(mergePolicy(policy, change.policy));
        if (!merged.success) {
          for (const issue of merged.error.issues) fail([j, "policy", ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))], issue.message);
          return;
        }
        let bad = false;
        for (const field of ["locks", "overrides", "forbid"] as const) {
          change.policy[field]?.forEach((pair, k) => {
            if (!customers.has(pair.customer)) {
              fail([j, "policy", field, k, "customer"], `unknown customer "${pair.customer}"`);
              bad = true;
            }
            if (!reps.has(pair.rep)) {
              fail([j, "policy", field, k, "rep"], `unknown rep "${pair.rep}"`);
              bad = true;
            }
          });
        }
        if (!bad) policy = merged.data;
        return;
      }
    }
  });
  if (errors.length > 0) return { ok: false, errors };

  const next: Record<string, unknown> = { ...plan, customers: [...customers.values()], reps: [...reps.values()] };
  if (history !== plan.history) next.history = history;
  if (plan.pairs !== undefined && removedCustomers.size > 0) next.pairs = plan.pairs.filter((p) => !removedCustomers.has(p.customer));
  if (policy === undefined) delete next.policy;
  else next.policy = policy;
  const parsed = parsePlan(next);
  if (!parsed.ok) {
    return {
      ok: false,
      errors: parsed.errors.map((e) => ({ path: formatPath(at), message: `after the changes, ${e.path === "" ? "the plan" : e.path}: ${e.message}` })),
    };
  }
  return { ok: true, plan: parsed.plan };
}
