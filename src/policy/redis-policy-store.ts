/**
 * The production policy store. Each activation is one MULTI over keys sharing the `{policy}` hash
 * tag (one Cluster slot). Replicas notice changes by polling `state()` (two GETs in one round trip)
 * rather than pub/sub: a poll cannot miss a message while a connection is down, needs no dedicated
 * subscriber connection, and at one tiny round trip per replica every ~500 ms it costs nothing.
 */
import type { Redis } from "ioredis";
import { StoreUnavailableError } from "../errors/http-errors.js";
import { PolicyVersionNotFoundError } from "../errors/policy-version-not-found-error.js";
import { type PolicyKeys, policyKeys } from "../redis/keys.js";
import {
  type ActivationOutcome,
  POLICY_HISTORY_LIMIT,
  type PolicyActivation,
  type PolicySource,
  type PolicyStore,
  type PolicyStoreState,
  type PolicyVersionInfo,
  type StoredPolicy,
  versionsFromHistory,
} from "./policy-store.js";

function unavailable(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  throw new StoreUnavailableError(`The policy store (Redis) did not answer: ${message}`);
}

/** Replies of a MULTI, failing on the first command error. */
function replies(result: [Error | null, unknown][] | null): unknown[] {
  if (result === null) unavailable(new Error("transaction aborted"));
  return result.map(([err, value]) => {
    if (err) unavailable(err);
    return value;
  });
}

export interface RedisPolicyStoreOptions {
  readonly keyPrefix: string;
  readonly now?: () => number;
}

export class RedisPolicyStore implements PolicyStore {
  readonly kind = "redis";
  private readonly keys: PolicyKeys;
  private readonly now: () => number;

  /** Takes ownership of `redis`: `close()` quits it. */
  constructor(
    private readonly redis: Redis,
    options: RedisPolicyStoreOptions,
  ) {
    this.keys = policyKeys(options.keyPrefix);
    this.now = options.now ?? Date.now;
  }

  private async record(
    version: string,
    source: PolicySource,
    document?: unknown,
  ): Promise<ActivationOutcome> {
    const activation: PolicyActivation = { version, activatedAt: this.now(), source };
    const json = JSON.stringify(activation);
    const k = this.keys;
    const multi = this.redis.multi();
    if (document !== undefined) multi.hsetnx(k.documents, version, JSON.stringify(document));
    multi
      .set(k.active, version)
      .hset(k.latest, version, json)
      .lpush(k.history, json)
      .ltrim(k.history, 0, POLICY_HISTORY_LIMIT - 1)
      .incr(k.revision);
    const out = replies(await multi.exec().catch(unavailable));
    return { revision: Number(out.at(-1)), activation };
  }

  activate(version: string, document: unknown, source: PolicySource): Promise<ActivationOutcome> {
    return this.record(version, source, document);
  }

  async rollback(version: string): Promise<ActivationOutcome> {
    // Documents are never deleted, so a version that exists now still exists inside the MULTI.
    const exists = await this.redis.hexists(this.keys.documents, version).catch(unavailable);
    if (!exists) throw new PolicyVersionNotFoundError(version);
    return this.record(version, "rollback");
  }

  async state(): Promise<PolicyStoreState> {
    const [revision, active] = (await this.redis
      .mget(this.keys.revision, this.keys.active)
      .catch(unavailable)) as [string | null, string | null];
    return { revision: Number(revision ?? 0), activeVersion: active ?? undefined };
  }

  async get(version: string): Promise<StoredPolicy | undefined> {
    const k = this.keys;
    const multi = this.redis.multi().hget(k.documents, version).hget(k.latest, version).get(k.active);
    const [document, latest, active] = replies(await multi.exec().catch(unavailable)) as (string | null)[];
    if (!document || !latest) return undefined;
    const activation = JSON.parse(latest) as PolicyActivation;
    return { ...activation, active: active === version, document: JSON.parse(document) };
  }

  async history(): Promise<PolicyActivation[]> {
    const items = await this.redis.lrange(this.keys.history, 0, -1).catch(unavailable);
    return items.map((item) => JSON.parse(item) as PolicyActivation);
  }

  async versions(): Promise<PolicyVersionInfo[]> {
    const multi = this.redis.multi().lrange(this.keys.history, 0, -1).get(this.keys.active);
    const [items, active] = replies(await multi.exec().catch(unavailable)) as [string[], string | null];
    return versionsFromHistory(
      items.map((item) => JSON.parse(item) as PolicyActivation),
      active ?? undefined,
    );
  }

  async close(): Promise<void> {
    if (this.redis.status !== "end") await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
