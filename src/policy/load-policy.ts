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

function parseYaml(text: string): ParseResult {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? `line ${pos.line}, column ${pos.col}` : "unknown position";
        return {
          field: "(syntax)",
          reason: `${where}: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`,
        };
      }),
    };
  }
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
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
  const parsed = policySchema.safeParse(raw);
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
