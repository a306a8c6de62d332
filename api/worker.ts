/**
 * Entry point of a job worker process (`npm run worker`): takes jobs from the BullMQ queue on
 * ALLOT_REDIS_URL and runs them on its own pool of solve threads (src/jobs/bullmq-job-worker.ts).
 * Start any number of them, on any machines that reach the Redis. On SIGTERM/SIGINT it stops
 * taking jobs, lets the running ones finish (for up to ALLOT_SHUTDOWN_GRACE_MS; a job cut off there
 * is run again by another worker), closes the pool and exits 0. Without ALLOT_REDIS_URL, or with an
 * invalid setting, it exits 1 before anything starts, saying why.
 */
import { ConfigError, loadConfig, type ServiceConfig } from "./config.ts";

function readConfig(): ServiceConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`allot worker: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const config = readConfig();
const redisUrl = config.jobs.redisUrl;
if (redisUrl === undefined) {
  process.stderr.write("allot worker: ALLOT_REDIS_URL is not set; a worker takes its jobs from Redis, e.g. ALLOT_REDIS_URL=redis://127.0.0.1:6379 npm run worker\n");
  process.exit(1);
}
// Loaded only once the configuration is known to be valid, so that a bad setting fails at once.
const [{ pino }, { createSolvePool }, { startBullmqWorker }] = await Promise.all([
  import("pino"),
  import("../src/runtime/solve-pool.ts"),
  import("../src/jobs/bullmq-job-worker.ts"),
]);
const logger = pino({ level: config.logLevel, base: { service: "allot-worker", pid: process.pid } });

process.on("uncaughtException", (error) => {
  logger.fatal({ err: error }, "uncaught exception");
  process.exit(1);
});

const pool = createSolvePool({
  size: config.pool.size,
  maxQueue: config.pool.queueLength,
  deadlineMarginMs: config.pool.deadlineMarginMs,
  portfolio: config.pool.portfolio,
  memoryBudgetBytes: config.memoryBudgetBytes,
  onWorkerError: (error) => logger.error({ err: error }, "worker thread error"),
});
const worker = startBullmqWorker({
  redisUrl,
  queueName: config.jobs.queueName,
  pool,
  concurrency: config.jobs.concurrency,
  retentionS: config.jobs.retentionS,
  lockDurationMs: config.jobs.lockMs,
  stalledIntervalMs: config.jobs.stalledIntervalMs,
  logger,
});
logger.info(
  { name: worker.name, queue: config.jobs.queueName, concurrency: config.jobs.concurrency, pool: config.pool, lockMs: config.jobs.lockMs, stalledIntervalMs: config.jobs.stalledIntervalMs },
  `allot worker taking jobs from queue ${config.jobs.queueName}`,
);

let shuttingDown = false;

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  logger.info({ signal, running: worker.running(), graceMs: config.shutdownGraceMs }, "shutting down: finishing the running jobs");
  const grace = setTimeout(() => {
    // The jobs still running are left to the stalled check: another worker runs them again.
    logger.warn({ running: worker.running() }, "shutdown grace over: exiting, leaving any running job to another worker");
    logger.flush(() => process.exit(1));
  }, config.shutdownGraceMs);
  await worker.close();
  await pool.close();
  clearTimeout(grace);
  logger.info({ completed: pool.stats().completed }, "stopped");
  logger.flush(() => process.exit(0));
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (shuttingDown) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    shuttingDown = true;
    shutdown(signal).catch((error: unknown) => {
      logger.fatal({ err: error }, "shutdown failed");
      process.exit(1);
    });
  });
}
