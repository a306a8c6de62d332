/**
 * The page's one way to call the service: JSON in, JSON out, and every problem+json answer turned
 * into an ApiError whose message names the fields at fault (as the service reports them).
 */
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
  const init: RequestInit = { method, headers: { accept: "application/json" } };
  if (body !== undefined) {
    init.headers = { accept: "application/json", "content-type": "application/json" };
    init.body = JSON.stringify(body);
  }
  return answer<T>(await fetch(path, init));
}

/** A multipart POST (the import API). */
export async function sendForm<T>(path: string, form: FormData): Promise<T> {
  return answer<T>(await fetch(path, { method: "POST", body: form, headers: { accept: "application/json" } }));
}
