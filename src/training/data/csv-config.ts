/**
 * How to read a CSV for training, from flags or a small JSON file (`--config`), validated with zod.
 * Flags given on the command line win over the file, so one config can be re-run with tweaks.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";

export const csvConfigSchema = z.strictObject({
  /** Path of the CSV; relative paths in a config file are relative to that file. */
  csv: z.string().min(1).optional(),
  target: z.string().min(1, "target must name a column"),
  /** The target value that counts as positive (compared as text, trimmed). */
  positive: z.union([z.string(), z.number(), z.boolean()]),
  sep: z.string().length(1, "sep must be one character").default(","),
  /** Columns that are not model inputs (ids, leaks). Derived columns may still read them. */
  drop: z.array(z.string()).default([]),
  /** Force these columns to be one-hot encoded (e.g. codes that look numeric). */
  categorical: z.array(z.string()).default([]),
  /** Force these columns to be numeric (blank or unparsable values become missing). */
  numeric: z.array(z.string()).default([]),
  /** Fill value for missing values, per column (raw units); others get the training mean. */
  fill: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
  /** Extra inputs computed by formula, e.g. `log1p(TotalCharges)`; see derived-columns.ts. */
  derive: z.array(z.string()).default([]),
  /** Column holding each row's time (ISO or epoch ms), needed for `--split time`. */
  time: z.string().optional(),
});

export type CsvConfig = z.output<typeof csvConfigSchema>;
export type CsvConfigInput = z.input<typeof csvConfigSchema>;

/** Thrown for every problem with the CSV or its description; the message is meant for the user. */
export class CsvInputError extends Error {}

function formatIssues(error: z.ZodError, where: string): string {
  return error.issues.map((i) => `${where}: ${i.path.join(".") || "(config)"} ${i.message}`).join("\n");
}

/** Reads a JSON config file; `csv` inside it is resolved against the file's folder. */
export function readCsvConfigFile(path: string): Partial<CsvConfigInput> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new CsvInputError(`cannot read config ${path}: ${(e as Error).message}`);
  }
  const parsed = csvConfigSchema.partial().safeParse(raw);
  if (!parsed.success) throw new CsvInputError(formatIssues(parsed.error, path));
  const config = parsed.data;
  return config.csv ? { ...config, csv: resolve(dirname(path), config.csv) } : config;
}

/** Merges file and flags (flags win) and validates the result. */
export function resolveCsvConfig(
  file: Partial<CsvConfigInput>,
  flags: Partial<CsvConfigInput>,
): CsvConfig & { csv: string } {
  const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const parsed = csvConfigSchema.safeParse({ ...file, ...defined });
  if (!parsed.success) throw new CsvInputError(formatIssues(parsed.error, "csv options"));
  if (!parsed.data.csv) throw new CsvInputError("no CSV file: pass --csv FILE (or csv in --config)");
  return { ...parsed.data, csv: parsed.data.csv };
}
