import { describe, expect, it } from "vitest";
import type { DataQualityIssue, DataQualityKind, DataQualityReport } from "../models/index.ts";
import { sampleCrmCsv } from "../data/crm-export.ts";
import { readCsvTable } from "../src/formats/csv-table.ts";
import { FileFormatError } from "../src/formats/file-format-error.ts";
import { importBook, type BookImport } from "../src/imports/book-import.ts";
import { detectMapping } from "../src/imports/mapping-detection.ts";
import { readTable } from "../src/imports/read-table.ts";
import { canonicalPlan, crmFile, csv, samplePlan } from "./imports-fixtures.ts";

const REPS = "Id,Name,Email\nr1,Ana Lima,ana@example.com\nr2,Bo Berg,bo@example.com\n";

function ok(result: BookImport): Extract<BookImport, { ok: true }> {
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.errors)}`);
  return result;
}

const issue = (report: DataQualityReport, kind: DataQualityKind): DataQualityIssue | undefined => report.issues.find((i) => i.kind === kind);

describe("the sample CRM export (data/crm/)", () => {
  it("is what data/crm-export.ts writes from data/sample-book.json", () => {
    for (const [name, text] of Object.entries(sampleCrmCsv())) expect(crmFile(name).toString("utf8")).toBe(text);
  });

  it("imports back to the sample book's customers, reps and history, with the Salesforce mapping detected and nothing to report", async () => {
    const plan = samplePlan();
    const files = { accounts: await readTable(crmFile("accounts.csv"), "accounts.csv"), reps: await readTable(crmFile("users.csv"), "users.csv"), opportunities: await readTable(crmFile("opportunities.csv"), "opportunities.csv") };
    const result = ok(importBook(files, { policy: plan.policy }));
    expect(canonicalPlan(result.plan)).toBe(canonicalPlan(plan));
    expect(result.mapping.source).toBe("salesforce");
    expect(result.mapping.accounts).toMatchObject({ id: "Id", owner: "OwnerId", value: "AnnualRevenue", segment: "Industry", latitude: "BillingLatitude", longitude: "BillingLongitude" });
    expect(result.mapping.opportunities?.won).toEqual({ column: "IsWon", values: ["true", "1", "yes"] });
    expect(result.report.issues).toEqual([]);
    expect(result.report.imported).toEqual({ customers: 300, reps: 12, deals: plan.history?.reduce((s, o) => s + o.attempts, 0), historyRows: plan.history?.length });
  });

  it("gives the same customers from the .xlsx accounts as from the CSV", async () => {
    const reps = await readTable(crmFile("users.csv"), "users.csv");
    const fromCsv = ok(importBook({ accounts: await readTable(crmFile("accounts.csv"), "a.csv"), reps }));
    const fromXlsx = ok(importBook({ accounts: await readTable(crmFile("accounts.xlsx"), "a.xlsx"), reps }));
    expect(canonicalPlan(fromXlsx.plan)).toBe(canonicalPlan(fromCsv.plan));
  });

  it("imports the same plan again with the returned mapping, edited or not", async () => {
    const files = { accounts: await readTable(crmFile("accounts.csv"), "a.csv"), reps: await readTable(crmFile("users.csv"), "u.csv") };
    const first = ok(importBook(files));
    const again = ok(importBook(files, { mapping: JSON.parse(JSON.stringify(first.mapping)) }));
    expect(again.plan).toEqual(first.plan);
    const { segment: _dropped, ...accounts } = first.mapping.accounts;
    const edited = ok(importBook(files, { mapping: { ...first.mapping, accounts } }));
    expect(edited.plan.customers.every((c) => c.segment === undefined)).toBe(true);
    expect(issue(edited.report, "unmapped-columns")?.examples.map((e) => e.column)).toContain("Industry");
  });
});

describe("mapping detection", () => {
  it("recognises HubSpot company, owner and deal exports, owners given by name, the won stage and the deal's company", () => {
    const accounts = csv("Record ID,Company name,Company owner,Industry,Annual Revenue\n101,Acme GmbH,Ana Lima,Retail,\"120,000\"\n102,Globex,bo@example.com,Retail,80000\n");
    const reps = csv("Owner ID,Name,Email\no1,Ana Lima,ana@example.com\no2,Bo Berg,bo@example.com\n");
    const deals = csv("Record ID,Deal Stage,Amount,Close Date,Deal owner,Associated Company\nd1,closedwon,100,2026-01-01,Ana Lima,Acme GmbH\nd2,closedlost,100,2026-01-02,Ana Lima,Acme\nd3,appointmentscheduled,5,2026-02-01,Bo Berg,Globex\n");
    const result = ok(importBook({ accounts, reps, opportunities: deals }));
    expect(result.mapping.source).toBe("hubspot");
    expect(result.mapping.accounts).toMatchObject({ id: "Record ID", name: "Company name", owner: "Company owner", segment: "Industry", value: "Annual Revenue" });
    expect(result.mapping.opportunities?.columns).toMatchObject({ owner: "Deal owner", account: "Associated Company", amount: "Amount", closeDate: "Close Date" });
    expect(result.plan.customers).toEqual([
      { id: "101", value: 120000, segment: "Retail", currentRep: "o1" },
      { id: "102", value: 80000, segment: "Retail", currentRep: "o2" },
    ]);
    // d1 and d2 are closed (the second names its company without the legal suffix), d3 is open.
    expect(result.plan.history).toEqual([{ rep: "o1", segment: "Retail", wins: 1, attempts: 2 }]);
    expect(issue(result.report, "open-deal")?.count).toBe(1);
    // Grouped by what was done: the accounts' owners set to the rep's id, the deals counted for the rep.
    expect(result.report.issues.filter((i) => i.kind === "owner-matched-by-name").map((i) => [i.action, i.count])).toEqual([
      ["owner set to the rep's id", 2],
      ["counted for the rep", 2],
    ]);
    expect(issue(result.report, "cold-start-rep")?.examples.map((e) => e.value)).toEqual(["o2"]);
  });

  it("names the file and what is missing when no id column is found", () => {
    const detection = detectMapping({ accounts: ["Foo", "Bar"], reps: ["Id"] });
    expect(detection.ok).toBe(false);
    if (!detection.ok) expect(detection.problems).toEqual([{ file: "accounts", message: expect.stringContaining("no id column") }]);
    const result = importBook({ accounts: csv("Foo,Bar\n1,2\n"), reps: csv(REPS) });
    expect(result).toMatchObject({ ok: false, kind: "invalid-import", errors: [{ path: "accounts" }] });
  });

  it("refuses a given mapping that names a column the file lacks, or breaks the schema", () => {
    const files = { accounts: csv("Id,Value\na,1\n"), reps: csv(REPS) };
    expect(importBook(files, { mapping: { source: "custom", accounts: { id: "Id", value: "Revenue" }, reps: { id: "Id" } } })).toMatchObject({
      ok: false,
      kind: "invalid-import",
      errors: [{ path: "mapping.accounts.value", message: 'the accounts file has no column "Revenue"' }],
    });
    expect(importBook(files, { mapping: { accounts: { id: "Id" } } })).toMatchObject({ ok: false, kind: "invalid-import" });
  });
});

describe("the data-quality report", () => {
  const accounts = [
    "Id,Name,OwnerId,Industry,AnnualRevenue,BillingLatitude,BillingLongitude",
    "a1,Acme Inc.,r1,Retail,1000,48.85,2.35",
    "a2,ACME,r1,retail ,2000,-122.42,37.77", // likely duplicate of a1; spelling of Retail; swapped coordinates
    "a1,Again,r1,Retail,5,,", // duplicate id: skipped
    ",No id,r1,Retail,5,,", // no id: skipped
    "a3,Far,r9,RETAIL,abc,95,200", // unknown owner, unparsable value, coordinates out of range
    "a4,=HYPERLINK(\"http://x\"),Bo Berg,Retail,,,", // formula-like name, owner by name, missing value
    "a5,Huge,,Retail,50000000,,", // extreme value
    "a6,Short,r2", // ragged row
  ].join("\n");
  const result = ok(importBook({ accounts: csv(accounts), reps: csv(REPS) }));
  const r = result.report;

  it("skips rows without an id or with a repeated one, as errors with their rows", () => {
    expect(issue(r, "duplicate-id")).toMatchObject({ severity: "error", count: 1, examples: [{ file: "accounts", row: 4, column: "Id", value: "a1" }] });
    expect(issue(r, "missing-value")?.examples.some((e) => e.row === 5 && e.column === "Id")).toBe(true);
    expect(r.rows.accounts - r.imported.customers).toBe(2);
    expect(result.plan.customers.map((c) => c.id)).toEqual(["a1", "a2", "a3", "a4", "a5", "a6"]);
  });

  it("reports every changed or dropped value with its row and column, and what was done", () => {
    const byId = new Map(result.plan.customers.map((c) => [c.id, c] as const));
    expect(byId.get("a2")?.location).toEqual({ lat: 37.77, lon: -122.42 });
    expect(issue(r, "coordinates-swapped")).toMatchObject({ count: 1, examples: [{ row: 3 }] });
    expect(byId.get("a3")).toEqual({ id: "a3", value: 0, segment: "Retail" });
    expect(issue(r, "coordinates-out-of-range")).toMatchObject({ count: 1, action: "location left out", examples: [{ row: 6 }] });
    expect(issue(r, "unparsable-value")).toMatchObject({ examples: [{ row: 6, column: "AnnualRevenue", value: "abc" }], action: "set to 0" });
    expect(issue(r, "unknown-owner")).toMatchObject({ count: 1, examples: [{ row: 6, value: "r9" }] });
    expect(byId.get("a4")?.currentRep).toBe("r2");
    expect(issue(r, "formula-cell")).toMatchObject({ severity: "info", examples: [{ row: 7, column: "Name", value: '=HYPERLINK("http://x")' }] });
    expect(issue(r, "extreme-value")).toMatchObject({ count: 1, examples: [{ row: 8, value: "50000000" }] });
    expect(issue(r, "ragged-row")).toMatchObject({ count: 1, examples: [{ row: 9 }] });
  });

  it("merges segment spellings that differ by case or spacing into the most frequent one", () => {
    expect(new Set(result.plan.customers.flatMap((c) => (c.segment === undefined ? [] : [c.segment])))).toEqual(new Set(["Retail"]));
    expect(issue(r, "segment-spelling")).toMatchObject({ count: 1, action: 'merged into "Retail"' });
    expect(issue(r, "segment-spelling")?.examples[0]?.value?.split(" | ").sort()).toEqual(["RETAIL", "Retail", "retail"]);
  });

  it("finds likely duplicate accounts by normalised name, keeping both", () => {
    expect(issue(r, "likely-duplicate-account")).toMatchObject({ severity: "info", count: 1, examples: [{ value: "a1: Acme Inc. | a2: ACME" }] });
  });

  it("lists reps with no history as cold starts and customers no rep may take", () => {
    expect(issue(r, "cold-start-rep")?.count).toBe(2);
    const hard = ok(importBook({ accounts: csv("Id,Territory\na,north\nb,south\n"), reps: csv("Id,Territories\nr1,north\n") }, { policy: { territory: "hard" } }));
    expect(issue(hard.report, "no-eligible-rep")).toMatchObject({ count: 1, examples: [{ value: "b", row: 3 }] });
  });

  it("orders issues errors first, and every severity is one of the three", () => {
    const order = r.issues.map((i) => ({ error: 0, warning: 1, info: 2 })[i.severity]);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("counts deals whose account is unknown without a segment, and skips deals of unknown owners", () => {
    const deals = csv("Id,AccountId,OwnerId,IsWon\nd1,zz,r1,true\nd2,a1,nobody,false\nd2,a1,r1,false\n");
    const withDeals = ok(importBook({ accounts: csv("Id,Industry\na1,Retail\n"), reps: csv(REPS), opportunities: deals }));
    expect(withDeals.plan.history).toEqual([{ rep: "r1", wins: 1, attempts: 1 }]);
    expect(issue(withDeals.report, "unknown-account")).toMatchObject({ count: 1, examples: [{ value: "zz" }] });
    expect(issue(withDeals.report, "unknown-owner")).toMatchObject({ count: 1, action: "deal not counted" });
    expect(issue(withDeals.report, "duplicate-id")).toMatchObject({ count: 1, examples: [{ file: "opportunities", row: 4 }] });
  });
});

describe("bad files", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it("reads Latin-1 text (and says so), strips a byte-order mark, detects ; separators and keeps quoted newlines", () => {
    const latin1 = Buffer.from("Id;Name;AnnualRevenue\na1;Société Générale;1,5\n", "latin1");
    const t = readCsvTable(latin1);
    expect(t.rows[0]?.cells).toEqual(["a1", "Société Générale", "1,5"]);
    expect(t.notes.map((n) => n.kind)).toEqual(["latin-1"]);
    const bom = readCsvTable(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("Id,Name\na1,\"two\nlines\"\na2,x\n")]));
    expect(bom.header).toEqual(["Id", "Name"]);
    expect(bom.rows).toEqual([
      { row: 2, cells: ["a1", "two\nlines"] },
      { row: 3, cells: ["a2", "x"] },
    ]);
    const result = ok(importBook({ accounts: t, reps: csv(REPS) }));
    expect(result.plan.customers).toEqual([{ id: "a1", value: 1.5 }]);
    expect(issue(result.report, "encoding")).toMatchObject({ severity: "info", action: "read as Latin-1 (Windows-1252)" });
  });

  it("refuses binary data, a damaged workbook and garbage without line breaks with a FileFormatError", async () => {
    const binary = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    expect(() => readCsvTable(binary)).toThrow(FileFormatError);
    await expect(readTable(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), "a.xlsx")).rejects.toMatchObject({ kind: "unreadable" });
    await expect(readTable(bytes("Id\na\n"), "a.xls")).rejects.toMatchObject({ kind: "unreadable" });
    const garbage = bytes("x".repeat(3_000_000));
    expect(() => readCsvTable(garbage)).toThrow(expect.objectContaining({ kind: "malformed" }));
    expect(() => readCsvTable(bytes('Id,Name\na,"never closed\n'))).toThrow(expect.objectContaining({ kind: "malformed" }));
    expect(() => readCsvTable(bytes(""))).toThrow(expect.objectContaining({ kind: "malformed", row: 1 }));
  });

  it("reads an Excel formula's cached result and reports it", async () => {
    const ExcelJS = (await import("exceljs")).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Accounts");
    ws.addRow(["Id", "AnnualRevenue"]);
    ws.addRow(["a1", { formula: "1000*2", result: 2000 }]);
    const table = await readTable(Buffer.from(await wb.xlsx.writeBuffer()), "a.xlsx");
    const result = ok(importBook({ accounts: table, reps: csv(REPS) }));
    expect(result.plan.customers).toEqual([{ id: "a1", value: 2000 }]);
    expect(issue(result.report, "formula-cell")).toMatchObject({ severity: "warning", examples: [{ row: 2, column: "AnnualRevenue" }] });
  });
});
