/**
 * Revocation across a cluster: two API processes (`api/server.ts`, spawned) on one PostgreSQL
 * database. A key made on one works on the other, as do sessions signed in on either; once the key
 * is revoked through one process, the other refuses the key and every session of it at its very
 * next request (no cache: the store is read at every request), well within the one second the
 * issue asks for (the time is printed, not asserted: the machine is shared). A sign-out through
 * one process ends the session on the other too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreatedApiKey, CreatedSession } from "../models/index.ts";
import { createTestDatabase, dropTestDatabases } from "./postgres-test-database.ts";
import { startApiProcess, stopAll, type ApiProcess } from "./service-process.ts";

const ADMIN = "cluster-admin-key-000001";
let a: ApiProcess;
let b: ApiProcess;

beforeAll(async () => {
  const env = { ALLOT_DATABASE_URL: await createTestDatabase(), ALLOT_DATABASE_POOL_SIZE: "3", ALLOT_API_KEYS: ADMIN };
  [a, b] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
});

afterAll(async () => {
  await stopAll();
  await dropTestDatabases();
});

const asAdmin = { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" };

async function makeKey(on: ApiProcess, role: string, label: string): Promise<CreatedApiKey> {
  const res = await fetch(`${on.base}/v1/keys`, { method: "POST", headers: asAdmin, body: JSON.stringify({ role, label }) });
  expect(res.status).toBe(201);
  return CreatedApiKey.parse(await res.json());
}

interface Session {
  cookie: string;
  csrfToken: string;
}

async function signIn(on: ApiProcess, key: string): Promise<Session> {
  const res = await fetch(`${on.base}/v1/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key }) });
  expect(res.status).toBe(201);
  const cookie = (res.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
  expect(cookie).toMatch(/^allot_session=[A-Za-z0-9_-]{43}$/);
  return { cookie, csrfToken: CreatedSession.parse(await res.json()).csrfToken };
}

const withKey = (on: ApiProcess, key: string) => fetch(`${on.base}/v1/plans`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
const withSession = (on: ApiProcess, session: Session) => fetch(`${on.base}/v1/plans`, { headers: { cookie: session.cookie } }).then((r) => r.status);

describe("two API processes on one PostgreSQL database", () => {
  it("refuse a key revoked through the other, and every session of it, at their next request", async () => {
    const key = await makeKey(a, "planner", "quarterly planning");
    const onA = await signIn(a, key.key);
    const onB = await signIn(b, key.key);
    // Either process knows the key and both sessions.
    for (const p of [a, b]) {
      expect(await withKey(p, key.key)).toBe(200);
      expect(await withSession(p, onA)).toBe(200);
      expect(await withSession(p, onB)).toBe(200);
    }

    const revoked = await fetch(`${a.base}/v1/keys/${key.id}`, { method: "DELETE", headers: asAdmin });
    const answeredAt = performance.now();
    expect(revoked.status).toBe(200);
    // The very next requests to the other process: refused, the key and both sessions.
    const statuses = [await withKey(b, key.key), await withSession(b, onA), await withSession(b, onB)];
    const elapsedMs = performance.now() - answeredAt;
    expect(statuses).toEqual([401, 401, 401]);
    expect([await withKey(a, key.key), await withSession(a, onA), await withSession(a, onB)]).toEqual([401, 401, 401]);
    // Neither process logged the key, the admin key or a session id.
    const logged = [...a.lines, ...b.lines].join("\n");
    expect(logged).toContain(`"keyId":"${key.id}"`);
    for (const secret of [key.key, ADMIN, onA.cookie.split("=")[1] ?? "", onB.cookie.split("=")[1] ?? "", onA.csrfToken]) expect(logged).not.toContain(secret);
    console.log(`cluster-revocation: the other process refused the revoked key and its 2 sessions ${elapsedMs.toFixed(0)} ms after the revocation answered`);
  });

  it("end a session signed out through the other", async () => {
    const key = await makeKey(b, "viewer", "dashboards");
    const session = await signIn(a, key.key);
    expect(await withSession(b, session)).toBe(200);
    const out = await fetch(`${b.base}/v1/session`, { method: "DELETE", headers: { cookie: session.cookie, "x-csrf-token": session.csrfToken } });
    expect(out.status).toBe(204);
    expect([await withSession(a, session), await withSession(b, session)]).toEqual([401, 401]);
    // The key itself still works: only the session ended.
    expect(await withKey(a, key.key)).toBe(200);
  });
});
