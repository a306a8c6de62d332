import type { RequestHandler } from "express";
import { z } from "zod";

export const HealthStatus = z.strictObject({ status: z.literal("ok") });

/** GET /healthz: liveness. Answers from the event loop alone, never touching the pool. */
export function healthzRoute(): RequestHandler {
  const body = JSON.stringify(HealthStatus.parse({ status: "ok" }));
  return (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.type("application/json").send(body);
  };
}
