/**
 * The model registry from the command line: `npm run models -- list | promote NAME VERSION |
 * rollback NAME | validate NAME VERSION`. Promotion and rollback validate the version fully first
 * (metadata, ONNX load, input/output shapes, a probe batch), then write models/registry.json
 * atomically; running services notice the file and swap the model in.
 */
import { existsSync } from "node:fs";
import { userInfo } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { AppError } from "../src/errors/app-error.js";
import { ModelNotFoundError } from "../src/errors/model-not-found-error.js";
import { MODEL_NAME_PATTERN, MODEL_VERSION_PATTERN } from "../src/scoring/model-ids.js";
import { type ModelEntry, ModelRegistry, type PromotionResult } from "../src/scoring/model-registry.js";

export const USAGE = `Usage: npm run models -- <command> [options]

Commands:
  list                    every model version, each validated fully: kind, created, roc_auc, brier,
                          status; * marks the promoted one
  promote NAME VERSION    validate VERSION fully and promote it (a unique prefix of VERSION will do)
  rollback NAME           validate the previously promoted version and return to it
  validate NAME VERSION   validate VERSION fully without promoting it

Options:
  --dir DIR    the models folder (default: $MODELS_DIR or models)
  --by WHO     who to record in the promotion history (default: cli:<user>)
  -h, --help   this text

Exit codes: 0 done, 1 refused (invalid model, unknown name or version, nothing to roll back to), 2 usage.`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

class UsageError extends Error {}

const ARITY: Record<string, number> = { list: 0, promote: 2, rollback: 1, validate: 2 };

function formatMetric(value: number | undefined): string {
  return value === undefined ? "-" : value.toFixed(4);
}

/** The `list` table: one line per version, promoted ones marked with `*`. */
export function formatList(entries: readonly ModelEntry[]): string[] {
  const rows = [["", "NAME", "VERSION", "KIND", "CREATED", "ROC_AUC", "BRIER", "STATUS"]];
  for (const entry of entries) {
    if (entry.versions.length === 0) rows.push(["", entry.name, "-", "-", "-", "-", "-", "no versions"]);
    for (const v of entry.versions) {
      const mark = v.promoted ? "*" : "";
      if (!v.valid) {
        const first = v.problems[0];
        const more = v.problems.length > 1 ? ` (+${v.problems.length - 1} more)` : "";
        const status = `invalid: ${first ? `${first.file}: ${first.problem}` : "?"}${more}`;
        rows.push([mark, entry.name, v.version, "-", "-", "-", "-", status]);
        continue;
      }
      const { kind, training, metrics } = v.metadata;
      rows.push([
        mark,
        entry.name,
        v.version,
        kind,
        training.createdAt.slice(0, 19).replace("T", " "),
        formatMetric(metrics.roc_auc ?? metrics.rocAuc),
        formatMetric(metrics.brier),
        v.promoted ? "promoted" : "ok",
      ]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd(),
  );
}

/** Resolves a unique prefix of a version of `name` to the full version (unchanged if none or ambiguous). */
async function resolveVersion(registry: ModelRegistry, name: string, given: string): Promise<string> {
  const entry = (await registry.list()).find((e) => e.name === name);
  const matches = entry?.versions.filter((v) => v.version.startsWith(given)) ?? [];
  if (matches.length > 1 && !matches.some((m) => m.version === given)) {
    throw new UsageError(
      `version prefix "${given}" matches ${matches.length} versions of ${name}; give more of it`,
    );
  }
  // A prefix matching nothing would otherwise reach the registry as a malformed full version.
  if (matches.length === 0 && !MODEL_VERSION_PATTERN.test(given) && MODEL_NAME_PATTERN.test(name)) {
    throw new ModelNotFoundError(
      entry
        ? `No version of ${name} starts with "${given}" in ${registry.dir}; npm run models -- list shows the versions`
        : `No model named "${name}" in ${registry.dir}`,
    );
  }
  return matches.length === 1 ? matches[0]!.version : given;
}

function describeChange(p: PromotionResult): string {
  if (!p.changed) return `${p.name} ${p.version} is already promoted; nothing changed`;
  const verb = p.action === "rollback" ? "rolled back" : "promoted";
  return `${verb} ${p.name} to ${p.version}${p.previous ? ` (was ${p.previous})` : ""}; running services swap it in from registry.json`;
}

const OPTIONS = {
  dir: { type: "string" },
  by: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Runs the CLI over `argv` (without node and the script); returns the exit code. */
export async function runModelsCli(argv: readonly string[], io: CliIo, env = process.env): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const [command, ...args] = positionals;
    if (command === undefined)
      throw new UsageError("a command is required: list, promote, rollback or validate");
    const arity = ARITY[command];
    if (arity === undefined) throw new UsageError(`unknown command "${command}"`);
    if (args.length !== arity) {
      throw new UsageError(
        `${command} takes ${arity === 0 ? "no arguments" : `${arity} argument(s)`}, got ${args.length}`,
      );
    }
    const registry = new ModelRegistry(values.dir ?? env.MODELS_DIR ?? "models");
    const by = values.by ?? `cli:${safeUser()}`;
    const [name = "", given = ""] = args;
    switch (command) {
      case "list": {
        const entries = await registry.list({ deep: true });
        if (entries.length === 0) {
          // A mistyped --dir is not an empty registry: say so, and fail, so a script notices.
          if (!existsSync(registry.dir)) {
            io.err(`models: ${registry.dir} does not exist (set --dir or MODELS_DIR to the models folder)`);
            return 1;
          }
          io.out(`no models in ${registry.dir}`);
        } else for (const line of formatList(entries)) io.out(line);
        return 0;
      }
      case "validate": {
        const version = await resolveVersion(registry, name, given);
        const meta = await registry.validate(name, version);
        io.out(
          `${name} ${version} is valid: ${meta.kind}, ${meta.inputs.length} inputs, width ${meta.inputWidth}`,
        );
        return 0;
      }
      case "promote":
        io.out(describeChange(await registry.promote(name, await resolveVersion(registry, name, given), by)));
        return 0;
      default:
        io.out(describeChange(await registry.rollback(name, by)));
        return 0;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`models: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`models: ${err instanceof AppError ? err.message : `failed: ${(err as Error).message}`}`);
    return 1;
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
  process.exitCode = await runModelsCli(process.argv.slice(2), io);
}
