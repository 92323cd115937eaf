/** Streams a text file to a line reader; the OPE log and target readers share it. */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { OpeInputError } from "./ope-input-error.js";

/**
 * Calls `push` with every line of `path` and its 1-based number. A file that cannot be read is an
 * `OpeInputError` naming `what`; an `OpeInputError` thrown by `push` passes through unchanged.
 */
export async function readFileLines(
  path: string,
  what: string,
  push: (text: string, line: number) => void,
): Promise<void> {
  const input = createReadStream(path, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of lines) push(text, ++line);
  } catch (err) {
    if (err instanceof OpeInputError) throw err;
    throw new OpeInputError(
      `cannot read ${what} ${path}: ${err instanceof Error ? err.message : String(err)}`,
    );
  } finally {
    lines.close();
    input.destroy();
  }
}
