/**
 * From policy text (YAML or JSON) or a parsed object to a validated, versioned, compiled `Policy`,
 * collecting every problem (syntax with line/column, structure, cross-field references, rules).
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parseDocument } from "yaml";
import type { FieldProblem } from "../errors/app-error.js";
import { ValidationError } from "../errors/validation-error.js";
import { compilePolicy, type Policy } from "./compiled-policy.js";
import { crossCheckPolicy } from "./policy-checks.js";
import { problemsFromZod } from "./policy-problems.js";
import { policySchema } from "./policy-schema.js";
import { policyVersion } from "./policy-version.js";

export type PolicyFormat = "yaml" | "json";

export interface PolicyTextOptions {
  /** Chooses the format by extension (.json, .yaml, .yml) and names the source in messages. */
  readonly fileName?: string;
  /** Overrides detection; without either, text starting with `{` is JSON, anything else YAML. */
  readonly format?: PolicyFormat;
}

export type PolicyResult =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

type ParseResult = { ok: true; value: unknown } | { ok: false; problems: FieldProblem[] };

function formatOf(text: string, options: PolicyTextOptions): PolicyFormat {
  if (options.format) return options.format;
  const ext = options.fileName ? extname(options.fileName).toLowerCase() : "";
  if (ext === ".json") return "json";
  if (ext === ".yaml" || ext === ".yml") return "yaml";
  return text.trimStart().startsWith("{") ? "json" : "yaml";
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

/** YAML errors that mean, in practice, a line indented differently from the lines it belongs with. */
const INDENTATION_ERRORS = new Set([
  "BAD_INDENT",
  "MISSING_CHAR",
  "BLOCK_AS_IMPLICIT_KEY",
  "MULTILINE_IMPLICIT_KEY",
  "TAB_AS_INDENT",
]);

function parseYaml(text: string): ParseResult {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [first, ...rest] = doc.errors;
  if (first === undefined) return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
  // Only the first error: once one line is misread, the parser's later errors are mostly echoes of it
  // (one stray space gave seven), which bury the one line to fix.
  const pos = first.linePos?.[0];
  const where = pos ? `line ${pos.line}, column ${pos.col}` : "unknown position";
  const line = pos ? text.split("\n")[pos.line - 1]?.trimEnd() : undefined;
  const quoted = line ? `, at ${JSON.stringify(line.length > 80 ? `${line.slice(0, 77)}...` : line)}` : "";
  const hint = INDENTATION_ERRORS.has(first.code)
    ? " (YAML reads the structure from indentation: indent this line, or the one above it, with spaces exactly like the fields it belongs with)"
    : first.code === "BAD_SCALAR_START"
      ? ' (put quotes around a value or operator that starts with one of > ! | & * % @ `, e.g. ">=")'
      : "";
  const more =
    rest.length > 0
      ? `; fix it and save again: the ${rest.length} further error(s) after it may all come from it`
      : "";
  const message = first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  return {
    ok: false,
    problems: [{ field: "(syntax)", reason: `${where}: ${message}${quoted}${hint}${more}` }],
  };
}

function parseJson(text: string): ParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /at position (\d+)/.exec(message)?.[1];
    const where = position === undefined ? "" : `${lineColumn(text, Number(position))}: `;
    return {
      ok: false,
      problems: [{ field: "(syntax)", reason: `${where}${message.replace(/\s*\n\s*/g, " ")}` }],
    };
  }
}

/** Parses text into plain data without validating it; syntax errors carry their line and column. */
export function parsePolicyText(text: string, options: PolicyTextOptions = {}): ParseResult {
  return formatOf(text, options) === "json" ? parseJson(text) : parseYaml(text);
}

/** Validates parsed data: structure, references and rules, every problem at once; then compiles it. */
export function validatePolicy(raw: unknown): PolicyResult {
  // With the input in each issue, a wrong type can be reported with the value the author wrote.
  const parsed = policySchema.safeParse(raw, { reportInput: true });
  const problems = [
    ...(parsed.success ? [] : problemsFromZod(parsed.error, policySchema)),
    ...crossCheckPolicy(raw),
  ];
  // Sorted by path (numbers numerically), so each action's problems read together.
  const unique = [...new Map(problems.map((p) => [`${p.field}\u0000${p.reason}`, p])).values()].sort((a, b) =>
    a.field.localeCompare(b.field, "en", { numeric: true }),
  );
  if (unique.length > 0 || !parsed.success) return { ok: false, problems: unique };
  return { ok: true, policy: compilePolicy(parsed.data, policyVersion(parsed.data)) };
}

/** Text (YAML/JSON) or already parsed data -> a policy or every problem found. */
export function tryLoadPolicy(input: unknown, options: PolicyTextOptions = {}): PolicyResult {
  if (typeof input !== "string") return validatePolicy(input);
  const parsed = parsePolicyText(input, options);
  return parsed.ok ? validatePolicy(parsed.value) : parsed;
}

/** Like `tryLoadPolicy`, throwing a ValidationError (400 over HTTP) that lists every problem. */
export function loadPolicy(input: unknown, options: PolicyTextOptions = {}): Policy {
  const result = tryLoadPolicy(input, options);
  if (!result.ok)
    throw new ValidationError(result.problems, options.fileName ? `policy ${options.fileName}` : "policy");
  return result.policy;
}

export async function loadPolicyFile(path: string): Promise<Policy> {
  return loadPolicy(await readFile(path, "utf8"), { fileName: path });
}
