/**
 * The production feature store: one Redis hash per customer. A batch is written by script calls that
 * each serve up to `customersPerCall` customers, all in one pipeline (one round trip); a read is one
 * script call. Layout and trade-offs: docs/redis-layout.md.
 */
import { type Redis, ReplyError } from "ioredis";
import { StoreUnavailableError } from "../errors/http-errors.js";
import { customerKeys } from "../redis/keys.js";
import { eventToUpdates } from "./bucket-updates.js";
import { type CustomerState, isStaleUpdate, staleBucketCutoffs } from "./customer-state.js";
import type { BehaviourEvent } from "./event-schema.js";
import type { FeaturePlan } from "./feature-plan.js";
import type { FeatureStore, FeatureStoreOptions, WriteOutcome } from "./feature-store.js";
import type { CustomerProfile } from "./profile-schema.js";
import { decodeCustomerState, encodeEvent, isAccepted } from "./redis-feature-codec.js";
import { DAY_MS } from "./windows.js";

export interface RedisFeatureStoreOptions extends FeatureStoreOptions {
  readonly keyPrefix: string;
  /**
   * Customers per ingest script call (default 25). One call blocks Redis for roughly 10-20 µs per
   * customer, so this bounds what a concurrent read may wait behind. Set 1 on Redis Cluster: a call
   * then touches only one customer's keys, which share a hash slot.
   */
  readonly customersPerCall?: number;
}

/**
 * A customer's hash is pruned once this many fields were added since its last prune (a prune scans
 * every field, so it is paid for by the fields added), and on its first write in each 30-day epoch.
 */
const PRUNE_AFTER_FIELDS = 64;
const PRUNE_EPOCH_MS = 30 * DAY_MS;

/** Says which failure it was: an error reply (Redis refused the command) reads differently from silence. */
function unavailable(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  throw new StoreUnavailableError(
    err instanceof ReplyError
      ? `The feature store (Redis) answered with an error: ${message}`
      : `The feature store (Redis) did not answer: ${message}`,
  );
}

export class RedisFeatureStore implements FeatureStore {
  readonly kind = "redis";
  private readonly customersPerCall: number;

  constructor(
    private readonly redis: Redis,
    private readonly plan: FeaturePlan,
    private readonly options: RedisFeatureStoreOptions,
  ) {
    this.customersPerCall = options.customersPerCall ?? 25;
  }

  async writeEvents(events: readonly BehaviourEvent[]): Promise<WriteOutcome[]> {
    if (events.length === 0) return [];
    const byCustomer = new Map<string, number[]>();
    events.forEach((e, i) => {
      const list = byCustomer.get(e.customerId);
      if (list) list.push(i);
      else byCustomer.set(e.customerId, [i]);
    });
    const now = this.options.now();
    const cutoffs = staleBucketCutoffs(this.plan, now);
    const head = this.scriptHead(now, cutoffs);
    const pipeline = this.redis.pipeline();
    // Event indexes in the order the replies list them, one array per script call.
    const callOrder: number[][] = [];
    let keys: string[] = [];
    let specs: string[] = [];
    let order: number[] = [];
    const flush = () => {
      pipeline.nbaIngestEventsV2(keys.length, ...keys, ...head, ...specs);
      callOrder.push(order);
      keys = [];
      specs = [];
      order = [];
    };
    for (const [customerId, indexes] of byCustomer) {
      const k = customerKeys(this.options.keyPrefix, customerId);
      keys.push(k.features, k.seenEvents);
      let spec = "";
      for (const i of indexes) {
        // A bucket no window can see any more (a late event's 5-minute bucket, say) is not written.
        const updates = eventToUpdates(this.plan, events[i]!).filter((u) => !isStaleUpdate(u, cutoffs));
        spec += encodeEvent(events[i]!, updates);
        order.push(i);
      }
      specs.push(spec);
      if (specs.length === this.customersPerCall) flush();
    }
    if (specs.length > 0) flush();

    const replies = (await pipeline.exec().catch(unavailable)) ?? [];
    const outcomes: WriteOutcome[] = new Array(events.length);
    callOrder.forEach((eventIndexes, call) => {
      const [err, flags] = replies[call] ?? [new Error("missing pipeline reply")];
      if (err) unavailable(err);
      eventIndexes.forEach((eventIndex, k) => {
        outcomes[eventIndex] = isAccepted(flags as string, k) ? "accepted" : "duplicate";
      });
    });
    return outcomes;
  }

  /** ARGV[1..7] of the ingest script (see ingest-events-2n.lua), from the clock and the plan. */
  private scriptHead(now: number, cutoffs: ReadonlyMap<string, number>): string[] {
    const ttlMs = this.options.ttlSeconds * 1000;
    // Refreshing the expiry on every write would cost two commands per customer; refreshing it only
    // when it has run down by `slack` keeps data at least ttl - slack >= horizon past every write.
    const slack = Math.min(ttlMs / 64, Math.max(0, ttlMs - this.options.horizonMs));
    let packedCutoffs = "";
    for (const [key, index] of cutoffs) packedCutoffs += `${key} ${index} `;
    return [
      String(ttlMs),
      String(now + ttlMs),
      String(now + ttlMs - slack),
      String(-(now - this.options.horizonMs)),
      String(Math.floor(now / PRUNE_EPOCH_MS)),
      String(PRUNE_AFTER_FIELDS),
      packedCutoffs,
    ];
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
