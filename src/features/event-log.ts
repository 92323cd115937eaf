/**
 * Reads a JSONL event log (the generator's events.jsonl or an export), validating each line.
 * Bad lines are reported with their line numbers and skipped; the rest are kept.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { type BehaviourEvent, behaviourEventSchema } from "./event-schema.js";

export interface LogProblem {
  readonly line: number;
  readonly field: string;
  readonly reason: string;
}

export interface EventLog {
  readonly events: BehaviourEvent[];
  readonly problems: LogProblem[];
}

/** Parses JSONL text lines; `firstLine` numbers the first line (1-based). */
export function parseEventLines(lines: Iterable<string>, firstLine = 1): EventLog {
  const events: BehaviourEvent[] = [];
  const problems: LogProblem[] = [];
  let line = firstLine - 1;
  for (const text of lines) {
    line++;
    collectLine(text, line, events, problems);
  }
  return { events, problems };
}

export async function readEventLog(path: string): Promise<EventLog> {
  const events: BehaviourEvent[] = [];
  const problems: LogProblem[] = [];
  let line = 0;
  const rl = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const text of rl) collectLine(text, ++line, events, problems);
  return { events, problems };
}

function collectLine(text: string, line: number, events: BehaviourEvent[], problems: LogProblem[]): void {
  if (text.trim() === "") return;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    problems.push({ line, field: "(line)", reason: "is not valid JSON" });
    return;
  }
  const parsed = behaviourEventSchema.safeParse(raw);
  if (parsed.success) events.push(parsed.data);
  else {
    const issue = parsed.error.issues[0]!;
    problems.push({ line, field: issue.path.join(".") || "(event)", reason: issue.message });
  }
}
