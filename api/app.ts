/**
 * The Express application, without `listen` (see server.ts). The endpoints come from the route
 * table (endpoints.ts); their routes are thin: parse the request, call the engine through the
 * solve pool, map the answer. Every error is problem+json.
 */
import path from "node:path";
import express, { type Express, type Request, type RequestHandler } from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import { createEmbeddedJobQueue } from "../src/jobs/embedded-job-queue.ts";
import type { JobQueue } from "../src/jobs/job-queue.ts";
import type { ApiKeyStore } from "../src/storage/api-key-store.ts";
import type { IdempotencyStore } from "../src/storage/idempotency-store.ts";
import type { JobRecordStore } from "../src/storage/job-record-store.ts";
import type { OutcomeStore } from "../src/storage/outcome-store.ts";
import type { PlanStore } from "../src/storage/plan-store.ts";
import type { SessionStore } from "../src/storage/session-store.ts";
import type { SolvePool } from "../src/runtime/solve-pool.ts";
import { openSqliteStore } from "../src/storage/sqlite-store.ts";
import type { StoreHealth } from "../src/storage/store-health.ts";
import { accessLog } from "./access-log.ts";
import { apiKeyAuth } from "./api-key-auth.ts";
import { keysOn, type ServiceConfig } from "./config.ts";
import { ENDPOINTS, expressPath, isV1, needsKey, routeMethods, type Endpoint, type RouteDeps } from "./endpoints.ts";
import { storeKeyLookup } from "./managed-keys.ts";
import { storeSessionLookup } from "./sessions.ts";
import { idempotency, ROUTE_LEASE_MS, solveLeaseMs } from "./idempotency.ts";
import { createServiceMetrics, requestMetrics, type ServiceMetrics } from "./metrics.ts";
import { buildOpenApiDocument } from "./openapi.ts";
import { PAGE_BASE, PAGE_BUNDLE_DIR } from "./page-files.ts";
import { saturationGate } from "./pool-refusal.ts";
import { errorHandler, notFoundHandler, sendProblem, type RouteMethods } from "./problem-details.ts";
import { rateLimitPerMinute } from "./rate-limit.ts";
import { requestId } from "./request-id.ts";
import { roleGate } from "./role-gate.ts";
import { requireJson } from "./require-json.ts";
import { routingContexts } from "./routing-contexts.ts";
import { createServiceState, type ServiceState } from "./service-state.ts";
import { whatIfLeaseMs } from "./what-if-input.ts";
import { jobsHint } from "./work-input.ts";

export interface AppDeps {
  config: ServiceConfig;
  pool: SolvePool;
  logger: Logger;
  /** Lifecycle shared with the entry point; a fresh one when absent. */
  state?: ServiceState;
  /** Saved plans, routing state, audit log, idempotency keys, job records and outcomes; a fresh in-memory SQLite store when absent. */
  store?: PlanStore & IdempotencyStore & JobRecordStore & OutcomeStore & ApiKeyStore & SessionStore & StoreHealth;
  /** The job backend; the embedded one on `pool` and `store` when absent. */
  jobs?: JobQueue;
  /** Prometheus metrics; a fresh registry when absent. */
  metrics?: ServiceMetrics;
  /** The clock (ms since the epoch) sessions and key expiries are judged by; Date.now when absent (tests move it). */
  now?: () => number;
}

/** Every endpoint and its methods (from the route table): an unknown path is a 404, a known one with another method a 405. */
export const ROUTES: readonly RouteMethods[] = routeMethods(ENDPOINTS);

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
  const now = deps.now ?? Date.now;
  const state = deps.state ?? createServiceState();
  const store = deps.store ?? openSqliteStore(":memory:");
  let metrics: ServiceMetrics | null = null;
  const jobs =
    deps.jobs ??
    createEmbeddedJobQueue({
      pool,
      store,
      onSolved: (outcome) => metrics?.observeSolve(outcome),
      concurrency: config.jobs.concurrency,
      retentionS: config.jobs.retentionS,
      onError: (error, context) => logger.error({ err: error, context }, "job backend error"),
    });
  metrics = deps.metrics ?? createServiceMetrics({ pool, jobs });
  const routeDeps: RouteDeps = { config, pool, logger, state, store, contexts: routingContexts(store), document: buildOpenApiDocument(config), jobs, metrics, now };

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", false);
  app.set("trust proxy", config.trustProxy);

  app.use(requestId());
  app.use(accessLog(logger));
  app.use(requestMetrics(metrics));
  app.use(helmet());
  app.use(shutdownGate(state, false));

  const v1 = express.Router();
  v1.use(shutdownGate(state, true));
  const authentication = apiKeyAuth(config.apiKeys, { enabled: keysOn(config), lookup: storeKeyLookup(store, now), sessions: storeSessionLookup(store, config, now) });
  // The public /v1 rows (the sign-in) are reached without a key; every other /v1 request is authenticated first (so an unknown path is a 401, not a 404).
  const publicV1 = ENDPOINTS.filter((e) => isV1(e) && e.roles === "public").map((e) => `${e.method.toUpperCase()} ${expressPath(e)}`);
  v1.use((req, res, next) => (publicV1.includes(`${req.method} ${req.path}`) ? next() : authentication(req, res, next)));
  v1.use(rateLimitPerMinute(config.rateLimitPerMinute));

  const readJson = (limit = config.bodyLimitBytes) => express.json({ limit, type: "application/json", strict: true, inflate: true });
  const bodies: Record<NonNullable<Endpoint["body"]>, RequestHandler[]> = {
    pooled: [saturationGate(pool), requireJson(), readJson()],
    json: [requireJson(), readJson()],
    job: [requireJson(), readJson(config.jobLimits.bodyLimitBytes)],
  };
  const idempotencies: Record<NonNullable<Endpoint["idempotency"]>, RequestHandler> = {
    solve: idempotency({ store, logger, leaseMs: solveLeaseMs(config) }),
    quick: idempotency({ store, logger, leaseMs: ROUTE_LEASE_MS }),
    "what-if": idempotency({ store, logger, leaseMs: whatIfLeaseMs(config) }),
  };
  for (const endpoint of ENDPOINTS) {
    const label: RequestHandler = (_req, res, next) => {
      res.locals.route = endpoint.path;
      next();
    };
    const before = [
      label,
      ...(needsKey(endpoint, config) ? [...(isV1(endpoint) ? [] : [authentication]), roleGate(endpoint.roles)] : []),
      ...(endpoint.body === undefined ? [] : bodies[endpoint.body]),
      ...(endpoint.idempotency === undefined ? [] : [idempotencies[endpoint.idempotency]]),
    ];
    (isV1(endpoint) ? v1 : app)[endpoint.method](expressPath(endpoint), ...before, endpoint.handler(routeDeps));
  }
  app.use("/v1", v1);
  // The workspace page's scripts and styles (content-hashed names, so cached for good); GET / is in the route table.
  app.use(`${PAGE_BASE}assets`, express.static(path.join(PAGE_BUNDLE_DIR, "assets"), { index: false, immutable: true, maxAge: "365d", redirect: false }));

  app.use(notFoundHandler(ROUTES));
  const jobPath = (req: Request) => req.path === "/v1/jobs";
  app.use(
    errorHandler(logger, (req) =>
      jobPath(req)
        ? `The request body is larger than this server accepts for a job (${config.jobLimits.bodyLimitBytes} bytes, counted decompressed).`
        : `The request body is larger than this server accepts (${config.bodyLimitBytes} bytes, counted decompressed).${jobsHint(config)}`,
    ),
  );
  return app;
}
