/**
 * Turns validation findings into problems a product owner can act on: a readable path
 * (`actions[3].channels[1]`), what is wrong and what was expected. Also formats them for a terminal.
 */
import type { z } from "zod";
import type { FieldProblem } from "../errors/app-error.js";
import { didYouMean } from "./did-you-mean.js";

export type { FieldProblem };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `["actions", 3, "channels", 1]` -> `actions[3].channels[1]`; odd keys are quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && IDENTIFIER.test(key)) out += out === "" ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || "(document)";
}

interface ZodDef {
  type: string;
  shape?: Record<string, { _zod: { def: ZodDef } }>;
  element?: { _zod: { def: ZodDef } };
  valueType?: { _zod: { def: ZodDef } };
  innerType?: { _zod: { def: ZodDef } };
  out?: { _zod: { def: ZodDef } };
}

/** The field names the schema accepts at `path`, found by walking the schema's definitions. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let def = (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
  const unwrap = (d: ZodDef): ZodDef => {
    const inner = d.innerType ?? (d.type === "pipe" ? d.out : undefined);
    return inner ? unwrap(inner._zod.def) : d;
  };
  for (const key of path) {
    def = unwrap(def);
    const next =
      def.type === "object"
        ? def.shape?.[String(key)]
        : def.type === "array"
          ? def.element
          : def.type === "record"
            ? def.valueType
            : undefined;
    if (!next) return [];
    def = next._zod.def;
  }
  def = unwrap(def);
  return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

// Zod's type names in the words of a YAML author: "array" means nothing to someone who writes `[web, app]`.
const KINDS: Readonly<Record<string, string>> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "true or false",
  array: "a list",
  object: "a set of fields",
  record: "a set of fields",
};

/** What the author wrote, short: the value itself for a scalar, its kind for a list or an object. */
function describeInput(input: unknown): string {
  if (Array.isArray(input)) return "a list";
  if (input === null) return "nothing (null)";
  if (typeof input === "object") return "a set of fields";
  const text = typeof input === "string" ? JSON.stringify(input) : String(input);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function reasonOf(issue: z.ZodError["issues"][number]): string {
  const message = issue.message.replace(/^(Invalid input|Too small|Too big|Invalid option): /, "");
  // Only zod's own wording is rewritten; a schema's custom message already speaks to the author.
  const defaultType = /^Invalid input: expected (\w+), received (\w+)$/.exec(issue.message);
  if (issue.code === "invalid_type" && defaultType) {
    const expected = KINDS[issue.expected] ?? issue.expected;
    if (defaultType[2] === "undefined") return `is required (expected ${expected})`;
    return "input" in issue
      ? `expected ${expected}, got ${describeInput(issue.input)}`
      : `expected ${expected}`;
  }
  if (issue.code === "invalid_key") {
    const inner = issue.issues.map((i) => i.message).join("; ");
    return `the name ${JSON.stringify(String(issue.path.at(-1)))} ${inner}`;
  }
  return message;
}

/** One problem per zod issue (one per unknown field), paths formatted, messages made specific. */
export function problemsFromZod(error: z.ZodError, schema: z.ZodType): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(schema, issue.path);
      for (const key of issue.keys) {
        const expected = known.length > 0 ? ` (expected one of: ${known.join(", ")})` : "";
        problems.push({
          field: formatPath([...issue.path, key]),
          reason: `is not a known field${didYouMean(key, known)}${expected}`,
        });
      }
      continue;
    }
    problems.push({ field: formatPath(issue.path), reason: reasonOf(issue) });
  }
  return problems;
}

/** Problems for a terminal or a log, one per line: `  - actions[3].businessUnit: "card" is not ...`. */
export function describePolicyErrors(problems: readonly FieldProblem[], source = "policy"): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const lines = problems.map((p) => `  - ${p.field}: ${p.reason}`);
  return [`${source} is invalid (${count}):`, ...lines].join("\n");
}
