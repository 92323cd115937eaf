/**
 * A decision's customer inputs from Redis in one script call (read-decision-inputs-3.lua): the
 * feature hash, the profile and the contact history share the customer's hash tag, so one call reads
 * all three, decoded by the same codecs as the two stores' own reads.
 */
import type { Redis } from "ioredis";
import type { FeatureService } from "../features/feature-service.js";
import { decodeCustomerState } from "../features/redis-feature-codec.js";
import { customerKeys } from "../redis/keys.js";
import { decodeContactHistory } from "./contact-codec.js";
import type { CustomerInputs, CustomerInputsReader } from "./customer-inputs.js";
import { contactKey } from "./decision-keys.js";
import { storeUnavailable } from "./store-unavailable.js";

const unavailable = storeUnavailable("customer store");

export class RedisCustomerInputs implements CustomerInputsReader {
  /** `redis` must have the commands of src/redis/commands.ts (connectRedis registers them). */
  constructor(
    private readonly redis: Redis,
    private readonly features: FeatureService,
    private readonly keyPrefix: string,
  ) {}

  async read(customerId: string, now: number): Promise<CustomerInputs> {
    const keys = customerKeys(this.keyPrefix, customerId);
    const [flat, profile, contacts] = await this.redis
      .nbaReadDecisionInputsV1(keys.features, keys.profile, contactKey(this.keyPrefix, customerId))
      .catch(unavailable);
    return {
      features: this.features.fromState(customerId, decodeCustomerState(flat, profile), now),
      history: decodeContactHistory(contacts),
    };
  }
}
