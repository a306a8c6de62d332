/**
 * The data-quality report of an import, readable: what was read and imported from each file, then
 * each finding (errors first) with its count, what the import did, and its first examples by file,
 * row and column, as a spreadsheet would show them.
 */
import type { DataQualityIssue, DataQualityReport } from "./contract.ts";

const SEVERITY = { error: "Error (rows skipped)", warning: "Warning (values changed or left out)", info: "Note (nothing changed)" } as const;

function exampleText(example: DataQualityIssue["examples"][number]): string {
  const where = [example.file, example.row === null ? null : `row ${example.row}`, example.column === null ? null : `column ${example.column}`].filter((p) => p !== null).join(", ");
  const value = example.value === null ? "" : ` “${example.value}”`;
  return `${where}${value}: ${example.message}`;
}

export function DataQualityList(props: { report: DataQualityReport }) {
  const { rows, imported, issues } = props.report;
  return (
    <div data-testid="quality-report">
      <p data-testid="import-summary">
        Read {rows.accounts} accounts, {rows.reps} reps and {rows.opportunities} opportunities; imported {imported.customers} customers, {imported.reps} reps,{" "}
        {imported.deals} closed deals and <span data-testid="history-rows">{imported.historyRows}</span> history rows.
      </p>
      {issues.length === 0 ? (
        <p>No findings: every row was read as it is.</p>
      ) : (
        <ul class="findings">
          {issues.map((issue, i) => (
            <li key={`${issue.kind}-${i}`} class={`finding ${issue.severity}`} data-kind={issue.kind}>
              <strong>{issue.kind}</strong> — {SEVERITY[issue.severity]}, {issue.count} {issue.count === 1 ? "occurrence" : "occurrences"}.
              <br />
              What the import did: {issue.action}
              {issue.examples.length > 0 && (
                <ul>
                  {issue.examples.map((example, j) => (
                    <li key={j}>{exampleText(example)}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
