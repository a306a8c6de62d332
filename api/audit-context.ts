import type { Response } from "express";
import type { AuditContext } from "../src/storage/plan-store.ts";
import { keyHolderOf } from "./api-key-auth.ts";
import { requestIdOf } from "./problem-details.ts";

/** Who made the request, for the audit log: its request id, the API key's identity (never the key), label and role. */
export function auditContextOf(res: Response): AuditContext {
  const holder = keyHolderOf(res);
  return { requestId: requestIdOf(res), keyId: holder?.keyId ?? null, keyLabel: holder?.label ?? null, keyRole: holder?.role ?? null };
}
