import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

/**
 * The `execArgv` that lets a worker thread load the project's TypeScript modules: tsx's loader,
 * as an absolute URL (independent of the working directory). Used by the solve pool's threads and
 * by the HiGHS helper thread of the portfolio (highs-on-thread.ts).
 */
export function typescriptWorkerArgs(): string[] {
  return ["--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href];
}
