import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { availableMemoryBytes, ConfigError, loadConfig, parseByteSize } from "../api/config.ts";
import { projectRoot } from "./project-root.ts";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("has embedded defaults for everything", () => {
    const size = availableParallelism();
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: "0.0.0.0",
      bodyLimitBytes: 10 * 1024 * 1024,
      importLimitBytes: 128 * 1024 * 1024,
      limits: { maxCustomers: 50_000, maxReps: 5_000, maxPairs: 1_000_000, maxTimeLimitMs: 60_000, defaultTimeLimitMs: 30_000 },
      pool: { size, queueLength: 4 * size, deadlineMarginMs: 2_000, portfolio: true },
      shutdownGraceMs: 35_000,
      apiKeys: [],
      requireKeys: false,
      trustProxy: false,
      rateLimitPerMinute: 0,
      logLevel: "info",
      jobs: { queueName: "allot-jobs", retentionS: 86_400, concurrency: size, lockMs: 30_000, stalledIntervalMs: 30_000 },
      metricsNeedKey: true,
      requireApproval: false,
      sessions: { idleS: 1800, maxS: 28_800 },
      jobLimits: { bodyLimitBytes: 128 * 1024 * 1024, maxCustomers: 500_000, maxReps: 20_000, maxPairs: 20_000_000, maxTimeLimitMs: 600_000 },
      memoryBudgetBytes: Math.floor(0.5 * availableMemoryBytes()),
      evaluateCache: 4,
    });
  });

  it("reads every variable, treating empty ones as unset", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      ALLOT_BODY_LIMIT: "512kb",
      ALLOT_IMPORT_LIMIT: "2mb",
      ALLOT_MAX_CUSTOMERS: "100",
      ALLOT_MAX_REPS: "10",
      ALLOT_MAX_PAIRS: "1000",
      ALLOT_MAX_TIME_LIMIT_MS: "5000",
      ALLOT_DEFAULT_TIME_LIMIT_MS: "",
      ALLOT_POOL_SIZE: "3",
      ALLOT_QUEUE_LENGTH: "0",
      ALLOT_DEADLINE_MARGIN_MS: "250",
      ALLOT_SHUTDOWN_GRACE_MS: "1000",
      ALLOT_REDIS_URL: "redis://127.0.0.1:6380/2",
      ALLOT_JOB_QUEUE: "allot-test",
      ALLOT_JOB_RETENTION_S: "60",
      ALLOT_JOB_CONCURRENCY: "1",
      ALLOT_JOB_LOCK_MS: "5000",
      ALLOT_JOB_STALLED_INTERVAL_MS: "1000",
      ALLOT_METRICS_NEED_KEY: "false",
      ALLOT_REQUIRE_APPROVAL: "TRUE",
      ALLOT_PORTFOLIO: " False ",
      ALLOT_SESSION_IDLE_S: "600",
      ALLOT_SESSION_MAX_S: "3600",
      ALLOT_JOB_BODY_LIMIT: "2mb",
      ALLOT_JOB_MAX_CUSTOMERS: "1000",
      ALLOT_JOB_MAX_REPS: "50",
      ALLOT_JOB_MAX_PAIRS: "5000",
      ALLOT_JOB_MAX_TIME_LIMIT_MS: "120000",
      ALLOT_MEMORY_BUDGET: "3gb",
      ALLOT_EVALUATE_CACHE: "9",
      ALLOT_API_KEYS: " key-number-one-0001 ,key-number-two-0002:planner,key-number-one-0001,",
      ALLOT_TRUST_PROXY: "loopback, 10.0.0.0/8",
      ALLOT_RATE_LIMIT_PER_MINUTE: "600",
      LOG_LEVEL: "warn",
    });
    expect(config).toEqual({
      port: 8080,
      host: "127.0.0.1",
      bodyLimitBytes: 512 * 1024,
      importLimitBytes: 2 * 1024 * 1024,
      limits: { maxCustomers: 100, maxReps: 10, maxPairs: 1000, maxTimeLimitMs: 5000, defaultTimeLimitMs: 5000 },
      pool: { size: 3, queueLength: 0, deadlineMarginMs: 250, portfolio: false },
      shutdownGraceMs: 1000,
      apiKeys: [
        { key: "key-number-one-0001", role: "admin" },
        { key: "key-number-two-0002", role: "planner" },
      ],
      requireKeys: false,
      trustProxy: ["loopback", "10.0.0.0/8"],
      rateLimitPerMinute: 600,
      logLevel: "warn",
      jobs: { redisUrl: "redis://127.0.0.1:6380/2", queueName: "allot-test", retentionS: 60, concurrency: 1, lockMs: 5_000, stalledIntervalMs: 1_000 },
      metricsNeedKey: false,
      requireApproval: true,
      sessions: { idleS: 600, maxS: 3600 },
      jobLimits: { bodyLimitBytes: 2 * 1024 * 1024, maxCustomers: 1_000, maxReps: 50, maxPairs: 5_000, maxTimeLimitMs: 120_000 },
      memoryBudgetBytes: 3 * 1024 ** 3,
      evaluateCache: 9,
    });
    // The jobs' limits are never below the synchronous ones.
    expect(loadConfig({ ALLOT_MAX_CUSTOMERS: "900000", ALLOT_JOB_MAX_CUSTOMERS: "10" }).jobLimits.maxCustomers).toBe(900_000);
    expect(loadConfig({ ALLOT_POOL_SIZE: "2" }).pool.queueLength).toBe(8);
  });

  it("reads ALLOT_TRUST_PROXY as off, on, a hop count or a list", () => {
    const trust = (value: string) => loadConfig({ ALLOT_TRUST_PROXY: value }).trustProxy;
    expect([trust("off"), trust("false"), trust("0"), trust("on"), trust("TRUE"), trust("2")]).toEqual([false, false, false, true, true, 2]);
    expect(trust("::1")).toEqual(["::1"]);
  });

  it("parses body sizes", () => {
    expect([parseByteSize("100"), parseByteSize("1kb"), parseByteSize("1.5MB"), parseByteSize("1gb")]).toEqual([100, 1024, 1572864, 1024 ** 3]);
    expect([parseByteSize("0"), parseByteSize("2gb"), parseByteSize("ten mb"), parseByteSize("-1kb")]).toEqual([null, null, null, null]);
  });

  it("names every invalid variable at once", () => {
    const problems = problemsOf({
      PORT: "70000",
      ALLOT_POOL_SIZE: "zero",
      ALLOT_BODY_LIMIT: "lots",
      ALLOT_TRUST_PROXY: "somewhere.example",
      LOG_LEVEL: "loud",
      ALLOT_MAX_PAIRS: "1.5",
    });
    expect(problems.map((p) => p.split(":")[0])).toEqual(["PORT", "ALLOT_BODY_LIMIT", "ALLOT_MAX_PAIRS", "ALLOT_POOL_SIZE", "ALLOT_TRUST_PROXY", "LOG_LEVEL"]);
    expect(problems[0]).toBe('PORT: must be at most 65535 (got "70000")');
    expect(problems[3]).toBe('ALLOT_POOL_SIZE: must be an integer between 1 and 1024 (got "zero")');
  });

  it("reads ALLOT_PORTFOLIO as true or false only", () => {
    expect(loadConfig({ ALLOT_PORTFOLIO: "true" }).pool.portfolio).toBe(true);
    expect(loadConfig({ ALLOT_PORTFOLIO: "false" }).pool.portfolio).toBe(false);
    expect(problemsOf({ ALLOT_PORTFOLIO: "sometimes" })).toEqual(['ALLOT_PORTFOLIO: must be true or false (got "sometimes")']);
  });

  it("refuses session lifetimes under a minute", () => {
    expect(problemsOf({ ALLOT_SESSION_IDLE_S: "59", ALLOT_SESSION_MAX_S: "soon" })).toEqual([
      'ALLOT_SESSION_IDLE_S: must be at least 60 (got "59")',
      'ALLOT_SESSION_MAX_S: must be an integer between 60 and 2592000 (got "soon")',
    ]);
  });

  it("reads `key:role` in ALLOT_API_KEYS only when the suffix names a role, and refuses a key given two roles", () => {
    const config = loadConfig({ ALLOT_API_KEYS: "crm-key-00000000001:integrator,with:colon-000000001,ops-key-0000000001:viewer" });
    expect(config.apiKeys).toEqual([
      { key: "crm-key-00000000001", role: "integrator" },
      { key: "with:colon-000000001", role: "admin" },
      { key: "ops-key-0000000001", role: "viewer" },
    ]);
    const problems = problemsOf({ ALLOT_API_KEYS: "twice-key-000000001:viewer,twice-key-000000001:admin" });
    expect(problems).toEqual(["ALLOT_API_KEYS: a key is listed with two different roles"]);
    expect(problems.join("")).not.toContain("twice-key");
  });

  it("refuses a default time limit above the maximum, and short API keys without echoing them", () => {
    expect(problemsOf({ ALLOT_MAX_TIME_LIMIT_MS: "1000", ALLOT_DEFAULT_TIME_LIMIT_MS: "2000" })).toEqual([
      "ALLOT_DEFAULT_TIME_LIMIT_MS: must not exceed ALLOT_MAX_TIME_LIMIT_MS (2000 > 1000)",
    ]);
    const problems = problemsOf({ ALLOT_API_KEYS: "long-enough-key-00001,short-secret" });
    expect(problems).toEqual(["ALLOT_API_KEYS: 1 key(s) shorter than 16 characters"]);
    expect(problems.join("")).not.toContain("short-secret");
  });

  it("stops the server before it starts: exit 1 with a message naming the variable", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "api/server.ts"], {
      cwd: projectRoot,
      encoding: "utf8",
      env: { ...process.env, ALLOT_POOL_SIZE: "none", PORT: "0", ALLOT_API_KEYS: "" },
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("allot: invalid configuration");
    expect(run.stderr).toContain('ALLOT_POOL_SIZE: must be an integer between 1 and 1024 (got "none")');
    expect(run.stdout).toBe("");
  });
});
