/**
 * The page's one way to call the service: JSON in, JSON out, and every problem+json answer turned
 * into an ApiError whose message names the fields at fault (as the service reports them). When the
 * page is signed in, every state-changing request carries the session's CSRF token
 * (`X-CSRF-Token`); the session cookie itself is HttpOnly and travels by itself (same origin).
 */

const CSRF_STORAGE = "allot.csrfToken";
let csrfToken: string | null = readStoredToken();
let onUnauthorized: (() => void) | null = null;

function readStoredToken(): string | null {
  try {
    return window.sessionStorage.getItem(CSRF_STORAGE);
  } catch {
    return null;
  }
}

/** The session's CSRF token (kept for this tab, so a reload keeps working), or null to forget it. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  try {
    if (token === null) window.sessionStorage.removeItem(CSRF_STORAGE);
    else window.sessionStorage.setItem(CSRF_STORAGE, token);
  } catch {
    // Storage refused (private mode): the token lives until the page is left.
  }
}

export function hasCsrfToken(): boolean {
  return csrfToken !== null;
}

/** Called whenever the service answers 401 (the session ended): the page goes back to its sign-in. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** The headers of a state-changing request: the CSRF token when signed in. */
export function changeHeaders(headers: Record<string, string> = {}): Record<string, string> {
  return csrfToken === null ? headers : { ...headers, "x-csrf-token": csrfToken };
}
export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: readonly FieldError[],
  ) {
    super(message);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fieldErrors(body: unknown): FieldError[] {
  if (!isRecord(body) || !Array.isArray(body.errors)) return [];
  return body.errors.flatMap((item: unknown) =>
    isRecord(item) && typeof item.path === "string" && typeof item.message === "string" ? [{ path: item.path, message: item.message }] : [],
  );
}

/** The problem's words: its detail and, for each field at fault, "path: message". */
export function problemText(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.errors.slice(0, 8).map((e) => `${e.path === "" ? "(body)" : e.path}: ${e.message}`);
    return [error.message, ...fields].join("\n");
  }
  return error instanceof Error ? error.message : String(error);
}

/** A file the service answers with (an export), or its problem+json as an ApiError. */
export async function fileAnswer(response: Response): Promise<Blob> {
  if (!response.ok) await answer<unknown>(response);
  return response.blob();
}

async function answer<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === "" ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (response.status === 401) onUnauthorized?.();
  if (!response.ok) {
    const detail = isRecord(body) && typeof body.detail === "string" ? body.detail : `${response.status} ${response.statusText}`;
    throw new ApiError(detail, response.status, fieldErrors(body));
  }
  return body as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return answer<T>(await fetch(path, { headers: { accept: "application/json" } }));
}

export async function sendJson<T>(method: "POST" | "DELETE", path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: changeHeaders({ accept: "application/json" }) };
  if (body !== undefined) {
    init.headers = changeHeaders({ accept: "application/json", "content-type": "application/json" });
    init.body = JSON.stringify(body);
  }
  return answer<T>(await fetch(path, init));
}

/** A multipart POST (the import API). */
export async function sendForm<T>(path: string, form: FormData): Promise<T> {
  return answer<T>(await fetch(path, { method: "POST", body: form, headers: changeHeaders({ accept: "application/json" }) }));
}
