/**
 * The policy in a form: territory mode, fairness bands, the move budget, seniority tiers, locks and
 * the time limit. Every change gives a new policy to the caller; empty fields mean "not set" (the
 * service's defaults apply). The service validates the plan: its field errors show at the solve.
 */
import { useId } from "preact/hooks";
import type { Plan, Policy } from "./contract.ts";

export interface PolicyFormProps {
  plan: Plan;
  onChange: (policy: Policy) => void;
}

type Fairness = NonNullable<Policy["fairness"]>;
type Stability = NonNullable<Policy["stability"]>;
type Tier = NonNullable<Policy["seniority"]>[number];
type Lock = NonNullable<Policy["locks"]>[number];

function numberOrUndefined(text: string): number | undefined {
  if (text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Drops the keys whose value is undefined (the contract is strict about unknown keys, not about absent ones). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function NumberField(props: { label: string; value: number | undefined; onInput: (value: number | undefined) => void; min?: number; step?: string; hint?: string; testId?: string }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={props.min ?? 0}
        step={props.step ?? "any"}
        value={props.value === undefined ? "" : String(props.value)}
        data-testid={props.testId}
        aria-describedby={props.hint === undefined ? undefined : `${id}-hint`}
        onChange={(event) => props.onInput(numberOrUndefined(event.currentTarget.value))}
      />
      {props.hint !== undefined && (
        <small id={`${id}-hint`} class="hint">
          {props.hint}
        </small>
      )}
    </div>
  );
}

export function PolicyForm(props: PolicyFormProps) {
  const policy: Policy = props.plan.policy ?? {};
  const fairness: Fairness = policy.fairness ?? {};
  const stability: Stability = policy.stability ?? {};
  const tiers: Tier[] = policy.seniority ?? [];
  const locks: Lock[] = policy.locks ?? [];
  const territoryId = useId();
  const modeId = useId();
  const set = (patch: Partial<Policy>) => props.onChange(compact({ ...policy, ...patch }));
  const setFairness = (patch: Partial<Fairness>) => {
    const next = compact({ ...fairness, ...patch });
    set({ fairness: Object.keys(next).length === 0 ? undefined : next });
  };
  const setStability = (patch: Partial<Stability>) => {
    const next = compact({ ...stability, ...patch });
    set({ stability: Object.keys(next).length === 0 ? undefined : next });
  };
  const setTiers = (next: Tier[]) => set({ seniority: next.length === 0 ? undefined : next });
  const setLocks = (next: Lock[]) => set({ locks: next.length === 0 ? undefined : next });
  const firstRep = props.plan.reps[0]?.id ?? "";
  const firstCustomer = props.plan.customers[0]?.id ?? "";

  return (
    <section aria-labelledby="policy-heading">
      <h2 id="policy-heading">Policy</h2>
      <form class="policy" onSubmit={(event) => event.preventDefault()}>
        <fieldset>
          <legend>Territories</legend>
          <div class="field">
            <label for={territoryId}>Territory mode</label>
            <select id={territoryId} value={policy.territory ?? "hard"} onChange={(event) => set({ territory: event.currentTarget.value as Policy["territory"] })}>
              <option value="hard">hard: only reps of the customer's territory</option>
              <option value="soft">soft: others at a penalty</option>
              <option value="ignore">ignore territories</option>
            </select>
          </div>
          <NumberField label="Out-of-territory penalty" value={policy.territoryPenalty} onInput={(v) => set({ territoryPenalty: v })} hint="Subtracted per pair when territories are soft." />
        </fieldset>
        <fieldset>
          <legend>Fairness</legend>
          <NumberField label="Value band (± share of fair share)" value={fairness.valueBand} step="0.05" onInput={(v) => setFairness({ valueBand: v })} hint="0.2 = each rep within ±20% of its fair share of value." testId="value-band" />
          <NumberField label="Account-count band" value={fairness.countBand} step="0.05" onInput={(v) => setFairness({ countBand: v })} />
          <div class="field">
            <label for={modeId}>Value band binds</label>
            <select id={modeId} value={fairness.mode ?? "hard"} onChange={(event) => setFairness({ mode: event.currentTarget.value as Fairness["mode"] })}>
              <option value="hard">hard</option>
              <option value="soft">soft (penalised)</option>
            </select>
          </div>
        </fieldset>
        <fieldset>
          <legend>Stability</legend>
          <NumberField label="Move budget (most voluntary moves)" value={stability.maxMoves} step="1" onInput={(v) => setStability({ maxMoves: v === undefined ? undefined : Math.round(v) })} hint="Empty = unconstrained." testId="move-budget" />
          <NumberField label="Penalty per move" value={stability.movePenalty} onInput={(v) => setStability({ movePenalty: v })} />
        </fieldset>
        <fieldset>
          <legend>Seniority tiers</legend>
          {tiers.length === 0 && <p class="hint">No tiers: every rep may take every account.</p>}
          {tiers.map((tier, index) => (
            <div class="row" key={index}>
              <NumberField label={`Tier ${index + 1}: accounts worth at least`} value={tier.minValue} onInput={(v) => setTiers(tiers.map((t, i) => (i === index ? { ...t, minValue: v ?? 0 } : t)))} />
              <NumberField label="need seniority at least" value={tier.minSeniority} onInput={(v) => setTiers(tiers.map((t, i) => (i === index ? { ...t, minSeniority: v ?? 0 } : t)))} />
              <button type="button" onClick={() => setTiers(tiers.filter((_, i) => i !== index))}>
                Remove tier {index + 1}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setTiers([...tiers, { minValue: 0, minSeniority: 0 }])}>
            Add a seniority tier
          </button>
        </fieldset>
        <fieldset>
          <legend>Locks</legend>
          {locks.length === 0 && <p class="hint">No locks.</p>}
          {locks.map((lock, index) => (
            <div class="row" key={index}>
              <label>
                Lock {index + 1}: customer{" "}
                <input value={lock.customer} onChange={(event) => setLocks(locks.map((l, i) => (i === index ? { ...l, customer: event.currentTarget.value } : l)))} />
              </label>
              <label>
                to rep{" "}
                <select value={lock.rep} onChange={(event) => setLocks(locks.map((l, i) => (i === index ? { ...l, rep: event.currentTarget.value } : l)))}>
                  {props.plan.reps.map((rep) => (
                    <option key={rep.id} value={rep.id}>
                      {rep.id}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" onClick={() => setLocks(locks.filter((_, i) => i !== index))}>
                Remove lock {index + 1}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setLocks([...locks, { customer: firstCustomer, rep: firstRep }])}>
            Add a lock
          </button>
        </fieldset>
        <fieldset>
          <legend>Solver</legend>
          <NumberField label="Time limit (ms)" value={policy.timeLimitMs} step="1000" min={1} onInput={(v) => set({ timeLimitMs: v === undefined ? undefined : Math.max(1, Math.round(v)) })} />
        </fieldset>
      </form>
    </section>
  );
}
