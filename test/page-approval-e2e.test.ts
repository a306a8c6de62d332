/**
 * The Publish tab's version controls in a real Chromium against the real service (with
 * ALLOT_REQUIRE_APPROVAL=true): activation refused until the version is approved, submit and
 * approve with a name and a comment (the submitter cannot approve), the history shown; a scheduled
 * activation made from the date and time input and cancelled; and a roll back whose preview (what
 * is carried over, what no longer fits) comes first and changes nothing until confirmed. Controls
 * are reached by their labels and names, some by keyboard only; axe-core finds no serious
 * violation.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan, PlanVersion, PlanVersionDetail } from "../models/index.ts";
import { collectPageErrors, openBrowser, seriousViolations, startPageService, type BrowserSession, type PageService } from "./browser-harness.ts";

let service: PageService;
let browser: BrowserSession;
let base: string;
let page: Page;

beforeAll(async () => {
  service = await startPageService({ ALLOT_REQUIRE_APPROVAL: "true" });
  base = service.base;
  browser = await openBrowser(base);
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
});

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${url}`, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** v1: own1 on ra, which has one seat left. */
const EARLY: Plan = {
  customers: [{ id: "own1", value: 100 }],
  reps: [
    { id: "ra", maxAccounts: 2 },
    { id: "rb", maxAccounts: 5 },
  ],
  policy: { locks: [{ customer: "own1", rep: "ra" }] },
};
/** v2: room everywhere; pairs are scored externally so each routing call picks its rep. */
const LATE: Plan = {
  customers: [{ id: "l1", value: 5 }],
  reps: [
    { id: "ra", maxAccounts: 10 },
    { id: "rb", maxAccounts: 10 },
  ],
  pairs: [{ customer: "l1", rep: "rb", score: 1 }],
};

const status = () => page.getByTestId("version-control-status").textContent();

describe("version controls on the Publish tab", () => {
  it("gates activation on approval, schedules and cancels, and rolls back after a preview", async () => {
    const errors: string[] = [];
    collectPageErrors(page, errors);
    // v1 approved and active, then v2 (approved below, in the page) replaces it.
    const v1 = await api<PlanVersion>("POST", "/v1/plans", { label: "early", plan: EARLY });
    await api("POST", `/v1/plans/${v1.id}/approval`, { action: "submit", by: "ana" });
    await api("POST", `/v1/plans/${v1.id}/approval`, { action: "approve", by: "bo" });
    await api("POST", `/v1/plans/${v1.id}/activate`);
    const v2 = await api<PlanVersion>("POST", "/v1/plans", { label: "late", plan: LATE });

    await page.goto(`${base}/`);
    // The Publish tab opens once a plan is loaded in the workspace.
    await page.getByRole("button", { name: "Try the sample", exact: true }).click();
    await expect.poll(() => page.getByTestId("plan-summary").textContent()).toContain("customers");
    await page.getByRole("tab", { name: "Publish" }).click();
    await page.getByRole("button", { name: "Activate v2" }).click();
    await expect.poll(() => page.getByTestId("publish-status").textContent()).toMatch(/not approved/);

    // Approval, by keyboard: the submitter cannot approve; another name can.
    await page.getByRole("button", { name: "Manage v2" }).focus();
    await page.keyboard.press("Enter");
    await page.getByLabel("Your name").fill("ana");
    await page.getByLabel("Comment").fill("ready for Q1");
    await page.getByRole("button", { name: "Submit for approval" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(status).toBe("Approval: submitted.");
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await expect.poll(status).toMatch(/another person must approve/);
    await page.getByLabel("Your name").fill("bo");
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await expect.poll(status).toBe("Approval: approved.");
    expect(await page.getByTestId("approval-history").locator("li").allTextContents()).toEqual([
      expect.stringMatching(/^submit by ana at .*: ready for Q1$/),
      expect.stringMatching(/^approve by bo at /),
    ]);
    expect(await seriousViolations(page)).toEqual([]);

    // A scheduled activation, far ahead, then cancelled.
    await page.getByLabel("Activate at").fill("2999-06-01T09:30");
    await page.getByRole("button", { name: "Schedule activation" }).click();
    await expect.poll(status).toMatch(/^Scheduled: active from /);
    const waiting = (await api<PlanVersionDetail>("GET", `/v1/plans/${v2.id}`)).schedules;
    expect(waiting.map((s) => [s.state, s.activateAt])).toEqual([["scheduled", new Date(2999, 5, 1, 9, 30).toISOString()]]);
    await page.getByRole("button", { name: /^Cancel the schedule for / }).click();
    await expect.poll(status).toBe("Schedule cancelled.");
    expect((await api<PlanVersionDetail>("GET", `/v1/plans/${v2.id}`)).schedules.map((s) => s.state)).toEqual(["cancelled"]);

    // Now v2 can be activated; two customers are routed under it, both to ra.
    await page.getByRole("button", { name: "Activate v2" }).click();
    await expect.poll(() => page.locator(`tr[data-plan-id="${v2.id}"] td[data-col=state]`).textContent()).toBe("active");
    for (const id of ["x1", "x2"]) {
      expect(await api("POST", "/v1/route", { customer: { id, value: 10 }, pairs: [{ rep: "ra", score: 1 }] })).toMatchObject({ rep: "ra" });
    }

    // Roll back to v1: the preview first (ra has one seat left under v1: x1 fits, x2 does not), nothing changed; then confirm.
    await page.getByRole("button", { name: "Manage v1" }).click();
    await page.getByRole("button", { name: "Preview roll back" }).click();
    await expect.poll(status).toMatch(/^Preview: 2 routed customers carried over, 1 no longer fit/);
    const preview = page.getByTestId("rollback-preview");
    expect(await preview.locator("tbody tr").evaluateAll((rows) => rows.map((r) => [r.querySelector("th")?.textContent, r.getAttribute("data-outcome")]))).toEqual([
      ["x1", "kept"],
      ["x2", "no-room"],
    ]);
    expect((await api<PlanVersionDetail>("GET", `/v1/plans/${v1.id}`)).plan.state).toBe("archived");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Confirm roll back" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(`tr[data-plan-id="${v1.id}"] td[data-col=state]`).textContent()).toBe("active");
    expect((await api<PlanVersionDetail>("GET", `/v1/plans/${v2.id}`)).plan.state).toBe("archived");
    const carried = await api<{ items: { customer: string; rep: string | null }[] }>("GET", `/v1/plans/${v1.id}/assignments`);
    expect(carried.items.map((a) => [a.customer, a.rep])).toEqual([
      ["own1", "ra"],
      ["x1", "ra"],
      ["x2", null],
    ]);
    expect(errors.filter((e) => !/409/.test(e))).toEqual([]);
  }, 120_000);
});
