/**
 * Entry point of `npm run keys -- create --role admin --label first` (the command is
 * api/keys-command.ts): manages the API keys kept in the service's store.
 */
import { runKeys } from "./keys-command.ts";

process.exitCode = await runKeys(
  process.argv.slice(2),
  process.env,
  (text) => process.stdout.write(text),
  (text) => process.stderr.write(text),
);
