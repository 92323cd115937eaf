/** Reads a Redis stream page by page with XRANGE, oldest first, between two log times (ms, inclusive). */
import type { Redis } from "ioredis";
import type { LogRangeOptions } from "./decision-log.js";

export type StreamEntry = [id: string, fields: string[]];

export async function* streamPages(
  redis: Redis,
  key: string,
  options: LogRangeOptions,
  onError: (err: unknown) => never,
): AsyncGenerator<StreamEntry[]> {
  const end = options.until === undefined ? "+" : String(Math.floor(options.until));
  const count = options.pageSize ?? 500;
  let start = options.since === undefined ? "-" : String(Math.max(0, Math.ceil(options.since)));
  for (;;) {
    const page = (await redis.xrange(key, start, end, "COUNT", count).catch(onError)) as StreamEntry[];
    if (page.length > 0) yield page;
    const last = page.at(-1);
    if (page.length < count || !last) return;
    start = `(${last[0]}`;
  }
}

/** The value of `field` in a stream entry's flat field list. */
export function fieldOf(fields: readonly string[], field: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === field) return fields[i + 1];
  return undefined;
}
