/**
 * Every setting of the service, read from the environment once at start-up and validated with zod.
 * `loadConfig(env)` throws a ConfigError naming each invalid variable; the entry point prints it
 * and exits 1. docs/service.md documents every setting.
 */
import { readFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { z } from "zod";
import { isRole, type Role } from "./roles.ts";

export type TrustProxy = boolean | number | string[];
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServiceConfig {
  port: number;
  host: string;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Largest accepted POST /v1/imports request (all its files), in bytes. */
  importLimitBytes: number;
  limits: {
    maxCustomers: number;
    maxReps: number;
    /** Upper bound on eligible pairs (estimated before any heavy work). */
    maxPairs: number;
    /** A plan's policy.timeLimitMs is clamped to this. */
    maxTimeLimitMs: number;
    /** Used when a plan sets no policy.timeLimitMs. */
    defaultTimeLimitMs: number;
    /** Most scenarios in one /v1/scenarios request and most extra solves of one frontier; absent = DEFAULTS.maxScenarios. */
    maxScenarios?: number;
  };
  pool: {
    size: number;
    queueLength: number;
    deadlineMarginMs: number;
    /** ALLOT_PORTFOLIO: a solve that starts while another thread of the pool is idle may use it (HiGHS beside the heuristics); default true. */
    portfolio: boolean;
  };
  shutdownGraceMs: number;
  /** Bootstrap bearer keys (ALLOT_API_KEYS), each with its role (admin unless written `key:role`); empty = authentication off. */
  apiKeys: BootstrapKey[];
  trustProxy: TrustProxy;
  /** Requests per minute per client on /v1; 0 = off. */
  rateLimitPerMinute: number;
  logLevel: LogLevel;
  /** SQLite file for saved plans, routing state, idempotency keys and the audit log (":memory:" = not kept); absent = DEFAULTS.dbPath. */
  dbPath?: string;
  /** SQLite `synchronous` for the database: "full" (default; a commit survives power loss) or "normal" (survives a crash of the process). */
  dbSynchronous?: "full" | "normal";
  /** PostgreSQL instead of SQLite (several API instances share it); absent = SQLite at dbPath. */
  database?: {
    /** `postgres://…`; may hold a password, so it is never logged nor echoed in an error. */
    url: string;
    /** Connections each process keeps at most. */
    poolSize: number;
  };
  jobs: {
    /** `redis://…`: jobs go to BullMQ on this Redis and run on worker processes (`npm run worker`); absent = the embedded backend. */
    redisUrl?: string;
    /** BullMQ queue name (several deployments may share one Redis). */
    queueName: string;
    /** How long a finished job and its result are kept, in seconds. */
    retentionS: number;
    /** Jobs one process runs at a time (embedded backend and each worker process). */
    concurrency: number;
    /** BullMQ workers: how long a worker's lock on a running job lasts (renewed at half of it); a job whose lock lapses is stalled. */
    lockMs: number;
    /** BullMQ workers: how often a worker looks for stalled jobs (whose worker died) to hand to another worker. */
    stalledIntervalMs: number;
  };
  /** Require API keys even when ALLOT_API_KEYS is empty (every key is managed in the store); default false. */
  requireKeys: boolean;
  /** Whether GET /metrics needs an API key when keys are set (default true). */
  metricsNeedKey: boolean;
  /** ALLOT_REQUIRE_APPROVAL: only approved versions can be activated, scheduled or rolled back to; absent = false. */
  requireApproval?: boolean;
  /** Sessions of the workspace page (POST /v1/sessions): a session ends after `idleS` seconds unused, and `maxS` seconds after sign-in at the latest. */
  sessions: {
    idleS: number;
    maxS: number;
  };
  /**
   * What POST /v1/jobs admits: the big books the synchronous endpoints refuse (their refusals
   * point here). Same meaning as `limits` and `bodyLimitBytes`.
   */
  jobLimits: {
    bodyLimitBytes: number;
    maxCustomers: number;
    maxReps: number;
    maxPairs: number;
    maxTimeLimitMs: number;
  };
  /** Bytes the running solves of this process may hold together, by their estimates (src/solve/memory-estimate.ts). */
  memoryBudgetBytes: number;
  /** Plans POST /v1/evaluate keeps loaded for `planKey` requests, least recently used evicted first (0: none). */
  evaluateCache: number;
}

/** One line per invalid variable, e.g. `ALLOT_POOL_SIZE: must be an integer ≥ 1 (got "zero")`. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
}

export const MIN_API_KEY_LENGTH = 16;

/** Whether the service asks for API keys at all: some bootstrap key is configured, or ALLOT_REQUIRE_KEYS=true (keys only in the store). */
export function keysOn(config: Pick<ServiceConfig, "apiKeys" | "requireKeys">): boolean {
  return config.apiKeys.length > 0 || config.requireKeys;
}

/** A key of ALLOT_API_KEYS and the role it carries. */
export interface BootstrapKey {
  key: string;
  role: Role;
}

/** `key` (an admin) or `key:role` when the text after the last colon names a role. */
function bootstrapKey(entry: string): BootstrapKey {
  const colon = entry.lastIndexOf(":");
  const role = colon < 0 ? undefined : entry.slice(colon + 1);
  return isRole(role) ? { key: entry.slice(0, colon), role } : { key: entry, role: "admin" };
}
const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };
const MAX_JOB_BODY_BYTES = 4 * 1024 ** 3;
const MAX_BODY_BYTES = 1024 ** 3;

/** `512kb`, `10mb`, `1048576` (bytes) → bytes, at most `max` (default 1 GiB). */
export function parseByteSize(text: string, max = MAX_BODY_BYTES): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?$/i.exec(text.trim());
  if (match === null) return null;
  const bytes = Math.floor(Number(match[1]) * (UNITS[(match[2] ?? "b").toLowerCase()] ?? 1));
  return bytes >= 1 && bytes <= max ? bytes : null;
}

/**
 * The memory the machine (or the container: cgroup v2 memory.max) gives this process, in bytes.
 */
export function availableMemoryBytes(): number {
  const total = totalmem();
  try {
    const limit = readFileSync("/sys/fs/cgroup/memory.max", "utf8").trim();
    return /^\d+$/.test(limit) ? Math.min(total, Number(limit)) : total;
  } catch {
    return total;
  }
}

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be an integer between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.int(`must be an integer between ${min} and ${max}`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const byteSizeUpTo = (max: number, shown: string) =>
  z.string().transform((text, ctx) => {
    const bytes = parseByteSize(text, max);
    if (bytes === null) {
      ctx.addIssue({ code: "custom", message: `must be a size such as "512kb", "10mb" or a byte count, at most ${shown}` });
      return z.NEVER;
    }
    return bytes;
  });
const byteSize = byteSizeUpTo(MAX_BODY_BYTES, "1gb");

const HOST_PATTERN = /^[A-Za-z0-9.:[\]-]+$/;
const PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);
const PROXY_ADDRESS = /^[0-9A-Fa-f.:]+(\/\d{1,3})?$/;

/** off/false/0 → false, on/true → true, a number → that many hops, else a list of addresses or subnets. */
const trustProxy = z.string().transform((text, ctx): TrustProxy => {
  const value = text.trim().toLowerCase();
  if (["", "off", "false", "no", "0"].includes(value)) return false;
  if (["on", "true", "yes"].includes(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = text.split(",").map((e) => e.trim()).filter((e) => e !== "");
  const bad = entries.filter((e) => !PROXY_NAMES.has(e) && !PROXY_ADDRESS.test(e));
  if (bad.length > 0 || entries.length === 0) {
    ctx.addIssue({ code: "custom", message: `must be off, on, a hop count, or comma-separated addresses/subnets/loopback/linklocal/uniquelocal (bad: ${bad.join(", ")})` });
    return z.NEVER;
  }
  return entries;
});

const apiKeys = z.string().transform((text, ctx) => {
  const entries = text.split(",").map((k) => k.trim()).filter((k) => k !== "").map(bootstrapKey);
  const keys = entries.map((e) => e.key);
  const short = keys.filter((k) => k.length < MIN_API_KEY_LENGTH).length;
  if (short > 0) {
    ctx.addIssue({ code: "custom", message: `${short} key(s) shorter than ${MIN_API_KEY_LENGTH} characters` });
    return z.NEVER;
  }
  if (keys.some((k) => !/^[\x21-\x7e]+$/.test(k))) {
    ctx.addIssue({ code: "custom", message: "keys must be printable ASCII without spaces" });
    return z.NEVER;
  }
  if (new Set(keys).size !== new Set(entries.map((e) => `${e.key}:${e.role}`)).size) {
    ctx.addIssue({ code: "custom", message: "a key is listed with two different roles" });
    return z.NEVER;
  }
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.key) && seen.add(e.key));
});

const HOUR_MS = 3_600_000;

/** postgres:// or postgresql://, parsable as a URL (pg reads user, password, host, port, database and options from it). */
const databaseUrl = z
  .string()
  .trim()
  .refine((text) => {
    try {
      const url = new URL(text);
      return url.protocol === "postgres:" || url.protocol === "postgresql:";
    } catch {
      return false;
    }
  }, "must be a postgres:// or postgresql:// URL");

/** The defaults, as documented in docs/service.md. */
export const DEFAULTS = {
  port: 3000,
  host: "0.0.0.0",
  bodyLimit: "10mb",
  importLimit: "128mb",
  maxCustomers: 50_000,
  maxReps: 5_000,
  maxPairs: 1_000_000,
  maxTimeLimitMs: 60_000,
  defaultTimeLimitMs: 30_000,
  /** ALLOT_QUEUE_LENGTH defaults to this many tasks per worker thread. */
  queuePerThread: 4,
  deadlineMarginMs: 2_000,
  shutdownGraceMs: 35_000,
  rateLimitPerMinute: 0,
  logLevel: "info" as LogLevel,
  dbPath: "./var/allot.db",
  maxScenarios: 32,
  jobBodyLimit: "128mb",
  jobMaxCustomers: 500_000,
  jobMaxReps: 20_000,
  jobMaxPairs: 20_000_000,
  jobMaxTimeLimitMs: 600_000,
  /** ALLOT_MEMORY_BUDGET defaults to this share of the machine's (or container's) memory. */
  memoryShare: 0.5,
  databasePoolSize: 10,
  jobQueueName: "allot-jobs",
  jobRetentionS: 24 * 3600,
  jobLockMs: 30_000,
  jobStalledIntervalMs: 30_000,
  evaluateCache: 4,
  sessionIdleS: 30 * 60,
  sessionMaxS: 8 * 3600,
} as const;

/** Reads and validates every setting; throws ConfigError listing all invalid variables. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): ServiceConfig {
  const problems: string[] = [];
  /** The variable parsed by `schema`; undefined when absent, empty or invalid (then a problem is noted). */
  const read = <S extends z.ZodType>(name: string, schema: S, options: { secret?: boolean } = {}): z.output<S> | undefined => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return undefined;
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    const messages = result.error.issues.map((i) => i.message).join("; ");
    // Never echo a secret.
    const got = options.secret === true ? "" : ` (got ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw)})`;
    problems.push(`${name}: ${messages}${got}`);
    return undefined;
  };

  const port = read("PORT", integer(0, 65_535));
  const host = read("HOST", z.string().trim().regex(HOST_PATTERN, "must be a host name or IP address"));
  const bodyLimitBytes = read("ALLOT_BODY_LIMIT", byteSize);
  const importLimitBytes = read("ALLOT_IMPORT_LIMIT", byteSize);
  const maxCustomers = read("ALLOT_MAX_CUSTOMERS", integer(1, 10_000_000));
  const maxReps = read("ALLOT_MAX_REPS", integer(1, 1_000_000));
  const maxPairs = read("ALLOT_MAX_PAIRS", integer(1, 100_000_000));
  const maxTimeLimitMs = read("ALLOT_MAX_TIME_LIMIT_MS", integer(1, 24 * HOUR_MS)) ?? DEFAULTS.maxTimeLimitMs;
  const defaultTimeLimitMs = read("ALLOT_DEFAULT_TIME_LIMIT_MS", integer(1, 24 * HOUR_MS)) ?? Math.min(DEFAULTS.defaultTimeLimitMs, maxTimeLimitMs);
  const poolSize = read("ALLOT_POOL_SIZE", integer(1, 1024));
  const queueLength = read("ALLOT_QUEUE_LENGTH", integer(0, 1_000_000));
  const deadlineMarginMs = read("ALLOT_DEADLINE_MARGIN_MS", integer(0, HOUR_MS));
  const shutdownGraceMs = read("ALLOT_SHUTDOWN_GRACE_MS", integer(0, 24 * HOUR_MS));
  const keys = read("ALLOT_API_KEYS", apiKeys, { secret: true });
  const proxy = read("ALLOT_TRUST_PROXY", trustProxy);
  const rateLimit = read("ALLOT_RATE_LIMIT_PER_MINUTE", integer(0, 100_000_000));
  const logLevel = read("LOG_LEVEL", z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }));
  const maxScenarios = read("ALLOT_MAX_SCENARIOS", integer(1, 10_000));
  const dbPath = read("ALLOT_DB_PATH", z.string().trim().max(4096, "must be at most 4096 characters").refine((p) => !p.includes("\0"), "must not contain NUL"));
  const dbSynchronous = read("ALLOT_DB_SYNCHRONOUS", z.string().trim().toLowerCase().pipe(z.enum(["full", "normal"], { error: "must be full or normal" })));
  const dbUrl = read("ALLOT_DATABASE_URL", databaseUrl, { secret: true });
  const dbPoolSize = read("ALLOT_DATABASE_POOL_SIZE", integer(1, 1000));

  const redisUrl = read("ALLOT_REDIS_URL", z.string().trim().regex(/^rediss?:\/\/\S+$/, "must be a redis:// or rediss:// URL"), { secret: true });
  const queueName = read("ALLOT_JOB_QUEUE", z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1 to 64 letters, digits, - or _"));
  const retentionS = read("ALLOT_JOB_RETENTION_S", integer(1, 365 * 24 * 3600));
  const jobConcurrency = read("ALLOT_JOB_CONCURRENCY", integer(1, 1024));
  const jobLockMs = read("ALLOT_JOB_LOCK_MS", integer(500, HOUR_MS));
  const jobStalledIntervalMs = read("ALLOT_JOB_STALLED_INTERVAL_MS", integer(100, HOUR_MS));
  const jobBodyLimit = read("ALLOT_JOB_BODY_LIMIT", byteSizeUpTo(MAX_JOB_BODY_BYTES, "4gb"));
  const jobMaxCustomers = read("ALLOT_JOB_MAX_CUSTOMERS", integer(1, 100_000_000));
  const jobMaxReps = read("ALLOT_JOB_MAX_REPS", integer(1, 10_000_000));
  const jobMaxPairs = read("ALLOT_JOB_MAX_PAIRS", integer(1, 2_000_000_000));
  const jobMaxTimeLimitMs = read("ALLOT_JOB_MAX_TIME_LIMIT_MS", integer(1, 7 * 24 * HOUR_MS));
  const evaluateCache = read("ALLOT_EVALUATE_CACHE", integer(0, 1000));
  const memoryBudget = read("ALLOT_MEMORY_BUDGET", byteSizeUpTo(1024 ** 5, "1024tb"));
  const requireKeys = read("ALLOT_REQUIRE_KEYS", z.string().trim().toLowerCase().pipe(z.enum(["true", "false"], { error: "must be true or false" })));
  const sessionIdleS = read("ALLOT_SESSION_IDLE_S", integer(60, 7 * 24 * 3600));
  const sessionMaxS = read("ALLOT_SESSION_MAX_S", integer(60, 30 * 24 * 3600));
  const metricsNeedKey = read("ALLOT_METRICS_NEED_KEY", z.string().trim().toLowerCase().pipe(z.enum(["true", "false"], { error: "must be true or false" })));
  const portfolio = read("ALLOT_PORTFOLIO", z.string().trim().toLowerCase().pipe(z.enum(["true", "false"], { error: "must be true or false" })));
  const requireApproval = read("ALLOT_REQUIRE_APPROVAL", z.string().trim().toLowerCase().pipe(z.enum(["true", "false"], { error: "must be true or false" })));

  if (defaultTimeLimitMs > maxTimeLimitMs) {
    problems.push(`ALLOT_DEFAULT_TIME_LIMIT_MS: must not exceed ALLOT_MAX_TIME_LIMIT_MS (${defaultTimeLimitMs} > ${maxTimeLimitMs})`);
  }
  if (dbUrl !== undefined) {
    for (const [name, value] of [["ALLOT_DB_PATH", dbPath], ["ALLOT_DB_SYNCHRONOUS", dbSynchronous]] as const) {
      if (value !== undefined) problems.push(`${name}: is a SQLite setting; unset it when ALLOT_DATABASE_URL selects PostgreSQL`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const size = poolSize ?? availableParallelism();
  return {
    port: port ?? DEFAULTS.port,
    host: host ?? DEFAULTS.host,
    bodyLimitBytes: bodyLimitBytes ?? parseByteSize(DEFAULTS.bodyLimit) ?? 0,
    importLimitBytes: importLimitBytes ?? parseByteSize(DEFAULTS.importLimit) ?? 0,
    limits: {
      maxCustomers: maxCustomers ?? DEFAULTS.maxCustomers,
      maxReps: maxReps ?? DEFAULTS.maxReps,
      maxPairs: maxPairs ?? DEFAULTS.maxPairs,
      maxTimeLimitMs,
      defaultTimeLimitMs,
      ...(maxScenarios === undefined ? {} : { maxScenarios }),
    },
    pool: {
      size,
      queueLength: queueLength ?? DEFAULTS.queuePerThread * size,
      deadlineMarginMs: deadlineMarginMs ?? DEFAULTS.deadlineMarginMs,
      portfolio: portfolio !== "false",
    },
    shutdownGraceMs: shutdownGraceMs ?? DEFAULTS.shutdownGraceMs,
    apiKeys: keys ?? [],
    trustProxy: proxy ?? false,
    rateLimitPerMinute: rateLimit ?? DEFAULTS.rateLimitPerMinute,
    logLevel: logLevel ?? DEFAULTS.logLevel,
    ...(dbPath === undefined ? {} : { dbPath }),
    ...(dbSynchronous === undefined ? {} : { dbSynchronous }),
    ...(dbUrl === undefined ? {} : { database: { url: dbUrl, poolSize: dbPoolSize ?? DEFAULTS.databasePoolSize } }),
    jobs: {
      ...(redisUrl === undefined ? {} : { redisUrl }),
      queueName: queueName ?? DEFAULTS.jobQueueName,
      retentionS: retentionS ?? DEFAULTS.jobRetentionS,
      concurrency: jobConcurrency ?? size,
      lockMs: jobLockMs ?? DEFAULTS.jobLockMs,
      stalledIntervalMs: jobStalledIntervalMs ?? DEFAULTS.jobStalledIntervalMs,
    },
    requireKeys: requireKeys === "true",
    metricsNeedKey: metricsNeedKey !== "false",
    requireApproval: requireApproval === "true",
    sessions: { idleS: sessionIdleS ?? DEFAULTS.sessionIdleS, maxS: sessionMaxS ?? DEFAULTS.sessionMaxS },
    jobLimits: {
      bodyLimitBytes: Math.max(jobBodyLimit ?? parseByteSize(DEFAULTS.jobBodyLimit, MAX_JOB_BODY_BYTES) ?? 0, bodyLimitBytes ?? 0),
      maxCustomers: Math.max(jobMaxCustomers ?? DEFAULTS.jobMaxCustomers, maxCustomers ?? 0),
      maxReps: Math.max(jobMaxReps ?? DEFAULTS.jobMaxReps, maxReps ?? 0),
      maxPairs: Math.max(jobMaxPairs ?? DEFAULTS.jobMaxPairs, maxPairs ?? 0),
      maxTimeLimitMs: Math.max(jobMaxTimeLimitMs ?? DEFAULTS.jobMaxTimeLimitMs, maxTimeLimitMs),
    },
    memoryBudgetBytes: memoryBudget ?? Math.floor(DEFAULTS.memoryShare * availableMemoryBytes()),
    evaluateCache: evaluateCache ?? DEFAULTS.evaluateCache,
  };
}
