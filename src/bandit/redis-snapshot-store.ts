/**
 * The production snapshot store: the latest snapshot and its version in two keys under `{bandit}`.
 * Publishing is one Lua script (write only if newer); replicas poll `latestVersion()` (one GET) and
 * read the snapshot (one MGET, so text and version come from the same moment) only when it changed.
 */
import { readFileSync } from "node:fs";
import type { Redis, Result } from "ioredis";
import { type BanditKeys, banditKeys } from "./bandit-keys.js";
import type { EncodedSnapshot } from "./bandit-snapshot.js";
import type { PublishResult, SnapshotStore } from "./snapshot-store.js";

const PUBLISH_LUA = readFileSync(new URL("./commands/publish-snapshot-2.lua", import.meta.url), "utf8");

declare module "ioredis" {
  interface RedisCommander<Context> {
    nbaBanditPublishV1(
      snapshotKey: string,
      versionKey: string,
      counter: number,
      version: string,
      text: string,
    ): Result<[number, string], Context>;
  }
}

export interface RedisSnapshotStoreOptions {
  readonly keyPrefix: string;
}

export class RedisSnapshotStore implements SnapshotStore {
  readonly kind = "redis";
  private readonly keys: BanditKeys;

  /** Takes ownership of `redis`: `close()` quits it. */
  constructor(
    private readonly redis: Redis,
    options: RedisSnapshotStoreOptions,
  ) {
    this.keys = banditKeys(options.keyPrefix);
    if (typeof (redis as Partial<Redis>).nbaBanditPublishV1 !== "function")
      redis.defineCommand("nbaBanditPublishV1", { numberOfKeys: 2, lua: PUBLISH_LUA });
  }

  async publish(snapshot: EncodedSnapshot): Promise<PublishResult> {
    const [status, version] = await this.redis.nbaBanditPublishV1(
      this.keys.snapshot,
      this.keys.version,
      snapshot.counter,
      snapshot.version,
      snapshot.text,
    );
    return status === 1 ? { published: true, version } : { published: false, current: version };
  }

  async latestVersion(): Promise<string | undefined> {
    return (await this.redis.get(this.keys.version)) ?? undefined;
  }

  async latest(): Promise<{ version: string; text: string } | undefined> {
    const [version, text] = await this.redis.mget(this.keys.version, this.keys.snapshot);
    return version && text ? { version, text } : undefined;
  }

  async close(): Promise<void> {
    if (this.redis.status !== "end") await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
