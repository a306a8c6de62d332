/**
 * The db:copy command (entry point api/db-copy.ts): moves the service's SQLite database to
 * an empty PostgreSQL database, verified table by table (src/storage/sqlite-to-postgres.ts). Stop
 * the service first: writes made during the copy are not in it. The URL may hold a password: pass
 * it in ALLOT_DATABASE_URL rather than on the command line, and it is never printed.
 *
 * Exit status: 0 copied and verified, 2 bad arguments, 1 anything else (nothing was copied).
 */
import { parseArgs } from "node:util";
import { DEFAULTS } from "./config.ts";
import { describeDatabaseUrl } from "../src/storage/postgres-connection.ts";
import { copySqliteToPostgres, type TableCopy } from "../src/storage/sqlite-to-postgres.ts";

export const DB_COPY_USAGE = `Usage: npm run --silent db:copy -- [--from <sqlite file>] [--to <postgres url>]

Copies every table of Allot's SQLite database (saved plans, assignments and routed customers, rep
loads, audit log, idempotency keys, jobs, deal outcomes, API keys) into an empty PostgreSQL database, with their sequence
numbers, in one transaction that commits only if every table's row count and checksum match.
Stop the service first.

  --from <file>  the SQLite file (default: ALLOT_DB_PATH, else ${DEFAULTS.dbPath})
  --to <url>     postgres://… (default: ALLOT_DATABASE_URL; prefer it, the URL may hold a password)
  --help         show this help
`;

type Parsed = { kind: "help" } | { kind: "error"; message: string } | { kind: "copy"; from: string; to: string };

export function parseDbCopyArguments(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Parsed {
  let values: { from?: string; to?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { from: { type: "string" }, to: { type: "string" }, help: { type: "boolean" } }, strict: true, allowPositionals: false }));
  } catch (error) {
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { kind: "help" };
  const from = values.from ?? (env.ALLOT_DB_PATH?.trim() || DEFAULTS.dbPath);
  const to = values.to ?? env.ALLOT_DATABASE_URL?.trim() ?? "";
  if (!/^postgres(ql)?:\/\//.test(to)) return { kind: "error", message: "--to (or ALLOT_DATABASE_URL) must be a postgres:// or postgresql:// URL" };
  if (from === ":memory:") return { kind: "error", message: "--from must be a SQLite file" };
  return { kind: "copy", from, to };
}

function table(copies: readonly TableCopy[]): string {
  const width = Math.max(...copies.map((c) => c.table.length));
  return copies.map((c) => `  ${c.table.padEnd(width)}  ${String(c.rows).padStart(9)} rows  sha256-sum ${c.checksum}`).join("\n");
}

export async function runDbCopy(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const parsed = parseDbCopyArguments(argv, env);
  if (parsed.kind === "help") {
    out(DB_COPY_USAGE);
    return 0;
  }
  if (parsed.kind === "error") {
    err(`db:copy: ${parsed.message}\n\n${DB_COPY_USAGE}`);
    return 2;
  }
  const target = describeDatabaseUrl(parsed.to);
  out(`copying ${parsed.from} to ${target}\n`);
  try {
    const copies = await copySqliteToPostgres(parsed.from, parsed.to);
    out(`${table(copies)}\nverified: every table has the source's row count and checksum; committed.\n`);
    return 0;
  } catch (error) {
    // Driver messages name hosts and users, never the password; the URL itself is never printed.
    err(`db:copy: ${error instanceof Error ? error.message : String(error)}\nnothing was copied.\n`);
    return 1;
  }
}
