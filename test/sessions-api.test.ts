/**
 * The page's sign-in through the API: a key exchanged for a session (POST /v1/sessions), who am I
 * (GET /v1/session), sign-out (DELETE /v1/session). Checked against the real app and a real SQLite
 * store with a clock the test moves: the cookie's attributes, a fresh id at every sign-in (an id
 * chosen by an attacker is never adopted), CSRF refusals, idle and absolute expiry, sign-out and
 * key revocation ending the session, the key's role, rate limit and audit identity carried by the
 * session, and neither keys, session ids nor CSRF tokens in logs or bodies.
 */
import type { Express } from "express";
import type { Logger } from "pino";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { BOOTSTRAP_LABEL, keyIdentity } from "../api/api-key-auth.ts";
import { createApp } from "../api/app.ts";
import { loadConfig } from "../api/config.ts";
import { freshKey } from "../api/managed-keys.ts";
import { createServiceState } from "../api/service-state.ts";
import { SESSION_COOKIE } from "../api/session-cookie.ts";
import { CreatedSession, SessionInfo } from "../models/index.ts";
import { openSqliteStore, type SqliteStore } from "../src/storage/sqlite-store.ts";
import { capturingLogger, silentLogger } from "./api-test-service.ts";
import { inProcessPool, PLAN_A } from "./plans-fixtures.ts";

const ADMIN = "sessions-admin-key-0001";
const PLANNER = "sessions-planner-key-01";
const VIEWER = "sessions-viewer-key-001";
const KEYS_ENV = { ALLOT_API_KEYS: `${ADMIN},${PLANNER}:planner,${VIEWER}:viewer` };
const START = Date.UTC(2027, 0, 4, 8, 0, 0);
const MINUTE = 60_000;

interface Clock {
  now: () => number;
  advance(ms: number): void;
}

function clock(): Clock {
  let t = START;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

function service(options: { env?: Record<string, string>; store?: SqliteStore; logger?: Logger; time?: Clock } = {}) {
  const config = loadConfig({ ALLOT_POOL_SIZE: "1", LOG_LEVEL: "silent", ...KEYS_ENV, ...options.env });
  const store = options.store ?? openSqliteStore(":memory:");
  const time = options.time ?? clock();
  const app = createApp({ config, pool: inProcessPool(), logger: options.logger ?? silentLogger, state: createServiceState(), store, now: time.now });
  return { app, store, time, config };
}

interface SignedIn {
  cookie: string;
  id: string;
  setCookie: string;
  body: CreatedSession;
  text: string;
}

function setCookieOf(res: request.Response): string {
  const raw: unknown = res.headers["set-cookie"];
  const list = Array.isArray(raw) ? raw.map(String) : typeof raw === "string" ? [raw] : [];
  const found = list.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (found === undefined) throw new Error("no session cookie was set");
  return found;
}

async function signIn(app: Express, key: string, extra: (r: request.Test) => request.Test = (r) => r): Promise<SignedIn> {
  const res = await extra(request(app).post("/v1/sessions")).send({ key });
  expect(res.status, res.text).toBe(201);
  const setCookie = setCookieOf(res);
  const id = setCookie.slice(SESSION_COOKIE.length + 1).split(";")[0] ?? "";
  return { cookie: `${SESSION_COOKIE}=${id}`, id, setCookie, body: CreatedSession.parse(JSON.parse(res.text)), text: res.text };
}

const who = (app: Express, cookie: string) => request(app).get("/v1/session").set("cookie", cookie);

describe("POST /v1/sessions", () => {
  it("exchanges a valid key for a fresh session: HttpOnly, SameSite=Strict, Path=/ cookie; role, label, expiry, operations and a CSRF token", async () => {
    const { app, config } = service();
    const viewer = await signIn(app, VIEWER);
    expect(viewer.setCookie).toBe(`${SESSION_COOKIE}=${viewer.id}; Path=/; Max-Age=${config.sessions.maxS}; HttpOnly; SameSite=Strict`);
    expect(viewer.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(viewer.body).toEqual({
      keysRequired: true,
      authenticatedBy: "session",
      role: "viewer",
      label: BOOTSTRAP_LABEL,
      expiresAt: new Date(START + 8 * 3600_000).toISOString(),
      idleExpiresAt: new Date(START + 30 * MINUTE).toISOString(),
      operations: expect.any(Array),
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    // The operations are the route table's for the role.
    expect(viewer.body.operations).toContain("GET /v1/plans");
    expect(viewer.body.operations).toContain("GET /v1/plans/{id}/assignments.csv");
    expect(viewer.body.operations).not.toContain("POST /v1/plans");
    expect(viewer.body.operations).not.toContain("POST /v1/jobs");
    expect(viewer.body.operations).not.toContain("POST /v1/keys");
    expect(viewer.text).not.toContain(viewer.id);
    expect(viewer.text).not.toContain(VIEWER);
    const planner = await signIn(app, PLANNER);
    expect(planner.body.operations).toEqual(expect.arrayContaining(["POST /v1/plans", "POST /v1/jobs", "POST /v1/imports", "POST /v1/plans/{id}/activate"]));
    expect(planner.body.operations).not.toContain("POST /v1/keys");
    expect(planner.id).not.toBe(viewer.id);

    const me = await who(app, viewer.cookie);
    expect(me.status).toBe(200);
    expect(me.headers["cache-control"]).toBe("no-store");
    const { csrfToken: _once, ...info } = viewer.body;
    expect(SessionInfo.parse(JSON.parse(me.text))).toEqual(info);
    expect(me.text).not.toContain(viewer.body.csrfToken);
  });

  it("marks the cookie Secure when the request came over TLS through a trusted proxy", async () => {
    const { app } = service({ env: { ALLOT_TRUST_PROXY: "loopback" } });
    const secure = await signIn(app, VIEWER, (r) => r.set("x-forwarded-proto", "https"));
    expect(secure.setCookie.split("; ")).toEqual(expect.arrayContaining(["HttpOnly", "SameSite=Strict", "Path=/", "Secure"]));
    const plain = await signIn(app, VIEWER);
    expect(plain.setCookie).not.toContain("Secure");
    // An untrusted hop's header is not believed.
    const { app: untrusting } = service();
    expect((await signIn(untrusting, VIEWER, (r) => r.set("x-forwarded-proto", "https"))).setCookie).not.toContain("Secure");
  });

  it("refuses a wrong key (401), a body without a key (422 at `key`), and answers 409 when keys are not required", async () => {
    const { app } = service();
    const wrong = await request(app).post("/v1/sessions").send({ key: "not-a-key-of-this-service" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers["set-cookie"]).toBeUndefined();
    expect(wrong.text).not.toContain("not-a-key-of-this-service");
    const empty = await request(app).post("/v1/sessions").send({});
    expect(empty.status).toBe(422);
    expect(JSON.parse(empty.text)).toMatchObject({ type: "/docs#problem-invalid-request", errors: [{ path: "key" }] });
    const { app: open } = service({ env: { ALLOT_API_KEYS: "" } });
    const off = await request(open).post("/v1/sessions").send({ key: ADMIN });
    expect(off.status).toBe(409);
    expect(JSON.parse(off.text)).toMatchObject({ type: "/docs#problem-keys-not-required" });
    const probe = await request(open).get("/v1/session");
    expect(probe.status).toBe(200);
    const info = SessionInfo.parse(JSON.parse(probe.text));
    expect(info).toMatchObject({ keysRequired: false, authenticatedBy: "none", role: null, label: null, expiresAt: null });
    expect(info.operations).toEqual(expect.arrayContaining(["POST /v1/keys", "POST /v1/jobs", "GET /v1/plans"]));
  });
});

describe("GET /v1/session", () => {
  it("answers 401 without a cookie or key, and tells a key header from a session", async () => {
    const { app } = service();
    const none = await request(app).get("/v1/session");
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="allot"');
    const byKey = await request(app).get("/v1/session").set("authorization", `Bearer ${PLANNER}`);
    expect(JSON.parse(byKey.text)).toMatchObject({ authenticatedBy: "key", role: "planner", label: BOOTSTRAP_LABEL, expiresAt: null, idleExpiresAt: null });
  });
});

describe("session fixation", () => {
  it("never accepts nor adopts an id the client chose: sign-in always issues a new one, and revokes the one it was sent", async () => {
    const { app, store } = service();
    const planted = `${SESSION_COOKIE}=attacker-chosen-session-id-00000000000000000`;
    expect((await who(app, planted)).status).toBe(401);
    const victim = await signIn(app, PLANNER, (r) => r.set("cookie", planted));
    expect(victim.id).not.toBe("attacker-chosen-session-id-00000000000000000");
    expect((await who(app, planted)).status).toBe(401);
    expect((await who(app, victim.cookie)).status).toBe(200);

    // An attacker's own valid session planted in the victim's browser is replaced (and revoked) at sign-in.
    const attacker = await signIn(app, VIEWER);
    const again = await signIn(app, PLANNER, (r) => r.set("cookie", attacker.cookie));
    expect(again.id).not.toBe(attacker.id);
    expect(again.body.role).toBe("planner");
    expect((await who(app, attacker.cookie)).status).toBe(401);
    // Only digests are stored: no row holds a session id or a CSRF token.
    const rows = JSON.stringify(await Promise.all([victim, again].map((s) => store.findSession(s.id))));
    expect(rows).toBe("[null,null]");
  });
});

describe("CSRF", () => {
  it("refuses a state change made with the cookie without the session's X-CSRF-Token (missing, wrong, another session's); reads need none; key headers need none", async () => {
    const { app } = service();
    const mine = await signIn(app, PLANNER);
    const other = await signIn(app, PLANNER);
    const activate = () => request(app).post("/v1/plans/no-such-plan/activate").set("cookie", mine.cookie);
    const refusals = {
      missing: await activate(),
      wrong: await activate().set("x-csrf-token", "a-token-the-attacker-made-up"),
      "another session's": await activate().set("x-csrf-token", other.body.csrfToken),
      empty: await activate().set("x-csrf-token", ""),
    };
    for (const [what, res] of Object.entries(refusals)) {
      expect(res.status, what).toBe(403);
      expect(JSON.parse(res.text), what).toMatchObject({ type: "/docs#problem-csrf", status: 403 });
    }
    // With its own token the request reaches the endpoint (no such plan).
    expect((await activate().set("x-csrf-token", mine.body.csrfToken)).status).toBe(404);
    const save = await request(app).post("/v1/plans").set("cookie", mine.cookie).send({ label: "no token", plan: PLAN_A });
    expect(save.status).toBe(403);
    // A read with the cookie needs no token; a key header never does.
    expect((await request(app).get("/v1/plans").set("cookie", mine.cookie)).status).toBe(200);
    expect((await request(app).post("/v1/plans/no-such-plan/activate").set("authorization", `Bearer ${PLANNER}`)).status).toBe(404);
    // Sign-out is a state change too.
    expect((await request(app).delete("/v1/session").set("cookie", mine.cookie)).status).toBe(403);
    expect((await who(app, mine.cookie)).status).toBe(200);
  });
});

describe("the session's role, audit identity and rate limit are its key's", () => {
  it("a viewer's session is refused what the viewer key is refused; an admin's session makes changes the audit log records by label and role", async () => {
    const { app, store } = service();
    const viewer = await signIn(app, VIEWER);
    const refused = await request(app).post("/v1/keys").set("cookie", viewer.cookie).set("x-csrf-token", viewer.body.csrfToken).send({ role: "viewer", label: "x" });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toMatchObject({ type: "/docs#problem-forbidden" });

    const made = freshKey("planner", "quarterly planning", null);
    await store.createApiKey(made.row, { requestId: "setup", keyId: null });
    const planner = await signIn(app, made.key);
    expect(planner.body.label).toBe("quarterly planning");
    const saved = await request(app).post("/v1/plans").set("cookie", planner.cookie).set("x-csrf-token", planner.body.csrfToken).send({ label: "Q1", plan: PLAN_A });
    expect(saved.status).toBe(200);
    const admin = await signIn(app, ADMIN);
    const created = await request(app).post("/v1/keys").set("cookie", admin.cookie).set("x-csrf-token", admin.body.csrfToken).send({ role: "viewer", label: "dashboards" });
    expect(created.status).toBe(201);
    const audit = (await store.listAudit({ limit: 5, after: null })).items;
    expect(audit.map((e) => [e.action, e.keyId, e.keyLabel, e.keyRole])).toEqual([
      ["key.created", keyIdentity(ADMIN), BOOTSTRAP_LABEL, "admin"],
      ["plan.saved", made.row.id, "quarterly planning", "planner"],
      ["key.created", null, null, null],
    ]);
  });

  it("counts a session's requests against its key's rate limit, shared with the key's header requests", async () => {
    const { app } = service({ env: { ALLOT_RATE_LIMIT_PER_MINUTE: "3" } });
    const viewer = await signIn(app, VIEWER);
    expect((await request(app).get("/v1/plans").set("cookie", viewer.cookie)).status).toBe(200);
    expect((await request(app).get("/v1/plans").set("authorization", `Bearer ${VIEWER}`)).status).toBe(200);
    expect((await request(app).get("/v1/plans").set("cookie", viewer.cookie)).status).toBe(200);
    const limited = await request(app).get("/v1/plans").set("cookie", viewer.cookie);
    expect(limited.status).toBe(429);
    expect((await request(app).get("/v1/plans").set("authorization", `Bearer ${VIEWER}`)).status).toBe(429);
    // Another key has its own count.
    expect((await request(app).get("/v1/plans").set("authorization", `Bearer ${PLANNER}`)).status).toBe(200);
  });
});

describe("the end of a session", () => {
  it("sign-out revokes it in the store: the old cookie is refused afterwards, and the cookie is cleared", async () => {
    const { app, store } = service();
    const s = await signIn(app, PLANNER);
    const out = await request(app).delete("/v1/session").set("cookie", s.cookie).set("x-csrf-token", s.body.csrfToken);
    expect(out.status).toBe(204);
    expect(setCookieOf(out)).toBe(`${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`);
    const after = await who(app, s.cookie);
    expect(after.status).toBe(401);
    expect(JSON.parse(after.text)).toMatchObject({ type: "/docs#problem-unauthorized" });
    expect((await request(app).get("/v1/plans").set("cookie", s.cookie)).status).toBe(401);
    // A second instance on the same store refuses it too.
    const { app: second } = service({ store });
    expect((await who(second, s.cookie)).status).toBe(401);
  });

  it("ends after ALLOT_SESSION_IDLE_S unused, and ALLOT_SESSION_MAX_S after sign-in however used", async () => {
    const time = clock();
    const { app } = service({ time, env: { ALLOT_SESSION_IDLE_S: "1800", ALLOT_SESSION_MAX_S: "7200" } });
    const idle = await signIn(app, VIEWER);
    time.advance(29 * MINUTE);
    const used = await who(app, idle.cookie);
    expect(used.status).toBe(200);
    expect(JSON.parse(used.text)).toMatchObject({ idleExpiresAt: new Date(START + 59 * MINUTE).toISOString() });
    time.advance(29 * MINUTE);
    expect((await who(app, idle.cookie)).status).toBe(200);
    time.advance(30 * MINUTE);
    expect((await who(app, idle.cookie)).status).toBe(401);

    const busy = await signIn(app, VIEWER);
    const signedInAt = time.now();
    for (let used = 0; used < 119; used += 17) {
      expect((await who(app, busy.cookie)).status, `after ${used} min`).toBe(200);
      time.advance(17 * MINUTE);
    }
    // 119 minutes after sign-in: one more minute and the absolute lifetime is over.
    expect(time.now() - signedInAt).toBe(119 * MINUTE);
    expect((await who(app, busy.cookie)).status).toBe(200);
    time.advance(MINUTE);
    expect((await who(app, busy.cookie)).status).toBe(401);
  });

  it("ends with its key: a managed key revoked or past its expiry, a bootstrap key no longer configured", async () => {
    const time = clock();
    const { app, store } = service({ time });
    const revoked = freshKey("planner", "to revoke", null);
    const expiring = freshKey("viewer", "short-lived", new Date(START + 10 * MINUTE).toISOString());
    for (const k of [revoked, expiring]) await store.createApiKey(k.row, { requestId: "setup", keyId: null });
    const a = await signIn(app, revoked.key);
    const b = await signIn(app, expiring.key);
    const c = await signIn(app, PLANNER);
    await store.revokeApiKey(revoked.row.id, { requestId: "revoke", keyId: null });
    expect((await who(app, a.cookie)).status).toBe(401);
    expect((await who(app, b.cookie)).status).toBe(200);
    time.advance(10 * MINUTE);
    expect((await who(app, b.cookie)).status).toBe(401);
    // The same store behind an instance whose ALLOT_API_KEYS no longer lists the planner key.
    const { app: rotated } = service({ store, time, env: { ALLOT_API_KEYS: ADMIN } });
    expect((await who(rotated, c.cookie)).status).toBe(401);
    expect((await who(app, c.cookie)).status).toBe(200);
  });
});

describe("secrets in logs and bodies", () => {
  it("never logs or answers a key, a session id or a CSRF token (the id travels only in Set-Cookie)", async () => {
    const { logger, lines } = capturingLogger();
    const { app } = service({ logger });
    const s = await signIn(app, PLANNER);
    const bodies = [s.text];
    for (const res of [
      await who(app, s.cookie),
      await request(app).get("/v1/plans").set("cookie", s.cookie),
      await request(app).post("/v1/plans/nope/activate").set("cookie", s.cookie),
      await request(app).post("/v1/sessions").send({ key: `${PLANNER}-wrong` }),
      await request(app).delete("/v1/session").set("cookie", s.cookie).set("x-csrf-token", s.body.csrfToken),
      await who(app, s.cookie),
    ]) {
      bodies.push(res.text);
    }
    const logged = lines.join("\n");
    expect(lines.length).toBeGreaterThanOrEqual(7);
    expect(logged).toContain(`"keyId":"${keyIdentity(PLANNER)}"`);
    for (const secret of [PLANNER, s.id, s.body.csrfToken]) {
      expect(logged).not.toContain(secret);
      expect(bodies.slice(1).join("\n")).not.toContain(secret);
    }
    expect(s.text).not.toContain(PLANNER);
    expect(s.text).not.toContain(s.id);
  });
});
