import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { exportFromPlacements, exportFromSolution } from "../src/exports/assignment-export.ts";
import { ASSIGNMENT_CSV_HEADER, assignmentsCsv, assignmentsWorkbook } from "../src/exports/assignment-files.ts";
import { neutraliseFormula } from "../src/formats/formula-guard.ts";
import { importBook } from "../src/imports/book-import.ts";
import { readTable } from "../src/imports/read-table.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { csv } from "./imports-fixtures.ts";

// Three customers, two reps with two seats: c1 (owned by r1) scores best with r2, so it moves;
// c2 stays with r1; c3 is new and goes to r1 (4 against 3 with r2).
const PLAN = Plan.parse({
  customers: [
    { id: "c1", value: 100, currentRep: "r1" },
    { id: "c2", value: 200, currentRep: "r1" },
    { id: "c3", value: 300 },
  ],
  reps: [
    { id: "r1", maxAccounts: 2 },
    { id: "r2", maxAccounts: 2 },
  ],
  pairs: [
    { customer: "c1", rep: "r1", score: 1 },
    { customer: "c1", rep: "r2", score: 10 },
    { customer: "c2", rep: "r1", score: 9 },
    { customer: "c2", rep: "r2", score: 2 },
    { customer: "c3", rep: "r1", score: 4 },
    { customer: "c3", rep: "r2", score: 3 },
  ],
});

type Row = Record<string, string>;
const rowsOf = (text: string): Row[] => parse(text, { columns: true });

describe("the assignments CSV", () => {
  it("has one row per customer in plan order: new owner, previous owner, moved, reason, expected value", async () => {
    const { solution } = await solvePlan(PLAN);
    expect(solution.status).toBe("optimal");
    const text = assignmentsCsv(exportFromSolution(PLAN, solution));
    expect(text.split("\r\n")[0]).toBe(ASSIGNMENT_CSV_HEADER.join(","));
    const rows = rowsOf(text);
    // Optimum by hand: c1→r2 (10) + c2→r1 (9) + c3→r1 (4) = 23 beats every other split within two seats each.
    expect(solution.objective).toBe(23);
    expect(rows.map((r) => [r.AccountId, r.OwnerId, r.PreviousOwnerId, r.Moved, r.ExpectedValue])).toEqual([
      ["c1", "r2", "r1", "true", "10"],
      ["c2", "r1", "r1", "false", "9"],
      ["c3", "r1", "", "false", "4"],
    ]);
    expect(rows[0]?.Reason).toMatch(/^moved from r1/);
    expect(rows[1]?.Reason).toMatch(/^kept with its owner/);
    expect(rows[2]?.Reason).toMatch(/^new account; runner-up r2 would lose 1/);
  });

  it("neutralises text that a spreadsheet would run as a formula, and leaves numbers as numbers", async () => {
    const evil = Plan.parse({
      customers: [
        { id: '=HYPERLINK("http://evil","x")', value: 10 },
        { id: "+1", value: 10 },
      ],
      reps: [{ id: "@rep" }, { id: "-rep" }],
      policy: { stability: { movePenalty: 0 } },
    });
    const { solution } = await solvePlan(evil);
    const rows = rowsOf(assignmentsCsv(exportFromSolution(evil, solution)));
    for (const r of rows) {
      for (const cell of [r.AccountId ?? "", r.OwnerId ?? ""]) expect(cell.startsWith("'")).toBe(true);
    }
    expect(rows[0]?.AccountId).toBe(`'=HYPERLINK("http://evil","x")`);
    for (const text of ["=1", "+1", "-1", "@x", "\tx", "\rx"]) expect(neutraliseFormula(text)).toBe(`'${text}`);
    for (const text of ["a=1", "", "1", " =1"]) expect(neutraliseFormula(text)).toBe(text);
  });

  it("imported back as accounts, gives every customer its new owner as current owner", async () => {
    const { solution } = await solvePlan(PLAN);
    const text = assignmentsCsv(exportFromSolution(PLAN, solution));
    const back = importBook({ accounts: csv(text), reps: csv("Id\nr1\nr2\n") });
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.mapping.accounts).toMatchObject({ id: "AccountId", owner: "OwnerId" });
    expect(back.plan.customers.map((c) => [c.id, c.currentRep])).toEqual(solution.assignments.map((a) => [a.customer, a.rep]));
  });

  it("from a saved plan's placements: moved and unassigned customers with their reasons", () => {
    const overview = { unassigned: [{ customer: "c3", reason: "no capacity left" }] };
    const e = exportFromPlacements(PLAN, overview as Parameters<typeof exportFromPlacements>[1], [
      { customer: "c1", rep: "r2", expectedValue: 10 },
      { customer: "c2", rep: "r1", expectedValue: 9 },
      { customer: "c3", rep: null, expectedValue: null },
    ]);
    expect(e.rows.map((r) => [r.customer, r.rep, r.moved, r.reason])).toEqual([
      ["c1", "r2", true, "moved from r1"],
      ["c2", "r1", false, "kept with its owner"],
      ["c3", null, false, "unassigned: no capacity left"],
    ]);
  });
});

describe("the assignments workbook", () => {
  it("has the assignments, reps, moves and summary sheets, with the bound, gap and the uplift over the classic methods", async () => {
    const { solution } = await solvePlan(PLAN);
    const buffer = await assignmentsWorkbook(exportFromSolution(PLAN, solution));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Assignments", "Reps", "Moves", "Summary"]);
    const values = (name: string) => {
      const out: unknown[][] = [];
      wb.getWorksheet(name)?.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    expect(values("Assignments").length).toBe(1 + PLAN.customers.length);
    expect(values("Moves")).toEqual([["AccountId", "From", "To", "Reason", "ExpectedValue"], ["c1", "r1", "r2", expect.stringMatching(/^moved from r1/), 10]]);
    expect(values("Reps").slice(1).map((r) => r.slice(0, 3))).toEqual([
      ["r1", 2, 2],
      ["r2", 1, 2],
    ]);
    const summary = new Map(values("Summary").map((r) => [r[0], r[1]] as const));
    expect(summary.get("objective")).toBe(23);
    expect(summary.get("bound (proven upper bound)")).toBe(solution.bound);
    expect(summary.get("moves")).toBe(1);
    for (const method of ["round-robin", "least-loaded", "value-tiers", "first-match"]) expect(summary.has(`uplift over ${method}`)).toBe(true);
    // The workbook reads back as a table (first sheet) like any import.
    const table = await readTable(buffer, "export.xlsx");
    expect(table.header).toEqual(ASSIGNMENT_CSV_HEADER);
  });
});
