/**
 * Turns raw rows (feature name -> value) into the model's float input, in the model's own column
 * order, with the preprocessing saved in its metadata. Pure; training and serving both call it, so
 * a model sees the same encoding in both.
 *
 * Derived inputs: an input with a `formula` (or, for models written before that field existed, an
 * input whose name is a formula such as `log1p(TotalCharges)`) is always computed here from the row's
 * raw values, so serving needs nothing beyond the raw features. A value the row holds under the
 * input's own name is never read: at serving a row is partly caller-supplied, and a value the model
 * never saw in training must not stand in for the formula's. Formulas are compiled once per model
 * (a plan cached on the metadata's `inputs` array), so a batch costs closure calls, not string work.
 *
 * Formula functions (arguments are column names, numbers, 'quoted strings' or nested calls; a number
 * is any finite decimal literal, e.g. 3, -0.5, .5, +3, 1e-3; any other word without ( ) , ' is a
 * column name, except one made only of digits, dots and an exponent, such as 1.2.3):
 *   log1p(x)          ln(1 + x), missing when x is missing or <= -1
 *   eq(x, v)          1 when x equals v (as number or string), else 0; missing when x is missing
 *   unless(x, v)      x, but missing when x equals v (a sentinel such as pdays = 999)
 *   add(x, y) sub(x, y) mul(x, y) div(x, y) min(x, y) max(x, y)   arithmetic; div by 0 is missing
 *   clip(x, lo, hi)   min(max(x, lo), hi)
 *   bin(x, e1, e2..)  categorical: "<e1", "e1-e2", ..., ">=en" (edges ascending)
 *   cross(a, b)       categorical: "a|b" (an interaction of two categories)
 */
import type { ModelInput, ModelMetadata } from "./model-metadata.js";

export type RawValue = number | string | boolean | null | undefined;
/** A raw row: a lookup by input name (a plain object or a function, for zero-copy views). */
export type RawRow = Readonly<Record<string, RawValue>> | ((name: string) => RawValue);

const lookup = (row: RawRow, name: string): RawValue => (typeof row === "function" ? row(name) : row[name]);

export interface EncodedBatch {
  /** rows x metadata.inputWidth, row-major. */
  readonly data: Float32Array;
  readonly rows: number;
  /** Input names that were missing (filled with the model's default) in at least one row. */
  readonly missing: ReadonlySet<string>;
  /** For each input in `missing`, the number of rows in which it was missing. */
  readonly missingCounts: ReadonlyMap<string, number>;
}

/** A numeric value, or NaN when missing: blank strings, null, undefined and non-numbers are missing. */
function numericValue(raw: RawValue): number {
  if (typeof raw === "number") return raw;
  if (typeof raw === "boolean") return Number(raw);
  if (typeof raw === "string" && raw.trim() !== "") return Number(raw);
  return Number.NaN;
}

// ---------------------------------------------------------------------------------------------
// Formulas

type Node =
  | { kind: "ref"; name: string }
  | { kind: "lit"; value: number | string }
  | { kind: "call"; fn: string; args: Node[] };

const ARITY: Record<string, [number, number]> = {
  log1p: [1, 1],
  eq: [2, 2],
  unless: [2, 2],
  add: [2, 2],
  sub: [2, 2],
  mul: [2, 2],
  div: [2, 2],
  min: [2, 2],
  max: [2, 2],
  clip: [3, 3],
  bin: [2, 64],
  cross: [2, 2],
};
const CATEGORICAL_FNS = new Set(["bin", "cross"]);

/** Thrown for a malformed formula; the message quotes it. */
export class FormulaError extends Error {}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Made only of what numbers are made of, yet not one (`1.2.3`, `1e`): a typo, not a column. */
const NUMBER_LIKE = /^[+-]?[\d.]+([eE][+-]?[\d.]*)?$/;

/**
 * A number literal or a column reference; undefined for a malformed or infinite number. Any other
 * word is a column: CSV headers hold spaces, hyphens, accents and leading digits (`Total Charges`,
 * `p-days`, `2nd_income`), and models trained on them must keep loading.
 */
function leaf(word: string): Node | undefined {
  if (NUMBER.test(word)) {
    const value = Number(word);
    return Number.isFinite(value) ? { kind: "lit", value } : undefined;
  }
  return NUMBER_LIKE.test(word) ? undefined : { kind: "ref", name: word };
}

function parse(text: string): Node {
  let pos = 0;
  const fail = (why: string): never => {
    throw new FormulaError(`derived column "${text}": ${why} at character ${pos + 1}`);
  };
  const node = (): Node => {
    while (text[pos] === " ") pos++;
    if (text[pos] === "'") {
      const end = text.indexOf("'", pos + 1);
      if (end < 0) fail("unclosed quote");
      const value = text.slice(pos + 1, end);
      pos = end + 1;
      while (text[pos] === " ") pos++;
      return { kind: "lit", value };
    }
    const start = pos;
    while (pos < text.length && !"(),".includes(text[pos]!)) pos++;
    const word = text.slice(start, pos).trim();
    if (word === "") fail("expected a name or a number");
    if (text[pos] !== "(") {
      const found = leaf(word);
      if (found) return found;
      pos = start;
      fail(
        `${JSON.stringify(word)} is not a number (e.g. 3, -0.5, .5, 1e-3; finite), and looks too much like one to be a column name`,
      );
    }
    if (!Object.hasOwn(ARITY, word)) {
      pos = start;
      fail(`unknown function ${word} (known: ${Object.keys(ARITY).join(", ")})`);
    }
    const arity = ARITY[word]!;
    pos++;
    const args: Node[] = [node()];
    while (text[pos] === ",") {
      pos++;
      args.push(node());
    }
    if (text[pos] !== ")") fail("expected , or )");
    pos++;
    while (text[pos] === " ") pos++;
    if (args.length < arity[0] || args.length > arity[1])
      fail(`${word} takes ${arity[0]}..${arity[1]} arguments`);
    return { kind: "call", fn: word, args };
  };
  const root = node();
  if (pos !== text.length) fail("unexpected text");
  return root;
}

const isMissing = (v: RawValue): boolean =>
  v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));

/** A compiled formula: reads the raw values it needs from a row. */
export type Formula = (row: RawRow) => RawValue;

/** `child` compiles the arguments of a call (a folding compiler passes itself). */
function compileNode(n: Node, child: (n: Node) => Formula = compileNode): Formula {
  if (n.kind === "lit") {
    const value = n.value;
    return () => value;
  }
  if (n.kind === "ref") {
    const name = n.name;
    return (row) => (typeof row === "function" ? row(name) : row[name]);
  }
  const args = n.args.map((arg) => child(arg));
  const a = args[0]!;
  const b = args[1]!;
  switch (n.fn) {
    case "log1p":
      return (row) => {
        const x = numericValue(a(row));
        return x > -1 ? Math.log1p(x) : Number.NaN;
      };
    case "eq":
      return (row) => {
        const va = a(row);
        if (isMissing(va)) return Number.NaN;
        const vb = b(row);
        const x = numericValue(va);
        return va === vb || (Number.isFinite(x) && x === numericValue(vb)) || String(va) === String(vb)
          ? 1
          : 0;
      };
    case "unless":
      return (row) => {
        const va = a(row);
        const vb = b(row);
        const x = numericValue(va);
        return isMissing(va) || String(va) === String(vb) || x === numericValue(vb) ? Number.NaN : x;
      };
    case "add":
      return (row) => numericValue(a(row)) + numericValue(b(row));
    case "sub":
      return (row) => numericValue(a(row)) - numericValue(b(row));
    case "mul":
      return (row) => numericValue(a(row)) * numericValue(b(row));
    case "div":
      return (row) => {
        const d = numericValue(b(row));
        return d === 0 ? Number.NaN : numericValue(a(row)) / d;
      };
    case "min":
      return (row) => Math.min(numericValue(a(row)), numericValue(b(row)));
    case "max":
      return (row) => Math.max(numericValue(a(row)), numericValue(b(row)));
    case "clip": {
      const c = args[2]!;
      return (row) => Math.min(Math.max(numericValue(a(row)), numericValue(b(row))), numericValue(c(row)));
    }
    case "bin": {
      const edgeFns = args.slice(1);
      return (row) => {
        const x = numericValue(a(row));
        if (!Number.isFinite(x)) return null;
        const edges = edgeFns.map((e) => numericValue(e(row)));
        const k = edges.findIndex((e) => x < e);
        if (k === 0) return `<${edges[0]}`;
        if (k < 0) return `>=${edges[edges.length - 1]}`;
        return `${edges[k - 1]}-${edges[k]}`;
      };
    }
    default:
      return (row) => {
        const va = a(row);
        const vb = b(row);
        return isMissing(va) || isMissing(vb) ? null : `${va}|${vb}`;
      };
  }
}

const parsedCache = new Map<string, { node: Node; formula: Formula }>();
function parsed(text: string): { node: Node; formula: Formula } {
  let p = parsedCache.get(text);
  if (!p) {
    const node = parse(text);
    p = { node, formula: compileNode(node) };
    parsedCache.set(text, p);
  }
  return p;
}

/** Whether a name is spelled like a formula (`fn(...)`) rather than a raw column. */
export const isFormulaName = (name: string): boolean => /^[a-z0-9]+\(.*\)$/.test(name);

/** Compiles a formula (cached by its text); throws FormulaError when it is malformed. */
export function compileFormula(text: string): Formula {
  return parsed(text).formula;
}

/** "categorical" for bin/cross, "numeric" otherwise; throws FormulaError when malformed. */
export function formulaType(text: string): "numeric" | "categorical" {
  const n = parsed(text).node;
  return n.kind === "call" && CATEGORICAL_FNS.has(n.fn) ? "categorical" : "numeric";
}

/** The raw column names a formula reads. */
export function formulaColumns(text: string): string[] {
  const out = new Set<string>();
  const walk = (n: Node): void => {
    if (n.kind === "ref") out.add(n.name);
    else if (n.kind === "call") n.args.forEach(walk);
  };
  walk(parsed(text).node);
  return [...out];
}

/** The formula an input is computed by, if any: its `formula`, else a name spelled as a formula. */
export function inputFormula(input: Pick<ModelInput, "name"> & { formula?: string }): string | undefined {
  if (input.formula !== undefined) return input.formula;
  if (!isFormulaName(input.name)) return undefined;
  try {
    parsed(input.name);
    return input.name;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Per-model plans

interface NumericStep {
  readonly numeric: true;
  readonly name: string;
  readonly formula: Formula | undefined;
  readonly mean: number;
  readonly scale: number;
  readonly fill: number;
}
interface CategoricalStep {
  readonly numeric: false;
  readonly name: string;
  readonly formula: Formula | undefined;
  readonly index: ReadonlyMap<string, number>;
  readonly unseen: number;
  readonly fill: string | undefined;
}
type Step = NumericStep | CategoricalStep;

const plans = new WeakMap<readonly ModelInput[], readonly Step[]>();

function planFor(inputs: readonly ModelInput[]): readonly Step[] {
  let plan = plans.get(inputs);
  if (plan) return plan;
  plan = inputs.map((input): Step => {
    const text = inputFormula(input);
    const formula = text === undefined ? undefined : compileFormula(text);
    if (input.type === "numeric")
      return {
        numeric: true,
        name: input.name,
        formula,
        mean: input.mean,
        scale: input.scale,
        fill: input.fill,
      };
    const index = new Map<string, number>();
    input.vocabulary.forEach((v, i) => {
      if (!index.has(v)) index.set(v, i);
    });
    return {
      numeric: false,
      name: input.name,
      formula,
      index,
      unseen: input.vocabulary.length,
      fill: input.fill,
    };
  });
  plans.set(inputs, plan);
  return plan;
}

/** The raw value of one input for a row: its formula's when it has one, else the row's value by name. */
function rawValue(step: Step, row: RawRow): RawValue {
  return step.formula === undefined ? lookup(row, step.name) : step.formula(row);
}

export function encodeInputs(
  meta: Pick<ModelMetadata, "inputs" | "inputWidth">,
  rows: readonly RawRow[],
): EncodedBatch {
  const plan = planFor(meta.inputs);
  const data = new Float32Array(rows.length * meta.inputWidth);
  const missingCounts = encodeInto(plan, rows, rawValue, data, meta.inputWidth, startsOf(plan));
  return { data, rows: rows.length, missing: new Set(missingCounts.keys()), missingCounts };
}

const starts = new WeakMap<readonly Step[], Int32Array>();

/** Where each step's columns start in a row of the model's own input (a one-hot block is contiguous). */
function startsOf(plan: readonly Step[]): Int32Array {
  let s = starts.get(plan);
  if (!s) {
    s = new Int32Array(plan.length);
    let c = 0;
    plan.forEach((step, i) => {
      s![i] = c;
      c += step.numeric ? 1 : step.unseen + 1;
    });
    starts.set(plan, s);
  }
  return s;
}

/**
 * Writes each row's encoding into `data` (row r at r * stride, step i's columns from start[i];
 * one-hot columns must be zero beforehand). Returns the missing counts per input name.
 */
function encodeInto(
  plan: readonly Step[],
  rows: readonly RawRow[],
  valueFor: (step: Step, row: RawRow, i: number) => RawValue,
  data: Float32Array,
  stride: number,
  start: Int32Array,
): Map<string, number> {
  const missingCounts = new Map<string, number>();
  const markMissing = (name: string) => missingCounts.set(name, (missingCounts.get(name) ?? 0) + 1);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const base = r * stride;
    for (let i = 0; i < plan.length; i++) {
      const step = plan[i]!;
      const raw = valueFor(step, row, i);
      const c = base + start[i]!;
      if (step.numeric) {
        let x = numericValue(raw);
        if (!Number.isFinite(x)) {
          markMissing(step.name);
          x = step.fill;
        }
        data[c] = (x - step.mean) / step.scale;
        continue;
      }
      let category = raw === null || raw === undefined || raw === "" ? undefined : String(raw);
      if (category === undefined) {
        markMissing(step.name);
        category = step.fill;
      }
      const index = category === undefined ? undefined : step.index.get(category);
      data[c + (index === undefined ? step.unseen : index)] = 1;
    }
  }
  return missingCounts;
}

// ---------------------------------------------------------------------------------------------
// Batches whose rows share most columns

/**
 * An encoder for batches of rows that agree on every column but `varying` (one customer's row per
 * candidate action): every part of an input that reads none of the varying columns (the value by name
 * of an input without a formula, and each such sub-expression of a formula) is computed once per batch
 * from the shared row,
 * so a row costs only what really differs. The values are exactly `encodeInputs`' (same compiled
 * functions, evaluated on a row that agrees on those columns).
 */
export interface SharedRowEncoder {
  /**
   * Writes the encoding of `rows` into `data`: row r at r * stride, input i's columns from start[i]
   * (one-hot columns zero beforehand). Returns the missing counts per input name.
   */
  encodeInto(
    shared: RawRow,
    rows: readonly RawRow[],
    data: Float32Array,
    stride: number,
    start: Int32Array,
  ): Map<string, number>;
}

const readsAny = (n: Node, varying: ReadonlySet<string>): boolean =>
  n.kind === "ref" ? varying.has(n.name) : n.kind === "call" && n.args.some((a) => readsAny(a, varying));

export function sharedRowEncoder(
  meta: Pick<ModelMetadata, "inputs" | "inputWidth">,
  varying: ReadonlySet<string>,
): SharedRowEncoder {
  const plan = planFor(meta.inputs);
  // Slots filled from the shared row at the start of each (synchronous) encode.
  const once: Formula[] = [];
  const slots: RawValue[] = [];
  const fold = (n: Node): Formula => {
    if (n.kind === "lit" || !readsAny(n, varying)) {
      if (n.kind === "lit") return compileNode(n);
      const k = once.length;
      once.push(compileNode(n));
      return () => slots[k];
    }
    return compileNode(n, fold);
  };
  const formulas = meta.inputs.map((input) => {
    const text = inputFormula(input);
    return text === undefined ? undefined : fold(parsed(text).node);
  });
  // The value by name of an input without a formula is shared unless its name is a varying column.
  const ownShared = plan.map((step, i) => formulas[i] === undefined && !varying.has(step.name));
  const own: RawValue[] = new Array(plan.length);
  return {
    encodeInto(shared, rows, data, stride, start) {
      for (let k = 0; k < once.length; k++) slots[k] = once[k]!(shared);
      for (let i = 0; i < plan.length; i++) if (ownShared[i]) own[i] = lookup(shared, plan[i]!.name);
      return encodeInto(
        plan,
        rows,
        (step, row, i) => {
          const formula = formulas[i];
          if (formula !== undefined) return formula(row);
          return ownShared[i] ? own[i] : lookup(row, step.name);
        },
        data,
        stride,
        start,
      );
    },
  };
}
