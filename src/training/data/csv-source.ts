/**
 * Loads a CSV into a labelled table with danfojs-node. Parsing is typed on purpose: danfo's own
 * inference reads Telco's TotalCharges as numbers *and* blanks, so every value is read as text and
 * each column is typed here: numeric when forced or when every non-blank value is a number,
 * categorical otherwise. Blank numbers become missing (filled at encoding); nothing is dropped.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import * as dfd from "danfojs-node";
import { formulaColumns } from "../../scoring/encode-inputs.js";
import { columnNames, type Table, type TrainingSet } from "../table.js";
import { type CsvConfig, CsvInputError } from "./csv-config.js";
import { addDerivedColumns, formulaMap, specFormula } from "./derived-columns.js";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function text(v: unknown): string {
  return v === null || v === undefined ? "" : String(v).trim();
}

async function readFrame(path: string, sep: string): Promise<dfd.DataFrame> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new CsvInputError(`CSV file ${path} does not exist`);
  }
  if (size === 0 || readFileSync(path, "utf8").trim() === "")
    throw new CsvInputError(`CSV file ${path} is empty`);
  let df: dfd.DataFrame;
  try {
    df = (await dfd.readCSV(path, {
      delimiter: sep,
      dynamicTyping: false,
      skipEmptyLines: "greedy",
    } as never)) as dfd.DataFrame;
  } catch (e) {
    // danfo says "No data found in CSV file" for a file with a header and nothing else.
    const message = (e as Error).message;
    if (/no data/i.test(message)) throw new CsvInputError(`CSV file ${path} has a header but no data rows`);
    // An unclosed quote swallows the rest of the file, so papaparse also reports a field count.
    if (/quoted field unterminated/i.test(message)) throw new CsvInputError(unclosedQuoteError(path));
    if (/too (few|many) fields/i.test(message)) throw new CsvInputError(await fieldCountError(path, sep));
    throw new CsvInputError(`cannot parse CSV file ${path}: ${message}`);
  }
  if (df.shape[0] === 0) throw new CsvInputError(`CSV file ${path} has a header but no data rows`);
  if (df.columns.length < 2) {
    throw new CsvInputError(
      `CSV file ${path} has only one column (${df.columns[0]}): is the separator "${sep}" right? (--sep)`,
    );
  }
  return df;
}

/**
 * danfo reports "Too few fields" without the row, so the file is read again as plain records (the
 * same parser and options, no header) to find the first row whose width differs from the header's.
 * Rows count records with the header as row 1, as every other CSV error here does.
 */
async function fieldCountError(path: string, sep: string): Promise<string> {
  const df = (await dfd.readCSV(path, {
    delimiter: sep,
    dynamicTyping: false,
    skipEmptyLines: "greedy",
    header: false,
  } as never)) as dfd.DataFrame;
  const records = df.values as unknown[][];
  const width = records[0]!.length;
  const bad = records.findIndex((r) => r.length !== width);
  return bad < 0
    ? `CSV file ${path}: a row's field count differs from the header's`
    : `CSV file ${path}: row ${bad + 1} has ${records[bad]!.length} fields, but the header has ${width} (is the separator "${sep}" right?)`;
}

/** The line of the quote that never closes (papaparse does not say); a doubled "" stays inside. */
function unclosedQuoteError(path: string): string {
  const text = readFileSync(path, "utf8");
  let line = 1;
  let opened = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') {
      quoted = !quoted;
      if (quoted) opened = line;
    } else if (ch === "\n") line++;
  }
  return `CSV file ${path}: the quote opened on line ${opened} is never closed (a field starting with " must end with ")`;
}

function valuesFound(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([v, n]) => `"${v}" (${n})`)
    .join(", ");
}

export async function loadCsv(config: CsvConfig & { csv: string }): Promise<TrainingSet> {
  const df = await readFrame(config.csv, config.sep);
  const columns = df.columns;
  const raw = new Map<string, string[]>(
    columns.map((c) => [c, (df.column(c).values as unknown[]).map(text)]),
  );
  const target = raw.get(config.target);
  if (!target) {
    throw new CsvInputError(
      `target column "${config.target}" is not in ${config.csv}; its columns are: ${columns.join(", ")}`,
    );
  }
  const blank = target.indexOf("");
  if (blank >= 0) {
    throw new CsvInputError(
      `row ${blank + 2}: the target column "${config.target}" is blank; give it a value or remove the row`,
    );
  }
  const positive = text(config.positive);
  const labels = Uint8Array.from(target, (v) => (v === positive ? 1 : 0));
  if (!labels.includes(1)) {
    throw new CsvInputError(
      `no row of ${config.target} has the positive value "${positive}"; values found: ${valuesFound(target)}`,
    );
  }
  if (!labels.includes(0))
    throw new CsvInputError(`every row of ${config.target} is "${positive}": nothing to learn`);
  for (const name of [
    ...config.drop,
    ...config.categorical,
    ...config.numeric,
    ...Object.keys(config.fill),
  ]) {
    if (!raw.has(name) && !config.derive.includes(name)) {
      throw new CsvInputError(
        `column "${name}" (named in the options) is not in ${config.csv}; its columns are: ${columns.join(", ")}`,
      );
    }
  }
  for (const d of config.derive) {
    for (const c of formulaColumns(specFormula(d))) {
      if (!raw.has(c)) {
        throw new CsvInputError(
          `--derive "${specFormula(d)}" reads column "${c}", which is not in ${config.csv}; its columns are: ${columns.join(", ")}`,
        );
      }
      if (c === config.target)
        throw new CsvInputError(
          `--derive "${specFormula(d)}" reads the target column "${c}": that would put the label in the inputs`,
        );
    }
  }
  const numeric = new Map<string, Float64Array>();
  const categorical = new Map<string, (string | null)[]>();
  const excluded = new Set([config.target, ...config.drop, ...(config.time ? [config.time] : [])]);
  for (const [name, values] of raw) {
    const isNumeric =
      config.numeric.includes(name) ||
      (!config.categorical.includes(name) && values.every((v) => v === "" || NUMBER.test(v)));
    if (isNumeric)
      numeric.set(
        name,
        Float64Array.from(values, (v) => (v === "" ? Number.NaN : Number(v))),
      );
    else
      categorical.set(
        name,
        values.map((v) => (v === "" ? null : v)),
      );
  }
  const all: Table = { length: labels.length, numeric, categorical };
  // A dropped column that a formula reads stays in the table, though not as an input: the encoder
  // computes formulas from the row's raw columns, in training as at serving.
  const read = new Set(config.derive.flatMap((d) => formulaColumns(specFormula(d))));
  const sources = [...excluded].filter((c) => read.has(c) && raw.has(c));
  const table = addDerivedColumns(
    inputsOnly(all, new Set([...excluded].filter((c) => !sources.includes(c)))),
    config.derive,
  );
  const inputs = columnNames(table).filter((c) => !sources.includes(c));
  if (inputs.length === 0) {
    throw new CsvInputError(
      `no input column is left: the target, --drop${config.time ? ", --time" : ""} and the formulas' sources take every column of ${config.csv} (${columns.join(", ")})`,
    );
  }
  return {
    table,
    ...(sources.length > 0 ? { inputs } : {}),
    labels,
    ...(config.time ? { times: parseTimes(raw.get(config.time), config.time) } : {}),
    fills: checkedFills(config.fill, table),
    ...(config.derive.length > 0 ? { formulas: formulaMap(config.derive) } : {}),
    info: {
      source: `csv:${config.csv}`,
      dataHash: createHash("sha256").update(readFileSync(config.csv)).digest("hex"),
      target: config.target,
      positiveValue: config.positive,
    },
  };
}

/**
 * Fills as the encoder wants them: a number for a numeric column (a config's "0" is 0), text for a
 * categorical one. A blank fill, or text that is no number for a numeric column, is refused here
 * rather than failing inside preprocessing.
 */
function checkedFills(
  fill: Readonly<Record<string, number | string>>,
  table: Table,
): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(fill)) {
    const given = String(value).trim();
    if (given === "")
      throw new CsvInputError(
        `fill for column "${name}" is blank: give a value (--fill or "fill" in the config)`,
      );
    if (table.numeric.has(name)) {
      if (typeof value !== "number" && !NUMBER.test(given))
        throw new CsvInputError(
          `fill for column "${name}" is "${value}", but ${name} is numeric: give a number (--fill or "fill" in the config)`,
        );
      out[name] = Number(value);
    } else {
      out[name] = table.categorical.has(name) ? given : value;
    }
  }
  return out;
}

function inputsOnly(table: Table, excluded: ReadonlySet<string>): Table {
  const keep = <V>(m: ReadonlyMap<string, V>) => new Map([...m].filter(([k]) => !excluded.has(k)));
  return { length: table.length, numeric: keep(table.numeric), categorical: keep(table.categorical) };
}

function parseTimes(values: readonly string[] | undefined, column: string): Float64Array {
  if (!values) throw new CsvInputError(`time column "${column}" is not in the CSV`);
  return Float64Array.from(values, (v, i) => {
    const t = NUMBER.test(v) ? Number(v) : Date.parse(v);
    if (!Number.isFinite(t))
      throw new CsvInputError(`time column "${column}" row ${i + 2}: "${v}" is not a date or epoch ms`);
    return t;
  });
}
