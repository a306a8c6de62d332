/**
 * The Express application, without `listen` (see server.ts). Thin routes: parse the request, call
 * the engine through the solve pool, map the answer; every error is problem+json.
 */
import express, { type Express, type RequestHandler } from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import type { IdempotencyStore } from "../src/storage/idempotency-store.ts";
import type { PlanStore } from "../src/storage/plan-store.ts";
import type { SolvePool } from "../src/runtime/solve-pool.ts";
import { openSqliteStore } from "../src/storage/sqlite-store.ts";
import { accessLog } from "./access-log.ts";
import { apiKeyAuth } from "./api-key-auth.ts";
import type { ServiceConfig } from "./config.ts";
import { idempotency, ROUTE_LEASE_MS, solveLeaseMs } from "./idempotency.ts";
import { buildOpenApiDocument } from "./openapi.ts";
import { saturationGate } from "./pool-refusal.ts";
import { errorHandler, notFoundHandler, sendProblem, type RouteMethods } from "./problem-details.ts";
import { rateLimitPerMinute } from "./rate-limit.ts";
import { requestId } from "./request-id.ts";
import { requireJson } from "./require-json.ts";
import { auditRoute } from "./routes/audit.ts";
import { docsRoute } from "./routes/docs.ts";
import { healthzRoute } from "./routes/healthz.ts";
import { openApiJsonRoute } from "./routes/openapi-json.ts";
import { activatePlanRoute, diffPlansRoute, getPlanInputRoute, getPlanRoute, listAssignmentsRoute, listPlansRoute, savePlanRoute } from "./routes/plans.ts";
import { readyzRoute } from "./routes/readyz.ts";
import { reassignRoute } from "./routes/reassign.ts";
import { routeRoute } from "./routes/route.ts";
import { scenariosRoute } from "./routes/scenarios.ts";
import { solveRoute } from "./routes/solve.ts";
import { validateRoute } from "./routes/validate.ts";
import { routingContexts } from "./routing-contexts.ts";
import { createServiceState, type ServiceState } from "./service-state.ts";
import { whatIfLeaseMs } from "./what-if-input.ts";

export interface AppDeps {
  config: ServiceConfig;
  pool: SolvePool;
  logger: Logger;
  /** Lifecycle shared with the entry point; a fresh one when absent. */
  state?: ServiceState;
  /** Saved plans, routing state, audit log and idempotency keys; a fresh in-memory SQLite store when absent. */
  store?: PlanStore & IdempotencyStore;
}

/** Every endpoint and its methods: an unknown path is a 404, a known one with another method a 405. */
export const ROUTES: readonly RouteMethods[] = [
  { path: "/v1/solve", methods: ["POST"] },
  { path: "/v1/validate", methods: ["POST"] },
  { path: "/healthz", methods: ["GET"] },
  { path: "/readyz", methods: ["GET"] },
  { path: "/openapi.json", methods: ["GET"] },
  { path: "/docs", methods: ["GET"] },
  { path: "/v1/plans", methods: ["GET", "POST"] },
  { path: "/v1/plans/{id}", methods: ["GET"] },
  { path: "/v1/plans/{id}/input", methods: ["GET"] },
  { path: "/v1/plans/{id}/assignments", methods: ["GET"] },
  { path: "/v1/plans/{id}/activate", methods: ["POST"] },
  { path: "/v1/plans/{id}/diff/{otherId}", methods: ["GET"] },
  { path: "/v1/route", methods: ["POST"] },
  { path: "/v1/audit", methods: ["GET"] },
  { path: "/v1/scenarios", methods: ["POST"] },
  { path: "/v1/reassign", methods: ["POST"] },
];

const SHUTDOWN_RETRY_S = 5;

/** While shutting down: no keep-alive, and /v1 takes no new work. */
function shutdownGate(state: ServiceState, refuse: boolean): RequestHandler {
  return (req, res, next) => {
    if (!state.shuttingDown) {
      next();
      return;
    }
    res.setHeader("Connection", "close");
    if (refuse) sendProblem(req, res, "shutting-down", "The server is shutting down and takes no new work.", { retryAfterSeconds: SHUTDOWN_RETRY_S });
    else next();
  };
}

export function createApp(deps: AppDeps): Express {
  const { config, pool, logger } = deps;
  const state = deps.state ?? createServiceState();
  const document = buildOpenApiDocument(config);

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", false);
  app.set("trust proxy", config.trustProxy);

  app.use(requestId());
  app.use(accessLog(logger));
  app.use(helmet());
  app.use(shutdownGate(state, false));

  app.get("/healthz", healthzRoute());
  app.get("/readyz", readyzRoute({ pool, state }));
  app.get("/openapi.json", openApiJsonRoute(document));
  app.get("/docs", docsRoute(document));

  const v1 = express.Router();
  v1.use(shutdownGate(state, true));
  v1.use(apiKeyAuth(config.apiKeys));
  v1.use(rateLimitPerMinute(config.rateLimitPerMinute));
  const jsonBody = [saturationGate(pool), requireJson(), express.json({ limit: config.bodyLimitBytes, type: "application/json", strict: true, inflate: false })];
  const store = deps.store ?? openSqliteStore(":memory:");
  const solveIdempotency = idempotency({ store, logger, leaseMs: solveLeaseMs(config) });
  const quickIdempotency = idempotency({ store, logger, leaseMs: ROUTE_LEASE_MS });
  v1.post("/solve", ...jsonBody, solveIdempotency, solveRoute({ config, pool, logger }));
  v1.post("/validate", ...jsonBody, solveIdempotency, validateRoute({ config, pool }));
  v1.get("/plans", listPlansRoute({ store }));
  v1.post("/plans", ...jsonBody, solveIdempotency, savePlanRoute({ config, pool, store, logger }));
  v1.get("/plans/:id", getPlanRoute({ store }));
  v1.get("/plans/:id/input", getPlanInputRoute({ store }));
  v1.get("/plans/:id/assignments", listAssignmentsRoute({ store }));
  const contexts = routingContexts(store);
  v1.post("/plans/:id/activate", quickIdempotency, activatePlanRoute({ store, logger, contexts }));
  v1.get("/plans/:id/diff/:otherId", diffPlansRoute({ store }));
  const routeBody = [requireJson(), express.json({ limit: config.bodyLimitBytes, type: "application/json", strict: true, inflate: false })];
  v1.post("/route", ...routeBody, quickIdempotency, routeRoute({ store, contexts, logger }));
  v1.get("/audit", auditRoute({ store }));
  const whatIfIdempotency = idempotency({ store, logger, leaseMs: whatIfLeaseMs(config) });
  v1.post("/scenarios", ...jsonBody, whatIfIdempotency, scenariosRoute({ config, pool, logger }));
  v1.post("/reassign", ...jsonBody, whatIfIdempotency, reassignRoute({ config, pool, logger }));
  app.use("/v1", v1);

  app.use(notFoundHandler(ROUTES));
  app.use(errorHandler(logger, config.bodyLimitBytes));
  return app;
}
