/**
 * Reads a decision log line by line: the service's JSONL export, a generic JSONL log or a generic CSV
 * log (header row first). Every row is validated on its own; a malformed one is reported with its
 * line number and skipped, and the rest are kept. The JSONL flavour is decided by the first object
 * (an export row has `decisionId` and `candidateProbabilities`).
 */

import { describeIssues } from "../errors/describe-issues.js";
import { CsvRecords } from "./csv-records.js";
import { fromExportRow } from "./export-rows.js";
import { csvObject, type GenericParsed, parseGenericObject } from "./generic-rows.js";
import { exportRowSchema, GENERIC_ALIASES } from "./log-schemas.js";
import type { LoadedLog, LogFormat, LoggedDecision, RowIssue } from "./logged-decision.js";
import { OpeInputError } from "./ope-input-error.js";
import { parseJsonLine } from "./parse-json-line.js";
import { readFileLines } from "./read-lines.js";

export interface LogReadOptions {
  /** Default: `csv` for a `.csv` file name, `jsonl` otherwise. */
  readonly format?: "csv" | "jsonl";
}

export class LogReader {
  private flavour: LogFormat | undefined;
  private readonly csv = new CsvRecords();
  private header: string[] | undefined;
  private read = 0;
  private readonly malformed: RowIssue[] = [];
  private readonly skipped: RowIssue[] = [];
  private readonly exported: LoggedDecision[] = [];
  private readonly generic: GenericParsed[] = [];
  /** Line of each decision id seen so far. */
  private readonly ids = new Map<string, number>();

  constructor(private readonly input: "csv" | "jsonl") {
    if (input === "csv") this.flavour = "csv";
  }

  /** Feeds one physical line (1-based `line`). */
  push(text: string, line: number): void {
    if (this.input === "csv") {
      const record = this.csv.push(text, line);
      if (record) this.csvRecord(record.fields, record.line);
      return;
    }
    if (text.trim() === "") return;
    this.read++;
    const parsed = parseJsonLine(text, line);
    if (parsed.ok) this.pushObject(parsed.value, line);
    else this.malformed.push(parsed.issue);
  }

  /** Feeds one already parsed row (e.g. an `ExportedDecision` the service holds in memory). */
  pushObject(value: unknown, line: number): void {
    if (this.input === "csv") throw new Error("pushObject needs a JSONL reader");
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.malformed.push({ line, reason: "not a JSON object" });
      return;
    }
    if (this.flavour === "decision-export") this.exportObject(value, line);
    else if (this.flavour === "jsonl") this.genericObject(value as Record<string, unknown>, line);
    // The log's kind is decided by its first row that is one kind or the other: a malformed first row
    // must not make every good row after it malformed too. A decision record without its
    // probabilities is still one: read as a generic row, it would be refused for the wrong reason.
    else if (
      "decisionId" in value &&
      ("candidateProbabilities" in value || ("chosen" in value && "banditContext" in value))
    ) {
      this.flavour = "decision-export";
      this.exportObject(value, line);
    } else {
      const outcome = parseGenericObject(value as Record<string, unknown>, line);
      if (!outcome.ok) {
        this.malformed.push({ line, reason: outcome.reason });
        return;
      }
      this.flavour = "jsonl";
      if (outcome.row.id !== undefined) this.ids.set(outcome.row.id, line);
      this.generic.push(outcome.row);
    }
  }

  private exportObject(value: object, line: number): void {
    const parsed = exportRowSchema.safeParse(value);
    if (!parsed.success) {
      this.malformed.push({ line, reason: describeIssues(parsed.error) });
      return;
    }
    const outcome = fromExportRow(parsed.data, line);
    if (!outcome.ok) {
      (outcome.kind === "malformed" ? this.malformed : this.skipped).push({
        line,
        reason: outcome.reason,
        ...(outcome.category ? { category: outcome.category } : {}),
      });
      return;
    }
    const dim = this.exported[0]?.x.length;
    if (dim !== undefined && outcome.row.x.length !== dim) {
      this.malformed.push({
        line,
        reason: `banditContext has ${outcome.row.x.length} numbers, earlier rows have ${dim} (another context schema)`,
      });
      return;
    }
    if (this.repeated(outcome.row.id, line)) return;
    this.exported.push(outcome.row);
  }

  /**
   * A decision logged twice (overlapping exports concatenated) would count twice in every estimate
   * and take the target probabilities of its first line: the repeat is refused.
   */
  private repeated(id: string, line: number): boolean {
    const first = this.ids.get(id);
    if (first === undefined) {
      this.ids.set(id, line);
      return false;
    }
    this.malformed.push({
      line,
      reason: `decision ${id} is already at line ${first} (overlapping exports concatenated?)`,
    });
    return true;
  }

  private genericObject(value: Record<string, unknown>, line: number): void {
    const outcome = parseGenericObject(value, line);
    if (!outcome.ok) this.malformed.push({ line, reason: outcome.reason });
    else if (outcome.row.id === undefined || !this.repeated(outcome.row.id, line))
      this.generic.push(outcome.row);
  }

  private csvRecord(fields: string[], line: number): void {
    if (!this.header) {
      const header = fields.map((f) => f.trim());
      const missing = ["action", "propensity", "reward"].filter(
        (f) => !header.some((h) => GENERIC_ALIASES[h] === f),
      );
      // A JSONL log read as CSV (--format csv, or a .csv name) splits its first object at every comma.
      if (header[0]?.startsWith("{"))
        throw new OpeInputError(
          `line ${line} is a JSON object, not a CSV header: read the log as JSONL (--format jsonl)`,
        );
      const found = header.length > 12 ? [...header.slice(0, 12), "..."] : header;
      if (missing.length > 0)
        throw new OpeInputError(
          `the CSV header (line ${line}) needs the columns ${missing.join(", ")}; found ${found.join(", ") || "nothing"}`,
        );
      const seen = new Set<string>();
      for (const h of header) {
        if (seen.has(h)) throw new OpeInputError(`the CSV header names column ${JSON.stringify(h)} twice`);
        seen.add(h);
      }
      this.header = header;
      return;
    }
    if (fields.length === 1 && fields[0]!.trim() === "") return;
    this.read++;
    if (fields.length !== this.header.length) {
      this.malformed.push({
        line,
        reason: `has ${fields.length} fields, the header has ${this.header.length}`,
      });
      return;
    }
    this.genericObject(csvObject(this.header, fields), line);
  }

  finish(): LoadedLog {
    const open = this.csv.unterminated();
    if (open !== undefined) {
      this.read++;
      this.malformed.push({ line: open, reason: "a quoted field is never closed" });
    }
    if (this.flavour === "decision-export") {
      const dim = this.exported[0]?.x.length ?? 0;
      return {
        format: "decision-export",
        rows: this.exported,
        featureNames: Array.from({ length: dim }, (_, i) => `banditContext[${i}]`),
        read: this.read,
        malformed: this.malformed,
        skipped: this.skipped,
      };
    }
    return {
      format: this.flavour ?? "jsonl",
      ...completeGeneric(this.generic),
      read: this.read,
      malformed: this.malformed,
      skipped: this.skipped,
    };
  }
}

/** Feature vectors in first-seen name order; rows without candidates take every action of the log. */
function completeGeneric(parsed: readonly GenericParsed[]): {
  rows: LoggedDecision[];
  featureNames: string[];
} {
  const names = new Map<string, number>();
  const actions = new Set<string>();
  for (const r of parsed) {
    for (const name of r.features.keys()) if (!names.has(name)) names.set(name, names.size);
    actions.add(r.action);
    for (const a of r.candidates ?? []) actions.add(a);
  }
  const all = [...actions];
  const rows = parsed.map((r): LoggedDecision => {
    const x = new Float64Array(names.size);
    for (const [name, v] of r.features) x[names.get(name)!] = v;
    const candidates = r.candidates ?? all;
    const priors = r.priors;
    return {
      line: r.line,
      id: r.id ?? `line:${r.line}`,
      x,
      candidates,
      action: candidates.indexOf(r.action),
      propensity: r.propensity,
      reward: r.reward,
      ...(r.logging
        ? { loggingProbabilities: Float64Array.from(candidates, (a) => r.logging![a] ?? 0) }
        : {}),
      ...(priors && candidates.every((a) => priors[a] !== undefined)
        ? { priors: Float64Array.from(candidates, (a) => priors[a]!) }
        : {}),
    };
  });
  return { rows, featureNames: [...names.keys()] };
}

function inputFormat(fileName: string | undefined, options: LogReadOptions): "csv" | "jsonl" {
  return options.format ?? (fileName?.toLowerCase().endsWith(".csv") ? "csv" : "jsonl");
}

/** Parses a whole log held in memory. */
export function parseLog(text: string, options: LogReadOptions & { fileName?: string } = {}): LoadedLog {
  const reader = new LogReader(inputFormat(options.fileName, options));
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines.forEach((l, i) => {
    reader.push(l.endsWith("\r") ? l.slice(0, -1) : l, i + 1);
  });
  return reader.finish();
}

/** Rows already in memory: the service's exported decisions, or generic row objects (line = position). */
export function loadDecisions(rows: Iterable<unknown>): LoadedLog {
  const reader = new LogReader("jsonl");
  let line = 0;
  for (const row of rows) reader.pushObject(row, ++line);
  return reader.finish();
}

/** Streams a log file line by line. Throws `OpeInputError` when the file cannot be read. */
export async function readLogFile(path: string, options: LogReadOptions = {}): Promise<LoadedLog> {
  const reader = new LogReader(inputFormat(path, options));
  await readFileLines(path, "log", (text, line) => reader.push(text, line));
  return reader.finish();
}
