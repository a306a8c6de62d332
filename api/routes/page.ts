/**
 * GET /: the planner's workspace page (built from api/page/ into api/static/page/, see
 * docs/workspace.md), and GET /samples/sample-book.json: the sample book its "Try the sample"
 * button loads, and GET /samples/crm/*.csv: the sample CRM exports its "Try the sample CSVs" button
 * imports. Every file is read once, when the app is made.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { RequestHandler } from "express";
import { PAGE_BUNDLE_DIR, SAMPLE_BOOK_FILE, SAMPLE_CRM_DIR } from "../page-files.ts";

const NOT_BUILT = "<!doctype html><html lang=\"en\"><title>Allot</title><p>The workspace page is not built: run <code>npm run build:page</code>.</p></html>";

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

export function pageRoute(): RequestHandler {
  const html = readOr(path.join(PAGE_BUNDLE_DIR, "index.html"), NOT_BUILT);
  return (_req, res) => {
    res.setHeader("Cache-Control", "no-cache");
    res.type("text/html").send(html);
  };
}

export function sampleBookRoute(): RequestHandler {
  const json = readFileSync(SAMPLE_BOOK_FILE, "utf8");
  return (_req, res) => {
    res.type("application/json").send(json);
  };
}

/** One of data/crm/: accounts.csv, users.csv (the reps) or opportunities.csv. */
export function sampleCrmRoute(file: "accounts.csv" | "users.csv" | "opportunities.csv"): () => RequestHandler {
  return () => {
    const csv = readFileSync(path.join(SAMPLE_CRM_DIR, file), "utf8");
    return (_req, res) => {
      res.type("text/csv").send(csv);
    };
  };
}
