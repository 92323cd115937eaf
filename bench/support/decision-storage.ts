/**
 * What a logged decision costs Redis memory, measured on the bench's own decisions: the per-decision
 * hash (kept for the reward window plus the margin, so it dominates sizing) and the stream entry.
 * MEMORY USAGE with SAMPLES 0 is exact; by default it estimates a hash from five of its fields.
 */
import type { Redis } from "ioredis";
import { readListpackValue } from "../../src/redis/listpack-advice.js";

export interface DecisionStorage {
  readonly hashes: number;
  readonly meanHashBytes: number;
  /** How many of the sampled hashes Redis keeps in each encoding (listpack is the compact one). */
  readonly encodings: Record<string, number>;
  /** Mean length of the hash's `j` field (the reward basis JSON), characters. */
  readonly meanBasisChars: number;
  readonly meanStreamEntryBytes: number;
  /** The server's hash-max-listpack-value (a hash with a longer value leaves the compact encoding). */
  readonly listpackValueLimit: number | undefined;
}

export async function measureDecisionStorage(
  redis: Redis,
  prefix: string,
  sample = 500,
): Promise<DecisionStorage | undefined> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${prefix}:{d:*}`, "COUNT", 5000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0" && keys.length < sample);
  if (keys.length === 0) return undefined;
  const picked = keys.slice(0, sample);
  const pipeline = redis.pipeline();
  for (const key of picked) {
    pipeline.memory("USAGE", key, "SAMPLES", 0);
    pipeline.object("ENCODING", key);
    pipeline.hstrlen(key, "j");
  }
  const replies = (await pipeline.exec()) ?? [];
  let bytes = 0;
  let chars = 0;
  const encodings: Record<string, number> = {};
  for (let i = 0; i < picked.length; i++) {
    bytes += Number(replies[3 * i]?.[1] ?? 0);
    const encoding = String(replies[3 * i + 1]?.[1]);
    encodings[encoding] = (encodings[encoding] ?? 0) + 1;
    chars += Number(replies[3 * i + 2]?.[1] ?? 0);
  }
  const stream = `${prefix}:{decisions}:log`;
  const [streamBytes, streamLength] = await Promise.all([
    redis.memory("USAGE", stream, "SAMPLES", 0),
    redis.xlen(stream),
  ]);
  const listpackValueLimit = await readListpackValue(redis);
  return {
    hashes: picked.length,
    meanHashBytes: bytes / picked.length,
    encodings,
    meanBasisChars: chars / picked.length,
    meanStreamEntryBytes: streamLength > 0 ? Number(streamBytes ?? 0) / streamLength : 0,
    listpackValueLimit,
  };
}
