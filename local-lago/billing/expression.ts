// Lago's metric expressions (the lago-expression gem that app/services/events/calculate_expression_service.rb and
// app/services/billable_metrics/evaluate_expression_service.rb call): its grammar and evaluation, written
// from its grammar.pest, parser.rs and evaluate.rs. Numbers are decimals (division to 100 digits); a property
// that parses as a decimal is a number, else a string; arithmetic on a string, or a missing property, fails.
import Decimal from "decimal.js";

/** Rust's bigdecimal divides to 100 significant digits. */
const D = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_HALF_UP });
type Num = InstanceType<typeof D>;

export type ExpressionValue = { kind: "number"; value: Num } | { kind: "string"; value: string };

export interface ExpressionEvent {
  code: string;
  /** Unix seconds. */
  timestamp: number;
  /** Numbers stay numbers; every other value arrives as text (Ruby's to_s). */
  properties: Record<string, string | number>;
}

type Node =
  | { type: "decimal"; value: Num }
  | { type: "string"; value: string }
  | { type: "code" }
  | { type: "timestamp" }
  | { type: "property"; name: string }
  | { type: "neg"; operand: Node }
  | { type: "binary"; op: "+" | "-" | "*" | "/"; lhs: Node; rhs: Node }
  | { type: "call"; fn: FunctionName; args: Node[] };

type FunctionName = "ceil" | "concat" | "round" | "floor" | "least" | "greatest";
// Each name in the three spellings the grammar knows (ceil, CEIL, Ceil), tried in the grammar's order.
const FUNCTIONS: FunctionName[] = ["ceil", "concat", "round", "floor", "least", "greatest"];
const spellings = (name: string) => [name, name.toUpperCase(), name[0]!.toUpperCase() + name.slice(1)];

/** The gem's evaluation errors (Ruby RuntimeError), with its messages. */
export class ExpressionError extends Error {}

class ParseFailure extends Error {}

/** A PEG-style parser for the grammar: `expr = atom (op atom)*`, `atom = "-"? primary`; only spaces are skipped. */
class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseRoot(): Node {
    this.spaces();
    const node = this.expr();
    this.spaces();
    if (this.pos !== this.text.length) throw new ParseFailure(`unexpected input at ${this.pos}`);
    return node;
  }

  private spaces() {
    while (this.text[this.pos] === " ") this.pos++;
  }

  private literal(s: string): boolean {
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  /** Pratt parse: + and − below × and ÷, both left-associative; the unary minus binds to its primary. */
  private expr(): Node {
    const operands: Node[] = [this.atom()];
    const ops: Array<"+" | "-" | "*" | "/"> = [];
    for (;;) {
      const save = this.pos;
      this.spaces();
      const op = this.text[this.pos];
      if (op === "+" || op === "-" || op === "*" || op === "/") {
        this.pos++;
        this.spaces();
        ops.push(op);
        operands.push(this.atom());
      } else {
        this.pos = save;
        break;
      }
    }
    // fold × and ÷ first, then + and −, left to right
    const terms: Node[] = [operands[0]!];
    const additive: Array<"+" | "-"> = [];
    ops.forEach((op, i) => {
      const rhs = operands[i + 1]!;
      if (op === "*" || op === "/") terms.push({ type: "binary", op, lhs: terms.pop()!, rhs });
      else {
        additive.push(op);
        terms.push(rhs);
      }
    });
    return additive.reduce<Node>((lhs, op, i) => ({ type: "binary", op, lhs, rhs: terms[i + 1]! }), terms[0]!);
  }

  private atom(): Node {
    if (this.literal("-")) {
      this.spaces();
      return { type: "neg", operand: this.primary() };
    }
    return this.primary();
  }

  private primary(): Node {
    return this.call() ?? this.variable() ?? this.decimal() ?? this.string() ?? this.parenthesised();
  }

  private call(): Node | undefined {
    const start = this.pos;
    for (const fn of FUNCTIONS) {
      for (const spelling of spellings(fn)) {
        this.pos = start;
        if (!this.literal(spelling)) continue;
        this.spaces();
        if (!this.literal("(")) continue;
        this.spaces();
        const args = [this.expr()];
        this.spaces();
        while (this.literal(",")) {
          this.spaces();
          args.push(this.expr());
          this.spaces();
        }
        if (!this.literal(")")) throw new ParseFailure(`expected ) at ${this.pos}`);
        if ((fn === "ceil" || fn === "round" || fn === "floor") && args.length > 2) throw new ParseFailure(`Wrong number of arguments to function ${fn}, expected: 1..2, provided: ${args.length}`);
        return { type: "call", fn, args };
      }
    }
    this.pos = start;
    return undefined;
  }

  private variable(): Node | undefined {
    if (!this.literal("event.")) return undefined;
    if (this.literal("timestamp")) return { type: "timestamp" };
    if (this.literal("properties.")) {
      const match = /^[A-Za-z][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
      if (!match) throw new ParseFailure(`expected a property name at ${this.pos}`);
      this.pos += match[0].length;
      return { type: "property", name: match[0] };
    }
    if (this.literal("code")) return { type: "code" };
    throw new ParseFailure(`expected an event attribute at ${this.pos}`);
  }

  private decimal(): Node | undefined {
    const match = /^[0-9]+(\.[0-9]+)?/.exec(this.text.slice(this.pos));
    if (!match) return undefined;
    this.pos += match[0].length;
    return { type: "decimal", value: new D(match[0]) };
  }

  private string(): Node | undefined {
    if (!this.literal("'")) return undefined;
    const end = this.text.indexOf("'", this.pos);
    if (end < 0) throw new ParseFailure("unterminated string");
    const value = this.text.slice(this.pos, end);
    this.pos = end + 1;
    return { type: "string", value };
  }

  private parenthesised(): Node {
    if (!this.literal("(")) throw new ParseFailure(`expected a value at ${this.pos}`);
    this.spaces();
    const node = this.expr();
    this.spaces();
    if (!this.literal(")")) throw new ParseFailure(`expected ) at ${this.pos}`);
    return node;
  }
}

export type ParsedExpression = Node;

/** The parsed expression, or undefined when the gem's parser refuses it (Lago: invalid_expression). */
export function parseExpression(text: string): ParsedExpression | undefined {
  try {
    return new Parser(text).parseRoot();
  } catch (error) {
    if (error instanceof ParseFailure) return undefined;
    throw error;
  }
}

/** Rust's `str::parse::<BigDecimal>`: optional sign, digits with an optional point, optional exponent; nothing around. */
const RUST_DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const textValue = (s: string): ExpressionValue => (RUST_DECIMAL.test(s) ? { kind: "number", value: new D(s) } : { kind: "string", value: s });

function toDecimal(value: ExpressionValue): Num {
  if (value.kind === "string") throw new ExpressionError("Expected a decimal");
  return value.value;
}

const MODES = { round: Decimal.ROUND_HALF_UP, ceil: Decimal.ROUND_CEIL, floor: Decimal.ROUND_FLOOR } as const;

function roundTo(value: Num, digits: number, mode: Decimal.Rounding): Num {
  if (digits >= 0) return value.toDecimalPlaces(digits, mode);
  const step = new D(10).pow(-digits);
  return value.dividedBy(step).toDecimalPlaces(0, mode).times(step);
}

function evaluateNode(node: Node, event: ExpressionEvent): ExpressionValue {
  switch (node.type) {
    case "decimal":
      return { kind: "number", value: node.value };
    case "string":
      return { kind: "string", value: node.value };
    case "code":
      return { kind: "string", value: event.code };
    case "timestamp":
      return { kind: "number", value: new D(event.timestamp) };
    case "property": {
      if (!Object.prototype.hasOwnProperty.call(event.properties, node.name)) throw new ExpressionError(`Variable: ${node.name} not found`);
      const value = event.properties[node.name]!;
      return typeof value === "number" ? { kind: "number", value: new D(value) } : textValue(value);
    }
    case "neg":
      return { kind: "number", value: toDecimal(evaluateNode(node.operand, event)).negated() };
    case "binary": {
      const lhs = toDecimal(evaluateNode(node.lhs, event));
      const rhs = toDecimal(evaluateNode(node.rhs, event));
      if (node.op === "/" && rhs.isZero()) throw new Error("Division by zero (the gem panics)");
      const value = node.op === "+" ? lhs.plus(rhs) : node.op === "-" ? lhs.minus(rhs) : node.op === "*" ? lhs.times(rhs) : lhs.dividedBy(rhs);
      return { kind: "number", value };
    }
    case "call": {
      const args = node.args;
      switch (node.fn) {
        case "concat":
          return { kind: "string", value: args.map((a) => display(evaluateNode(a, event))).join("") };
        case "least":
        case "greatest": {
          const values = args.map((a) => toDecimal(evaluateNode(a, event)));
          return { kind: "number", value: node.fn === "least" ? D.min(...values) : D.max(...values) };
        }
        default: {
          const value = toDecimal(evaluateNode(args[0]!, event));
          const digits = args[1] ? toDecimal(evaluateNode(args[1], event)).trunc().toNumber() : 0;
          return { kind: "number", value: roundTo(value, digits, MODES[node.fn]) };
        }
      }
    }
  }
}

const display = (value: ExpressionValue) => (value.kind === "string" ? value.value : value.value.toFixed());

/** Evaluates a parsed expression on an event; ExpressionError is the gem's RuntimeError. */
export const evaluateExpression = (expression: ParsedExpression, event: ExpressionEvent): ExpressionValue => evaluateNode(expression, event);
