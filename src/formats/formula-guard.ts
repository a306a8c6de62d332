/**
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some
 * programs, a tab or carriage return before one) as a formula — `=HYPERLINK(…)` in a name field
 * becomes a link or worse when a planner opens the export. Written text cells are neutralised by a
 * leading apostrophe (the spreadsheet convention for "this is text"); numbers are written as numbers.
 */
const TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r"]);

/** True when a spreadsheet would read the text as a formula. */
export function isFormulaLike(text: string): boolean {
  return text.length > 0 && TRIGGERS.has(text[0] ?? "");
}

/** The text, prefixed with `'` when a spreadsheet would read it as a formula. */
export function neutraliseFormula(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text;
}
