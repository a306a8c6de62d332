/**
 * The workspace page in a real Chromium (Debian's, or ALLOT_TEST_CHROMIUM) against the real service
 * on loopback: a planner's path from the sample to a published plan (solve with progress, results,
 * explanation, frontier, what-if, save, activate, download), importing the sample CRM files (report,
 * an edited mapping re-imported, solve, CSV export), axe-core on every screen, cancelling a
 * running solve, and the time to render a 20,000 × 200 book's results (reported, not asserted). With
 * ALLOT_WRITE_SCREENSHOT=1 the results view is saved to docs/workspace-results.png.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateBook } from "../data/book-generator.ts";
import type { ImportMapping, ImportResult, JobSummary, PlanVersion, Solution } from "../models/index.ts";
import { collectPageErrors, openBrowser, seriousViolations as violationsOf, startPageService, type BrowserSession, type PageService } from "./browser-harness.ts";
import { projectRoot } from "./project-root.ts";

let service: PageService;
let browser: BrowserSession;
let base: string;
let page: Page;

beforeAll(async () => {
  service = await startPageService();
  base = service.base;
  browser = await openBrowser(base);
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
});

/** axe-core's serious and critical violations on the page as it is now. */
function seriousViolations(): Promise<string[]> {
  return violationsOf(page);
}

async function latestJobResult<T>(kind: string): Promise<T> {
  const jobs = (await (await fetch(`${base}/v1/jobs?limit=20`)).json()) as { items: JobSummary[] };
  const job = jobs.items.find((j) => j.kind === kind);
  if (job === undefined) throw new Error(`no ${kind} job`);
  const answer = await fetch(`${base}/v1/jobs/${job.id}/result`);
  if (answer.status !== 200) throw new Error(`the ${kind} job has no result (${answer.status})`);
  return (await answer.json()) as T;
}

/** The rows of a CSV file with a header, as records. */
function csvRecords(text: string): Record<string, string>[] {
  return parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
}

/** POST /v1/imports with the sample CRM files (data/crm/) and a mapping (null = detect). */
async function importSamples(mapping: ImportMapping | null): Promise<ImportResult> {
  const form = new FormData();
  for (const [field, file] of [["accounts", "accounts.csv"], ["reps", "users.csv"], ["opportunities", "opportunities.csv"]] as const) {
    form.append(field, new Blob([readFileSync(path.join(projectRoot, "data", "crm", file))], { type: "text/csv" }), file);
  }
  if (mapping !== null) form.append("mapping", JSON.stringify(mapping));
  const answer = await fetch(`${base}/v1/imports`, { method: "POST", body: form });
  if (answer.status !== 200) throw new Error(`import failed (${answer.status}): ${await answer.text()}`);
  return (await answer.json()) as ImportResult;
}

describe("the workspace page in Chromium", () => {
  it("takes a planner from the sample to a published plan", async () => {
    const errors: string[] = [];
    collectPageErrors(page, errors);

    await page.goto(`${base}/`);
    await expect(page.title()).resolves.toContain("Allot");
    expect(await seriousViolations()).toEqual([]);

    // Load the sample; the policy form shows its value band.
    await page.getByRole("button", { name: "Try the sample", exact: true }).click();
    await expect.poll(() => page.getByTestId("plan-summary").textContent()).toContain("300 customers, 12 reps");
    expect(await page.getByTestId("value-band").inputValue()).toBe("0.5");
    expect(await seriousViolations()).toEqual([]);

    // Solve as a job with live progress, from the keyboard: arrow to the next tab, Enter on Solve.
    await page.getByRole("tab", { name: "Plan" }).focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.getByRole("tab", { name: "Solve and results" }).getAttribute("aria-selected")).toBe("true");
    await page.getByRole("button", { name: "Solve", exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("results").waitFor({ timeout: 60_000 });
    expect(Number(await page.getByTestId("progress-count").getAttribute("data-updates"))).toBeGreaterThanOrEqual(1);
    const solution = await latestJobResult<Solution>("solve");
    expect(solution.verification.passed).toBe(true);
    expect(await page.getByTestId("result-status").textContent()).toContain(solution.status);

    // Read a rep's load from the reps table.
    const rep = solution.reps[0];
    if (rep === undefined) throw new Error("no reps");
    const row = page.getByTestId("reps-table").locator("tr", { has: page.locator(`th[scope=row]:text-is("${rep.id}")`) });
    expect((await row.locator("td[data-col=accounts]").textContent())?.trim()).toBe(`${rep.accounts} / 32`);

    // Open a move's explanation: it names the runner-up the solution gives.
    const moved = solution.assignments.filter((a) => a.moved);
    expect(moved.length).toBeGreaterThan(0);
    const first = moved[0];
    if (first === undefined) throw new Error("no moves");
    await page.getByTestId("moves-table").getByRole("button", { name: `Why? ${first.customer}` }).click();
    const explanation = page.getByTestId("move-explanation");
    await expect.poll(() => explanation.textContent()).toContain(`Why ${first.customer} went to ${first.rep}`);
    const runnerUp = first.explanation.runnerUp;
    expect(await page.getByTestId("runner-up").textContent()).toContain(runnerUp === null ? "No other rep" : `Runner-up: ${runnerUp.rep}`);
    expect(await page.getByTestId("uplift-table").locator("tbody tr").count()).toBe(solution.comparison?.baselines.length ?? -1);
    expect(await seriousViolations()).toEqual([]);
    if (process.env.ALLOT_WRITE_SCREENSHOT === "1") await page.screenshot({ path: path.join(projectRoot, "docs", "workspace-results.png"), fullPage: true });

    // What-if: without r01, side by side with the base.
    await page.getByRole("tab", { name: "What-if" }).click();
    await page.getByTestId("what-if-remove").selectOption("r01");
    await page.getByRole("button", { name: "Solve the what-if" }).click();
    const compare = page.getByTestId("what-if-compare");
    await compare.waitFor({ timeout: 60_000 });
    const whatIf = await latestJobResult<{ base: { objective: number | null }; scenarios: { objective: number | null; solution?: Solution }[] }>("scenarios");
    // The rep leaves: it stays in the plan as unavailable, with no customers.
    expect(whatIf.scenarios[0]?.solution?.reps.find((r) => r.id === "r01")?.accounts).toBe(0);
    const r01 = page.getByTestId("what-if-loads").locator("tr", { has: page.locator('th:text-is("r01")') });
    expect((await r01.locator("td").allTextContents())[1]).toBe("0");
    const objectiveRow = compare.locator("tr", { has: page.locator('th:text-is("Objective")') });
    const cells = await objectiveRow.locator("td").allTextContents();
    expect(cells).toHaveLength(2);
    expect(cells[0]).not.toBe(cells[1]);
    expect(await seriousViolations()).toEqual([]);

    // Trade-offs: the frontier of value against moves; picking a point sets the move budget.
    await page.getByRole("tab", { name: "Trade-offs" }).click();
    await page.getByRole("button", { name: "Compute the frontier" }).click();
    const useBudget = page.getByRole("button", { name: /^Use budget \d+$/ });
    await useBudget.first().waitFor({ timeout: 90_000 });
    // Budgets without a plan (too few moves for what must move) cannot be picked; the smallest one with a plan can.
    const frontier = (await latestJobResult<{ frontier: { maxMoves: number | null; objective: number | null }[] }>("reassign")).frontier;
    const withPlan = frontier.filter((p) => p.maxMoves !== null && p.objective !== null);
    const without = frontier.find((p) => p.maxMoves !== null && p.objective === null);
    if (without !== undefined) await expect.poll(() => page.getByRole("button", { name: `Use budget ${without.maxMoves}`, exact: true }).isDisabled()).toBe(true);
    const picked = String(withPlan[0]?.maxMoves);
    await page.getByRole("button", { name: `Use budget ${picked}`, exact: true }).click();
    await page.getByRole("tab", { name: "Plan" }).click();
    expect(await page.getByTestId("move-budget").inputValue()).toBe(picked);
    expect(await seriousViolations()).toEqual([]);

    // Publish: save, activate, and download the solution.
    await page.getByRole("tab", { name: "Publish" }).click();
    await page.getByLabel("Version label").fill("e2e draft");
    await page.getByRole("button", { name: "Save as a version" }).click();
    await expect.poll(() => page.getByTestId("publish-status").textContent(), { timeout: 60_000 }).toContain("Saved version 1");
    await page.getByRole("button", { name: "Activate v1" }).click();
    await expect.poll(() => page.getByTestId("versions").locator("td[data-col=state]").first().textContent()).toBe("active");
    const saved = (await (await fetch(`${base}/v1/plans`)).json()) as { items: PlanVersion[] };
    expect(saved.items.map((v) => [v.label, v.state])).toEqual([["e2e draft", "active"]]);
    expect(await seriousViolations()).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download the solution (JSON)" }).click()]);
    const downloaded = JSON.parse(readFileSync(await download.path(), "utf8")) as Solution;
    expect(downloaded.assignments.map((a) => [a.customer, a.rep, a.moved])).toEqual(solution.assignments.map((a) => [a.customer, a.rep, a.moved]));
    expect(downloaded.objective).toBe(solution.objective);

    // The saved version's assignments as CSV: the link downloads what the service serves, one row per customer.
    const version = saved.items[0];
    if (version === undefined) throw new Error("no saved version");
    const [versionCsv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "v1 as CSV", exact: true }).click()]);
    const versionText = readFileSync(await versionCsv.path(), "utf8");
    expect(versionText).toBe(await (await fetch(`${base}/v1/plans/${version.id}/assignments.csv`)).text());
    expect(csvRecords(versionText).map((r) => r.AccountId).sort()).toEqual(solution.assignments.map((a) => a.customer).sort());

    expect(errors).toEqual([]);
  }, 150_000);

  it("imports the sample CRM files, re-imports with an edited mapping, solves and exports the assignments as CSV", async () => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${base}/`);
    await page.getByRole("button", { name: "Try the sample CSVs" }).click();
    const summary = page.getByTestId("import-summary");
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain("imported 300 customers, 12 reps");
    expect(await page.getByTestId("import-accounts-name").textContent()).toBe("accounts.csv");
    expect(await page.getByTestId("mapping-accounts-segment").inputValue()).toBe("Industry");
    expect(await page.getByTestId("mapping-won-column").inputValue()).toBe("IsWon");
    const detectedHistory = Number(await page.getByTestId("history-rows").textContent());
    expect(await seriousViolations()).toEqual([]);

    // A column the file does not have: the service names the mapping's field, and the last good import stays.
    await page.getByTestId("mapping-accounts-segment").fill("Sector");
    await page.getByRole("button", { name: "Re-import with this mapping" }).click();
    await expect.poll(() => page.getByTestId("import-error").textContent(), { timeout: 30_000 }).toContain("mapping.accounts.segment");
    expect(Number(await page.getByTestId("history-rows").textContent())).toBe(detectedHistory);

    // Segments by territory instead of industry: the same import through the API gives the report the page shows.
    await page.getByTestId("mapping-accounts-segment").fill("Territory__c");
    await page.getByRole("button", { name: "Re-import with this mapping" }).click();
    await expect.poll(() => page.getByTestId("import-status").textContent(), { timeout: 30_000 }).toContain("with your mapping");
    const detected = await importSamples(null);
    const edited = await importSamples({ ...detected.mapping, source: "custom", accounts: { ...detected.mapping.accounts, segment: "Territory__c" } });
    expect(detected.report.imported.historyRows).toBe(detectedHistory);
    expect(edited.mapping.accounts.segment).toBe("Territory__c");
    expect(edited.report.imported.historyRows).not.toBe(detectedHistory);
    expect(Number(await page.getByTestId("history-rows").textContent())).toBe(edited.report.imported.historyRows);
    expect(await page.getByTestId("quality-report").locator("li[data-kind]").count()).toBe(edited.report.issues.length);
    expect(await page.getByTestId("mapping-accounts-segment").inputValue()).toBe("Territory__c");
    expect(await seriousViolations()).toEqual([]);

    // Use the plan, solve it, and export the solution: one CSV row per assignment, owner as solved.
    await page.getByRole("button", { name: /^Use this plan/ }).click();
    await expect.poll(() => page.getByTestId("plan-summary").textContent()).toContain(`300 customers, 12 reps, ${edited.report.imported.historyRows} history rows`);
    await page.getByRole("tab", { name: "Solve and results" }).click();
    await page.getByLabel("Compare with the classic methods").uncheck();
    await page.getByRole("button", { name: "Solve", exact: true }).click();
    await page.getByTestId("results").waitFor({ timeout: 60_000 });
    const solution = await latestJobResult<Solution>("solve");
    expect(solution.verification.passed).toBe(true);
    await page.getByRole("tab", { name: "Publish" }).click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download assignments (CSV)" }).click()]);
    const rows = csvRecords(readFileSync(await download.path(), "utf8"));
    const byAccount = new Map(rows.map((r) => [r.AccountId, r.OwnerId]));
    expect(rows).toHaveLength(solution.assignments.length);
    for (const a of solution.assignments) expect(byAccount.get(a.customer), a.customer).toBe(a.rep ?? "");
    expect(errors).toEqual([]);
  }, 120_000);

  it("cancels a running solve and keeps its best verified plan", async () => {
    const plan = generateBook({ seed: 3, customers: 20_000, reps: 200, territories: 10, policy: { timeLimitMs: 50_000 } });
    await page.goto(`${base}/`);
    await page.getByTestId("plan-file").setInputFiles({ name: "book-20k.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(plan)) });
    await page.getByRole("tab", { name: "Solve and results" }).click();
    await page.getByLabel("Compare with the classic methods").uncheck();
    await page.getByRole("button", { name: "Solve", exact: true }).click();
    const progress = page.getByTestId("progress-count");
    await expect.poll(async () => Number(await progress.getAttribute("data-updates")), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => page.getByTestId("solve-status").textContent(), { timeout: 30_000 }).toMatch(/cancelled/);
    const solution = await latestJobResult<Solution>("solve").catch(() => null);
    if (solution !== null) {
      // A plan was found before the stop: it is shown, and the solver says it was cancelled.
      expect(solution.solver.stoppedBy).toBe("cancelled");
      expect(await page.getByTestId("result-status").textContent()).toContain("cancelled");
    }
  }, 90_000);

  it("renders the results of a 20,000 × 200 book (time reported)", async () => {
    const plan = generateBook({ seed: 3, customers: 20_000, reps: 200, territories: 10, policy: { timeLimitMs: 4_000 } });
    await page.goto(`${base}/`);
    await page.getByTestId("plan-file").setInputFiles({ name: "book-20k.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(plan)) });
    await expect.poll(() => page.getByTestId("plan-summary").textContent()).toContain("20000 customers, 200 reps");
    await page.getByRole("tab", { name: "Solve and results" }).click();
    await page.getByLabel("Compare with the classic methods").uncheck();
    await page.getByRole("button", { name: "Solve", exact: true }).click();
    const results = page.getByTestId("results");
    await results.waitFor({ timeout: 60_000 });
    await expect.poll(() => results.getAttribute("data-render-ms"), { timeout: 10_000 }).not.toBeNull();
    const renderMs = Number(await results.getAttribute("data-render-ms"));
    // Virtualised: a handful of rows in the DOM, not 200 reps or thousands of moves.
    expect(await page.getByTestId("reps-table").locator("tbody tr").count()).toBeLessThan(60);
    console.log(`page-e2e: 20,000 × 200 results rendered ${renderMs.toFixed(0)} ms after the result arrived`);
    expect(renderMs).toBeGreaterThan(0);
  }, 90_000);
});
