/**
 * The production feature store: one Redis hash per customer, written by one Lua script call per
 * customer (all calls of a batch in one pipeline, so one round trip) and read by one script call.
 */
import type { Redis } from "ioredis";
import { StoreUnavailableError } from "../errors/http-errors.js";
import { customerKeys } from "../redis/keys.js";
import { eventToUpdates } from "./bucket-updates.js";
import type { CustomerState } from "./customer-state.js";
import type { BehaviourEvent } from "./event-schema.js";
import type { FeaturePlan } from "./feature-plan.js";
import type { FeatureStore, FeatureStoreOptions, WriteOutcome } from "./feature-store.js";
import type { CustomerProfile } from "./profile-schema.js";
import { appendEventArgs, decodeCustomerState } from "./redis-feature-codec.js";
import { DAY_MS } from "./windows.js";

function unavailable(err: unknown): never {
  throw new StoreUnavailableError(
    `The feature store (Redis) did not answer: ${err instanceof Error ? err.message : String(err)}`,
  );
}

export class RedisFeatureStore implements FeatureStore {
  readonly kind = "redis";

  constructor(
    private readonly redis: Redis,
    private readonly plan: FeaturePlan,
    private readonly options: FeatureStoreOptions & { readonly keyPrefix: string },
  ) {}

  async writeEvents(events: readonly BehaviourEvent[]): Promise<WriteOutcome[]> {
    if (events.length === 0) return [];
    const byCustomer = new Map<string, number[]>();
    events.forEach((e, i) => {
      const list = byCustomer.get(e.customerId);
      if (list) list.push(i);
      else byCustomer.set(e.customerId, [i]);
    });
    const now = this.options.now();
    const horizonStart = now - this.options.horizonMs;
    const week = Math.floor(now / (7 * DAY_MS));
    const pipeline = this.redis.pipeline();
    for (const [customerId, indexes] of byCustomer) {
      const keys = customerKeys(this.options.keyPrefix, customerId);
      const args: (string | number)[] = [this.options.ttlSeconds, horizonStart, week, indexes.length];
      for (const i of indexes) appendEventArgs(args, events[i]!, eventToUpdates(this.plan, events[i]!));
      pipeline.nbaIngestEventsV1(keys.features, keys.seenEvents, ...args);
    }
    const replies = (await pipeline.exec().catch(unavailable)) ?? [];
    const outcomes: WriteOutcome[] = new Array(events.length);
    let r = 0;
    for (const indexes of byCustomer.values()) {
      const [err, flags] = replies[r++] ?? [new Error("missing pipeline reply")];
      if (err) unavailable(err);
      indexes.forEach((eventIndex, k) => {
        outcomes[eventIndex] = (flags as number[])[k] === 1 ? "accepted" : "duplicate";
      });
    }
    return outcomes;
  }

  async putProfile(customerId: string, profile: CustomerProfile): Promise<void> {
    await this.redis
      .set(customerKeys(this.options.keyPrefix, customerId).profile, JSON.stringify(profile))
      .catch(unavailable);
  }

  async readState(customerId: string): Promise<CustomerState | null> {
    const keys = customerKeys(this.options.keyPrefix, customerId);
    const [flat, profile] = await this.redis
      .nbaReadCustomerV1(keys.features, keys.profile)
      .catch(unavailable);
    return decodeCustomerState(flat, profile);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.redis.status !== "end") await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
