/** Command-line arguments of scripts/export-decisions.ts, parsed and checked with messages a user can act on. */
import { parseArgs } from "node:util";

export const EXPORT_USAGE = `Usage: npm run decisions:export -- [--out FILE] [--since ISO] [--until ISO] [--limit N]

Writes every logged decision with its joined rewards as JSON lines (one decision per line) to
stdout, or to FILE with --out. Reads the Redis at REDIS_URL under REDIS_KEY_PREFIX (default nba:v1).

  --out FILE     write to FILE instead of stdout
  --since ISO    only decisions logged at or after this time, e.g. 2026-06-01 or 2026-06-01T12:00:00Z
  --until ISO    only decisions logged at or before this time
  --limit N      at most N decisions
  --help         this text`;

export interface ExportArgs {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly out?: string;
  readonly since?: number;
  readonly until?: number;
  readonly limit?: number;
}

export type ParsedExportArgs =
  | { readonly kind: "help" }
  | { readonly kind: "error"; readonly message: string }
  | { readonly kind: "run"; readonly args: ExportArgs };

function time(value: string | undefined, flag: string): number | string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms)
    ? `${flag} ${JSON.stringify(value)} is not a date; use ISO 8601, e.g. 2026-06-01T12:00:00Z`
    : ms;
}

export function parseExportArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedExportArgs {
  let values: { out?: string; since?: string; until?: string; limit?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        out: { type: "string" },
        since: { type: "string" },
        until: { type: "string" },
        limit: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return { kind: "error", message: err instanceof Error ? err.message : String(err) };
  }
  if (values.help) return { kind: "help" };
  const redisUrl = env.REDIS_URL;
  if (!redisUrl || !/^rediss?:\/\//.test(redisUrl)) {
    return {
      kind: "error",
      message:
        "set REDIS_URL to the service's Redis (e.g. REDIS_URL=redis://127.0.0.1:6379); the embedded in-memory store keeps no log another process can read",
    };
  }
  const since = time(values.since, "--since");
  const until = time(values.until, "--until");
  if (typeof since === "string") return { kind: "error", message: since };
  if (typeof until === "string") return { kind: "error", message: until };
  let limit: number | undefined;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) {
      return {
        kind: "error",
        message: `--limit ${JSON.stringify(values.limit)} must be a whole number of at least 1`,
      };
    }
  }
  if (values.out === "") return { kind: "error", message: "--out needs a file name" };
  return {
    kind: "run",
    args: {
      redisUrl,
      keyPrefix: env.REDIS_KEY_PREFIX || "nba:v1",
      ...(values.out === undefined ? {} : { out: values.out }),
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
      ...(limit === undefined ? {} : { limit }),
    },
  };
}
