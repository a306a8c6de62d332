import type { Location } from "../../models/index.ts";
import type { TableRow } from "../formats/table.ts";
import { isFormulaLike } from "../formats/formula-guard.ts";
import { parseNumber } from "./cell-values.ts";
import type { QualityFindings } from "./quality-findings.ts";
import type { TableColumns } from "./table-columns.ts";

/**
 * Reading checked cells of one row: each read that fails or changes the value becomes a finding
 * with the file, row, column and cell, and says what the import did.
 */
export class CellChecks<F extends string> {
  constructor(
    private readonly columns: TableColumns<F>,
    private readonly findings: QualityFindings,
  ) {}

  private where(row: TableRow, field: F, value: string) {
    return { file: this.columns.file, row: row.row, column: this.columns.header(field), value };
  }

  /** Text of a field; a formula-like cell is kept as text (never evaluated) and reported. */
  text(row: TableRow, field: F): string {
    const value = this.columns.cell(row, field);
    if (isFormulaLike(value)) {
      this.findings.add("formula-cell", "info", "kept as text, never evaluated; exports neutralise it", { ...this.where(row, field, value), message: "the cell starts like a spreadsheet formula" });
    }
    return value;
  }

  /**
   * A number ≥ 0 (an integer when asked), or undefined when the cell is empty or unreadable (then
   * `fallback` is used when given, and a finding says so).
   */
  number(row: TableRow, field: F, options: { integer?: boolean; fallback?: number; required?: boolean } = {}): number | undefined {
    if (this.columns.header(field) === null) return options.fallback;
    const value = this.columns.cell(row, field);
    const action = options.fallback === undefined ? "left out" : `set to ${options.fallback}`;
    if (value === "") {
      if (options.required === true) this.findings.add("missing-value", "warning", action, { ...this.where(row, field, value), message: "empty cell" });
      return options.fallback;
    }
    const x = parseNumber(value);
    const what = options.integer === true ? "a whole number ≥ 0" : "a number ≥ 0";
    if (x === null || x < 0 || (options.integer === true && !Number.isInteger(x))) {
      this.findings.add("unparsable-value", "warning", action, { ...this.where(row, field, value), message: `not ${what}` });
      return options.fallback;
    }
    return x;
  }

  /**
   * Coordinates: both cells or none; out of range → left out; latitude beyond ±90 with a longitude
   * within it → swapped back (reported).
   */
  location(row: TableRow, latField: F, lonField: F): Location | undefined {
    const latText = this.columns.cell(row, latField);
    const lonText = this.columns.cell(row, lonField);
    if (latText === "" && lonText === "") return undefined;
    const lat = parseNumber(latText);
    const lon = parseNumber(lonText);
    const both = `${latText}, ${lonText}`;
    const at = { file: this.columns.file, row: row.row, column: `${this.columns.header(latField) ?? "latitude"}/${this.columns.header(lonField) ?? "longitude"}`, value: both };
    if (lat === null || lon === null) {
      this.findings.add(latText === "" || lonText === "" ? "missing-value" : "unparsable-value", "warning", "location left out", { ...at, message: "a coordinate is missing or not a number" });
      return undefined;
    }
    if (Math.abs(lat) <= 90 && Math.abs(lon) <= 180) return { lat, lon };
    if (Math.abs(lon) <= 90 && Math.abs(lat) <= 180) {
      this.findings.add("coordinates-swapped", "warning", "latitude and longitude swapped back", { ...at, message: "latitude beyond ±90° with a longitude that fits as one" });
      return { lat: lon, lon: lat };
    }
    this.findings.add("coordinates-out-of-range", "warning", "location left out", { ...at, message: "latitude beyond ±90° or longitude beyond ±180°" });
    return undefined;
  }
}
