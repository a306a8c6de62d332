import type { RequestHandler } from "express";
import { sendProblem } from "./problem-details.ts";

/** 415 unless the request carries a body declared `application/json` (parameters such as charset allowed). */
export function requireJson(): RequestHandler {
  return (req, res, next) => {
    if (req.is("application/json") === "application/json") {
      next();
      return;
    }
    const declared = req.get("content-type");
    sendProblem(
      req,
      res,
      "unsupported-media-type",
      declared === undefined ? "Send the plan as a JSON body with `Content-Type: application/json`." : `Content-Type ${JSON.stringify(declared.slice(0, 100))} is not accepted; send \`application/json\`.`,
    );
  };
}
