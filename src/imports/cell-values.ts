/**
 * Reading a cell's text as a number, a boolean or a list, as CRM exports and spreadsheets write them:
 * `1,234.50`, `1.234,50` and `1 234,5` (thousands and decimal separators told apart by position),
 * currency signs and `%`-free amounts, `true`/`yes`/`1`, lists separated by `;` or `|`.
 */

const PLAIN_NUMBER = /^-?\d{1,15}(\.\d{1,15})?$/;

/** The number a cell holds, or null when it holds none (empty cells are the caller's concern). */
export function parseNumber(text: string): number | null {
  if (PLAIN_NUMBER.test(text)) return Number(text);
  let t = text.trim().replace(/^[$€£¥]|[$€£¥]$/g, "").replace(/[\s\u00a0']/g, "");
  if (t === "") return null;
  const lastComma = t.lastIndexOf(",");
  const lastDot = t.lastIndexOf(".");
  if (lastComma >= 0 && lastDot >= 0) {
    // Both: the last one is the decimal separator.
    t = lastComma > lastDot ? t.replace(/\./g, "").replace(",", ".") : t.replace(/,/g, "");
  } else if (lastComma >= 0) {
    // Only commas: thousands when every group after the first has 3 digits and there are several or the group is exactly 3, else a decimal comma.
    t = /^[+-]?\d{1,3}(,\d{3})+$/.test(t) ? t.replace(/,/g, "") : t.split(",").length === 2 ? t.replace(",", ".") : t;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  const x = Number(t);
  return Number.isFinite(x) ? x : null;
}

const TRUE = new Set(["true", "yes", "y", "1", "active", "x"]);
const FALSE = new Set(["false", "no", "n", "0", "inactive", ""]);

/** true / false, or null when the text is neither. */
export function parseBoolean(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (TRUE.has(t)) return true;
  if (FALSE.has(t)) return false;
  return null;
}

/** A list cell: items separated by `;` or `|` (or `,` when neither appears), trimmed, empty ones left out. */
export function parseList(text: string): string[] {
  const separator = /[;|]/.test(text) ? /[;|]/ : /,/;
  return text
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** A value compared without case and surrounding or repeated spaces (segment spellings, won stages, owner names). */
export function looseKey(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, " ");
}

const LEGAL_SUFFIXES = /\b(inc|incorporated|ltd|limited|llc|gmbh|ag|sa|sas|srl|bv|nv|plc|corp|corporation|co|company|ab|oy|as)\b/g;

/** A company name for duplicate detection: no case, accents, punctuation or legal suffix. */
export function normalisedName(name: string): string {
  const ascii = /^[\x00-\x7f]*$/.test(name) ? name : name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  return ascii
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, " ")
    .replace(LEGAL_SUFFIXES, " ")
    .replace(/\s+/g, " ")
    .trim();
}
