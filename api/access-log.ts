import type { RequestHandler } from "express";
import type { Logger } from "pino";

/**
 * One structured log line per request when its response ends (or its connection closes first):
 * request id, method, path (never the query string), status, duration, and the short identity of
 * the API key used and its role. Never bodies, headers or customer data.
 */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = performance.now();
    res.once("close", () => {
      const keyId: unknown = res.locals.keyId;
      const role: unknown = res.locals.role;
      logger.info(
        {
          requestId: res.locals.requestId,
          method: req.method,
          path: req.originalUrl.split("?")[0],
          status: res.statusCode,
          durationMs: Math.round((performance.now() - start) * 10) / 10,
          ...(typeof keyId === "string" ? { keyId } : {}),
          ...(typeof role === "string" ? { role } : {}),
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        "request",
      );
    });
    next();
  };
}
