/**
 * Pagination of the list endpoints: `?limit=` (1–500, default 50) and `?cursor=` (opaque, from the
 * previous page's `nextCursor`). A cursor names its list, so one taken from another list is refused
 * rather than silently misread. The app's query parser is off: parameters are read from the URL.
 */
import type { Request } from "express";
import type { FieldError } from "../models/index.ts";
import type { PageRequest } from "../src/storage/plan-store.ts";

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

export type PageQuery = { ok: true; page: PageRequest } | { ok: false; errors: FieldError[] };

/** The request's query parameters (first value of each name). */
export function queryOf(req: Request): URLSearchParams {
  const at = req.originalUrl.indexOf("?");
  return new URLSearchParams(at < 0 ? "" : req.originalUrl.slice(at + 1));
}

/** An opaque cursor for position `after` in list `list`. */
export function encodeCursor(list: string, after: number): string {
  return Buffer.from(`${list}:${after}`, "utf8").toString("base64url");
}

function decodeCursor(list: string, cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const decoded = Buffer.from(cursor, "base64url").toString("utf8");
  const prefix = `${list}:`;
  if (!decoded.startsWith(prefix)) return null;
  const position = decoded.slice(prefix.length);
  return /^\d{1,15}$/.test(position) ? Number(position) : null;
}

/** Reads `limit` and `cursor` for the list named `list` (e.g. "plans"). */
export function readPageQuery(req: Request, list: string): PageQuery {
  const query = queryOf(req);
  const errors: FieldError[] = [];
  let limit = DEFAULT_PAGE_LIMIT;
  const rawLimit = query.get("limit");
  if (rawLimit !== null) {
    if (/^\d{1,4}$/.test(rawLimit) && Number(rawLimit) >= 1 && Number(rawLimit) <= MAX_PAGE_LIMIT) limit = Number(rawLimit);
    else errors.push({ path: "limit", message: `must be an integer from 1 to ${MAX_PAGE_LIMIT}` });
  }
  let after: number | null = null;
  const rawCursor = query.get("cursor");
  if (rawCursor !== null && rawCursor !== "") {
    after = decodeCursor(list, rawCursor);
    if (after === null) errors.push({ path: "cursor", message: "is not a cursor of this list (use nextCursor from the previous page)" });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, page: { limit, after } };
}

/** The `nextCursor` of a page. */
export function nextCursor(list: string, next: number | null): string | null {
  return next === null ? null : encodeCursor(list, next);
}
