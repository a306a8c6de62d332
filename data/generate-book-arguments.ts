import { parseArgs } from "node:util";
import { Policy, fieldErrors } from "../models/index.ts";
import type { BookOptions } from "./book-generator.ts";
import { SAMPLE_BOOK_OPTIONS } from "./sample-book-options.ts";

export const GENERATE_USAGE = `Usage: npm run --silent generate -- [options]

Writes a synthetic book of business (a Plan, as JSON) to stdout or --out.

Options:
  --customers <n>       number of customers (default 300)
  --reps <n>            number of reps (default 12)
  --seed <n>            random seed, any integer (default 1)
  --territories <n>     number of territories, at most --reps (default 4)
  --segments <n>        number of segments (default 5)
  --specialties <n|a,b> how many specialties, or a comma-separated list (default 6)
  --slack <x>           capacity / demand inside every territory (default 1.15)
  --owners <fraction>   fraction of customers with a currentRep (default 0.8)
  --no-history          leave out past outcomes
  --no-locations        leave out lat/lon
  --no-workloads        leave out workloads and maxWorkload (capacity = maxAccounts only)
  --policy <json>       a policy object to include, e.g. '{"territory":"soft"}'
  --sample              start from the options of data/sample-book.json (other flags override)
  --out <file>          write to a file instead of stdout
  --compact             one-line JSON instead of 2-space indentation
  --help                show this help
`;

export type GenerateArguments =
  | { kind: "help" }
  | { kind: "error"; message: string }
  | { kind: "run"; options: BookOptions; out: string | null; compact: boolean };

class ArgumentError extends Error {}

function integer(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) throw new ArgumentError(`--${flag} must be an integer, got "${text}"`);
  return Number(text);
}

function decimal(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const x = Number(text);
  if (text.trim() === "" || !Number.isFinite(x)) throw new ArgumentError(`--${flag} must be a number, got "${text}"`);
  return x;
}

function specialties(text: string | undefined): number | string[] | undefined {
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text);
  const list = text.split(",").map((s) => s.trim());
  if (list.some((s) => s === "")) throw new ArgumentError(`--specialties must be a count or a comma-separated list of names, got "${text}"`);
  return list;
}

function policy(text: string | undefined): Policy | undefined {
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ArgumentError(`--policy is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = Policy.safeParse(json);
  if (!parsed.success) {
    const lines = fieldErrors(parsed.error).map((e) => `  policy${e.path === "" ? "" : `.${e.path}`}: ${e.message}`);
    throw new ArgumentError(`--policy is not a valid policy:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** Parses the arguments of `data/generate-book.ts` (without the node and script paths). */
export function parseGenerateArguments(argv: readonly string[]): GenerateArguments {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        customers: { type: "string" },
        reps: { type: "string" },
        seed: { type: "string" },
        territories: { type: "string" },
        segments: { type: "string" },
        specialties: { type: "string" },
        slack: { type: "string" },
        owners: { type: "string" },
        "no-history": { type: "boolean" },
        "no-locations": { type: "boolean" },
        "no-workloads": { type: "boolean" },
        policy: { type: "string" },
        sample: { type: "boolean" },
        out: { type: "string" },
        compact: { type: "boolean" },
        help: { type: "boolean" },
      },
    });
    if (values.help === true) return { kind: "help" };
    const base: BookOptions = values.sample === true ? SAMPLE_BOOK_OPTIONS : {};
    // Undefined fields fall back to the generator's defaults.
    const options: BookOptions = {
      customers: integer("customers", values.customers) ?? base.customers,
      reps: integer("reps", values.reps) ?? base.reps,
      seed: integer("seed", values.seed) ?? base.seed,
      territories: integer("territories", values.territories) ?? base.territories,
      segments: integer("segments", values.segments) ?? base.segments,
      specialties: specialties(values.specialties) ?? base.specialties,
      capacitySlack: decimal("slack", values.slack) ?? base.capacitySlack,
      currentOwners: decimal("owners", values.owners) ?? base.currentOwners,
      history: values["no-history"] === true ? false : base.history,
      locations: values["no-locations"] === true ? false : base.locations,
      workloads: values["no-workloads"] === true ? false : base.workloads,
      policy: policy(values.policy) ?? base.policy,
    };
    return { kind: "run", options, out: values.out ?? null, compact: values.compact === true };
  } catch (error) {
    if (error instanceof ArgumentError) return { kind: "error", message: error.message };
    if (error instanceof Error && "code" in error && typeof error.code === "string" && error.code.startsWith("ERR_PARSE_ARGS")) {
      return { kind: "error", message: error.message };
    }
    throw error;
  }
}
