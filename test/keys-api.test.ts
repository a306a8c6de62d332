/**
 * Keys managed in the store through /v1/keys: shown once, kept as a sha256, working at once with
 * their role, refused once revoked or expired (on every instance sharing a PostgreSQL database at
 * the next request), recorded by label and role in the audit log, and never in logs or later answers.
 */
import type { Express } from "express";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_LABEL, keyIdentity } from "../api/api-key-auth.ts";
import { keyDigest } from "../api/managed-keys.ts";
import { openPostgresStore, type PostgresStore } from "../src/storage/postgres-store.ts";
import { capturingLogger } from "./api-test-service.ts";
import { PLAN_A, plansService } from "./plans-fixtures.ts";
import { createTestDatabase, dropTestDatabases } from "./postgres-test-database.ts";

const ADMIN = "bootstrap-admin-key-0001";
const bearer = (key: string) => `Bearer ${key}`;

const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await dropTestDatabases();
});

async function createKey(app: Express, body: unknown, by = ADMIN) {
  return request(app).post("/v1/keys").set("authorization", bearer(by)).send(body as object);
}

describe("/v1/keys", () => {
  it("creates a key shown once, which works at once with its role; the store keeps only its sha256", async () => {
    const { app, store } = plansService({ env: { ALLOT_API_KEYS: ADMIN } });
    const res = await createKey(app, { role: "integrator", label: "crm-integration", expiresAt: "2999-01-01T00:00:00Z" });
    expect(res.status).toBe(201);
    expect(res.headers["cache-control"]).toBe("no-store");
    const created = JSON.parse(res.text) as { key: string; id: string };
    expect(created.key).toMatch(/^allot_[A-Za-z0-9_-]{43}$/);
    expect(created).toEqual({
      id: keyIdentity(created.key),
      key: created.key,
      role: "integrator",
      label: "crm-integration",
      createdAt: expect.any(String),
      expiresAt: "2999-01-01T00:00:00.000Z",
      revokedAt: null,
    });
    expect(res.headers.location).toBe(`/v1/keys/${created.id}`);
    // The store holds the digest, never the key.
    expect((await store.findApiKey(keyDigest(created.key)))?.id).toBe(created.id);
    expect(JSON.stringify(await store.listApiKeys())).not.toContain(created.key);

    // An integrator routes (no plan is active: 409, not 403) but may not read the audit log nor save plans.
    expect((await request(app).post("/v1/route").set("authorization", bearer(created.key)).send({ customer: { id: "lead", value: 1 } })).status).toBe(409);
    expect((await request(app).get("/v1/audit").set("authorization", bearer(created.key))).status).toBe(403);
    expect((await request(app).get("/v1/keys").set("authorization", bearer(created.key))).status).toBe(403);

    const list = await request(app).get("/v1/keys").set("authorization", bearer(ADMIN));
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(created.key);
    expect(list.text).not.toContain(keyDigest(created.key));
    const { key: _shownOnce, ...info } = created;
    expect(JSON.parse(list.text)).toEqual({ items: [info] });
  });

  it("refuses a revoked key at the next request, and says which key id is unknown", async () => {
    const { app } = plansService({ env: { ALLOT_API_KEYS: ADMIN } });
    const { key, id } = JSON.parse((await createKey(app, { role: "viewer", label: "dashboards" })).text) as { key: string; id: string };
    expect((await request(app).get("/v1/plans").set("authorization", bearer(key))).status).toBe(200);
    const revoked = await request(app).delete(`/v1/keys/${id}`).set("authorization", bearer(ADMIN));
    expect(revoked.status).toBe(200);
    expect(JSON.parse(revoked.text)).toMatchObject({ id, revokedAt: expect.any(String) });
    const refused = await request(app).get("/v1/plans").set("authorization", bearer(key));
    expect(refused.status).toBe(401);
    expect(refused.text).not.toContain(key);
    const unknown = await request(app).delete("/v1/keys/000000000000").set("authorization", bearer(ADMIN));
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toMatchObject({ type: "/docs#problem-key-not-found" });
  });

  it("refuses a bad role, an empty label and an expiry in the past with their field paths", async () => {
    const { app } = plansService({ env: { ALLOT_API_KEYS: ADMIN } });
    const bad = await createKey(app, { role: "root", label: "" });
    expect(bad.status).toBe(422);
    expect((JSON.parse(bad.text) as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual(["label", "role"]);
    const past = await createKey(app, { role: "viewer", label: "late", expiresAt: "2001-01-01T00:00:00Z" });
    expect(past.status).toBe(422);
    expect(JSON.parse(past.text)).toMatchObject({ errors: [{ path: "expiresAt" }] });
    expect((await createKey(app, "not json")).status).toBeGreaterThanOrEqual(400);
  });

  it("works with ALLOT_REQUIRE_KEYS alone once a key is in the store, and not before", async () => {
    const { app, store } = plansService({ env: { ALLOT_REQUIRE_KEYS: "true" } });
    expect((await request(app).get("/v1/plans")).status).toBe(401);
    const { freshKey } = await import("../api/managed-keys.ts");
    const first = freshKey("admin", "first", null);
    await store.createApiKey(first.row, { requestId: "cli", keyId: null });
    expect((await request(app).get("/v1/keys").set("authorization", bearer(first.key))).status).toBe(200);
  });
});

describe("the audit log and the logs", () => {
  it("record the label and role of the key behind every change, and never a key", async () => {
    const { logger, lines } = capturingLogger();
    const { app } = plansService({ env: { ALLOT_API_KEYS: ADMIN }, logger });
    const planner = JSON.parse((await createKey(app, { role: "planner", label: "quarterly planning" })).text) as { key: string; id: string };
    const saved = await request(app).post("/v1/plans").set("authorization", bearer(planner.key)).send({ label: "Q1", plan: PLAN_A });
    expect(saved.status).toBe(200);
    await request(app).delete(`/v1/keys/${planner.id}`).set("authorization", bearer(ADMIN));

    const audit = await request(app).get("/v1/audit").set("authorization", bearer(ADMIN));
    const items = (JSON.parse(audit.text) as { items: { action: string; keyId: string | null; keyLabel: string | null; keyRole: string | null }[] }).items;
    expect(items.map((e) => [e.action, e.keyId, e.keyLabel, e.keyRole])).toEqual([
      ["key.revoked", keyIdentity(ADMIN), BOOTSTRAP_LABEL, "admin"],
      ["plan.saved", planner.id, "quarterly planning", "planner"],
      ["key.created", keyIdentity(ADMIN), BOOTSTRAP_LABEL, "admin"],
    ]);
    expect(audit.text).not.toContain(planner.key);
    expect(audit.text).not.toContain(ADMIN);
    const logged = lines.join("\n");
    expect(lines.length).toBeGreaterThan(3);
    expect(logged).not.toContain(planner.key);
    expect(logged).not.toContain(ADMIN);
    expect(logged).toContain(`"keyId":"${planner.id}"`);
  });
});

describe("several instances on one PostgreSQL database", () => {
  async function instance(url: string) {
    const store: PostgresStore = await openPostgresStore(url, { poolSize: 2 });
    closers.push(() => store.close());
    return plansService({ env: { ALLOT_API_KEYS: ADMIN }, store }).app;
  }

  it("a key made on one works on the other, and once revoked on one is refused by the other at its next request", async () => {
    const url = await createTestDatabase();
    const [a, b] = [await instance(url), await instance(url)];
    const { key, id } = JSON.parse((await createKey(a, { role: "integrator", label: "crm" })).text) as { key: string; id: string };
    expect((await request(b).get("/v1/plans").set("authorization", bearer(key))).status).toBe(200);
    expect((await request(b).delete(`/v1/keys/${id}`).set("authorization", bearer(ADMIN))).status).toBe(200);
    // No cache: the next request on either instance reads the revocation.
    expect((await request(a).get("/v1/plans").set("authorization", bearer(key))).status).toBe(401);
    expect((await request(b).get("/v1/plans").set("authorization", bearer(key))).status).toBe(401);
  });
});
