/**
 * The operations a role may call, read from the OpenAPI document's `x-roles` (which the route
 * table writes): GET /v1/session answers them, so the page shows only what the server admits.
 */
import type { OpenApiDocument } from "./openapi-parts.ts";
import type { Role } from "./roles.ts";

/** `METHOD /path` of every operation `role` may call (null: keys not required, every operation), in the document's order. */
export function operationsFor(document: OpenApiDocument, role: Role | null): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const roles = operation["x-roles"] ?? [];
      if (role === null || roles.includes("public") || roles.includes(role)) out.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return out;
}
