import request from "supertest";
import { describe, expect, it } from "vitest";
import { ProblemDetails } from "../api/problem-details.ts";
import type { SolvePool } from "../src/runtime/solve-pool.ts";
import { appWithStubPool, capturingLogger, unreachablePool } from "./api-test-service.ts";
import { tinyPlan } from "./tiny-plan.ts";

const PROBLEM_JSON = "application/problem+json; charset=utf-8";

/** Checks the RFC 9457 shape and returns the parsed body. */
function problemOf(res: request.Response, status: number, kind: string): ProblemDetails {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toBe(PROBLEM_JSON);
  const body = ProblemDetails.parse(JSON.parse(res.text));
  expect(body.status).toBe(status);
  expect(body.type).toBe(`/docs#problem-${kind}`);
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  expect(body.requestId).toBe(res.headers["x-request-id"]);
  expect(res.text).not.toMatch(/\bat .*\.ts:\d+/); // no stack frames, ever
  return body;
}

describe("problem+json for every error class", () => {
  const { app } = appWithStubPool();

  it("400 for malformed JSON and for a JSON document that is not an object or array", async () => {
    const broken = await request(app).post("/v1/solve").set("content-type", "application/json").send('{"customers": [');
    expect(problemOf(broken, 400, "malformed-json").instance).toBe("/v1/solve");
    const scalar = await request(app).post("/v1/validate").set("content-type", "application/json").send('"a plan"');
    problemOf(scalar, 400, "malformed-json");
  });

  it("413 for a body over ALLOT_BODY_LIMIT", async () => {
    const small = appWithStubPool({ ALLOT_BODY_LIMIT: "1kb" }).app;
    const big = { ...tinyPlan, customers: Array.from({ length: 40 }, (_, i) => ({ id: `customer-${i}`, value: 1000 + i })) };
    expect(JSON.stringify(big).length).toBeGreaterThan(1024);
    const body = problemOf(await request(small).post("/v1/solve").send(big), 413, "payload-too-large");
    expect(body.detail).toContain("1024 bytes");
  });

  it("415 unless the body is declared application/json, and for encodings other than gzip, deflate and br", async () => {
    problemOf(await request(app).post("/v1/solve").set("content-type", "text/plain").send(JSON.stringify(tinyPlan)), 415, "unsupported-media-type");
    problemOf(await request(app).post("/v1/solve"), 415, "unsupported-media-type");
    const compress = await request(app).post("/v1/solve").set("content-type", "application/json").set("content-encoding", "compress").send(JSON.stringify(tinyPlan));
    problemOf(compress, 415, "unsupported-media-type");
    // A charset parameter is fine.
    const invalid = await request(app).post("/v1/validate").set("content-type", "application/json; charset=utf-8").send(JSON.stringify({ customers: [] }));
    expect(invalid.status).toBe(422);
  });

  it("422 lists every shape problem of a plan with its path", async () => {
    const plan = {
      customers: [
        { id: "c1", value: -5 },
        { id: "", value: 1, colour: "red" },
      ],
      reps: [{ id: "r1", maxAccounts: 1.5, location: { lat: 91, lon: 0 } }],
      policy: { territory: "sideways", timeLimitMs: 0 },
    };
    const body = problemOf(await request(app).post("/v1/solve").send(plan), 422, "invalid-plan");
    expect(body.errors?.map((e) => e.path).sort()).toEqual(
      ["customers[0].value", "customers[1]", "customers[1].id", "reps[0].maxAccounts", "reps[0].location.lat", "policy.territory", "policy.timeLimitMs"].sort(),
    );
    expect(body.detail).toBe("The plan has 7 problems; see errors.");
    expect(body.errors?.find((e) => e.path === "customers[1]")?.message).toContain("colour");
  });

  it("422 lists every cross-field problem of a plan with its path", async () => {
    const plan = {
      customers: [
        { id: "c1", value: 5 },
        { id: "c1", value: 1, currentRep: "ghost" },
      ],
      reps: [{ id: "r1", minAccounts: 3, maxAccounts: 2 }],
      policy: { locks: [{ customer: "c1", rep: "nobody" }] },
    };
    const body = problemOf(await request(app).post("/v1/validate").send(plan), 422, "invalid-plan");
    expect(body.errors).toEqual([
      { path: "customers[1].id", message: 'duplicate id "c1" (first at customers[0])' },
      { path: "customers[1].currentRep", message: 'unknown rep "ghost"' },
      { path: "reps[0].minAccounts", message: "minAccounts (3) exceeds maxAccounts (2)" },
      { path: "policy.locks[0].rep", message: 'unknown rep "nobody"' },
    ]);
  });

  it("422 plan-too-large for counts over the limits, before any validation or pool work", async () => {
    const limited = appWithStubPool({ ALLOT_MAX_CUSTOMERS: "1", ALLOT_MAX_REPS: "1", ALLOT_MAX_PAIRS: "3" }).app;
    // Too many customers, reps and pairs, and an invalid field that is never looked at.
    const body = problemOf(await request(limited).post("/v1/solve").send({ ...tinyPlan, policy: { territory: 42 } }), 422, "plan-too-large");
    expect(body.errors?.map((e) => e.path)).toEqual(["customers", "reps", "pairs"]);
    expect(body.errors?.[0]?.message).toBe("2 customers, more than the 1 this server accepts");
  });

  it("422 plan-too-large when the estimated eligible pairs exceed ALLOT_MAX_PAIRS", async () => {
    const limited = appWithStubPool({ ALLOT_MAX_PAIRS: "5" }).app;
    // 3 customers × 2 reps with territories ignored: up to 6 pairs.
    const plan = {
      customers: [1, 2, 3].map((i) => ({ id: `c${i}`, value: i, territory: "north" })),
      reps: [{ id: "r1", territories: ["north"] }, { id: "r2", territories: ["south"] }],
      policy: { territory: "ignore" },
    };
    const body = problemOf(await request(limited).post("/v1/validate").send(plan), 422, "plan-too-large");
    expect(body.errors).toEqual([{ path: "", message: expect.stringContaining("up to 6 eligible (customer, rep) pairs, more than the 5") }]);
    // With hard territories only r1 covers "north": 3 pairs, under the limit (the stub pool then fails: 500).
    const hard = await request(limited).post("/v1/validate").send({ ...plan, policy: { territory: "hard" } });
    expect(hard.status).toBe(500);
  });

  it("404 for an unknown path and 405 with Allow for a known path with the wrong method", async () => {
    const missing = problemOf(await request(app).get("/v2/solve"), 404, "not-found");
    expect(missing.instance).toBe("/v2/solve");
    const wrong = await request(app).get("/v1/solve");
    problemOf(wrong, 405, "method-not-allowed");
    expect(wrong.headers.allow).toBe("POST");
    const deleteHealth = await request(app).delete("/healthz");
    problemOf(deleteHealth, 405, "method-not-allowed");
    expect(deleteHealth.headers.allow).toBe("GET, HEAD");
  });

  it("500 reveals nothing but the request id, and the error is logged under that id", async () => {
    const failing: SolvePool = { ...unreachablePool(), solve: () => Promise.reject(new Error("secret internal detail /srv/allot/engine.ts:42")) };
    const { logger, lines } = capturingLogger();
    const { app: broken } = appWithStubPool({}, failing, logger);
    const res = await request(broken).post("/v1/solve").set("x-request-id", "trace-500").send(tinyPlan);
    const body = problemOf(res, 500, "internal");
    expect(body.requestId).toBe("trace-500");
    expect(res.text).not.toContain("secret");
    expect(res.text).not.toContain("engine.ts");
    expect(body.detail).toContain("trace-500");
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "unexpected error");
    expect(logged?.requestId).toBe("trace-500");
    expect(JSON.stringify(logged?.err)).toContain("secret internal detail");
  });

  it("503 with Retry-After on /v1 and from /readyz while shutting down; /healthz still answers", async () => {
    const { app: stopping, state } = appWithStubPool();
    state.shuttingDown = true;
    const solve = await request(stopping).post("/v1/solve").send(tinyPlan);
    problemOf(solve, 503, "shutting-down");
    expect(Number(solve.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(solve.headers.connection).toBe("close");
    problemOf(await request(stopping).get("/readyz"), 503, "shutting-down");
    expect((await request(stopping).get("/healthz")).status).toBe(200);
  });
});

describe("request ids, headers and logs", () => {
  it("echoes an acceptable incoming x-request-id and replaces an unacceptable one", async () => {
    const { app } = appWithStubPool();
    expect((await request(app).get("/healthz").set("x-request-id", "abc-123.X:9")).headers["x-request-id"]).toBe("abc-123.X:9");
    for (const bad of ["has spaces", "x".repeat(129), "<script>"]) {
      expect((await request(app).get("/healthz").set("x-request-id", bad)).headers["x-request-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it("sends helmet's headers and no x-powered-by", async () => {
    const { app } = appWithStubPool();
    const res = await request(app).get("/healthz");
    expect(res.headers["x-powered-by"]).toBeUndefined();
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
  });

  it("logs one line per request with id, method, path, status and duration, and no customer data or key", async () => {
    const key = "k".repeat(20) + "-very-secret";
    const solved: SolvePool = {
      ...unreachablePool(),
      solve: () =>
        Promise.resolve({ status: "optimal", backend: "highs", gap: 0, solutionJson: '{"status":"optimal"}', deadlineHit: false, timings: { queueMs: 1, runMs: 2, engineMs: 2, solverMs: 1 } }),
    };
    const { logger, lines } = capturingLogger();
    const { app } = appWithStubPool({ ALLOT_API_KEYS: key }, solved, logger);
    const plan = { customers: [{ id: "ACME-Corporation-4711", value: 1, territory: "Secret-Valley" }], reps: [{ id: "rep-Jane-Doe" }] };
    const res = await request(app).post("/v1/solve?token=abc").set("authorization", `Bearer ${key}`).set("x-request-id", "log-1").send(plan);
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"status":"optimal"}');
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const access = entries.find((e) => e.msg === "request");
    expect(access).toMatchObject({ requestId: "log-1", method: "POST", path: "/v1/solve", status: 200 });
    expect(typeof access?.durationMs).toBe("number");
    expect(access?.keyId).toMatch(/^[0-9a-f]{12}$/);
    const all = lines.join("\n");
    for (const secret of ["ACME", "Secret-Valley", "Jane", key, "token=abc"]) expect(all).not.toContain(secret);
  });
});
