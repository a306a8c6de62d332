/**
 * The planner's controls in the workspace page, in a real Chromium against the real service on
 * loopback, on the sample book: pick a rep for an account from the keyboard and see the loads, the
 * objective and the cost against the solve equal what POST /v1/evaluate answers for that
 * assignment; drag another account onto a rep row (only the plan's key and the changes are sent);
 * undo; re-optimise around the change (the job's Solution honours it as an override and prices it,
 * and the page shows that cost); save a version, reject one move and accept another, and check the
 * new version keeps the rejected customer with its current rep. axe-core on each screen.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatNumber } from "../api/page/number-format.ts";
import type { AssignmentRecord, Evaluation, JobSummary, Plan, PlanVersion, Solution } from "../models/index.ts";
import { collectPageErrors, openBrowser, seriousViolations, startPageService, type BrowserSession, type PageService } from "./browser-harness.ts";

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

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const answer = await fetch(`${base}${path}`, init);
  if (!answer.ok) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
}

/** The result of the newest job of this kind that has one. */
async function newestJobResult<T>(kind: string, not?: string): Promise<{ id: string; result: T }> {
  const jobs = await json<{ items: JobSummary[] }>("/v1/jobs?limit=20");
  const job = jobs.items.find((j) => j.kind === kind && j.id !== not);
  if (job === undefined) throw new Error(`no ${kind} job`);
  return { id: job.id, result: await json<T>(`/v1/jobs/${job.id}/result`) };
}

/** POST /v1/evaluate with the whole assignment: the solve's, with `changes` over it. */
async function evaluateFromScratch(plan: Plan, solution: Solution, changes: ReadonlyMap<string, string>): Promise<Evaluation> {
  const assignment = [...solution.assignments.map((a) => ({ customer: a.customer, rep: changes.get(a.customer) ?? a.rep })), ...solution.unassigned.map((u) => ({ customer: u.customer, rep: changes.get(u.customer) ?? null }))];
  return json<Evaluation>("/v1/evaluate", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ plan, assignment }) });
}

const changesPanel = () => page.getByTestId("planner-changes");

/** Waits until the page shows the evaluation of exactly `n` changes. */
async function evaluated(n: number): Promise<void> {
  await expect.poll(async () => `${await changesPanel().getAttribute("data-changes")}/${await changesPanel().getAttribute("data-evaluated")}`, { timeout: 20_000 }).toBe(n === 0 ? "0/no" : `${n}/yes`);
}

/** The reps table's accounts cell of a rep. */
async function accountsCell(rep: string): Promise<string> {
  return ((await page.getByTestId("reps-table").locator(`tr[data-rep="${rep}"] td[data-col=accounts]`).textContent()) ?? "").trim();
}

/** Every rep's accounts cell as the page shows it equals the evaluation's loads; the objective and the cost too. */
async function expectPageShows(plan: Plan, solution: Solution, e: Evaluation): Promise<void> {
  for (const rep of e.reps) {
    const max = plan.reps.find((r) => r.id === rep.id)?.maxAccounts;
    expect(await accountsCell(rep.id)).toBe(`${rep.accounts} / ${max ?? "∞"}`);
  }
  expect(await page.getByTestId("changed-objective").textContent()).toBe(formatNumber(e.objective));
  expect(await page.getByTestId("change-cost").textContent()).toBe(formatNumber((solution.objective ?? NaN) - e.objective));
}

describe("the planner's controls in Chromium", () => {
  it("pick, drag, undo, re-optimise around the changes, review a saved version", async () => {
    const errors: string[] = [];
    collectPageErrors(page, errors);
    const evaluateBodies: string[] = [];
    page.on("request", (request) => {
      if (request.url() === `${base}/v1/evaluate`) evaluateBodies.push(request.postData() ?? "");
    });
    const plan = await json<Plan>("/samples/sample-book.json");

    await page.goto(`${base}/`);
    await page.getByRole("button", { name: "Try the sample", exact: true }).click();
    await page.getByRole("tab", { name: "Solve and results" }).click();
    await page.getByRole("button", { name: "Solve", exact: true }).click();
    await page.getByTestId("results").waitFor({ timeout: 60_000 });
    const { id: solveJob, result: solution } = await newestJobResult<Solution>("solve");
    expect(solution.verification.passed).toBe(true);
    const solvedRep = new Map(solution.assignments.map((a) => [a.customer, a.rep]));
    await evaluated(0);

    // The keyboard path: find c001, Tab to its rep picker (past the table's scroll box), arrow to another rep.
    const first = "c001";
    await page.getByTestId("accounts-filter").fill(first);
    await expect.poll(() => page.getByTestId("accounts-table").locator("tbody tr:not(.spacer)").count()).toBe(1);
    await page.getByTestId("accounts-filter").focus();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const picker = page.getByLabel(`Rep for ${first}`);
    expect(await page.evaluate("document.activeElement?.getAttribute('aria-label')")).toBe(`Rep for ${first}`);
    await page.keyboard.press("ArrowDown");
    await evaluated(1);
    const firstRep = await picker.inputValue();
    expect(firstRep).not.toBe(solvedRep.get(first));
    const afterPick = await evaluateFromScratch(plan, solution, new Map([[first, firstRep]]));
    await expectPageShows(plan, solution, afterPick);
    if (!afterPick.feasible) expect(await page.getByTestId("broken-list").locator("li").count()).toBe(afterPick.broken.length);
    expect(await seriousViolations(page)).toEqual([]);

    // Drag another account onto a rep row.
    await page.getByTestId("accounts-filter").fill("");
    const second = solution.assignments.find((a) => a.customer !== first)?.customer ?? "";
    const target = plan.reps.map((r) => r.id).findLast((r) => r !== solvedRep.get(second)) ?? "";
    // The last rep's row and the first accounts are both in view: drag from one to the other.
    const dst = page.getByTestId("reps-table").locator(`tr[data-rep="${target}"]`);
    await dst.evaluate((row) => row.scrollIntoView({ block: "start" }));
    await page.locator(`[data-customer="${second}"]`).dragTo(dst);
    await evaluated(2);
    expect(await page.getByLabel(`Rep for ${second}`).inputValue()).toBe(target);
    const afterDrag = await evaluateFromScratch(
      plan,
      solution,
      new Map([
        [first, firstRep],
        [second, target],
      ]),
    );
    await expectPageShows(plan, solution, afterDrag);
    // After the first call, the page sends the plan's key and the changes, not the book.
    const last = JSON.parse(evaluateBodies[evaluateBodies.length - 1] ?? "{}") as Record<string, unknown>;
    expect(Object.keys(last).sort()).toEqual(["assignment", "planKey"]);
    expect(evaluateBodies.filter((b) => b.includes('"plan"')).length).toBe(1);

    // Undo the drag: back to the one change.
    await page.getByRole("button", { name: `Undo: ${second} to ${target}` }).click();
    await evaluated(1);
    expect(await page.getByLabel(`Rep for ${second}`).inputValue()).toBe(solvedRep.get(second));
    await expectPageShows(plan, solution, afterPick);

    // Re-optimise around the change: a solve job with it as an override, priced.
    await page.getByRole("button", { name: "Re-optimise around my changes" }).click();
    await page.getByTestId("override-costs").waitFor({ timeout: 120_000 });
    const { result: reoptimised } = await newestJobResult<Solution>("solve", solveJob);
    expect(reoptimised.verification.passed).toBe(true);
    expect(reoptimised.assignments.find((a) => a.customer === first)?.rep).toBe(firstRep);
    const cost = reoptimised.advice?.overrides?.find((o) => o.customer === first);
    expect(cost?.rep).toBe(firstRep);
    expect(cost?.cost).not.toBeNull();
    expect(await page.getByTestId("override-costs").locator(`tr[data-customer="${first}"] td[data-col=cost]`).textContent()).toBe(formatNumber(cost?.cost));
    expect(await page.getByTestId("result-objective").textContent()).toBe(formatNumber(reoptimised.objective));
    await evaluated(0);
    expect(await seriousViolations(page)).toEqual([]);

    // Save a version, reject one move and accept another.
    await page.getByRole("button", { name: "Save as a version to review" }).click();
    const versionLine = page.getByTestId("review-version");
    await versionLine.waitFor({ timeout: 60_000 });
    const reviewedId = (await versionLine.getAttribute("data-plan-id")) ?? "";
    const current = new Map(plan.customers.map((c) => [c.id, c.currentRep ?? null]));
    const records = await json<{ items: AssignmentRecord[] }>(`/v1/plans/${reviewedId}/assignments?limit=500`);
    const moves = records.items.filter((a) => a.rep !== null && (current.get(a.customer) ?? null) !== null && a.rep !== current.get(a.customer) && a.customer !== first);
    expect(moves.length).toBeGreaterThanOrEqual(2);
    const [rejected, accepted] = moves;
    if (rejected === undefined || accepted === undefined) throw new Error("fewer than two moves");
    await page.getByRole("button", { name: `Reject the move of ${rejected.customer}` }).click();
    await page.getByRole("button", { name: `Accept the move of ${accepted.customer}` }).click();
    expect(await page.getByRole("button", { name: `Reject the move of ${rejected.customer}` }).getAttribute("aria-pressed")).toBe("true");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Send the review (1 accepted, 1 rejected)" }).click();
    const reviewOutcome = async () => ((await page.getByTestId("review-error").count()) > 0 ? `error: ${await page.getByTestId("review-error").textContent()}` : ((await page.getByTestId("review-status").textContent()) ?? ""));
    await expect.poll(reviewOutcome, { timeout: 60_000 }).toContain("saved from the review");
    const newId = (await versionLine.getAttribute("data-plan-id")) ?? "";
    expect(newId).not.toBe(reviewedId);
    const { plan: version } = await json<{ plan: PlanVersion }>(`/v1/plans/${newId}`);
    expect(version.label).toContain("reviewed: 1 accepted, 1 rejected");
    const after = new Map((await json<{ items: AssignmentRecord[] }>(`/v1/plans/${newId}/assignments?limit=500`)).items.map((a) => [a.customer, a.rep]));
    expect(after.get(rejected.customer)).toBe(current.get(rejected.customer));
    expect(after.get(accepted.customer)).toBe(accepted.rep);
    expect(after.get(first)).toBe(firstRep);
    const input = await json<Plan>(`/v1/plans/${newId}/input`);
    expect(input.policy?.overrides?.map((o) => [o.customer, o.rep]).sort()).toEqual(
      [
        [first, firstRep],
        [rejected.customer, current.get(rejected.customer)],
        [accepted.customer, accepted.rep],
      ].sort(),
    );
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 300_000);
});
