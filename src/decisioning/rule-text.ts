/**
 * A short readable form of a compiled rule for explanations (`features.age >= 18 and
 * features.holds_mortgage == 0`), computed once per rule object. Strings are single-quoted, so a reason
 * carries no JSON quotes to escape in every response and log record.
 */
import type { CompiledRule } from "../policy/policy-rules.js";

const cache = new WeakMap<CompiledRule, string>();
const MAX = 160;

const INFIX = new Set(["==", "===", "!=", "!==", ">", ">=", "<", "<=", "+", "-", "*", "/", "%", "in"]);

function literal(value: unknown): string {
  if (typeof value === "string") return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map((v) => render(v)).join(", ")}]`;
  return String(value);
}

/** Renders one json-logic node; `nested` parenthesises compound expressions inside another. */
function render(node: unknown, nested = false): string {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return literal(node);
  const entries = Object.entries(node);
  if (entries.length !== 1) return JSON.stringify(node);
  const [op, raw] = entries[0]!;
  const args = Array.isArray(raw) ? raw : [raw];
  let text: string;
  if (op === "var") {
    const name = String(args[0] ?? "");
    return args.length > 1 ? `(${name} ?? ${render(args[1])})` : name;
  }
  if (op === "!" || op === "!!") text = `${op === "!" ? "not" : "truthy"} ${render(args[0], true)}`;
  else if (op === "and" || op === "or") text = args.map((a) => render(a, true)).join(` ${op} `);
  else if ((op === "<" || op === "<=") && args.length === 3)
    text = args.map((a) => render(a, true)).join(` ${op} `);
  else if (INFIX.has(op) && args.length === 2)
    text = `${render(args[0], true)} ${op} ${render(args[1], true)}`;
  else return `${op}(${args.map((a) => render(a)).join(", ")})`;
  return nested ? `(${text})` : text;
}

export function ruleText(rule: CompiledRule): string {
  let text = cache.get(rule);
  if (text === undefined) {
    const readable = render(rule.logic);
    text = `${rule.source} ${readable.length > MAX ? `${readable.slice(0, MAX)}...` : readable}`;
    cache.set(rule, text);
  }
  return text;
}
