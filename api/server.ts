/**
 * Entry point (`npm start`): reads the configuration, starts the solve pool and the HTTP server,
 * and shuts down gracefully on SIGTERM/SIGINT: readiness fails, no new connections or work, running
 * and queued solves get ALLOT_SHUTDOWN_GRACE_MS to finish, then the workers stop and the process
 * exits 0. An invalid setting exits 1 before anything starts, naming the variable.
 */
import type { AddressInfo } from "node:net";
import { ConfigError, keysOn, loadConfig, type ServiceConfig } from "./config.ts";
import type { ServiceMetrics } from "./metrics.ts";

function readConfig(): ServiceConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`allot: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const config = readConfig();
// Loaded only once the configuration is known to be valid, so that a bad setting fails at once.
const [{ pino }, { createSolvePool }, { createApp }, { createServiceState }, { openServiceStore }, { createEmbeddedJobQueue }, { createServiceMetrics }] = await Promise.all([
  import("pino"),
  import("../src/runtime/solve-pool.ts"),
  import("./app.ts"),
  import("./service-state.ts"),
  import("./service-store.ts"),
  import("../src/jobs/embedded-job-queue.ts"),
  import("./metrics.ts"),
]);
const logger = pino({ level: config.logLevel, base: { service: "allot", pid: process.pid } });
// The database is created (SQLite: folder included) and migrated here, before anything listens.
const { store, details } = await openServiceStore(config, (error) => logger.warn({ err: error }, "database connection lost")).catch((error: unknown) => {
  process.stderr.write(`allot: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
logger.info(details, "database ready");
if (config.database !== undefined && config.jobs.redisUrl === undefined) {
  logger.warn("jobs are embedded (no ALLOT_REDIS_URL): run one API instance on this database, or move jobs to BullMQ workers before adding instances");
}
const pool = createSolvePool({
  size: config.pool.size,
  maxQueue: config.pool.queueLength,
  deadlineMarginMs: config.pool.deadlineMarginMs,
  portfolio: config.pool.portfolio,
  memoryBudgetBytes: config.memoryBudgetBytes,
  onWorkerError: (error) => logger.error({ err: error }, "worker thread error"),
});
const state = createServiceState();
let metrics: ServiceMetrics | null = null;
// Jobs: on BullMQ worker processes with ALLOT_REDIS_URL (this process only queues and reads them),
// else on this process's own pool with records in the database.
const { redisUrl } = config.jobs;
const jobs =
  redisUrl === undefined
    ? createEmbeddedJobQueue({
        pool,
        store,
        onSolved: (outcome) => metrics?.observeSolve(outcome),
        concurrency: config.jobs.concurrency,
        retentionS: config.jobs.retentionS,
        onError: (error, context) => logger.error({ err: error, context }, "job backend error"),
      })
    : (await import("../src/jobs/bullmq-job-queue.ts")).createBullmqJobQueue({
        redisUrl,
        queueName: config.jobs.queueName,
        retentionS: config.jobs.retentionS,
        onError: (error) => logger.warn({ err: error }, "job queue (Redis) error"),
      });
logger.info({ backend: jobs.backend, ...(redisUrl === undefined ? {} : { queue: config.jobs.queueName }) }, "jobs ready");
metrics = createServiceMetrics({ pool, jobs });
const app = createApp({ config, pool, logger, state, store, jobs, metrics });

// Scheduled activations are carried out by every read of the active plan (correct without any
// timer, across restarts and instances); this check only makes their audit entries timely when
// nothing reads at the scheduled time.
const SCHEDULE_CHECK_MS = 5_000;
const scheduleCheck = setInterval(() => {
  store.promoteDueActivations().then(
    (handled) => {
      if (handled > 0) logger.info({ handled }, "scheduled activations carried out");
    },
    (error: unknown) => logger.warn({ err: error }, "could not carry out the due scheduled activations"),
  );
}, SCHEDULE_CHECK_MS);
scheduleCheck.unref();

process.on("uncaughtException", (error) => {
  logger.fatal({ err: error }, "uncaught exception");
  process.exit(1);
});

const server = app.listen(config.port, config.host);
server.on("error", (error) => {
  logger.fatal({ err: error }, `cannot listen on ${config.host}:${config.port}`);
  process.exit(1);
});
server.on("listening", () => {
  const address = server.address() as AddressInfo;
  const shownHost = ["0.0.0.0", "::"].includes(address.address) ? "localhost" : address.address.includes(":") ? `[${address.address}]` : address.address;
  const base = `http://${shownHost}:${address.port}`;
  const auth = keysOn(config) ? " -H 'authorization: Bearer <key>'" : "";
  logger.info(
    {
      url: base,
      host: address.address,
      port: address.port,
      pool: config.pool,
      limits: config.limits,
      auth: keysOn(config) ? `${config.apiKeys.length} bootstrap key(s) and the keys in the store; page sessions ${config.sessions.idleS} s idle, ${config.sessions.maxS} s at most` : "off",
      rateLimitPerMinute: config.rateLimitPerMinute,
    },
    `allot listening on ${base} (docs: ${base}/docs)`,
  );
  logger.info(`try: curl -s ${base}/v1/solve -H 'content-type: application/json'${auth} --data @data/sample-book.json`);
});

const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  const stats = pool.stats();
  logger.info({ signal, running: stats.running, queued: stats.queued, graceMs: config.shutdownGraceMs }, "shutting down");
  const deadline = performance.now() + config.shutdownGraceMs;
  let closed = false;
  server.close(() => {
    closed = true;
  });
  // Running jobs get the grace period too; those still running then are queued again at the next start.
  await jobs.close({ graceMs: config.shutdownGraceMs });
  await pool.close({ graceMs: Math.max(0, deadline - performance.now()) });
  // Let the last responses reach their clients, closing each connection as it goes idle.
  while (!closed && performance.now() < deadline) {
    server.closeIdleConnections();
    await sleep(50);
  }
  server.closeAllConnections();
  clearInterval(scheduleCheck);
  await store.close();
  const after = pool.stats();
  logger.info({ completed: after.completed }, "stopped");
  logger.flush(() => process.exit(0));
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (state.shuttingDown) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    state.beginShutdown();
    shutdown(signal).catch((error: unknown) => {
      logger.fatal({ err: error }, "shutdown failed");
      process.exit(1);
    });
  });
}
