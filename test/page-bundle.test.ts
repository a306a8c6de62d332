/**
 * The workspace page as the service serves it: the committed bundle (api/static/page/) is built
 * from the current sources (else: `npm run build:page`), GET / answers it under the service's CSP,
 * its assets are served and cached for good, and the sample book is at /samples/sample-book.json.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { PAGE_BUILD_SETTINGS } from "../api/page-build-settings.ts";
import { PAGE_BUNDLE_DIR, pageSourceHash, SOURCE_HASH_FILE } from "../api/page-files.ts";
import { appWithStubPool } from "./api-test-service.ts";
import { projectRoot } from "./project-root.ts";

describe("the workspace page's bundle", () => {
  it("is built from the current sources (run `npm run build:page` after changing api/page/)", () => {
    const recorded = readFileSync(path.join(PAGE_BUNDLE_DIR, SOURCE_HASH_FILE), "utf8").trim();
    expect(recorded).toBe(pageSourceHash(PAGE_BUILD_SETTINGS));
  });

  it("is served at / with scripts and styles from the service only", async () => {
    const { app } = appWithStubPool();
    const page = await request(app).get("/");
    expect(page.status).toBe(200);
    expect(page.type).toBe("text/html");
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "").filter((url) => !url.startsWith("data:"));
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      expect(asset.startsWith("/page/assets/")).toBe(true);
      const answer = await request(app).get(asset);
      expect(answer.status).toBe(200);
      expect(answer.headers["cache-control"]).toContain("immutable");
      expect(answer.body.length ?? answer.text.length).toBeGreaterThan(0);
    }
    const missing = await request(app).get("/page/assets/nothing-here.js");
    expect(missing.status).toBe(404);
    expect(missing.type).toBe("application/problem+json");
  });

  it("serves the sample book the page's \"Try the sample\" loads", async () => {
    const { app } = appWithStubPool();
    const answer = await request(app).get("/samples/sample-book.json");
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(readFileSync(path.join(projectRoot, "data", "sample-book.json"), "utf8"));
    expect((await request(app).post("/samples/sample-book.json")).status).toBe(405);
  });
});
