/**
 * The keys command (entry point api/keys.ts): manages API keys in the service's store (SQLite at
 * ALLOT_DB_PATH, or PostgreSQL at ALLOT_DATABASE_URL), for the first admin key before any key can
 * call POST /v1/keys, and for an operator who lost every admin key. A created key is printed once
 * on stdout, alone on its line; nothing else ever prints a key.
 *
 * Exit status: 0 done, 2 bad arguments or configuration, 1 anything else (an unknown key to revoke).
 */
import { parseArgs } from "node:util";
import { KeyRole, NewApiKey } from "../models/index.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { freshKey } from "./managed-keys.ts";
import { openServiceStore, type ServiceStore } from "./service-store.ts";

export const KEYS_USAGE = `Usage: npm run --silent keys -- <command> [options]

Manages the API keys kept in the service's store (the database the service is configured with:
ALLOT_DATABASE_URL, else ALLOT_DB_PATH). Every instance sees a change at its next request.

  create --role <role> --label <label> [--expires <ISO 8601>]
                 makes a key and prints it once (roles: ${KeyRole.options.join(", ")})
  list           lists the keys (id, role, label, created, expires, revoked), never a secret
  revoke <id>    revokes the key with this id
  --help         show this help
`;

type Parsed =
  | { kind: "help" }
  | { kind: "error"; message: string }
  | { kind: "create"; role: KeyRole; label: string; expiresAt: string | null }
  | { kind: "list" }
  | { kind: "revoke"; id: string };

export function parseKeysArguments(argv: readonly string[]): Parsed {
  let values: { role?: string; label?: string; expires?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { role: { type: "string" }, label: { type: "string" }, expires: { type: "string" }, help: { type: "boolean" } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { kind: "help" };
  const [command, ...rest] = positionals;
  if (command === "list" && rest.length === 0) return { kind: "list" };
  if (command === "revoke" && rest.length === 1 && rest[0] !== undefined) return { kind: "revoke", id: rest[0] };
  if (command === "create" && rest.length === 0) {
    const parsed = NewApiKey.safeParse({ role: values.role, label: values.label, ...(values.expires === undefined ? {} : { expiresAt: values.expires }) });
    if (!parsed.success) {
      const flag: Record<string, string> = { role: "--role", label: "--label", expiresAt: "--expires" };
      return { kind: "error", message: parsed.error.issues.map((i) => `${flag[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join("; ") };
    }
    const expiresAt = parsed.data.expiresAt === undefined ? null : new Date(parsed.data.expiresAt).toISOString();
    if (expiresAt !== null && Date.parse(expiresAt) <= Date.now()) return { kind: "error", message: "--expires: must be in the future" };
    return { kind: "create", role: parsed.data.role, label: parsed.data.label, expiresAt };
  }
  return { kind: "error", message: command === undefined ? "a command is needed: create, list or revoke" : `unknown or incomplete command "${positionals.join(" ")}"` };
}

const CLI_AUDIT = { requestId: "cli:keys", keyId: null, keyLabel: "npm run keys", keyRole: null };

async function closeStore(store: ServiceStore): Promise<void> {
  await store.close();
}

export async function runKeys(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const parsed = parseKeysArguments(argv);
  if (parsed.kind === "help") {
    out(KEYS_USAGE);
    return 0;
  }
  if (parsed.kind === "error") {
    err(`keys: ${parsed.message}\n\n${KEYS_USAGE}`);
    return 2;
  }
  let config;
  try {
    config = loadConfig({ ...env, LOG_LEVEL: "silent" });
  } catch (error) {
    err(`keys: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    return 2;
  }
  let store: ServiceStore;
  try {
    ({ store } = await openServiceStore(config, () => undefined));
  } catch (error) {
    err(`keys: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  try {
    switch (parsed.kind) {
      case "create": {
        const { key, row } = freshKey(parsed.role, parsed.label, parsed.expiresAt);
        const info = await store.createApiKey(row, CLI_AUDIT);
        err(`created key ${info.id} (${info.role}, "${info.label}", expires ${info.expiresAt ?? "never"}); it is shown once, below:\n`);
        out(`${key}\n`);
        return 0;
      }
      case "list": {
        for (const k of await store.listApiKeys()) {
          out(`${k.id}  ${k.role.padEnd(10)}  created ${k.createdAt}  expires ${k.expiresAt ?? "never"}  ${k.revokedAt === null ? "active" : `revoked ${k.revokedAt}`}  ${k.label}\n`);
        }
        return 0;
      }
      case "revoke": {
        const info = await store.revokeApiKey(parsed.id, CLI_AUDIT);
        if (info === null) {
          err(`keys: no key has the id ${parsed.id}\n`);
          return 1;
        }
        out(`revoked ${info.id} at ${info.revokedAt ?? ""}\n`);
        return 0;
      }
    }
  } catch (error) {
    err(`keys: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await closeStore(store);
  }
}
