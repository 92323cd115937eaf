/**
 * Decisions' customer inputs from Redis: the feature hash, the profile and the contact history of
 * every customer read in one turn of the event loop, in one script call (read-decision-inputs-3n.lua),
 * decoded by the same codecs as the two stores' own reads. A customer's three keys share its hash
 * tag; several customers' do not, so this is for a single Redis (as the service connects today).
 */
import type { Redis } from "ioredis";
import { TurnBatcher } from "../concurrency/turn-batcher.js";
import type { FeatureService } from "../features/feature-service.js";
import { decodeCustomerState } from "../features/redis-feature-codec.js";
import { customerKeys } from "../redis/keys.js";
import { decodeContactHistory } from "./contact-codec.js";
import type { CustomerInputs, CustomerInputsReader } from "./customer-inputs.js";
import { contactKey } from "./decision-keys.js";
import { storeUnavailable } from "./store-unavailable.js";

const unavailable = storeUnavailable("customer store");

type Packed = readonly [flat: string, profile: string | null, contacts: string | null];

export class RedisCustomerInputs implements CustomerInputsReader {
  private readonly batcher = new TurnBatcher<readonly string[], Packed>(async (batch) => {
    const keys = batch.flat();
    const reply = await this.redis.nbaReadDecisionInputsV2(keys.length, ...keys);
    return batch.map((_, i) => [reply[3 * i] ?? "", reply[3 * i + 1] ?? null, reply[3 * i + 2] ?? null]);
  });

  /** `redis` must have the commands of src/redis/commands.ts (connectRedis registers them). */
  constructor(
    private readonly redis: Redis,
    private readonly features: FeatureService,
    private readonly keyPrefix: string,
  ) {}

  async read(customerId: string, now: number): Promise<CustomerInputs> {
    const keys = customerKeys(this.keyPrefix, customerId);
    const [flat, profile, contacts] = await this.batcher
      .add([keys.features, keys.profile, contactKey(this.keyPrefix, customerId)])
      .catch(unavailable);
    return {
      features: this.features.fromState(customerId, decodeCustomerState(flat, profile), now),
      history: decodeContactHistory(contacts),
    };
  }
}
