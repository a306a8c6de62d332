import type { Response } from "express";
import type { AuditContext } from "../src/storage/plan-store.ts";
import { requestIdOf } from "./problem-details.ts";

/** Who made the request, for the audit log: its request id and the API key's identity (never the key). */
export function auditContextOf(res: Response): AuditContext {
  const keyId: unknown = res.locals.keyId;
  return { requestId: requestIdOf(res), keyId: typeof keyId === "string" ? keyId : null };
}
