import { describe, expect, it } from "vitest";
import { parseCliArguments } from "../src/cli/cli-arguments.ts";

describe("parseCliArguments", () => {
  it("defaults to a plan read from stdin", () => {
    expect(parseCliArguments([])).toEqual({ kind: "solve", input: null, format: "plan", timing: false });
    expect(parseCliArguments(["-"])).toEqual({ kind: "solve", input: null, format: "plan", timing: false });
  });

  it("reads every option", () => {
    expect(parseCliArguments(["book.json", "--solver", "jslp", "--time-limit", "2500", "--mip-gap", "0.01", "--threads", "2", "--format", "gap", "--timing"])).toEqual({
      kind: "solve",
      input: "book.json",
      format: "gap",
      solver: "jslp",
      timeLimitMs: 2500,
      mipGap: 0.01,
      threads: 2,
      timing: true,
    });
    expect(parseCliArguments(["--time-limit=10", "x"])).toMatchObject({ input: "x", timeLimitMs: 10 });
  });

  it("answers --help and -h even with other arguments", () => {
    expect(parseCliArguments(["--help"])).toEqual({ kind: "help" });
    expect(parseCliArguments(["plan.json", "-h"])).toEqual({ kind: "help" });
  });

  it("rejects bad values, unknown options and extra files", () => {
    const error = (argv: string[], text: string) => expect(parseCliArguments(argv)).toEqual({ kind: "error", message: expect.stringContaining(text) });
    error(["--solver", "cplex"], '--solver must be one of auto, highs, jslp, got "cplex"');
    error(["--format", "xml"], '--format must be one of plan, gap, got "xml"');
    error(["--time-limit", "0"], "--time-limit must be a positive integer");
    error(["--time-limit", "1.5"], "--time-limit must be a positive integer");
    error(["--time-limit", "soon"], "--time-limit must be a positive integer");
    error(["--mip-gap=-1"], "--mip-gap must be a number ≥ 0");
    error(["--mip-gap", ""], "--mip-gap must be a number ≥ 0");
    error(["--threads", "0"], '--threads must be an integer from 1 to 64, got "0"');
    error(["--threads", "two"], "--threads must be an integer from 1 to 64");
    error(["--verbose"], "--verbose");
    error(["a.json", "b.json"], "expected at most one input file, got 2");
    expect(parseCliArguments(["--solver"])).toMatchObject({ kind: "error" });
  });
});
