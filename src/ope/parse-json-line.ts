/** One JSONL line parsed, or the issue to report for it (both OPE readers report bad lines alike). */
import type { RowIssue } from "./logged-decision.js";

export function parseJsonLine(
  text: string,
  line: number,
): { ok: true; value: unknown } | { ok: false; issue: RowIssue } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return {
      ok: false,
      issue: { line, reason: `not valid JSON (${err instanceof Error ? err.message : String(err)})` },
    };
  }
}
