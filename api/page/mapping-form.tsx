/**
 * The column mapping of an import as a form: for each field of accounts, reps and opportunities,
 * the column of the file that holds it (empty = not read), and the rules for what counts as won
 * and as closed. Every edit gives a new mapping to the caller, which sends it back to re-import.
 */
import { useId } from "preact/hooks";
import type { ImportMapping } from "./contract.ts";

type Accounts = ImportMapping["accounts"];
type Reps = ImportMapping["reps"];
type Opportunities = NonNullable<ImportMapping["opportunities"]>;
type Rule = Opportunities["won"];

const ACCOUNT_FIELDS = ["id", "name", "owner", "value", "segment", "territory", "workload", "needs", "requires", "latitude", "longitude"] as const satisfies readonly (keyof Accounts)[];
const REP_FIELDS = ["id", "name", "email", "active", "territories", "specialties", "seniority", "maxAccounts", "minAccounts", "maxWorkload", "quota", "latitude", "longitude"] as const satisfies readonly (keyof Reps)[];
const OPPORTUNITY_FIELDS = ["id", "owner", "account", "segment", "amount", "closeDate"] as const satisfies readonly (keyof Opportunities["columns"])[];
/** Fields every mapping must name. */
const REQUIRED = new Set(["accounts.id", "reps.id", "opportunities.owner"]);

/** The columns with the field set to `column`, or without it when the text is empty. */
function withColumn<T extends object>(columns: T, field: keyof T, column: string): T {
  const next: Record<string, unknown> = { ...(columns as Record<string, unknown>) };
  if (column.trim() === "") delete next[field as string];
  else next[field as string] = column.trim();
  return next as T;
}

/** The values of a rule as typed: separated by commas. */
function ruleValues(text: string): string[] {
  return text
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

function ColumnField(props: { file: string; field: string; value: string | undefined; onInput: (column: string) => void }) {
  const id = useId();
  const required = REQUIRED.has(`${props.file}.${props.field}`);
  return (
    <div class="field">
      <label for={id}>
        {props.field}
        {required ? " (required)" : ""}
      </label>
      <input id={id} data-testid={`mapping-${props.file}-${props.field}`} value={props.value ?? ""} required={required} maxLength={200} onInput={(event) => props.onInput(event.currentTarget.value)} />
    </div>
  );
}

function RuleFields(props: { name: "won" | "closed"; rule: Rule | undefined; onChange: (rule: Rule | undefined) => void }) {
  const columnId = useId();
  const valuesId = useId();
  const column = props.rule?.column ?? "";
  const values = props.rule?.values.join(", ") ?? "";
  const change = (nextColumn: string, nextValues: string) => {
    const list = ruleValues(nextValues);
    // An empty closed rule means "every row is a closed deal"; the won rule is required (the service names it when incomplete).
    if (props.name === "closed" && nextColumn.trim() === "" && list.length === 0) props.onChange(undefined);
    else props.onChange({ column: nextColumn.trim(), values: list });
  };
  return (
    <>
      <div class="field">
        <label for={columnId}>{props.name === "won" ? "Won when column (required)" : "Closed when column (empty = every row is closed)"}</label>
        <input id={columnId} data-testid={`mapping-${props.name}-column`} value={column} maxLength={200} onInput={(event) => change(event.currentTarget.value, values)} />
      </div>
      <div class="field">
        <label for={valuesId}>{props.name === "won" ? "Won when it is one of (comma-separated)" : "Closed when it is one of (comma-separated)"}</label>
        <input id={valuesId} data-testid={`mapping-${props.name}-values`} value={values} onInput={(event) => change(column, event.currentTarget.value)} />
      </div>
    </>
  );
}

export function MappingForm(props: { mapping: ImportMapping; onChange: (mapping: ImportMapping) => void }) {
  const { mapping } = props;
  const opportunities = mapping.opportunities;
  const set = (next: Partial<ImportMapping>) => props.onChange({ ...mapping, ...next, source: "custom" });
  return (
    <div class="mapping" data-testid="mapping-form">
      <p class="hint">
        Detected headers: {mapping.source}. Each box names the column of the file that holds the field; empty = the field is not read.
      </p>
      <fieldset>
        <legend>Accounts file</legend>
        <div class="mapping-grid">
          {ACCOUNT_FIELDS.map((field) => (
            <ColumnField key={field} file="accounts" field={field} value={mapping.accounts[field]} onInput={(column) => set({ accounts: withColumn(mapping.accounts, field, column) })} />
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Reps file</legend>
        <div class="mapping-grid">
          {REP_FIELDS.map((field) => (
            <ColumnField key={field} file="reps" field={field} value={mapping.reps[field]} onInput={(column) => set({ reps: withColumn(mapping.reps, field, column) })} />
          ))}
        </div>
      </fieldset>
      {opportunities !== undefined && (
        <fieldset>
          <legend>Opportunities file</legend>
          <div class="mapping-grid">
            {OPPORTUNITY_FIELDS.map((field) => (
              <ColumnField
                key={field}
                file="opportunities"
                field={field}
                value={opportunities.columns[field]}
                onInput={(column) => set({ opportunities: { ...opportunities, columns: withColumn(opportunities.columns, field, column) } })}
              />
            ))}
            <RuleFields name="won" rule={opportunities.won} onChange={(won) => won !== undefined && set({ opportunities: { ...opportunities, won } })} />
            <RuleFields
              name="closed"
              rule={opportunities.closed}
              onChange={(closed) => {
                const next: Opportunities = { columns: opportunities.columns, won: opportunities.won };
                if (closed !== undefined) next.closed = closed;
                set({ opportunities: next });
              }}
            />
          </div>
        </fieldset>
      )}
    </div>
  );
}
