/**
 * Derived inputs whose recipe is their name: `log1p(TotalCharges)`, `eq(pdays,999)`,
 * `bin(tenure,6,12,24,48)`, `cross(Contract,InternetService)`. The metadata contract has no field
 * for feature engineering, but an input's name travels with the model, so a name that is also the
 * formula is enough for serving to compute the value exactly as training did: wrap each raw row
 * with `derivedRow(row)` before `encodeInputs`. Pure, no state beyond a parse cache.
 *
 * Functions (arguments are column names, numbers, 'quoted strings' or nested calls):
 *   log1p(x)          ln(1 + x), missing when x is missing or <= -1
 *   eq(x, v)          1 when x equals v (as number or string), else 0; missing when x is missing
 *   unless(x, v)      x, but missing when x equals v (a sentinel such as pdays = 999)
 *   mul(x, y) div(x, y) min(x, c) max(x, c)   arithmetic; div by 0 is missing
 *   bin(x, e1, e2..)  categorical: "<e1", "e1-e2", ..., ">=en" (edges ascending)
 *   cross(a, b)       categorical: "a|b" (an interaction of two categories)
 */
import type { RawRow, RawValue } from "../../scoring/encode-inputs.js";
import type { Table } from "../table.js";

type Node =
  | { kind: "ref"; name: string }
  | { kind: "lit"; value: number | string }
  | { kind: "call"; fn: string; args: Node[] };

const ARITY: Record<string, [number, number]> = {
  log1p: [1, 1],
  eq: [2, 2],
  unless: [2, 2],
  mul: [2, 2],
  div: [2, 2],
  min: [2, 2],
  max: [2, 2],
  bin: [2, 64],
  cross: [2, 2],
};
const CATEGORICAL_FNS = new Set(["bin", "cross"]);

/** Thrown for a malformed expression name; the message quotes it. */
export class DerivedColumnError extends Error {}

function parse(text: string): Node {
  let pos = 0;
  const fail = (why: string): never => {
    throw new DerivedColumnError(`derived column "${text}": ${why} at character ${pos + 1}`);
  };
  const node = (): Node => {
    while (text[pos] === " ") pos++;
    if (text[pos] === "'") {
      const end = text.indexOf("'", pos + 1);
      if (end < 0) fail("unclosed quote");
      const value = text.slice(pos + 1, end);
      pos = end + 1;
      return { kind: "lit", value };
    }
    const start = pos;
    while (pos < text.length && !"(),".includes(text[pos]!)) pos++;
    const word = text.slice(start, pos).trim();
    if (word === "") fail("expected a name or a number");
    if (text[pos] !== "(")
      return /^-?\d+(\.\d+)?$/.test(word)
        ? { kind: "lit", value: Number(word) }
        : { kind: "ref", name: word };
    const arity = ARITY[word] ?? fail(`unknown function ${word} (known: ${Object.keys(ARITY).join(", ")})`);
    pos++;
    const args: Node[] = [node()];
    while (text[pos] === ",") {
      pos++;
      args.push(node());
    }
    if (text[pos] !== ")") fail("expected , or )");
    pos++;
    if (args.length < arity[0] || args.length > arity[1])
      fail(`${word} takes ${arity[0]}..${arity[1]} arguments`);
    return { kind: "call", fn: word, args };
  };
  const root = node();
  if (pos !== text.length) fail("unexpected text");
  return root;
}

const cache = new Map<string, Node>();
function parsed(name: string): Node {
  let n = cache.get(name);
  if (!n) {
    n = parse(name);
    cache.set(name, n);
  }
  return n;
}

/** Whether an input name is a formula rather than a raw column. */
export const isDerivedName = (name: string): boolean => /^[a-z0-9]+\(.*\)$/.test(name);

/** "categorical" for bin/cross, "numeric" otherwise; throws DerivedColumnError if malformed. */
export function derivedType(name: string): "numeric" | "categorical" {
  const n = parsed(name);
  return n.kind === "call" && CATEGORICAL_FNS.has(n.fn) ? "categorical" : "numeric";
}

const toNumber = (v: RawValue): number =>
  typeof v === "number"
    ? v
    : typeof v === "boolean"
      ? Number(v)
      : typeof v === "string" && v.trim() !== ""
        ? Number(v)
        : Number.NaN;
const missing = (v: RawValue): boolean =>
  v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));

function evaluate(n: Node, row: (name: string) => RawValue): RawValue {
  if (n.kind === "lit") return n.value;
  if (n.kind === "ref") return row(n.name);
  const a = n.args.map((arg) => evaluate(arg, row));
  const x = toNumber(a[0]);
  switch (n.fn) {
    case "log1p":
      return x > -1 ? Math.log1p(x) : Number.NaN;
    case "eq":
      return missing(a[0])
        ? Number.NaN
        : a[0] === a[1] || (Number.isFinite(x) && x === toNumber(a[1])) || String(a[0]) === String(a[1])
          ? 1
          : 0;
    case "unless":
      return missing(a[0]) || String(a[0]) === String(a[1]) || x === toNumber(a[1]) ? Number.NaN : x;
    case "mul":
      return x * toNumber(a[1]);
    case "div":
      return toNumber(a[1]) === 0 ? Number.NaN : x / toNumber(a[1]);
    case "min":
      return Math.min(x, toNumber(a[1]));
    case "max":
      return Math.max(x, toNumber(a[1]));
    case "bin": {
      if (!Number.isFinite(x)) return null;
      const edges = a.slice(1).map(toNumber);
      const k = edges.findIndex((e) => x < e);
      if (k === 0) return `<${edges[0]}`;
      if (k < 0) return `>=${edges[edges.length - 1]}`;
      return `${edges[k - 1]}-${edges[k]}`;
    }
    default:
      return missing(a[0]) || missing(a[1]) ? null : `${a[0]}|${a[1]}`;
  }
}

/**
 * The value of one input for a raw row: the row's own value when it has one (training tables hold
 * formula columns ready-made, by this same function), else the formula its name spells.
 */
export function derivedValue(name: string, row: RawRow): RawValue {
  const lookup = typeof row === "function" ? row : (k: string) => row[k];
  const own = lookup(name);
  return own !== undefined || !isDerivedName(name) ? own : evaluate(parsed(name), lookup);
}

/** Wraps a raw row so that formula names resolve; give the result to `encodeInputs`. */
export function derivedRow(row: RawRow): (name: string) => RawValue {
  return (name) => derivedValue(name, row);
}

/**
 * `inputs` plus one column per formula, computed row by row with `derivedValue` (the function
 * serving uses) from `source` (default `inputs`; a wider table lets dropped columns feed a formula).
 */
export function addDerivedColumns(inputs: Table, formulas: readonly string[], source: Table = inputs): Table {
  const numeric = new Map(inputs.numeric);
  const categorical = new Map(inputs.categorical);
  const lookup = (r: number) => (name: string) =>
    source.numeric.get(name)?.[r] ?? source.categorical.get(name)?.[r];
  for (const f of formulas) {
    if (derivedType(f) === "numeric") {
      numeric.set(
        f,
        Float64Array.from({ length: source.length }, (_, r) =>
          Number(derivedValue(f, lookup(r)) ?? Number.NaN),
        ),
      );
    } else {
      const values = Array.from({ length: source.length }, (_, r) => derivedValue(f, lookup(r)));
      categorical.set(
        f,
        values.map((v) => (v === null || v === undefined ? null : String(v))),
      );
    }
  }
  return { length: inputs.length, numeric, categorical };
}
