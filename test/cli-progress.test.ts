/**
 * The command's progress bar: drawn on a terminal for a solve longer than a second (phase and gap),
 * removed at the end, never on stdout; without a terminal nothing is drawn.
 */
import { Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { generateBook } from "../data/book-generator.ts";
import { Solution } from "../models/index.ts";
import { runCli } from "../src/cli/run-cli.ts";

/** A stand-in terminal: a stream that says it is a TTY and keeps what is written to it. */
function terminal(): { stream: Writable & { isTTY: boolean; columns: number }; text: () => string } {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true },
  );
  return { stream, text: () => chunks.join("") };
}

async function run(input: string, progress?: Writable & { isTTY: boolean }) {
  let stdout = "";
  let stderr = "";
  const status = await runCli([], {
    stdin: Readable.from([input]),
    stdout: { write: (text) => void (stdout += text) },
    stderr: { write: (text) => void (stderr += text) },
    ...(progress === undefined ? {} : { progress }),
  });
  return { status, stdout, stderr };
}

describe("the command's progress bar", () => {
  // Runs to its 3 s time limit (a tight band on a 1,500 × 30 book).
  const long = JSON.stringify(generateBook({ seed: 7, customers: 1500, reps: 30, territories: 3, capacitySlack: 1.03, policy: { timeLimitMs: 3_000, fairness: { valueBand: 0.1 } } }));

  it("shows the phase and the gap on a terminal for a solve longer than a second, and keeps stdout for the Solution", async () => {
    const tty = terminal();
    const { status, stdout, stderr } = await run(long, tty.stream);
    expect(status).toBe(0);
    expect(Solution.safeParse(JSON.parse(stdout)).success).toBe(true);
    expect(stderr).toBe("");
    const drawn = tty.text();
    expect(drawn).toMatch(/solving \[/);
    expect(drawn).toMatch(/of 3\.0 s/);
    expect(drawn).toMatch(/gap \d/);
  }, 30_000);

  it("draws nothing for a solve under a second, or without a terminal", async () => {
    const tty = terminal();
    const small = JSON.stringify(generateBook({ seed: 1, customers: 30, reps: 3, territories: 1 }));
    const quick = await run(small, tty.stream);
    expect(quick.status).toBe(0);
    expect(tty.text()).toBe("");
    const piped = await run(long);
    expect(piped.status).toBe(0);
    expect(piped.stderr).toBe("");
  }, 30_000);
});
