/**
 * The target-probabilities file: JSON lines `{"decisionId" | "id" | "row", "probabilities": {actionId: p}}`,
 * one per logged row, giving the target's probability for every action (an action distribution, as
 * Open Bandit Pipeline takes it). `row` is the 1-based line of the decision in the log file.
 * Malformed lines are reported with their line numbers and skipped.
 */

import { z } from "zod";
import { describeIssues } from "../errors/describe-issues.js";
import type { RowIssue } from "./logged-decision.js";
import { parseJsonLine } from "./parse-json-line.js";
import { readFileLines } from "./read-lines.js";
import type { TargetProbabilities } from "./target.js";

const entrySchema = z
  .object({
    row: z.number().int().min(1).optional(),
    decisionId: z
      .union([z.string().min(1), z.number()])
      .transform(String)
      .optional(),
    id: z
      .union([z.string().min(1), z.number()])
      .transform(String)
      .optional(),
    probabilities: z.record(z.string(), z.number().min(0, "must be 0 or more").finite()),
  })
  .refine((e) => e.row !== undefined || e.decisionId !== undefined || e.id !== undefined, {
    message: "needs decisionId, id or row",
  });

const SUM_TOLERANCE = 1e-6;

export class TargetProbabilitiesReader {
  private readonly byId = new Map<string, Record<string, number>>();
  private readonly byLine = new Map<number, Record<string, number>>();
  private readonly malformed: RowIssue[] = [];
  private normalised = 0;

  push(text: string, line: number): void {
    if (text.trim() === "") return;
    const parsed = parseJsonLine(text, line);
    if (parsed.ok) this.pushObject(parsed.value, line);
    else this.malformed.push(parsed.issue);
  }

  pushObject(value: unknown, line: number): void {
    const parsed = entrySchema.safeParse(value);
    if (!parsed.success) {
      this.malformed.push({ line, reason: describeIssues(parsed.error) });
      return;
    }
    const e = parsed.data;
    const total = Object.values(e.probabilities).reduce((s, p) => s + p, 0);
    if (!(total > 0)) {
      this.malformed.push({ line, reason: "probabilities sum to 0" });
      return;
    }
    let probabilities = e.probabilities;
    if (Math.abs(total - 1) > SUM_TOLERANCE) {
      this.normalised++;
      probabilities = Object.fromEntries(Object.entries(probabilities).map(([a, p]) => [a, p / total]));
    }
    const key = e.decisionId ?? e.id;
    if (key !== undefined) {
      if (this.byId.has(key)) this.malformed.push({ line, reason: `a second entry for ${key}` });
      else this.byId.set(key, probabilities);
    } else if (this.byLine.has(e.row!)) {
      this.malformed.push({ line, reason: `a second entry for row ${e.row}` });
    } else this.byLine.set(e.row!, probabilities);
  }

  finish(): TargetProbabilities {
    return { byId: this.byId, byLine: this.byLine, normalised: this.normalised, malformed: this.malformed };
  }
}

export function parseTargetProbabilities(text: string): TargetProbabilities {
  const reader = new TargetProbabilitiesReader();
  text.split("\n").forEach((l, i) => {
    reader.push(l, i + 1);
  });
  return reader.finish();
}

/** Entries given in code: `{decisionId | id | row, probabilities}` objects. */
export function targetProbabilitiesOf(entries: Iterable<unknown>): TargetProbabilities {
  const reader = new TargetProbabilitiesReader();
  let line = 0;
  for (const e of entries) reader.pushObject(e, ++line);
  return reader.finish();
}

export async function readTargetProbabilities(path: string): Promise<TargetProbabilities> {
  const reader = new TargetProbabilitiesReader();
  await readFileLines(path, "target probabilities", (text, line) => reader.push(text, line));
  return { ...reader.finish(), source: path };
}
