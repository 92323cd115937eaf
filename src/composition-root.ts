/**
 * The one place that chooses implementations and wires them: Redis when REDIS_URL is set, the
 * embedded in-memory store otherwise. Everything else receives what it needs from here.
 */
import { type Logger, pino } from "pino";
import { AppMetrics } from "./api/metrics.js";
import type { Config } from "./config.js";
import { FEATURE_PLAN, type FeaturePlan } from "./features/feature-plan.js";
import { FeatureService } from "./features/feature-service.js";
import type { FeatureStore } from "./features/feature-store.js";
import { IngestService } from "./features/ingest-service.js";
import { MemoryFeatureStore } from "./features/memory-feature-store.js";
import { RedisFeatureStore } from "./features/redis-feature-store.js";
import { DAY_MS } from "./features/windows.js";
import { MemoryPolicyStore, PolicyService, RedisPolicyStore } from "./policy/index.js";
import { connectRedis } from "./redis/connect.js";

export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: AppMetrics;
  readonly plan: FeaturePlan;
  readonly featureStore: FeatureStore;
  readonly featureService: FeatureService;
  readonly ingestService: IngestService;
  readonly policyService: PolicyService;
  /** Loads what must be in memory before serving (the active policy); the entry point awaits it. */
  start(): Promise<void>;
  /** Releases connections; the app stops using the services after this. */
  close(): Promise<void>;
}

export interface ServiceOverrides {
  readonly now?: () => number;
  readonly logger?: Logger;
  readonly collectDefaultMetrics?: boolean;
}

/** Logs Redis connection errors at most once per 10 s: a down Redis would otherwise flood the log. */
function redisErrorLogger(logger: Logger): (err: Error) => void {
  let last = 0;
  return (err) => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    logger.warn({ err: err.message }, "redis connection error");
  };
}

export function createServices(config: Config, overrides: ServiceOverrides = {}): Services {
  const now = overrides.now ?? Date.now;
  const logger = overrides.logger ?? pino({ level: config.LOG_LEVEL, base: { service: "next-best-action" } });
  const plan = FEATURE_PLAN;
  // Behaviour data outlives the longest window by a day so late events still find their buckets.
  const storeOptions = { horizonMs: plan.horizonMs, ttlSeconds: (plan.horizonMs + DAY_MS) / 1000, now };
  const featureStore: FeatureStore = config.REDIS_URL
    ? new RedisFeatureStore(connectRedis(config.REDIS_URL, redisErrorLogger(logger)), plan, {
        ...storeOptions,
        keyPrefix: config.REDIS_KEY_PREFIX,
      })
    : new MemoryFeatureStore(plan, storeOptions);
  const policyStore = config.REDIS_URL
    ? new RedisPolicyStore(connectRedis(config.REDIS_URL, redisErrorLogger(logger)), {
        keyPrefix: config.REDIS_KEY_PREFIX,
        now,
      })
    : new MemoryPolicyStore(now);
  const policyService = new PolicyService(policyStore, { logger, pollIntervalMs: config.POLICY_POLL_MS });
  return {
    config,
    logger,
    metrics: new AppMetrics({ collectDefaults: overrides.collectDefaultMetrics ?? true }),
    plan,
    featureStore,
    featureService: new FeatureService(plan, featureStore, now),
    ingestService: new IngestService(featureStore, plan.horizonMs, now),
    policyService,
    start: async () => {
      await policyService.start();
      await policyService.watchFile(config.POLICY_FILE);
    },
    close: async () => {
      await Promise.all([featureStore.close(), policyService.close()]);
    },
  };
}
