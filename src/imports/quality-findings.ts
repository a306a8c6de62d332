import type { DataQualityExample, DataQualityIssue, DataQualityKind, ImportFileName } from "../../models/index.ts";

const MAX_EXAMPLES = 10;
const MAX_VALUE_CHARS = 200;
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

type Severity = DataQualityIssue["severity"];

/**
 * The findings of one import, grouped by kind and what was done (one issue each), with a count and
 * the first examples. Issues come out errors first, then warnings, then info, each in the order
 * first seen: the same files give the same report.
 */
export class QualityFindings {
  private readonly issues = new Map<string, DataQualityIssue>();

  add(kind: DataQualityKind, severity: Severity, action: string, example: { file: ImportFileName; row?: number | null; column?: string | null; value?: string | null; message: string }): void {
    const key = `${kind}\u0000${severity}\u0000${action}`;
    let issue = this.issues.get(key);
    if (issue === undefined) {
      issue = { kind, severity, count: 0, examples: [], action };
      this.issues.set(key, issue);
    }
    issue.count += 1;
    if (issue.examples.length < MAX_EXAMPLES) {
      const value = example.value ?? null;
      const entry: DataQualityExample = {
        file: example.file,
        row: example.row ?? null,
        column: example.column ?? null,
        value: value === null ? null : value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value,
        message: example.message,
      };
      issue.examples.push(entry);
    }
  }

  list(): DataQualityIssue[] {
    return [...this.issues.values()].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  }
}
