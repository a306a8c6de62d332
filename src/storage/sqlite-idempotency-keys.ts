/**
 * Idempotency keys in SQLite (the contract is idempotency-store.ts): a claim, its completion and
 * its release are each one BEGIN IMMEDIATE transaction, so two processes never both run the same
 * key. Keys older than the retention are purged lazily, at most once a minute, by a claim.
 */
import { randomUUID } from "node:crypto";
import type { IdempotencyClaim, IdempotencyOptions, IdempotencyScope, IdempotencyStore, StoredResponse } from "./idempotency-store.ts";
import { writer, type SqliteConnection } from "./sqlite-connection.ts";
import { nullableText, num, optionalRow, text } from "./sqlite-row.ts";

const PURGE_EVERY_MS = 60_000;

function stringRecord(json: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (json === null) return out;
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null) return out;
  for (const [k, v] of Object.entries(parsed)) if (typeof v === "string") out[k] = v;
  return out;
}

export function sqliteIdempotencyKeys({ db, now }: SqliteConnection): IdempotencyStore {
  const sql = {
    purgeKeys: db.prepare("DELETE FROM idempotency_keys WHERE created_at < ?"),
    keyRow: db.prepare("SELECT fingerprint, state, token, created_at, lease_until, status, headers_json, body FROM idempotency_keys WHERE identity = @identity AND key = @key AND method = @method AND path = @path"),
    deleteKey: db.prepare("DELETE FROM idempotency_keys WHERE identity = @identity AND key = @key AND method = @method AND path = @path"),
    insertKey: db.prepare(
      `INSERT INTO idempotency_keys (identity, key, method, path, fingerprint, state, token, created_at, lease_until, status, headers_json, body)
       VALUES (@identity, @key, @method, @path, @fingerprint, @state, @token, @createdAt, @leaseUntil, @status, @headersJson, @body)`,
    ),
    takeOverKey: db.prepare(
      `UPDATE idempotency_keys SET token = @token, created_at = @createdAt, lease_until = @leaseUntil
       WHERE identity = @identity AND key = @key AND method = @method AND path = @path`,
    ),
    completeKey: db.prepare(
      `UPDATE idempotency_keys SET state = 'done', status = @status, headers_json = @headersJson, body = @body, lease_until = @now
       WHERE identity = @identity AND key = @key AND method = @method AND path = @path AND token = @token AND state = 'running'`,
    ),
    releaseKey: db.prepare(
      "DELETE FROM idempotency_keys WHERE identity = @identity AND key = @key AND method = @method AND path = @path AND token = @token AND state = 'running'",
    ),
  };

  let lastPurge = -Infinity;

  const claim = (scope: IdempotencyScope, fingerprint: string, options: IdempotencyOptions): IdempotencyClaim => {
    const t = now();
    if (t - lastPurge >= PURGE_EVERY_MS) {
      sql.purgeKeys.run(t - options.retentionMs);
      lastPurge = t;
    }
    const token = randomUUID();
    const fresh = () => {
      sql.insertKey.run({ ...scope, fingerprint, state: "running", token, createdAt: t, leaseUntil: t + options.leaseMs, status: null, headersJson: null, body: null });
      return { kind: "claimed", token } as const;
    };
    const row = optionalRow(sql.keyRow.get(scope));
    if (row === null) return fresh();
    if (num(row, "created_at") < t - options.retentionMs) {
      sql.deleteKey.run(scope);
      return fresh();
    }
    if (text(row, "fingerprint") !== fingerprint) return { kind: "mismatch" };
    if (text(row, "state") === "done") {
      return {
        kind: "replay",
        createdAt: num(row, "created_at"),
        response: { status: num(row, "status"), headers: stringRecord(nullableText(row, "headers_json")), body: nullableText(row, "body") ?? "" },
      };
    }
    const leaseUntil = num(row, "lease_until");
    if (leaseUntil > t) return { kind: "in-flight", retryAfterMs: leaseUntil - t };
    // The first request's lease ran out (its process died, or it ran far too long): take the key over.
    sql.takeOverKey.run({ ...scope, token, createdAt: t, leaseUntil: t + options.leaseMs });
    return { kind: "claimed", token };
  };

  return {
    claimIdempotencyKey: writer(db, claim),
    completeIdempotencyKey: writer(db, (scope: IdempotencyScope, token: string, response: StoredResponse) => {
      sql.completeKey.run({ ...scope, token, status: response.status, headersJson: JSON.stringify(response.headers), body: response.body, now: now() });
    }),
    releaseIdempotencyKey: writer(db, (scope: IdempotencyScope, token: string) => {
      sql.releaseKey.run({ ...scope, token });
    }),
  };
}
