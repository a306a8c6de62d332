import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root directory, for fixtures and for child processes started from it. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
