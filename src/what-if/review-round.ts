import type { FieldError, MoveDecision, Override, Plan } from "../../models/index.ts";

export interface ReviewPlacement {
  customer: string;
  rep: string | null;
}

export type ReviewRound =
  | { ok: true; changed: false; accepted: number; rejected: 0 }
  | { ok: true; changed: true; accepted: number; rejected: number; plan: Plan; decisionOf: (overrideIndex: number) => number | null }
  | { ok: false; errors: FieldError[] };

/**
 * One review round over a saved version: its moves are the customers whose placed rep differs from
 * their currentRep. An accepted move becomes an override to the proposed rep, a rejected one an
 * override to the currentRep (a stay), each with `by` and the decision's reason (or the comment);
 * they replace any earlier override of the same customer, and the next version is solved from the
 * plan with them. A round that rejects nothing changes nothing: the version already is the best
 * plan with its accepted moves, so nothing is solved or saved. Decisions on a customer that is not
 * a move, twice on one customer, or accepting a move to "unassigned" are field errors.
 */
export function reviewRound(plan: Plan, placements: readonly ReviewPlacement[], review: { by: string; comment?: string | undefined; decisions: readonly MoveDecision[] }): ReviewRound {
  const placed = new Map(placements.map((p) => [p.customer, p.rep]));
  const current = new Map(plan.customers.map((c) => [c.id, c.currentRep]));
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  const added: { override: Override; decision: number }[] = [];
  let accepted = 0;
  let rejected = 0;
  review.decisions.forEach((d, i) => {
    const path = `decisions[${i}].customer`;
    const from = current.get(d.customer);
    const to = placed.get(d.customer);
    const first = seen.get(d.customer);
    if (first !== undefined) {
      errors.push({ path, message: `customer "${d.customer}" is already decided at decisions[${first}]` });
      return;
    }
    seen.set(d.customer, i);
    if (!current.has(d.customer)) {
      errors.push({ path, message: `no customer "${d.customer}" in the plan` });
      return;
    }
    if (from === undefined || to === undefined || to === from) {
      errors.push({ path, message: `customer "${d.customer}" is not a move of this version (it has no currentRep, or stays with it)` });
      return;
    }
    const reason = d.reason ?? review.comment ?? "";
    if (d.decision === "accept") {
      accepted++;
      if (to === null) {
        errors.push({ path: `decisions[${i}].decision`, message: `the move leaves customer "${d.customer}" unassigned: an unassignment cannot be kept as an override (reject it, or leave it undecided)` });
        return;
      }
      added.push({ override: { customer: d.customer, rep: to, by: review.by, reason }, decision: i });
    } else {
      rejected++;
      added.push({ override: { customer: d.customer, rep: from, by: review.by, reason }, decision: i });
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  if (rejected === 0) return { ok: true, changed: false, accepted, rejected: 0 };
  const decided = new Set(added.map((a) => a.override.customer));
  const kept = (plan.policy?.overrides ?? []).filter((o) => !decided.has(o.customer));
  const overrides = [...kept, ...added.map((a) => a.override)];
  return {
    ok: true,
    changed: true,
    accepted,
    rejected,
    plan: { ...plan, policy: { ...plan.policy, overrides } },
    decisionOf: (k) => (k < kept.length ? null : (added[k - kept.length]?.decision ?? null)),
  };
}
