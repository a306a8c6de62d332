/**
 * Who may do what, generated from the route table: every endpoint × every role (and no key, an
 * unknown, an expired and a revoked key, a session of a revoked key, a signed-out and a made-up
 * session), with bootstrap keys and keys made in the store, each role both as a key header and as a
 * session of that key (sign-in cookie and CSRF token), asserting 401 / 403 / neither exactly as its row declares. A row added without a
 * decision fails here (and does not type-check).
 */
import request from "supertest";
import { describe, expect, it } from "vitest";
import { ENDPOINTS, isV1, type Endpoint } from "../api/endpoints.ts";
import type { OpenApiDocument } from "../api/openapi-parts.ts";
import { admits, isRole, ROLES, type Role } from "../api/roles.ts";
import { createApp } from "../api/app.ts";
import { loadConfig } from "../api/config.ts";
import { freshKey } from "../api/managed-keys.ts";
import { createServiceState } from "../api/service-state.ts";
import { openSqliteStore } from "../src/storage/sqlite-store.ts";
import { appWithStubPool, capturingLogger, silentLogger, unreachablePool } from "./api-test-service.ts";

const KEYS: Record<Role, string> = {
  admin: "matrix-admin-key-000001",
  planner: "matrix-planner-key-0001",
  integrator: "matrix-integrator-key-1",
  viewer: "matrix-viewer-key-00001",
};
const ENV = { ALLOT_API_KEYS: ROLES.map((role) => `${KEYS[role]}:${role}`).join(",") };

/** The endpoint's path with its parameters filled with ids no store holds. */
function concretePath(endpoint: Endpoint): string {
  return endpoint.path.replace(/\{[^/}]+\}/g, "no-such-id");
}

/** A session's credentials: its cookie, and its CSRF token (sent with every request). */
interface SessionCredentials {
  cookie: string;
  csrfToken: string;
}

/** One request to the endpoint, with an (invalid) JSON body for the methods that take one, authenticated by a key header or a session. */
function call(app: Parameters<typeof request>[0], endpoint: Endpoint, key: string | SessionCredentials | null) {
  const path = concretePath(endpoint);
  let req = endpoint.method === "get" ? request(app).get(path) : endpoint.method === "post" ? request(app).post(path) : request(app).delete(path);
  if (typeof key === "string") req = req.set("authorization", `Bearer ${key}`);
  else if (key !== null) req = req.set("cookie", key.cookie).set("x-csrf-token", key.csrfToken);
  return endpoint.body === undefined ? req : req.send({});
}

/** Signs in with `key` (POST /v1/sessions): the session's cookie and CSRF token. */
async function signIn(app: Parameters<typeof request>[0], key: string): Promise<SessionCredentials> {
  const res = await request(app).post("/v1/sessions").send({ key });
  expect(res.status, res.text).toBe(201);
  const raw: unknown = res.headers["set-cookie"];
  const cookie = (Array.isArray(raw) ? raw.map(String) : [String(raw)])[0]?.split(";")[0] ?? "";
  return { cookie, csrfToken: (JSON.parse(res.text) as { csrfToken: string }).csrfToken };
}

const name = (e: Endpoint) => `${e.method.toUpperCase()} ${e.path}`;

describe("the route table's access decisions", () => {
  it("every row decides: public, or a non-empty list of known roles with admin among them", () => {
    for (const endpoint of ENDPOINTS) {
      const roles: unknown = endpoint.roles;
      if (roles === "public") {
        // Only the sign-in and endpoints outside /v1 that are never keyed may be public.
        if (isV1(endpoint)) expect(name(endpoint)).toBe("POST /v1/sessions");
        expect(endpoint.keyed === true, name(endpoint)).toBe(false);
        continue;
      }
      expect(Array.isArray(roles), `${name(endpoint)} declares no roles`).toBe(true);
      const list = roles as unknown[];
      expect(list.length, name(endpoint)).toBeGreaterThan(0);
      expect(list.every(isRole), name(endpoint)).toBe(true);
      expect(new Set(list).size, name(endpoint)).toBe(list.length);
      expect(list, name(endpoint)).toContain("admin");
    }
  });

  it("the viewer never changes state, and every state change admits the planner or the integrator", () => {
    for (const endpoint of ENDPOINTS) {
      if (endpoint.roles === "public") continue;
      // Signing out ends one's own session: every role may.
      const changes = endpoint.method !== "get" && endpoint.path !== "/v1/solve" && endpoint.path !== "/v1/validate" && endpoint.path !== "/v1/session";
      if (changes) expect(admits(endpoint.roles, "viewer"), name(endpoint)).toBe(false);
    }
  });

  it("the OpenAPI document shows each row's roles as x-roles and in the description, with 403 where keys are needed", async () => {
    const { app } = appWithStubPool(ENV);
    const document = JSON.parse((await request(app).get("/openapi.json")).text) as OpenApiDocument;
    for (const endpoint of ENDPOINTS) {
      const operation = document.paths[endpoint.path]?.[endpoint.method];
      const expected = endpoint.roles === "public" ? ["public"] : [...endpoint.roles];
      expect(operation?.["x-roles"], name(endpoint)).toEqual(expected);
      expect(operation?.description, name(endpoint)).toContain(endpoint.roles === "public" ? "Public (no API key)." : `Roles: ${expected.join(", ")}.`);
      expect(operation?.responses["403"] !== undefined, name(endpoint)).toBe(endpoint.roles !== "public");
    }
  });
});

/** The app with its own in-memory store: role keys either bootstrap (ALLOT_API_KEYS) or made in the store, plus an expired and a revoked key. */
async function matrixApp(source: "bootstrap" | "store") {
  const config = loadConfig({ ALLOT_POOL_SIZE: "1", LOG_LEVEL: "silent", ...(source === "bootstrap" ? ENV : { ALLOT_REQUIRE_KEYS: "true" }) });
  const store = openSqliteStore(":memory:");
  const setup = { requestId: "matrix-setup", keyId: null };
  const keys = { ...KEYS };
  if (source === "store") {
    for (const role of ROLES) {
      const made = freshKey(role, `matrix ${role}`, null);
      await store.createApiKey(made.row, setup);
      keys[role] = made.key;
    }
  }
  const expired = freshKey("admin", "expired", "2020-01-01T00:00:00.000Z");
  await store.createApiKey(expired.row, setup);
  const revoked = freshKey("admin", "revoked", null);
  await store.createApiKey(revoked.row, setup);
  await store.revokeApiKey(revoked.row.id, setup);
  // A key that signs in and is then revoked (its session ends with it), and a session signed out.
  const doomed = freshKey("admin", "doomed", null);
  await store.createApiKey(doomed.row, setup);
  const app = createApp({ config, pool: unreachablePool(), logger: silentLogger, state: createServiceState(), store });
  const ofRevokedKey = await signIn(app, doomed.key);
  await store.revokeApiKey(doomed.row.id, setup);
  const signedOut = await signIn(app, keys.admin);
  expect((await request(app).delete("/v1/session").set("cookie", signedOut.cookie).set("x-csrf-token", signedOut.csrfToken)).status).toBe(204);
  return { app, keys, expired: expired.key, revoked: revoked.key, ofRevokedKey, signedOut };
}

for (const source of ["bootstrap", "store"] as const) {
  describe(`endpoint × role matrix, ${source} keys (generated from the route table)`, () => {
    const made = matrixApp(source);
    for (const endpoint of ENDPOINTS) {
      it(name(endpoint), async () => {
        const { app, keys, expired, revoked, ofRevokedKey, signedOut } = await made;
        const refusals = {
          "no key": await call(app, endpoint, null),
          "an unknown key": await call(app, endpoint, "allot_matrix-unknown-key-0001"),
          "an expired key": await call(app, endpoint, expired),
          "a revoked key": await call(app, endpoint, revoked),
          "a session of a revoked key": await call(app, endpoint, ofRevokedKey),
          "a signed-out session": await call(app, endpoint, signedOut),
          "a made-up session": await call(app, endpoint, { cookie: "allot_session=made-up-session-id-000000000000000000000000", csrfToken: "made-up" }),
        };
        for (const [what, res] of Object.entries(refusals)) {
          if (endpoint.roles === "public") expect([401, 403], `${name(endpoint)} is public (${what})`).not.toContain(res.status);
          else {
            expect(res.status, `${name(endpoint)} with ${what}`).toBe(401);
            expect(res.headers["www-authenticate"]).toBe('Bearer realm="allot"');
          }
        }
        for (const role of ROLES) {
          const res = await call(app, endpoint, keys[role]);
          if (endpoint.roles === "public" || admits(endpoint.roles, role)) {
            expect([401, 403], `${name(endpoint)} as ${role} (admitted)`).not.toContain(res.status);
            expect(res.status, `${name(endpoint)} as ${role} (admitted)`).toBeLessThan(500);
          } else {
            expect(res.status, `${name(endpoint)} as ${role} (refused)`).toBe(403);
            expect(res.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
            expect(JSON.parse(res.text)).toMatchObject({ type: "/docs#problem-forbidden", status: 403 });
          }
          expect(res.text).not.toContain(keys[role]);
          // A session of the role's key (a fresh one: the request may be a sign-out) gets the same answer class.
          const session = await signIn(app, keys[role]);
          const bySession = await call(app, endpoint, session);
          if (endpoint.roles === "public" || admits(endpoint.roles, role)) {
            expect([401, 403], `${name(endpoint)} as a ${role} session (admitted)`).not.toContain(bySession.status);
            expect(bySession.status, `${name(endpoint)} as a ${role} session (admitted)`).toBeLessThan(500);
            expect(bySession.status, `${name(endpoint)}: a ${role} session answers as the key`).toBe(res.status);
          } else {
            expect(bySession.status, `${name(endpoint)} as a ${role} session (refused)`).toBe(403);
            expect(JSON.parse(bySession.text)).toMatchObject({ type: "/docs#problem-forbidden", status: 403 });
          }
        }
      });
    }
  });
}

describe("keys in logs", () => {
  it("appear only as their 12-hex-digit identity and role, never the key", async () => {
    const { logger, lines } = capturingLogger();
    const { app } = appWithStubPool(ENV, undefined, logger);
    for (const role of ROLES) await request(app).get("/v1/plans").set("authorization", `Bearer ${KEYS[role]}`);
    await request(app).get("/v1/plans").set("authorization", "Bearer matrix-unknown-key-0001");
    const text = lines.join("\n");
    expect(lines.length).toBeGreaterThanOrEqual(ROLES.length + 1);
    for (const key of [...Object.values(KEYS), "matrix-unknown-key-0001"]) expect(text).not.toContain(key);
    for (const role of ROLES) expect(text).toContain(`"role":"${role}"`);
  });
});
