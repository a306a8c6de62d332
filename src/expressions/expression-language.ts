import { all, create, type MathNode } from "mathjs";
import { EXPRESSION_MAX_LENGTH } from "../../models/index.ts";
import { compileToClosures, type MathFunctions } from "./expression-compiler.ts";

/**
 * The small expression language of planner-defined rules and scores, on mathjs. Safety comes in
 * three layers: (1) every expression is parsed by mathjs and its syntax tree checked against an
 * allow-list (node kinds, operators, functions, names and the fields of `customer` and `rep`)
 * before anything is compiled, so assignments, function definitions (recursion), matrices, ranges,
 * prototype keys and unknown names never reach evaluation; (2) the mathjs instance has the
 * functions that reach outside (import, createUnit, evaluate, parse, compile, simplify, derivative,
 * resolve, …) replaced by ones that throw, as the mathjs security notes recommend; (3) the text is
 * limited in length and every result is type-checked by the caller.
 */

export const MAX_EXPRESSION_LENGTH = EXPRESSION_MAX_LENGTH;

if (all === undefined) throw new Error("mathjs did not provide its function factories");
// Lists are plain arrays (as customer.needs and rep.specialties are), not mathjs matrices. Set
// before taking any function from the instance: a config change re-creates them.
const math = create(all, { matrix: "Array" });
const parse = math.parse;
const typed = math.typed;

const list = (x: unknown): unknown[] => {
  if (Array.isArray(x)) return x;
  throw new TypeError("expected a list");
};
// Strings compare as text (mathjs would try to read them as numbers): these signatures are merged
// into mathjs's own equal/unequal, which keep their number semantics.
math.import({
  equal: typed("equal", { "string, string": (a: string, b: string) => a === b }),
  unequal: typed("unequal", { "string, string": (a: string, b: string) => a !== b }),
});
math.import(
  {
    contains: (xs: unknown, x: unknown) => list(xs).includes(x),
    containsAny: (xs: unknown, ys: unknown) => list(ys).some((y) => list(xs).includes(y)),
    containsAll: (xs: unknown, ys: unknown) => list(ys).every((y) => list(xs).includes(y)),
    count: (xs: unknown) => list(xs).length,
    startsWith: (text: unknown, prefix: unknown) => typeof text === "string" && typeof prefix === "string" && text.startsWith(prefix),
  },
  { override: true },
);
const disabled = (name: string) => () => {
  throw new Error(`${name} is disabled`);
};
// (`config` stays: replacing it breaks the instance, and no expression can call it.)
const REACHING_OUT = ["import", "createUnit", "evaluate", "parse", "compile", "simplify", "derivative", "resolve", "reviver", "replacer", "chain", "help"];
math.import(Object.fromEntries(REACHING_OUT.map((name) => [name, disabled(name)])), { override: true });

/** Fields of the contract a rule or score may read, with the default used when a field is absent. */
export const CUSTOMER_FIELDS = ["id", "value", "territory", "segment", "needs", "requires", "workload", "currentRep"] as const;
export const REP_FIELDS = [
  "id",
  "territories",
  "specialties",
  "seniority",
  "maxAccounts",
  "minAccounts",
  "maxWorkload",
  "maxDistanceKm",
  "available",
] as const;

const OPERATORS = new Set([
  "add",
  "subtract",
  "multiply",
  "divide",
  "unaryMinus",
  "unaryPlus",
  "pow",
  "mod",
  "and",
  "or",
  "xor",
  "not",
  "equal",
  "unequal",
  "smaller",
  "smallerEq",
  "larger",
  "largerEq",
]);
export const FUNCTIONS = new Set([
  "contains",
  "containsAny",
  "containsAll",
  "count",
  "startsWith",
  "abs",
  "min",
  "max",
  "log",
  "log10",
  "sqrt",
  "exp",
  "round",
  "floor",
  "ceil",
]);

/** The restricted instance's operators and allowed functions, for the closure compiler. */
const mathFunctions: MathFunctions = (() => {
  const table = math as unknown as Record<string, unknown>;
  // In expressions mathjs calls a function's "transform" when it has one (e.g. min/max, which take
  // 1-based dimensions there): the closures must call the same.
  const transforms = (math as unknown as { expression: { transform: Record<string, unknown> } }).expression.transform;
  const out: Record<string, (...args: unknown[]) => unknown> = {};
  for (const name of [...OPERATORS, ...FUNCTIONS]) {
    const f = (FUNCTIONS.has(name) ? transforms[name] : undefined) ?? table[name];
    if (typeof f !== "function") throw new Error(`mathjs lacks "${name}"`);
    out[name] = f as (...args: unknown[]) => unknown;
  }
  return out;
})();

/**
 * mathjs's own evaluator on the same restricted instance, without the allow-list: for the
 * differential test and the benchmark of the closure compiler only, never for untrusted text.
 */
export function compileWithMathjs(text: string): (scope: Record<string, unknown>) => unknown {
  const compiled = parse(text).compile();
  return (scope) => compiled.evaluate({ ...scope });
}

export interface ExpressionProblem {
  message: string;
  /** 1-based character position in the expression (as mathjs counts), when known. */
  position: number | null;
}

export interface CompiledExpression {
  text: string;
  /** Which sides the expression reads: lets callers evaluate it once per customer or per rep. */
  usesCustomer: boolean;
  usesRep: boolean;
  /** Bare names the expression reads (the pair-level variables of a score). */
  variables: ReadonlySet<string>;
  evaluate(scope: Record<string, unknown>): unknown;
}

interface Check {
  problems: ExpressionProblem[];
  usesCustomer: boolean;
  usesRep: boolean;
  variables: Set<string>;
}

const at = (text: string, needle: string): number | null => {
  const i = text.indexOf(needle);
  return i >= 0 ? i + 1 : null;
};

function checkNode(node: MathNode, text: string, names: ReadonlySet<string>, check: Check): void {
  const fail = (message: string, needle?: string) => check.problems.push({ message, position: needle === undefined ? null : at(text, needle) });
  switch (node.type) {
    case "ConstantNode": {
      const value = (node as unknown as { value: unknown }).value;
      if (typeof value !== "number" && typeof value !== "string" && typeof value !== "boolean") fail("only numbers, strings and true/false are allowed as constants");
      return;
    }
    case "ParenthesisNode":
      checkNode((node as unknown as { content: MathNode }).content, text, names, check);
      return;
    case "ConditionalNode": {
      const n = node as unknown as { condition: MathNode; trueExpr: MathNode; falseExpr: MathNode };
      for (const part of [n.condition, n.trueExpr, n.falseExpr]) checkNode(part, text, names, check);
      return;
    }
    case "OperatorNode": {
      const n = node as unknown as { fn: string; op: string; args: MathNode[] };
      if (!OPERATORS.has(n.fn)) fail(`operator "${n.op}" is not allowed`, n.op);
      for (const arg of n.args) checkNode(arg, text, names, check);
      return;
    }
    case "RelationalNode": {
      const n = node as unknown as { conditionals: string[]; params: MathNode[] };
      for (const c of n.conditionals) if (!OPERATORS.has(c)) fail(`comparison "${c}" is not allowed`);
      for (const p of n.params) checkNode(p, text, names, check);
      return;
    }
    case "ArrayNode": {
      for (const item of (node as unknown as { items: MathNode[] }).items) {
        if (item.type === "ArrayNode") fail("nested lists are not allowed", "[");
        checkNode(item, text, names, check);
      }
      return;
    }
    case "FunctionNode": {
      const n = node as unknown as { fn: MathNode; args: MathNode[] };
      const name = n.fn.type === "SymbolNode" ? (n.fn as unknown as { name: string }).name : null;
      if (name === null || !FUNCTIONS.has(name)) fail(`function "${name ?? "?"}" is not allowed (allowed: ${[...FUNCTIONS].join(", ")})`, name ?? "(");
      for (const arg of n.args) checkNode(arg, text, names, check);
      return;
    }
    case "AccessorNode": {
      const n = node as unknown as { object: MathNode; index: { dimensions: MathNode[] } };
      const owner = n.object.type === "SymbolNode" ? (n.object as unknown as { name: string }).name : null;
      const dims = n.index.dimensions;
      const key = dims.length === 1 && dims[0]?.type === "ConstantNode" ? (dims[0] as unknown as { value: unknown }).value : undefined;
      const fields: readonly string[] | null = owner === "customer" ? CUSTOMER_FIELDS : owner === "rep" ? REP_FIELDS : null;
      if (fields === null) {
        fail("only customer.<field> and rep.<field> can be read; lists are tested with contains(…), not indexed", "[");
        return;
      }
      if (typeof key !== "string" || !fields.includes(key)) {
        fail(`${owner}.${String(key)} is not a field (fields: ${fields.join(", ")})`, typeof key === "string" ? key : owner ?? undefined);
        return;
      }
      if (owner === "customer") check.usesCustomer = true;
      else check.usesRep = true;
      return;
    }
    case "SymbolNode": {
      const name = (node as unknown as { name: string }).name;
      if (name === "customer" || name === "rep") fail(`use a field of ${name}, e.g. ${name}.id`, name);
      else if (!names.has(name)) fail(`unknown name "${name}"${names.size > 0 ? ` (names: ${[...names].join(", ")}, customer.*, rep.*)` : " (use customer.* and rep.*)"}`, name);
      else check.variables.add(name);
      return;
    }
    default:
      fail(`${node.type.replace(/Node$/, "").toLowerCase()} expressions are not allowed`);
  }
}

/**
 * Parses, checks and compiles one expression. `names` are the bare variables it may read besides
 * customer.* and rep.*. Returns the problems instead when the text is too long, does not parse, or
 * uses anything outside the allow-list.
 */
export function compileExpression(text: string, names: ReadonlySet<string>): { ok: true; expression: CompiledExpression } | { ok: false; problem: ExpressionProblem } {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return { ok: false, problem: { message: `expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`, position: MAX_EXPRESSION_LENGTH + 1 } };
  }
  if (text.trim() === "") return { ok: false, problem: { message: "expression is empty", position: 1 } };
  let node: MathNode;
  try {
    node = parse(text);
  } catch (error) {
    const position = typeof (error as { char?: unknown }).char === "number" ? (error as { char: number }).char : null;
    const message = error instanceof Error ? error.message.replace(/\s*\(char \d+\)$/, "") : "syntax error";
    return { ok: false, problem: { message: `syntax error: ${message}`, position } };
  }
  const check: Check = { problems: [], usesCustomer: false, usesRep: false, variables: new Set() };
  checkNode(node, text, names, check);
  const first = check.problems[0];
  if (first !== undefined) return { ok: false, problem: first };
  const evaluate = compileToClosures(node, mathFunctions);
  return {
    ok: true,
    expression: {
      text,
      usesCustomer: check.usesCustomer,
      usesRep: check.usesRep,
      variables: check.variables,
      evaluate,
    },
  };
}
