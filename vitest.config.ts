import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest runs one file per core less one by default: a single file at a time on a 2-core
    // machine, where many long files mostly wait on child processes, sockets, PostgreSQL, Redis or
    // the browser. Two at a time there: the suite took 634 s instead of 801 s on such a machine.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
