/**
 * Fresh PostgreSQL databases for the suites that run against a real server on loopback
 * (ALLOT_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres: a role allowed to
 * create databases). Each call creates `allot_test_<random>`; `dropTestDatabases()` (in afterAll)
 * drops every one this file created, closing connections left open.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export const ADMIN_DATABASE_URL = process.env.ALLOT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const created: string[] = [];

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The URL of `database` on the admin URL's server, as the admin URL's user. */
export function databaseUrl(database: string, base = ADMIN_DATABASE_URL): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates an empty database and returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const name = `allot_test_${randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  created.push(name);
  return databaseUrl(name);
}

/** Drops every database created by this file (their connections are closed first). */
export async function dropTestDatabases(): Promise<void> {
  const names = created.splice(0);
  if (names.length === 0) return;
  await admin(async (client) => {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/** Runs statements on a database outside any store (to check what the schema itself refuses). */
export async function onDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
