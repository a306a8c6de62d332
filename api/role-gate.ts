import type { RequestHandler } from "express";
import { keyHolderOf } from "./api-key-auth.ts";
import { sendProblem } from "./problem-details.ts";
import { admits, type Access } from "./roles.ts";

/**
 * The one authorization check, built from an endpoint's row of the route table: runs after the
 * authentication (api-key-auth.ts) on endpoints behind the keys, and answers 403 `forbidden` when
 * the key's role is not among the row's roles. No holder means authentication did not run here
 * (keys off), which only the caller can decide: it installs the gate only when keys are on.
 */
export function roleGate(access: Access): RequestHandler {
  return (req, res, next) => {
    const holder = keyHolderOf(res);
    if (access === "public") {
      next();
      return;
    }
    if (holder === null) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="allot"');
      sendProblem(req, res, "unauthorized", "Send an API key as `Authorization: Bearer <key>`, or sign in (POST /v1/sessions).");
      return;
    }
    if (!admits(access, holder.role)) {
      sendProblem(req, res, "forbidden", `A key with role ${holder.role} may not call this endpoint; it admits ${access.join(", ")}.`);
      return;
    }
    next();
  };
}
