/**
 * What every browser test needs: the service on loopback (its own pool and an in-memory store
 * unless told otherwise), Debian's Chromium driven by playwright-core with every request that is
 * not to the service aborted, and axe-core's serious and critical violations of the page.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { createApp } from "../api/app.ts";
import { loadConfig } from "../api/config.ts";
import { createServiceState } from "../api/service-state.ts";
import { createSolvePool, type SolvePool } from "../src/runtime/solve-pool.ts";
import { silentLogger } from "./api-test-service.ts";

export const CHROMIUM = process.env.ALLOT_TEST_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface PageService {
  base: string;
  pool: SolvePool;
  close(): Promise<void>;
}

/** The service on 127.0.0.1 with a pool of 2, silent logs and `env` over an in-memory store. */
export async function startPageService(env: Record<string, string> = {}): Promise<PageService> {
  const config = loadConfig({ ALLOT_POOL_SIZE: "2", LOG_LEVEL: "silent", ALLOT_DB_PATH: ":memory:", ...env });
  const pool = createSolvePool({ size: config.pool.size, maxQueue: config.pool.queueLength, deadlineMarginMs: config.pool.deadlineMarginMs });
  const app = createApp({ config, pool, logger: silentLogger, state: createServiceState() });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    pool,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close({ graceMs: 0 });
    },
  };
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh Chromium profile that may reach `base` and nothing else. */
export async function openBrowser(base: string): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), "allot-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = context.pages()[0] ?? (await context.newPage());
  // Nothing but the service on loopback: any other request fails the test.
  await context.route(/.*/, (route) => (route.request().url().startsWith(base) ? route.continue() : route.abort()));
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, evaluated in the page (this file is compiled without the DOM library).
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Records the page's uncaught errors and console errors into `errors`. */
export function collectPageErrors(page: Page, errors: string[]): void {
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
}
