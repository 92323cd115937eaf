/**
 * `npm run learner`: the bandit learner process. Resumes from the latest snapshot in Redis (or starts
 * cold with the bandit settings of the policy active in Redis, or of the policy file when none is), consumes joined rewards from the production reward
 * source, publishes snapshots, and stops gracefully on SIGTERM/SIGINT (final publish, then ack).
 *
 * Environment: REDIS_URL (required), REDIS_KEY_PREFIX (nba:v1), POLICY_FILE
 * (data/policies/bank-policy.yaml, read when no policy was ever activated in Redis), REWARD_SOURCE_MODULE (module exporting `createRewardSource`,
 * default the Redis one, src/decisioning/redis-reward-source), LEARNER_BATCH (500), LEARNER_BLOCK_MS (1000),
 * LEARNER_PUBLISH_MS (1000), LEARNER_PUBLISH_REWARDS (1000), LOG_LEVEL (info).
 */
import { hostname } from "node:os";
import { extname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { pino } from "pino";
import { z } from "zod";
import { activePolicyOrFile, RedisPolicyStore } from "../policy/index.js";
import { connectRedis } from "../redis/connect.js";
import { printableRedisUrl } from "../redis/redis-url-text.js";
import { DEFAULT_CONTEXT_ENCODER } from "./bandit-context.js";
import { banditConfigFromPolicy } from "./create-bandit.js";
import { runLearnerLoop } from "./learner-loop.js";
import { resumeLearner } from "./learner-resume.js";
import { RedisSnapshotStore } from "./redis-snapshot-store.js";
import type { RewardSource, RewardSourceFactory } from "./reward-source.js";

const envSchema = z.object({
  REDIS_URL: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? "is required: the learner consumes rewards from Redis and publishes snapshots there, e.g. REDIS_URL=redis://127.0.0.1:6379 npm run learner (on the embedded store, `npm start` runs the learner in process)"
          : undefined,
    })
    .regex(/^rediss?:\/\//, "must start with redis:// or rediss://"),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+$/)
    .default("nba:v1"),
  POLICY_FILE: z.string().min(1).default("data/policies/bank-policy.yaml"),
  REWARD_SOURCE_MODULE: z.string().min(1).optional(),
  LEARNER_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  LEARNER_BLOCK_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  LEARNER_PUBLISH_MS: z.coerce.number().int().min(0).default(1_000),
  LEARNER_PUBLISH_REWARDS: z.coerce.number().int().min(1).default(1_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** The Redis reward source beside this module: .ts under tsx, .js in dist/. */
const DEFAULT_REWARD_SOURCE = new URL(
  `../decisioning/redis-reward-source${extname(new URL(import.meta.url).pathname)}`,
  import.meta.url,
).href;

async function loadRewardSource(
  modulePath: string | undefined,
  options: Parameters<RewardSourceFactory>[0],
): Promise<RewardSource> {
  const url =
    modulePath === undefined
      ? DEFAULT_REWARD_SOURCE
      : pathToFileURL(isAbsolute(modulePath) ? modulePath : resolve(modulePath)).href;
  const mod = (await import(url)) as { createRewardSource?: RewardSourceFactory };
  if (typeof mod.createRewardSource !== "function")
    throw new Error(`${modulePath ?? url} does not export createRewardSource(options): RewardSource`);
  return mod.createRewardSource(options);
}

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    process.stderr.write(`Invalid learner configuration:\n${lines.join("\n")}\n`);
    process.exit(2);
  }
  const env = parsed.data;
  const logger = pino({ level: env.LOG_LEVEL, base: { service: "bandit-learner" } });
  const store = new RedisSnapshotStore(
    // The message only: ioredis reports every reconnect attempt, and a stack adds nothing to it.
    connectRedis(env.REDIS_URL, (err) => logger.warn({ err: err.message }, "redis connection error")),
    {
      keyPrefix: env.REDIS_KEY_PREFIX,
    },
  );
  try {
    await store.latestVersion();
  } catch (err) {
    // As the service says it: which Redis, and no stack trace.
    process.stderr.write(
      `bandit learner could not start: Redis did not answer: ${err instanceof Error ? err.message : String(err)}\n` +
        `Is Redis running at ${printableRedisUrl(env.REDIS_URL)}? Start it, or set REDIS_URL to the Redis the service uses.\n`,
    );
    process.exit(1);
  }

  const encoder = DEFAULT_CONTEXT_ENCODER;
  let policyVersion: string | undefined;
  const { learner, alreadyApplied, resumedFrom, discarded, config } = await resumeLearner(
    store,
    encoder.schema,
    async () => {
      const policies = new RedisPolicyStore(connectRedis(env.REDIS_URL), { keyPrefix: env.REDIS_KEY_PREFIX });
      try {
        const policy = await activePolicyOrFile(policies, env.POLICY_FILE);
        policyVersion = policy.version;
        return banditConfigFromPolicy(policy.document.bandit, encoder);
      } finally {
        await policies.close();
      }
    },
    { publishEveryMs: env.LEARNER_PUBLISH_MS, publishEveryRewards: env.LEARNER_PUBLISH_REWARDS },
  );
  if (resumedFrom) {
    logger.info(
      { version: resumedFrom, alreadyApplied: alreadyApplied.length },
      "resuming from the latest snapshot",
    );
  } else {
    if (discarded)
      logger.warn(
        { version: discarded },
        "latest snapshot has another context schema or arm model: cold start",
      );
    logger.info({ algorithm: config.exploration.algorithm, policy: policyVersion }, "cold start");
  }

  const source = await loadRewardSource(env.REWARD_SOURCE_MODULE, {
    redisUrl: env.REDIS_URL,
    keyPrefix: env.REDIS_KEY_PREFIX,
    consumer: `${hostname()}-${process.pid}`,
  });
  const stop = new AbortController();
  const onSignal = (signal: string) => {
    logger.info({ signal }, "stopping: publishing pending rewards");
    stop.abort();
  };
  process.once("SIGTERM", () => onSignal("SIGTERM"));
  process.once("SIGINT", () => onSignal("SIGINT"));

  const end = await runLearnerLoop(source, learner, {
    signal: stop.signal,
    batchSize: env.LEARNER_BATCH,
    blockMs: env.LEARNER_BLOCK_MS,
    alreadyApplied,
    onAlreadyApplied: (ids) =>
      logger.warn(
        { entries: ids.length },
        "entries the resumed snapshot already includes: acknowledged, not applied",
      ),
    onPublish: (version, rewards) => logger.info({ version, rewards }, "snapshot published"),
    onError: (err, during) => logger.error({ err, during }, "learner step failed; retrying"),
  });
  if (end === "superseded")
    logger.error(
      { end, ...learner.stats() },
      "another learner published a higher snapshot counter (two learners on one lineage): stopping without acknowledging; run one learner per REDIS_KEY_PREFIX",
    );
  else logger.info({ end, ...learner.stats() }, "learner stopped");
  await source.close();
  await store.close();
  process.exit(end === "stopped" ? 0 : 1);
}

main().catch((err: unknown) => {
  process.stderr.write(`bandit learner failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
