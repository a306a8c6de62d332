/**
 * Entry point of `npm run db:copy -- --from var/allot.db --to postgres://…` (the command is
 * api/db-copy-command.ts): moves a SQLite database to an empty PostgreSQL database, verified.
 */
import { runDbCopy } from "./db-copy-command.ts";

process.exitCode = await runDbCopy(
  process.argv.slice(2),
  process.env,
  (text) => process.stdout.write(text),
  (text) => process.stderr.write(text),
);
