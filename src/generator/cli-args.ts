/**
 * Command-line arguments of scripts/generate-data.ts, validated with zod so every mistake is reported
 * as one readable line naming the flag, rather than as a stack trace halfway through a long run.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { DAY_MS } from "../features/windows.js";
import { DEFAULT_END } from "./dataset.js";

export const USAGE = `Usage: npm run data:generate -- --customers N --out DIR [--days D] [--seed S] [--end ISO]

Generates a seeded synthetic bank customer-journey dataset (see docs/generator.md).

  --customers N   number of customers, 1..2000000 (required)
  --out DIR       output directory, created if missing (required)
  --days D        length of the window in days, 1..3650 (default 90)
  --seed S        random seed, integer 0..4294967295 (default 1)
  --end ISO       end of the window (exclusive), ISO-8601 with a zone (default 2026-01-01T00:00:00Z)
  --help          print this help`;

const wholeNumber = (flag: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${flag} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `${flag} must be at least ${min}`).max(max, `${flag} must be at most ${max}`));

const argsSchema = z
  .object({
    customers: wholeNumber("--customers", 1, 2_000_000),
    days: wholeNumber("--days", 1, 3650).default(90),
    seed: wholeNumber("--seed", 0, 0xffffffff).default(1),
    out: z.string().min(1, "--out must not be empty"),
    end: z.iso
      .datetime({
        offset: true,
        message: "--end must be an ISO-8601 date-time with a zone, e.g. 2026-01-01T00:00:00Z",
      })
      .transform((s) => Date.parse(s))
      .default(DEFAULT_END),
  })
  .refine((a) => a.end - a.days * DAY_MS >= 0, {
    message: "--end minus --days must not be before 1970",
    path: ["end"],
  });

export interface CliArgs {
  readonly customers: number;
  readonly days: number;
  readonly seed: number;
  readonly out: string;
  /** Epoch ms. */
  readonly end: number;
}

export type ParsedCli =
  | { kind: "run"; args: CliArgs }
  | { kind: "help" }
  | { kind: "error"; message: string };

/** Parses `argv` (without node and script). Never throws: errors come back as one line of text. */
export function parseCliArgs(argv: readonly string[]): ParsedCli {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        customers: { type: "string" },
        days: { type: "string" },
        seed: { type: "string" },
        out: { type: "string" },
        end: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    // node:util's messages are clear but multi-sentence; keep the first sentence on one line.
    return {
      kind: "error",
      message: String((error as Error).message)
        .split("\n")[0]!
        .replace(/\. To specify.*$/, ""),
    };
  }
  if (values.help) return { kind: "help" };
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = `--${String(issue.path[0] ?? "")}`;
    const given = values[String(issue.path[0])];
    if (given === undefined) return { kind: "error", message: `${flag} is required` };
    return { kind: "error", message: `${issue.message} (got ${JSON.stringify(given)})` };
  }
  return { kind: "run", args: parsed.data };
}
