/**
 * The learner's side of the reward stream on Redis (the bandit's RewardSource): one consumer group
 * (`learner` by default) on `{rewards}:log`. The first reads of a source return what this consumer
 * name was given but never acknowledged (its own pending list); after that each read first takes
 * over entries any consumer left unacknowledged for `minIdleMs` (XAUTOCLAIM: a crashed learner's),
 * then new ones (XREADGROUP, blocking up to `blockMs`). The source owns its connection, which must
 * be dedicated: a blocked read holds it. `minIdleMs` must exceed the learner's time from read to
 * ack (it acks after publishing a snapshot), or a slow learner is handed its own rewards again.
 */
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import type { RewardEntry, RewardSource, RewardSourceFactory } from "../bandit/reward-source.js";
import { describeIssues } from "../errors/describe-issues.js";
import { connectRedis } from "../redis/connect.js";
import { rewardKeys } from "./decision-keys.js";
import { joinedRewardSchema } from "./joined-reward-schema.js";
import { storeUnavailable } from "./store-unavailable.js";
import { fieldOf, type StreamEntry } from "./stream-pages.js";

const unavailable = storeUnavailable("reward stream");

export interface RedisRewardSourceOptions {
  readonly keyPrefix: string;
  /** Consumer group; created at the start of the stream (so rewards logged before the learner first ran count). */
  readonly group?: string;
  /** This consumer's name within the group; default `<hostname>-<pid>`. */
  readonly consumer?: string;
  /** An entry delivered but not acknowledged for this long is delivered again. Default 60 s. */
  readonly minIdleMs?: number;
  /** Hears an entry that does not parse (it is acknowledged and dropped). Default: a process warning. */
  readonly onMalformed?: (id: string, err: unknown) => void;
}

export class RedisRewardSource implements RewardSource {
  private readonly key: string;
  private readonly group: string;
  private readonly consumer: string;
  private groupReady: Promise<void> | undefined;
  /** Where reading this consumer's own pending list continues; undefined once it is drained. */
  private backlog: string | undefined = "0";

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisRewardSourceOptions,
  ) {
    this.key = rewardKeys(options.keyPrefix).log;
    this.group = options.group ?? "learner";
    this.consumer = options.consumer ?? `${hostname()}-${process.pid}`;
  }

  /**
   * Up to `max` rewards, oldest first: stale unacknowledged ones, else new ones, waiting up to
   * `blockMs` for one to arrive (0: do not wait). Each must be acknowledged with `ack`, or it is
   * delivered again after `minIdleMs`.
   */
  async read(max: number, blockMs: number): Promise<RewardEntry[]> {
    try {
      return await this.readOnce(max, blockMs);
    } catch (err) {
      // The stream or group was deleted under us (e.g. a flush): create it again once. The error
      // arrives wrapped as the store's 503, so look inside its message.
      if (!(err instanceof Error && err.message.includes("NOGROUP"))) throw err;
      this.groupReady = undefined;
      return this.readOnce(max, blockMs);
    }
  }

  async ack(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.xack(this.key, this.group, ...ids).catch(unavailable);
  }

  async close(): Promise<void> {
    if (this.redis.status !== "end") await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async readOnce(max: number, blockMs: number): Promise<RewardEntry[]> {
    this.groupReady ??= this.createGroup().catch((err: unknown) => {
      this.groupReady = undefined; // try again on the next read
      throw err;
    });
    await this.groupReady;
    if (this.backlog !== undefined) {
      const reply = (await this.redis
        .xreadgroup("GROUP", this.group, this.consumer, "COUNT", max, "STREAMS", this.key, this.backlog)
        .catch(unavailable)) as [string, StreamEntry[]][] | null;
      const own = reply?.[0]?.[1] ?? [];
      this.backlog = own.at(-1)?.[0];
      if (own.length > 0) return this.decode(own);
    }
    const claimed = (await this.redis
      .xautoclaim(this.key, this.group, this.consumer, this.options.minIdleMs ?? 60_000, "0-0", "COUNT", max)
      .catch(unavailable)) as [string, StreamEntry[], string[]?];
    if (claimed[1].length > 0) return this.decode(claimed[1]);
    const { group, consumer, key } = this;
    const read =
      blockMs > 0
        ? this.redis.xreadgroup(
            "GROUP",
            group,
            consumer,
            "COUNT",
            max,
            "BLOCK",
            Math.ceil(blockMs),
            "STREAMS",
            key,
            ">",
          )
        : this.redis.xreadgroup("GROUP", group, consumer, "COUNT", max, "STREAMS", key, ">");
    const reply = (await read.catch(unavailable)) as [string, StreamEntry[]][] | null;
    return this.decode(reply?.[0]?.[1] ?? []);
  }

  private async createGroup(): Promise<void> {
    try {
      await this.redis.xgroup("CREATE", this.key, this.group, "0", "MKSTREAM");
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith("BUSYGROUP"))) unavailable(err);
    }
  }

  /**
   * Entries that do not parse, or are not a JoinedReward, are acknowledged, reported and dropped, so
   * they cannot block or crash the learner.
   */
  private async decode(entries: readonly StreamEntry[]): Promise<RewardEntry[]> {
    const out: RewardEntry[] = [];
    const bad: string[] = [];
    for (const [id, fields] of entries) {
      try {
        // A pending entry trimmed from the stream comes back without fields.
        const parsed = joinedRewardSchema.safeParse(JSON.parse(fieldOf(fields ?? [], "r") ?? ""));
        if (!parsed.success) throw new Error(describeIssues(parsed.error));
        out.push({ id, reward: parsed.data });
      } catch (err) {
        bad.push(id);
        const report =
          this.options.onMalformed ??
          ((badId: string, e: unknown) =>
            process.emitWarning(
              `reward stream entry ${badId} is not a JoinedReward (${String(e)}); dropped`,
            ));
        report(id, err);
      }
    }
    await this.ack(bad);
    return out;
  }
}

/** What `npm run learner` loads (REWARD_SOURCE_MODULE defaults to this file). */
export const createRewardSource: RewardSourceFactory = (options) =>
  new RedisRewardSource(connectRedis(options.redisUrl), {
    keyPrefix: options.keyPrefix,
    consumer: options.consumer,
  });
