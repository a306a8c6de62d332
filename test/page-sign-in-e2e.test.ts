/**
 * The workspace page's sign-in in a real Chromium against the real service with keys required:
 * the sign-in form (a labelled password field) refuses a wrong key; a viewer's session reads the
 * saved versions but is shown no Solve, Import, Save or Activate control; a planner's session
 * solves the sample (a job, its progress over SSE through the cookie) and saves a version (the
 * CSRF token sent by the page); an integrator is told the page is for planners; signing out brings
 * the form back and the old cookie is refused by the service. axe-core on every screen.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobSummary, PlanVersion } from "../models/index.ts";
import { collectPageErrors, openBrowser, seriousViolations, startPageService, type BrowserSession, type PageService } from "./browser-harness.ts";
import { tinyPlan } from "./tiny-plan.ts";

const PLANNER = "page-planner-key-000001";
const VIEWER = "page-viewer-key-0000001";
const INTEGRATOR = "page-integrator-key-001";

let service: PageService;
let browser: BrowserSession;
let base: string;
let page: Page;
const errors: string[] = [];

const asPlanner = { authorization: `Bearer ${PLANNER}` };

beforeAll(async () => {
  service = await startPageService({ ALLOT_API_KEYS: `${PLANNER}:planner,${VIEWER}:viewer,${INTEGRATOR}:integrator`, ALLOT_REQUIRE_KEYS: "true" });
  base = service.base;
  // A saved version for the viewer to read.
  const saved = await fetch(`${base}/v1/plans`, { method: "POST", headers: { ...asPlanner, "content-type": "application/json" }, body: JSON.stringify({ label: "saved by the API", plan: tinyPlan }) });
  expect(saved.status).toBe(200);
  browser = await openBrowser(base);
  page = browser.page;
  collectPageErrors(page, errors);
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
});

/** The session cookie the browser holds, as a Cookie header (checked to be HttpOnly and SameSite=Strict). */
async function sessionCookie(): Promise<string> {
  const cookie = (await browser.context.cookies(base)).find((c) => c.name === "allot_session");
  if (cookie === undefined) throw new Error("no session cookie");
  expect([cookie.httpOnly, cookie.sameSite, cookie.path, cookie.secure]).toEqual([true, "Strict", "/", false]);
  return `allot_session=${cookie.value}`;
}

async function signIn(key: string): Promise<void> {
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByTestId("session-bar").waitFor();
}

/** Signs out from the page: the form comes back, and the service refuses the old cookie. */
async function signOutAndCheck(): Promise<void> {
  const cookie = await sessionCookie();
  expect((await fetch(`${base}/v1/session`, { headers: { cookie } })).status).toBe(200);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  expect((await fetch(`${base}/v1/session`, { headers: { cookie } })).status).toBe(401);
  expect((await fetch(`${base}/v1/plans`, { headers: { cookie } })).status).toBe(401);
  expect((await browser.context.cookies(base)).some((c) => c.name === "allot_session")).toBe(false);
}

const tabNames = async () => (await page.getByRole("tab").allTextContents()).map((t) => t.trim());

describe("the page signs in", () => {
  it("shows a labelled password field, refuses a wrong key, and lets a viewer read the versions without any planning control", async () => {
    await page.goto(`${base}/`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getByLabel("API key").getAttribute("type")).toBe("password");
    expect(await page.getByRole("tab").count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel("API key").fill("not-a-key-of-this-service");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect.poll(() => page.getByTestId("sign-in-error").textContent()).toContain("not valid");
    expect(await seriousViolations(page)).toEqual([]);

    await signIn(VIEWER);
    expect(await page.getByTestId("session-role").textContent()).toBe("viewer");
    expect(await page.getByTestId("session-bar").textContent()).toContain("ALLOT_API_KEYS");
    expect(await tabNames()).toEqual(["Plan", "Publish"]);
    await expect.poll(() => page.getByRole("button", { name: "Try the sample", exact: true }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Import", exact: true }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("tab", { name: "Publish" }).click();
    const versions = page.getByTestId("versions");
    await expect.poll(() => versions.locator("tbody tr").count()).toBe(1);
    expect(await versions.textContent()).toContain("saved by the API");
    expect(await page.getByRole("button", { name: /^Activate/ }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Save as a version" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "v1 as CSV" }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    // A reload keeps the session (the cookie, and the CSRF token kept for the tab).
    await page.reload();
    await page.getByTestId("session-bar").waitFor();
    expect(await tabNames()).toEqual(["Plan", "Publish"]);

    await signOutAndCheck();
    expect(errors.filter((e) => !e.includes("401"))).toEqual([]);
  });

  it("lets a planner solve the sample as a job (progress over SSE with the cookie) and save a version with the CSRF token", async () => {
    await page.goto(`${base}/`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await signIn(PLANNER);
    expect(await page.getByTestId("session-role").textContent()).toBe("planner");
    expect(await tabNames()).toEqual(["Plan", "Solve and results", "Trade-offs", "What-if", "Publish"]);
    // Polled: the Plan tab's controls render just after the tab list.
    await expect.poll(() => page.getByRole("button", { name: "Import", exact: true }).count()).toBe(1);

    await page.getByRole("button", { name: "Try the sample", exact: true }).click();
    await expect.poll(() => page.getByTestId("plan-summary").textContent()).toContain("300 customers, 12 reps");
    await page.getByRole("tab", { name: "Solve and results" }).click();
    await page.getByRole("button", { name: "Solve", exact: true }).click();
    await page.getByTestId("results").waitFor({ timeout: 60_000 });
    expect(Number(await page.getByTestId("progress-count").getAttribute("data-updates"))).toBeGreaterThanOrEqual(1);
    const jobs = (await (await fetch(`${base}/v1/jobs?limit=5`, { headers: asPlanner })).json()) as { items: JobSummary[] };
    expect(jobs.items.map((j) => [j.kind, j.state])).toContainEqual(["solve", "succeeded"]);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("tab", { name: "Publish" }).click();
    await page.getByLabel("Version label").fill("signed-in draft");
    await page.getByRole("button", { name: "Save as a version" }).click();
    await expect.poll(() => page.getByTestId("publish-status").textContent(), { timeout: 60_000 }).toContain("Saved version 2");
    await page.getByRole("button", { name: "Activate v2" }).click();
    await expect.poll(() => page.getByTestId("versions").locator("td[data-col=state]").first().textContent()).toBe("active");
    const saved = (await (await fetch(`${base}/v1/plans`, { headers: asPlanner })).json()) as { items: PlanVersion[] };
    expect(saved.items.map((v) => [v.label, v.state])).toEqual([
      ["signed-in draft", "active"],
      ["saved by the API", "draft"],
    ]);
    expect(await seriousViolations(page)).toEqual([]);

    await signOutAndCheck();
  });

  it("tells an integrator the page is for planners", async () => {
    await page.goto(`${base}/`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await signIn(INTEGRATOR);
    expect(await page.getByTestId("integrator-notice").textContent()).toContain("This page is for planners");
    expect(await page.getByRole("tab").count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await signOutAndCheck();
  });
});
