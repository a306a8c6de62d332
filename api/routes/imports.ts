/**
 * POST /v1/imports: CRM exports (multipart files accounts, reps, opportunities; fields mapping and
 * policy) → { plan, mapping, report } (src/imports/). File problems are 415 (not a table) or 422
 * (no header, a malformed CSV, a missing column), naming the file and row; the plan is checked like
 * the body of /v1/solve, limits included.
 */
import type { RequestHandler } from "express";
import type { FieldError, ImportResult } from "../../models/index.ts";
import { FileFormatError } from "../../src/formats/file-format-error.ts";
import type { Table } from "../../src/formats/table.ts";
import { importBook, type BookFiles } from "../../src/imports/book-import.ts";
import { readTable } from "../../src/imports/read-table.ts";
import type { ServiceConfig } from "../config.ts";
import { readMultipart } from "../multipart-files.ts";
import { readPlan } from "../plan-input.ts";
import { sendProblem } from "../problem-details.ts";
import { serverTiming } from "../server-timing.ts";

const FILES = ["accounts", "reps", "opportunities"] as const;
const FIELDS = ["mapping", "policy"] as const;

export function importRoute(deps: { config: ServiceConfig }): RequestHandler {
  const { config } = deps;
  return async (req, res) => {
    const start = performance.now();
    if (req.is("multipart/form-data") !== "multipart/form-data") {
      sendProblem(req, res, "unsupported-media-type", "Send the files as multipart/form-data (fields accounts, reps, opportunities, mapping, policy).");
      return;
    }
    const body = await readMultipart(req, { files: FILES, fields: FIELDS, limitBytes: config.importLimitBytes });
    if (!body.ok) {
      res.setHeader("Connection", "close");
      sendProblem(req, res, body.kind, body.detail, body.path === undefined ? {} : { errors: [{ path: body.path, message: body.detail }] });
      return;
    }
    const uploadMs = performance.now() - start;
    const missing: FieldError[] = (["accounts", "reps"] as const).filter((f) => !body.files.has(f)).map((f) => ({ path: f, message: `the ${f} file is required` }));
    if (missing.length > 0) {
      sendProblem(req, res, "invalid-import", `The import needs the files accounts and reps; see errors.`, { errors: missing });
      return;
    }
    const json: Record<string, unknown> = {};
    for (const name of FIELDS) {
      const text = body.fields.get(name);
      if (text === undefined || text.trim() === "") continue;
      try {
        json[name] = JSON.parse(text);
      } catch {
        sendProblem(req, res, "invalid-import", `The ${name} field is not valid JSON.`, { errors: [{ path: name, message: "not valid JSON" }] });
        return;
      }
    }
    const tables: Partial<Record<(typeof FILES)[number], Table>> = {};
    for (const name of FILES) {
      const file = body.files.get(name);
      if (file === undefined) continue;
      try {
        tables[name] = await readTable(file.bytes, file.fileName);
      } catch (error) {
        if (!(error instanceof FileFormatError)) throw error;
        const where = error.row === null ? name : `${name}[row ${error.row}]`;
        const message = `${file.fileName}: ${error.message}`;
        sendProblem(req, res, error.kind === "unreadable" ? "unreadable-file" : "invalid-import", `The ${name} file cannot be read: ${message}.`, { errors: [{ path: where, message }] });
        return;
      }
    }
    const readMs = performance.now() - start - uploadMs;
    const { accounts, reps, opportunities } = tables;
    if (accounts === undefined || reps === undefined) return;
    const files: BookFiles = opportunities === undefined ? { accounts, reps } : { accounts, reps, opportunities };
    const result = importBook(files, { ...(json.mapping === undefined ? {} : { mapping: json.mapping }), ...(json.policy === undefined ? {} : { policy: json.policy }) });
    if (!result.ok) {
      sendProblem(req, res, result.kind, result.detail, { errors: result.errors });
      return;
    }
    const checked = readPlan(result.plan, config.limits);
    if (!checked.ok) {
      sendProblem(req, res, checked.kind, checked.detail, { errors: checked.errors });
      return;
    }
    const answer: ImportResult = { plan: checked.plan, mapping: result.mapping, report: result.report };
    res.setHeader("Server-Timing", serverTiming({ upload: uploadMs, read: readMs, import: performance.now() - start - uploadMs - readMs }));
    res.status(200).type("application/json").send(JSON.stringify(answer));
  };
}
