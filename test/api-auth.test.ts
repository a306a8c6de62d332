import request from "supertest";
import { describe, expect, it } from "vitest";
import { keyIdentity } from "../api/api-key-auth.ts";
import type { SolvePool } from "../src/runtime/solve-pool.ts";
import { appWithStubPool, unreachablePool } from "./api-test-service.ts";
import { tinyPlan } from "./tiny-plan.ts";

const KEY_A = "alpha-key-0123456789";
const KEY_B = "bravo-key-9876543210";

/** A pool whose report answers at once, so that only the HTTP layer is under test. */
const reportingPool: SolvePool = {
  ...unreachablePool(),
  report: () => Promise.resolve({ reportJson: '{"problems":[]}', timings: { queueMs: 0, runMs: 0, engineMs: 0 } }),
};

describe("API keys", () => {
  it("are off when none are configured: /v1 answers without Authorization", async () => {
    const { app } = appWithStubPool({}, reportingPool);
    const res = await request(app).post("/v1/validate").send(tinyPlan);
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"problems":[]}');
  });

  it("when configured, every /v1 call without a valid key gets 401 problem+json with WWW-Authenticate", async () => {
    const { app } = appWithStubPool({ ALLOT_API_KEYS: `${KEY_A}, ${KEY_B}` }, reportingPool);
    const attempts = [
      request(app).post("/v1/validate").send(tinyPlan),
      request(app).post("/v1/solve").send(tinyPlan),
      request(app).post("/v1/validate").set("authorization", `Bearer ${KEY_A}x`).send(tinyPlan),
      request(app).post("/v1/validate").set("authorization", KEY_A).send(tinyPlan),
      request(app).post("/v1/validate").set("authorization", `Basic ${KEY_A}`).send(tinyPlan),
      request(app).get("/v1/unknown"),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(401);
      expect(res.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
      expect(res.headers["www-authenticate"]).toBe('Bearer realm="allot"');
      expect(JSON.parse(res.text)).toMatchObject({ type: "/docs#problem-unauthorized", status: 401 });
      expect(res.text).not.toContain(KEY_A);
    }
  });

  it("accept any configured key, with the scheme in any case", async () => {
    const { app } = appWithStubPool({ ALLOT_API_KEYS: `${KEY_A},${KEY_B}` }, reportingPool);
    expect((await request(app).post("/v1/validate").set("authorization", `Bearer ${KEY_A}`).send(tinyPlan)).status).toBe(200);
    expect((await request(app).post("/v1/validate").set("authorization", `bearer ${KEY_B}`).send(tinyPlan)).status).toBe(200);
  });

  it("leave health, readiness and documentation open", async () => {
    const { app } = appWithStubPool({ ALLOT_API_KEYS: KEY_A });
    for (const path of ["/healthz", "/readyz", "/openapi.json", "/docs"]) expect((await request(app).get(path)).status).toBe(200);
  });

  it("are identified in logs by a 12-hex-digit sha256 prefix, never the key", () => {
    expect(keyIdentity(KEY_A)).toMatch(/^[0-9a-f]{12}$/);
    expect(keyIdentity(KEY_A)).not.toBe(keyIdentity(KEY_B));
    // sha256("abc") starts with ba7816bf8f01.
    expect(keyIdentity("abc")).toBe("ba7816bf8f01");
  });
});

describe("rate limiting", () => {
  it("is off by default", async () => {
    const { app } = appWithStubPool({}, reportingPool);
    for (let i = 0; i < 5; i++) expect((await request(app).post("/v1/validate").send(tinyPlan)).status).toBe(200);
  });

  it("answers 429 problem+json with Retry-After past ALLOT_RATE_LIMIT_PER_MINUTE, per key", async () => {
    const { app } = appWithStubPool({ ALLOT_RATE_LIMIT_PER_MINUTE: "2", ALLOT_API_KEYS: `${KEY_A},${KEY_B}` }, reportingPool);
    const call = (key: string) => request(app).post("/v1/validate").set("authorization", `Bearer ${key}`).send(tinyPlan);
    expect((await call(KEY_A)).status).toBe(200);
    expect((await call(KEY_A)).status).toBe(200);
    const limited = await call(KEY_A);
    expect(limited.status).toBe(429);
    expect(limited.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    expect(JSON.parse(limited.text)).toMatchObject({ type: "/docs#problem-rate-limited", status: 429 });
    const retryAfter = Number(limited.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another key has its own budget; health is never limited.
    expect((await call(KEY_B)).status).toBe(200);
    expect((await request(app).get("/healthz")).status).toBe(200);
  });

  it("tells clients apart by X-Forwarded-For only when ALLOT_TRUST_PROXY trusts the proxy", async () => {
    const call = (app: Parameters<typeof request>[0], client: string) => request(app).post("/v1/validate").set("x-forwarded-for", client).send(tinyPlan);
    const direct = appWithStubPool({ ALLOT_RATE_LIMIT_PER_MINUTE: "1" }, reportingPool).app;
    expect((await call(direct, "203.0.113.1")).status).toBe(200);
    // Not trusted: the header is ignored, both requests come from the same loopback client.
    expect((await call(direct, "203.0.113.2")).status).toBe(429);
    const proxied = appWithStubPool({ ALLOT_RATE_LIMIT_PER_MINUTE: "1", ALLOT_TRUST_PROXY: "loopback" }, reportingPool).app;
    expect((await call(proxied, "203.0.113.1")).status).toBe(200);
    expect((await call(proxied, "203.0.113.2")).status).toBe(200);
    expect((await call(proxied, "203.0.113.1")).status).toBe(429);
  });
});
