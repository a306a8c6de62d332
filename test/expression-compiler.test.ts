import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileExpression, compileWithMathjs } from "../src/expressions/expression-language.ts";
import { SCORE_VARIABLES } from "../src/expressions/policy-expressions.ts";

// Random expressions over the allowed language, including type mix-ups, near-equal numbers (mathjs
// compares with a tolerance), lazy and/or, chained comparisons and functions with complex results.
const leaf = fc.oneof(
  fc.constantFrom("0", "1", "-2", "0.1 + 0.2", "0.3", "1e-13", "3.5", "1e300", "true", "false", '"a"', '"b"', '""'),
  fc.constantFrom("value", "conversion", "fit", "distanceKm", "travelCost"),
  fc.constantFrom("customer.value", "customer.segment", "customer.needs", "customer.workload", "rep.seniority", "rep.specialties", "rep.available", "rep.maxAccounts"),
);
const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.tuple(tie("expr"), fc.constantFrom("+", "-", "*", "/", "^", " mod ", "==", "!=", "<", "<=", ">", ">=", " and ", " or ", " xor "), tie("expr")).map(([a, op, b]) => `(${a}${op}${b})`),
    fc.tuple(fc.constantFrom("-", "not "), tie("expr")).map(([op, a]) => `${op}(${a})`),
    fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(([a, b, c]) => `(${a} ? ${b} : ${c})`),
    fc.tuple(tie("expr"), fc.constantFrom("<", "<="), tie("expr"), fc.constantFrom("<", "<="), tie("expr")).map(([a, o1, b, o2, c]) => `(${a} ${o1} ${b} ${o2} ${c})`),
    fc.tuple(fc.constantFrom("abs", "sqrt", "log", "exp", "round", "floor", "ceil", "count"), tie("expr")).map(([f, a]) => `${f}(${a})`),
    fc.tuple(fc.constantFrom("min", "max", "contains", "containsAny", "containsAll"), tie("expr"), tie("expr")).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => `[${a}, ${b}]`),
  ),
}));

const scope = fc.record({
  value: fc.oneof(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.constantFrom(0, 0.3)),
  conversion: fc.double({ min: 0, max: 1, noNaN: true }),
  fit: fc.constantFrom(1, 1.25, 1.5),
  distanceKm: fc.constantFrom(0, 12.5, 0.30000000000000004),
  travelCost: fc.constantFrom(0, 4, 0.1 + 0.2),
  customer: fc.record(
    {
    value: fc.constantFrom(0, 100000, 0.3),
    segment: fc.constantFrom("a", "b", ""),
    needs: fc.constantFrom([], ["a"], ["a", "b"]),
    workload: fc.constantFrom(1, 2.5),
  },
    { noNullPrototype: true },
  ),
  rep: fc.record({
    seniority: fc.constantFrom(0, 2, 3),
    specialties: fc.constantFrom([], ["a"], ["b", "a"]),
    available: fc.boolean(),
    maxAccounts: fc.constantFrom(Number.POSITIVE_INFINITY, 10),
  }, { noNullPrototype: true }),
}, { noNullPrototype: true });

type Outcome = { ok: true; value: string } | { ok: false };
function run(f: () => unknown): Outcome {
  try {
    const v = f();
    // Complex numbers and matrices from mathjs compare by their text; numbers by Object.is semantics.
    return { ok: true, value: typeof v === "number" ? (Object.is(v, -0) ? "-0" : String(v)) : `${typeof v}:${JSON.stringify(v) ?? String(v)}:${String(v)}` };
  } catch {
    return { ok: false };
  }
}

describe("the closure compiler keeps mathjs's semantics", () => {
  it("gives the same result (or the same failure) as mathjs's evaluator on random expressions", () => {
    let compared = 0;
    fc.assert(
      fc.property(expr, scope, (text, values) => {
        const compiled = compileExpression(text, SCORE_VARIABLES);
        if (!compiled.ok) return; // not in the allowed language (e.g. too long)
        compared++;
        const reference = compileWithMathjs(text);
        expect(run(() => compiled.expression.evaluate(values))).toEqual(run(() => reference(values)));
      }),
      { seed: 9001, numRuns: 3000 },
    );
    expect(compared).toBeGreaterThan(2500);
  });

  it("near-equal numbers compare as mathjs does (with its relative tolerance)", () => {
    const compiled = compileExpression("0.1 + 0.2 == 0.3 and value >= 0.3", SCORE_VARIABLES);
    expect(compiled.ok && compiled.expression.evaluate({ value: 0.30000000000000004 - 1e-17 })).toBe(true);
  });
});
