import { once } from "node:events";
import type { Server } from "node:http";
import fc from "fast-check";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProblemDetails } from "../api/problem-details.ts";
import { Plan, Solution } from "../models/index.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { startService, type TestService } from "./api-test-service.ts";
import { randomSmallPlan } from "./random-small-plan.ts";

/**
 * Property-based fuzzing of the HTTP API (seeded): valid plans with random constraint mixes and
 * broken documents of every kind. Invariants: never a 5xx; every 4xx is problem+json (with paths
 * for 422); every 200 passes the independent verifier; the service is healthy afterwards.
 */

const ENDPOINTS = ["/v1/solve", "/v1/validate"] as const;
let sent = 0;
let serverErrors = 0;
const byStatus = new Map<number, number>();

function checkAnswer(res: request.Response): void {
  sent++;
  byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
  if (res.status >= 500 && res.status !== 503) serverErrors++;
  expect(res.status).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const body = ProblemDetails.parse(JSON.parse(res.text));
    expect(body.status).toBe(res.status);
    if (res.status === 422) {
      expect(body.errors?.length ?? 0).toBeGreaterThan(0);
      for (const e of body.errors ?? []) expect(typeof e.path).toBe("string");
    }
  }
}

/** Weird values a broken client sends where numbers, strings or objects belong. */
const weird = fc.oneof(
  fc.constantFrom<unknown>("NaN", "Infinity", "-Infinity", "1e309", "", " ", "\u0000", "\u202e", "💥", "__proto__", null, true, [], {}, [[[]]]),
  fc.constantFrom<unknown>(1e308, -1e308, Number.MAX_SAFE_INTEGER, -0, 0.1, -1, 2 ** 53 + 1, 1e-320),
  fc.string({ maxLength: 200 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Object keys chosen to hurt: prototype pollution, typos of contract fields, unicode and control characters. */
const nastyKey = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "vaIue", "customer", "id\u0000", "ïd", "");

type Json = unknown;

/** Replaces, deletes or adds one thing somewhere in a JSON document. */
function mutate(doc: Json, rnd: () => number, value: Json, key: string): Json {
  if (Array.isArray(doc)) {
    if (doc.length === 0 || rnd() < 0.15) return rnd() < 0.5 ? [] : [...doc, value];
    const i = Math.floor(rnd() * doc.length);
    const copy = [...doc];
    if (rnd() < 0.2) copy.splice(i, 1);
    else if (rnd() < 0.2) copy.push(copy[i]); // duplicate an element (duplicate ids)
    else copy[i] = mutate(copy[i], rnd, value, key);
    return copy;
  }
  if (doc !== null && typeof doc === "object") {
    const entries = Object.entries(doc as Record<string, Json>);
    const roll = rnd();
    const copy: Record<string, Json> = {};
    for (const [k, v] of entries) copy[k] = v;
    if (entries.length === 0 || roll < 0.15) {
      // JSON.parse of the sent text makes "__proto__" an own key, as a hostile client would.
      Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
      return copy;
    }
    const [k] = entries[Math.floor(rnd() * entries.length)] ?? ["", null];
    if (roll < 0.3) delete copy[k];
    else copy[k] = rnd() < 0.4 ? value : mutate(copy[k], rnd, value, key);
    return copy;
  }
  return value;
}

describe("API fuzzing", () => {
  let service: TestService;
  // One listening server for the thousands of requests below (request(app) would open and close one per request).
  let server: Server;
  beforeAll(async () => {
    // One worker thread: the requests go one at a time, so a second thread would only cost its start-up.
    service = startService({ ALLOT_POOL_SIZE: "1", ALLOT_QUEUE_LENGTH: "64", ALLOT_MAX_TIME_LIMIT_MS: "20000" });
    server = service.app.listen(0, "127.0.0.1");
    await once(server, "listening");
  });
  afterAll(async () => {
    await new Promise((closed) => server.close(closed));
    await service.close();
  });

  it("valid plans with random constraint mixes: every 200 passes the verifier", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom(...ENDPOINTS), async (seed, endpoint) => {
        const plan = randomSmallPlan(seed, 8, 3);
        const res = await request(server).post(endpoint).send(plan);
        checkAnswer(res);
        expect(res.status).toBe(200);
        if (endpoint !== "/v1/solve") return;
        const solution = Solution.parse(JSON.parse(res.text));
        if (solution.status === "optimal" || solution.status === "feasible") {
          const report = verifyAssignment(Plan.parse(plan), solution.assignments, { claimedObjective: solution.objective ?? Number.NaN });
          expect(report.violations).toEqual([]);
        }
      }),
      { seed: 314, numRuns: 150 },
    );
  });

  it("broken plans (wrong types, missing fields, NaN/Infinity, duplicates, dangling ids, hostile keys) get a 4xx with paths", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.array(fc.tuple(weird, nastyKey), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...ENDPOINTS),
        async (seed, edits, endpoint) => {
          let doc: Json = randomSmallPlan(seed, 5, 3);
          let state = seed;
          const rnd = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
          for (const [value, key] of edits) doc = mutate(doc, rnd, value, key);
          const res = await request(server).post(endpoint).set("content-type", "application/json").send(JSON.stringify(doc));
          checkAnswer(res);
        },
      ),
      { seed: 2718, numRuns: 1500 },
    );
  });

  it("arbitrary JSON and raw text bodies never crash the service", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v) ?? "null"), fc.string({ maxLength: 300 })), fc.constantFrom(...ENDPOINTS), async (body, endpoint) => {
        const res = await request(server).post(endpoint).set("content-type", "application/json").send(body);
        checkAnswer(res);
      }),
      { seed: 1618, numRuns: 500 },
    );
  });

  it("extreme shapes: deep nesting, a million-element array, huge numbers as text, control characters in ids", async () => {
    const depth = 100_000;
    const deep = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const million = `{"customers":[${new Array(1_000_000).fill("0").join(",")}],"reps":[{"id":"r"}]}`;
    const cases: string[] = [
      deep,
      `{"customers":${deep},"reps":[]}`,
      million,
      '{"customers":[{"id":"c","value":1e999}],"reps":[{"id":"r"}]}',
      '{"customers":[{"id":"c","value":"Infinity"}],"reps":[{"id":"r"}]}',
      JSON.stringify({ customers: [{ id: "\u0000\u0007\u001b[31m", value: 1 }], reps: [{ id: "\ud800" }] }),
      '{"__proto__":{"polluted":true},"customers":[{"id":"c","value":1}],"reps":[{"id":"r"}]}',
      '{"constructor":{"prototype":{"polluted":true}},"customers":[{"id":"c","value":1}],"reps":[{"id":"r"}]}',
    ];
    for (const body of cases) {
      for (const endpoint of ENDPOINTS) {
        const res = await request(server).post(endpoint).set("content-type", "application/json").send(body);
        checkAnswer(res);
      }
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("afterwards: never a 5xx, and the service and its pool are healthy", async () => {
    expect(serverErrors).toBe(0);
    expect(sent).toBeGreaterThan(2000);
    // The broken inputs must really be broken, mostly: plenty of 400s and 422s, not only 200s.
    expect(byStatus.get(400) ?? 0).toBeGreaterThan(50);
    expect(byStatus.get(422) ?? 0).toBeGreaterThan(800);
    expect((await request(server).get("/healthz")).status).toBe(200);
    const solved = await request(server).post("/v1/solve").send(randomSmallPlan(7, 4, 2));
    expect(solved.status).toBe(200);
    const stats = service.pool.stats();
    expect(stats.running).toBe(0);
    expect(stats.queued).toBe(0);
  });
});
