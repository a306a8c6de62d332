/**
 * Idempotency keys in PostgreSQL, shared by every API instance (the contract is
 * idempotency-store.ts): a replay or an in-flight duplicate behaves the same whichever instance
 * receives it. A claim is one transaction: INSERT … ON CONFLICT DO NOTHING takes a new key (two
 * instances inserting the same key at once: one inserts, the other waits for it and then finds the
 * row); an existing key is read FOR UPDATE, so two instances can never both take over an expired
 * lease. Completion and release only touch the claim whose token they hold. Keys older than the
 * retention are purged lazily, at most once a minute per instance.
 */
import { randomUUID } from "node:crypto";
import type { IdempotencyClaim, IdempotencyOptions, IdempotencyScope, IdempotencyStore, StoredResponse } from "./idempotency-store.ts";
import type { PostgresConnection, Tx } from "./postgres-connection.ts";
import { nullableText, num, text } from "./sqlite-row.ts";

const PURGE_EVERY_MS = 60_000;
const WHERE_KEY = "identity = $1 AND key = $2 AND method = $3 AND path = $4";

function stringRecord(json: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (json === null) return out;
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null) return out;
  for (const [k, v] of Object.entries(parsed)) if (typeof v === "string") out[k] = v;
  return out;
}

const keyOf = (scope: IdempotencyScope) => [scope.identity, scope.key, scope.method, scope.path];

export function postgresIdempotencyKeys({ query, transaction, now }: PostgresConnection): IdempotencyStore {
  let lastPurge = -Infinity;

  const claim = async (tx: Tx, scope: IdempotencyScope, fingerprint: string, options: IdempotencyOptions, t: number): Promise<IdempotencyClaim> => {
    const token = randomUUID();
    const leaseUntil = t + options.leaseMs;
    // A row deleted between the INSERT and the SELECT (a release, a purge) is claimed on the next turn.
    for (;;) {
      const inserted = await tx.query(
        `INSERT INTO idempotency_keys (identity, key, method, path, fingerprint, state, token, created_at, lease_until)
         VALUES ($1, $2, $3, $4, $5, 'running', $6, $7, $8) ON CONFLICT (identity, key, method, path) DO NOTHING RETURNING token`,
        [...keyOf(scope), fingerprint, token, t, leaseUntil],
      );
      if (inserted.length === 1) return { kind: "claimed", token };
      const row = (await tx.query(`SELECT fingerprint, state, created_at, lease_until, status, headers_json, body FROM idempotency_keys WHERE ${WHERE_KEY} FOR UPDATE`, keyOf(scope)))[0];
      if (row === undefined) continue;
      if (num(row, "created_at") < t - options.retentionMs) {
        // Past the retention: the key is new again.
        await tx.query(
          `UPDATE idempotency_keys SET fingerprint = $5, state = 'running', token = $6, created_at = $7, lease_until = $8, status = NULL, headers_json = NULL, body = NULL
           WHERE ${WHERE_KEY}`,
          [...keyOf(scope), fingerprint, token, t, leaseUntil],
        );
        return { kind: "claimed", token };
      }
      if (text(row, "fingerprint") !== fingerprint) return { kind: "mismatch" };
      if (text(row, "state") === "done") {
        return {
          kind: "replay",
          createdAt: num(row, "created_at"),
          response: { status: num(row, "status"), headers: stringRecord(nullableText(row, "headers_json")), body: nullableText(row, "body") ?? "" },
        };
      }
      const held = num(row, "lease_until");
      if (held > t) return { kind: "in-flight", retryAfterMs: held - t };
      // The first request's lease ran out (its process died, or it ran far too long): take the key over.
      await tx.query(`UPDATE idempotency_keys SET token = $5, created_at = $6, lease_until = $7 WHERE ${WHERE_KEY}`, [...keyOf(scope), token, t, leaseUntil]);
      return { kind: "claimed", token };
    }
  };

  return {
    async claimIdempotencyKey(scope, fingerprint, options) {
      const t = now();
      if (t - lastPurge >= PURGE_EVERY_MS) {
        lastPurge = t;
        await query("DELETE FROM idempotency_keys WHERE created_at < $1", [t - options.retentionMs]);
      }
      return transaction((tx) => claim(tx, scope, fingerprint, options, t));
    },
    async completeIdempotencyKey(scope: IdempotencyScope, token: string, response: StoredResponse) {
      await query(
        `UPDATE idempotency_keys SET state = 'done', status = $6, headers_json = $7, body = $8, lease_until = $9
         WHERE ${WHERE_KEY} AND token = $5 AND state = 'running'`,
        [...keyOf(scope), token, response.status, JSON.stringify(response.headers), response.body, now()],
      );
    },
    async releaseIdempotencyKey(scope: IdempotencyScope, token: string) {
      await query(`DELETE FROM idempotency_keys WHERE ${WHERE_KEY} AND token = $5 AND state = 'running'`, [...keyOf(scope), token]);
    },
  };
}
