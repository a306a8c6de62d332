import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { parseKeysArguments, runKeys } from "../api/keys-command.ts";
import { openSqliteStore } from "../src/storage/sqlite-store.ts";
import { plansService } from "./plans-fixtures.ts";
import { projectRoot } from "./project-root.ts";

const dir = mkdtempSync(path.join(tmpdir(), "allot-keys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** runKeys with captured output. */
async function run(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKeys(argv, env, (t) => void out.push(t), (t) => void err.push(t));
  return { code, out: out.join(""), err: err.join("") };
}

describe("npm run keys", () => {
  it("reads its arguments, refusing what it cannot do with exit status 2", async () => {
    expect(parseKeysArguments(["create", "--role", "admin", "--label", "first"])).toEqual({ kind: "create", role: "admin", label: "first", expiresAt: null });
    expect(parseKeysArguments(["create", "--role", "viewer", "--label", "x", "--expires", "2999-05-01T00:00:00+02:00"])).toMatchObject({ expiresAt: "2999-04-30T22:00:00.000Z" });
    expect(parseKeysArguments(["list"])).toEqual({ kind: "list" });
    expect(parseKeysArguments(["revoke", "abc"])).toEqual({ kind: "revoke", id: "abc" });
    expect(parseKeysArguments(["create", "--role", "root", "--label", "x"])).toMatchObject({ kind: "error", message: expect.stringContaining("--role") });
    expect(parseKeysArguments(["create", "--role", "admin", "--label", "x", "--expires", "2001-01-01T00:00:00Z"])).toMatchObject({ kind: "error", message: "--expires: must be in the future" });
    expect(parseKeysArguments([])).toMatchObject({ kind: "error" });
    expect(parseKeysArguments(["revoke"])).toMatchObject({ kind: "error" });
    expect((await run(["drop", "everything"], {})).code).toBe(2);
  });

  it("creates the first admin key in the service's database (printed once), lists without secrets, revokes", async () => {
    const file = path.join(dir, "allot.db");
    const env = { ALLOT_DB_PATH: file };
    // The real entry point once, as the docs show it.
    const made = spawnSync(process.execPath, ["--import", "tsx", "api/keys.ts", "create", "--role", "admin", "--label", "first"], { cwd: projectRoot, env: { ...process.env, ...env }, encoding: "utf8" });
    expect(made.status).toBe(0);
    const key = made.stdout.trim();
    expect(key).toMatch(/^allot_[A-Za-z0-9_-]{43}$/);
    expect(made.stderr).not.toContain(key);

    const listed = await run(["list"], env);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^[0-9a-f]{12} {2}admin .* active {2}first\n$/);
    expect(listed.out).not.toContain(key);

    // The service on that database (keys required, none in ALLOT_API_KEYS) takes the key as an admin.
    const store = openSqliteStore(file);
    try {
      const { app } = plansService({ env: { ALLOT_REQUIRE_KEYS: "true" }, store });
      expect((await request(app).get("/v1/keys").set("authorization", `Bearer ${key}`)).status).toBe(200);
      const id = listed.out.slice(0, 12);
      expect((await run(["revoke", id], env)).code).toBe(0);
      expect((await request(app).get("/v1/keys").set("authorization", `Bearer ${key}`)).status).toBe(401);
      expect((await run(["revoke", "000000000000"], env)).code).toBe(1);
      const audit = (await store.listAudit({ limit: 5, after: null })).items.map((e) => [e.action, e.keyLabel]);
      expect(audit).toEqual([
        ["key.revoked", "npm run keys"],
        ["key.created", "npm run keys"],
      ]);
    } finally {
      store.close();
    }
  });
});
