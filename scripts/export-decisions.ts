/**
 * `npm run decisions:export -- [--out FILE] [--since ISO] [--until ISO] [--limit N]`: the decision log
 * with joined rewards as JSON lines, from the Redis at REDIS_URL. See docs/decision-log.md.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { exportDecisions } from "../src/decisioning/decision-export.js";
import { EXPORT_USAGE, type ExportArgs, parseExportArgs } from "../src/decisioning/export-args.js";
import { RedisDecisionLog } from "../src/decisioning/redis-decision-log.js";
import { RedisRewardStore } from "../src/decisioning/redis-reward-store.js";
import { connectRedis } from "../src/redis/connect.js";

/** The URL without its password, for messages. */
function redacted(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, "drain");
}

async function run(args: ExportArgs): Promise<void> {
  const redis = connectRedis(args.redisUrl);
  try {
    await redis.ping().catch((err: unknown) => {
      throw new Error(
        `Redis at ${redacted(args.redisUrl)} does not answer (${err instanceof Error ? err.message : String(err)})`,
      );
    });
    const out = args.out ? createWriteStream(args.out) : process.stdout;
    // Opened before any line is written, so a bad path fails with its own message.
    if (args.out) await once(out, "open");
    const log = new RedisDecisionLog(redis, { keyPrefix: args.keyPrefix });
    const rewards = new RedisRewardStore(redis, { keyPrefix: args.keyPrefix });
    let decisions = 0;
    let rewarded = 0;
    for await (const line of exportDecisions(log, rewards, args)) {
      await write(out, `${JSON.stringify(line)}\n`);
      decisions++;
      if (line.rewards.length > 0) rewarded++;
    }
    if (args.out) {
      out.end();
      await once(out, "finish");
    }
    process.stderr.write(
      `exported ${decisions} decisions (${rewarded} with rewards) from ${args.keyPrefix} to ${args.out ?? "stdout"}\n`,
    );
    // The usual cause is another prefix or database than the service's: an empty file only fails
    // later, in off-policy evaluation, as "the log has no rows".
    if (decisions === 0)
      process.stderr.write(
        `nothing is logged under ${args.keyPrefix} in ${redacted(args.redisUrl)}${args.since !== undefined || args.until !== undefined ? " in that time range" : ""}: set REDIS_URL (with its database) and REDIS_KEY_PREFIX as the service has them\n`,
      );
  } finally {
    redis.disconnect();
  }
}

const parsed = parseExportArgs(process.argv.slice(2), process.env);
if (parsed.kind === "help") {
  process.stdout.write(`${EXPORT_USAGE}\n`);
} else if (parsed.kind === "error") {
  process.stderr.write(`export-decisions: ${parsed.message}\n\n${EXPORT_USAGE}\n`);
  process.exitCode = 2;
} else {
  run(parsed.args).catch((err: unknown) => {
    process.stderr.write(`export-decisions: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
