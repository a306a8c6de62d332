import type { MathNode } from "mathjs";
import { EXPRESSION_COMPARISON_MARGIN } from "../numeric/tolerance.ts";

/**
 * Turns an allow-listed mathjs syntax tree into plain closures. mathjs's own evaluator wraps the
 * scope and dispatches every operator through typed functions, which costs microseconds per pair;
 * over millions of pairs that dominated the solve. The closures keep mathjs's semantics exactly:
 * plain-number arithmetic and clearly-apart number comparisons are done directly (the results mathjs
 * would give), and everything else — near-equal comparisons (mathjs compares with a relative
 * tolerance), mixed types, lists, every function — is delegated to the same mathjs functions its
 * evaluator would call, with the same lazy `and`/`or`/chained comparisons. A differential test
 * checks the closures against mathjs's evaluator on random expressions.
 */

export type Evaluator = (scope: Readonly<Record<string, unknown>>) => unknown;

/** The mathjs functions the closures delegate to (from the restricted instance). */
export type MathFunctions = Readonly<Record<string, (...args: unknown[]) => unknown>>;

const NUMERIC: Readonly<Record<string, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  divide: (a, b) => a / b,
};
const COMPARE: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  equal: (a, b) => a === b,
  unequal: (a, b) => a !== b,
  smaller: (a, b) => a < b,
  smallerEq: (a, b) => a <= b,
  larger: (a, b) => a > b,
  largerEq: (a, b) => a >= b,
};

/** Two numbers far enough apart that mathjs's tolerant comparison agrees with the exact one. */
const clearlyApart = (a: number, b: number) => Math.abs(a - b) > EXPRESSION_COMPARISON_MARGIN * Math.max(1, Math.abs(a), Math.abs(b));

function fn(math: MathFunctions, name: string): (...args: unknown[]) => unknown {
  const f = math[name];
  if (f === undefined) throw new Error(`mathjs has no function "${name}"`);
  return f;
}

/** A two-operand mathjs operator on values: fast where the result is certainly mathjs's, else mathjs. */
function valueOperator(math: MathFunctions, name: string): (a: unknown, b: unknown) => unknown {
  const slow = fn(math, name);
  const numeric = NUMERIC[name];
  if (numeric !== undefined) return (a, b) => (typeof a === "number" && typeof b === "number" ? numeric(a, b) : slow(a, b));
  const compare = COMPARE[name];
  if (compare !== undefined) {
    const text = name === "equal" || name === "unequal";
    return (a, b) => {
      if (typeof a === "number" && typeof b === "number" && clearlyApart(a, b)) return compare(a, b);
      if (text && typeof a === "string" && typeof b === "string") return name === "equal" ? a === b : a !== b;
      return slow(a, b);
    };
  }
  return slow;
}

function binary(math: MathFunctions, name: string, left: Evaluator, right: Evaluator): Evaluator {
  if (name === "and" || name === "or") {
    // mathjs evaluates `and`/`or` lazily: the right side only when the left does not decide.
    const slow = fn(math, name);
    const decides = name === "or";
    return (s) => {
      const a = left(s);
      if (!Array.isArray(a)) {
        const truth = typeof a === "boolean" ? a : slow(a, !decides);
        if (truth === decides) return decides;
      }
      const b = right(s);
      return typeof a === "boolean" && typeof b === "boolean" ? (decides ? a || b : a && b) : slow(a, b);
    };
  }
  const op = valueOperator(math, name);
  return (s) => op(left(s), right(s));
}

function unary(math: MathFunctions, name: string, arg: Evaluator): Evaluator {
  const slow = fn(math, name);
  if (name === "unaryMinus") return (s) => {
    const a = arg(s);
    return typeof a === "number" ? -a : slow(a);
  };
  if (name === "not") return (s) => {
    const a = arg(s);
    return typeof a === "boolean" ? !a : slow(a);
  };
  return (s) => slow(arg(s));
}

/** mathjs's test of a `?:` condition. */
function condition(value: unknown): boolean {
  if (typeof value === "boolean" || typeof value === "number" || typeof value === "string") return Boolean(value);
  if (value === null || value === undefined) return false;
  // Complex numbers (sqrt, log or pow of a negative): true unless zero, as mathjs tests them.
  const complex = value as { isComplex?: unknown; re?: unknown; im?: unknown };
  if (complex.isComplex === true) return Boolean(complex.re) || Boolean(complex.im);
  throw new TypeError(`Unsupported type of condition "${Array.isArray(value) ? "Array" : typeof value}"`);
}

/**
 * Compiles a syntax tree that has passed the allow-list of expression-language.ts. Names are read
 * from the scope; `customer.x` / `rep.x` from the scope's customer and rep objects.
 */
export function compileToClosures(node: MathNode, math: MathFunctions): Evaluator {
  const compile = (n: MathNode): Evaluator => compileToClosures(n, math);
  switch (node.type) {
    case "ConstantNode": {
      const value = (node as unknown as { value: unknown }).value;
      return () => value;
    }
    case "ParenthesisNode":
      return compile((node as unknown as { content: MathNode }).content);
    case "SymbolNode": {
      const name = (node as unknown as { name: string }).name;
      return (s) => {
        if (!Object.hasOwn(s, name)) throw new Error(`Undefined symbol ${name}`);
        return s[name];
      };
    }
    case "AccessorNode": {
      const n = node as unknown as { object: { name: string }; index: { dimensions: { value: string }[] } };
      const owner = n.object.name;
      const field = n.index.dimensions[0]?.value ?? "";
      return (s) => (s[owner] as Record<string, unknown>)[field];
    }
    case "ArrayNode": {
      const items = (node as unknown as { items: MathNode[] }).items.map(compile);
      return (s) => items.map((item) => item(s));
    }
    case "ConditionalNode": {
      const n = node as unknown as { condition: MathNode; trueExpr: MathNode; falseExpr: MathNode };
      const test = compile(n.condition);
      const yes = compile(n.trueExpr);
      const no = compile(n.falseExpr);
      return (s) => (condition(test(s)) ? yes(s) : no(s));
    }
    case "OperatorNode": {
      const n = node as unknown as { fn: string; args: MathNode[] };
      const args = n.args.map(compile);
      const [a, b] = args;
      if (a !== undefined && b !== undefined && args.length === 2) return binary(math, n.fn, a, b);
      if (a !== undefined && args.length === 1) return unary(math, n.fn, a);
      throw new Error(`operator ${n.fn} with ${args.length} operands`);
    }
    case "RelationalNode": {
      const n = node as unknown as { conditionals: string[]; params: MathNode[] };
      const params = n.params.map(compile);
      const ops = n.conditionals.map((c) => valueOperator(math, c));
      // Like mathjs: compare pairwise left to right and stop at the first false link.
      return (s) => {
        let left = params[0]?.(s);
        for (let i = 0; i < ops.length; i++) {
          const right = params[i + 1]?.(s);
          if (!ops[i]?.(left, right)) return false;
          left = right;
        }
        return true;
      };
    }
    case "FunctionNode": {
      const n = node as unknown as { fn: { name: string }; args: MathNode[] };
      const f = fn(math, n.fn.name);
      const args = n.args.map(compile);
      return (s) => f(...args.map((arg) => arg(s)));
    }
    default:
      throw new Error(`cannot compile ${node.type}`);
  }
}
