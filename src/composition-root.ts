/**
 * The one place that chooses implementations and wires them: Redis when REDIS_URL is set, the
 * embedded in-memory stores otherwise. Everything else receives what it needs from here.
 */
import cluster from "node:cluster";
import { type Logger, pino } from "pino";
import { AppMetrics } from "./api/metrics.js";
import {
  type Bandit,
  type BanditConfig,
  BanditLearner,
  banditConfigFromPolicy,
  createBandit,
  DEFAULT_CONTEXT_ENCODER,
  MemorySnapshotStore,
  RedisSnapshotStore,
  runLearnerLoop,
  SnapshotFollower,
  type SnapshotStore,
} from "./bandit/index.js";
import type { Config } from "./config.js";
import { contactRulesOf } from "./decisioning/contact-rules.js";
import type { ContactStore } from "./decisioning/contact-store.js";
import { type CustomerInputsReader, readEachStore } from "./decisioning/customer-inputs.js";
import { DEFAULT_DECISION_LOG_LENGTH, type DecisionLog } from "./decisioning/decision-log.js";
import { type BanditSource, DecisionService } from "./decisioning/decision-service.js";
import { type DecisionWriter, writeEachStore } from "./decisioning/decision-writer.js";
import { MemoryContactStore } from "./decisioning/memory-contact-store.js";
import { createMemoryDecisionStores } from "./decisioning/memory-decision-stores.js";
import { RedisContactStore } from "./decisioning/redis-contact-store.js";
import { RedisCustomerInputs } from "./decisioning/redis-customer-inputs.js";
import { RedisDecisionLog } from "./decisioning/redis-decision-log.js";
import { RedisDecisionWriter } from "./decisioning/redis-decision-writer.js";
import { RedisRewardStore } from "./decisioning/redis-reward-store.js";
import { RewardService } from "./decisioning/reward-service.js";
import type { RewardStore } from "./decisioning/reward-store.js";
import { FEATURE_PLAN, type FeaturePlan } from "./features/feature-plan.js";
import { FeatureService } from "./features/feature-service.js";
import type { FeatureStore } from "./features/feature-store.js";
import { IngestService } from "./features/ingest-service.js";
import { MemoryFeatureStore } from "./features/memory-feature-store.js";
import { RedisFeatureStore } from "./features/redis-feature-store.js";
import { DAY_MS } from "./features/windows.js";
import { MemoryPolicyStore, PolicyService, type PolicyStore, RedisPolicyStore } from "./policy/index.js";
import { connectRedis } from "./redis/connect.js";
import { listpackAdvice } from "./redis/listpack-advice.js";
import { ModelRegistry } from "./scoring/model-registry.js";
import { ModelService } from "./scoring/model-service.js";
import { ScoringMetrics } from "./scoring/scoring-metrics.js";

export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: AppMetrics;
  readonly plan: FeaturePlan;
  readonly featureStore: FeatureStore;
  readonly featureService: FeatureService;
  readonly ingestService: IngestService;
  readonly policyService: PolicyService;
  readonly modelService: ModelService;
  readonly contactStore: ContactStore;
  readonly decisionLog: DecisionLog;
  readonly rewardStore: RewardStore;
  readonly rewardService: RewardService;
  readonly decisionService: DecisionService;
  /** The bandit decisions use now (the latest snapshot's once started) and its snapshot version. */
  readonly bandit: BanditSource;
  /** Loads what must be in memory before serving (policy, models, bandit); the entry point awaits it. */
  start(): Promise<void>;
  /** Stops background work and releases connections. */
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

interface Backends {
  readonly featureStore: FeatureStore;
  readonly policyStore: PolicyStore;
  readonly contactStore: ContactStore;
  readonly decisionLog: DecisionLog;
  readonly rewardStore: RewardStore;
  readonly snapshotStore: SnapshotStore;
  /** How a decision reads its customer's features and contact history (Redis: one call for both). */
  readonly customerInputs?: (features: FeatureService) => CustomerInputsReader;
  /** How a served decision records its impressions and logs itself (Redis: one call per turn for both). */
  readonly decisionWriter?: DecisionWriter;
  /** Embedded mode only: the in-process learner reads joined rewards from here. */
  readonly embeddedRewards?: ReturnType<ReturnType<typeof createMemoryDecisionStores>["rewardSource"]>;
  close(): Promise<void>;
}

function redisBackends(
  url: string,
  config: Config,
  plan: FeaturePlan,
  logger: Logger,
  now: () => number,
): Backends {
  const onError = redisErrorLogger(logger);
  const keyPrefix = config.REDIS_KEY_PREFIX;
  // Behaviour data outlives the longest window by a day so late events still find their buckets.
  const featuresRedis = connectRedis(url, onError);
  const featureStore = new RedisFeatureStore(featuresRedis, plan, {
    horizonMs: plan.horizonMs,
    ttlSeconds: (plan.horizonMs + DAY_MS) / 1000,
    now,
    keyPrefix,
  });
  const decisions = connectRedis(url, onError);
  const maxLength = config.DECISION_LOG_MAX_LENGTH ?? DEFAULT_DECISION_LOG_LENGTH;
  const keepRecords = config.DECISION_HASH_KEEPS_RECORD;
  // Whole records (kilobytes) gain nothing from the setting; and one worker says it for the cluster.
  if (!keepRecords && (cluster.worker?.id ?? 1) === 1)
    void listpackAdvice(decisions).then((advice) => advice && logger.warn(advice));
  return {
    featureStore,
    customerInputs: (features) => new RedisCustomerInputs(featuresRedis, features, keyPrefix),
    policyStore: new RedisPolicyStore(connectRedis(url, onError), { keyPrefix, now }),
    contactStore: new RedisContactStore(decisions, { keyPrefix }),
    decisionLog: new RedisDecisionLog(decisions, { keyPrefix, maxLength, keepRecords }),
    decisionWriter: new RedisDecisionWriter(decisions, { keyPrefix, maxLength, keepRecords }),
    rewardStore: new RedisRewardStore(decisions, { keyPrefix }),
    snapshotStore: new RedisSnapshotStore(connectRedis(url, onError), { keyPrefix }),
    close: async () => {
      await decisions.quit().catch(() => decisions.disconnect());
    },
  };
}

/**
 * The embedded store keeps its decision records as objects in this process: a tenth of Redis's default
 * log length, so a long first run does not exhaust the heap.
 */
const EMBEDDED_DECISION_LOG_LENGTH = 100_000;

function memoryBackends(config: Config, plan: FeaturePlan, now: () => number): Backends {
  const stores = createMemoryDecisionStores({
    now,
    decisionLogLength: config.DECISION_LOG_MAX_LENGTH ?? EMBEDDED_DECISION_LOG_LENGTH,
  });
  return {
    featureStore: new MemoryFeatureStore(plan, {
      horizonMs: plan.horizonMs,
      ttlSeconds: (plan.horizonMs + DAY_MS) / 1000,
      now,
    }),
    policyStore: new MemoryPolicyStore(now),
    contactStore: new MemoryContactStore(),
    decisionLog: stores.decisionLog,
    rewardStore: stores.rewardStore,
    snapshotStore: new MemorySnapshotStore(),
    embeddedRewards: stores.rewardSource(),
    close: async () => {},
  };
}

export function createServices(config: Config, overrides: ServiceOverrides = {}): Services {
  const now = overrides.now ?? Date.now;
  const logger =
    overrides.logger ??
    pino({ level: config.LOG_LEVEL, base: { service: "next-best-action", pid: process.pid } });
  const plan = FEATURE_PLAN;
  const backends = config.REDIS_URL
    ? redisBackends(config.REDIS_URL, config, plan, logger, now)
    : memoryBackends(config, plan, now);
  const metrics = new AppMetrics({ collectDefaults: overrides.collectDefaultMetrics ?? true });
  const policyService = new PolicyService(backends.policyStore, {
    logger,
    pollIntervalMs: config.POLICY_POLL_MS,
  });
  const modelService = new ModelService(new ModelRegistry(config.MODELS_DIR), {
    logger,
    metrics: new ScoringMetrics(metrics.registry),
    required: config.REQUIRED_MODELS,
    pollIntervalMs: config.MODELS_POLL_MS,
  });
  const featureService = new FeatureService(plan, backends.featureStore, now);
  const banditConfig = () =>
    banditConfigFromPolicy(policyService.current().policy.document.bandit, DEFAULT_CONTEXT_ENCODER);
  // The follower needs the active policy's bandit settings, so it is made in start().
  let follower: SnapshotFollower | undefined;
  let cold: Bandit | undefined;
  const bandit = {
    current: (): Bandit => {
      if (follower) return follower.current();
      cold ??= createBandit(banditConfig());
      return cold;
    },
    version: () => follower?.version(),
    withSettings: (config: BanditConfig): Bandit => follower?.withSettings(config) ?? createBandit(config),
  };
  const rewardService = new RewardService({
    rewards: backends.rewardStore,
    contacts: backends.contactStore,
    contactRules: () => contactRulesOf(policyService.current().policy),
    now,
    unstoredDecision: (decisionId) => decisionService.whenStored(decisionId),
    metrics: metrics.rewardMetrics(),
  });
  const decisionService = new DecisionService({
    featureService,
    policyService,
    modelService,
    customerInputs:
      backends.customerInputs?.(featureService) ?? readEachStore(featureService, backends.contactStore),
    decisionWriter: backends.decisionWriter ?? writeEachStore(backends.contactStore, backends.decisionLog),
    decisionLog: backends.decisionLog,
    bandit,
    encoder: DEFAULT_CONTEXT_ENCODER,
    logger,
    metrics: metrics.decisionMetrics(),
    now,
    timeoutMs: config.DECISION_TIMEOUT_MS,
    seed: config.DECISION_SEED,
  });
  const background: { stop(): unknown }[] = [];
  let learnerDone: Promise<unknown> | undefined;

  return {
    config,
    logger,
    metrics,
    plan,
    featureStore: backends.featureStore,
    featureService,
    ingestService: new IngestService(backends.featureStore, plan.horizonMs, now),
    policyService,
    modelService,
    contactStore: backends.contactStore,
    decisionLog: backends.decisionLog,
    rewardStore: backends.rewardStore,
    rewardService,
    decisionService,
    bandit,
    start: async () => {
      await policyService.start();
      await policyService.watchFile(config.POLICY_FILE);
      await modelService.start();
      follower = new SnapshotFollower(backends.snapshotStore, createBandit(banditConfig()), {
        contextSchema: DEFAULT_CONTEXT_ENCODER.schema,
        // Learned arms are served with the active policy's exploration settings; their scorer is what
        // they were learned with (a policy switching `model` takes effect for a fresh learner only).
        configure: (learned) => ({ ...banditConfig(), scorer: learned.scorer }),
        onSwap: (version) => {
          metrics.snapshotServed(version);
          logger.info({ version }, "bandit snapshot loaded");
        },
        onRefused: (version, reason) => {
          metrics.banditSnapshotsRefused.inc();
          logger.warn({ version, reason }, "bandit snapshot refused");
        },
        onError: (err) => logger.debug({ err }, "bandit snapshot poll failed"),
      });
      await follower.start();
      background.push(follower);
      const following = follower;
      const unsubscribe = policyService.onChange(() =>
        following.reconfigure(() => createBandit(banditConfig())),
      );
      background.push({ stop: unsubscribe });
      background.push(
        rewardService.startSweeper({
          intervalMs: 1_000,
          onError: (err) => logger.warn({ err }, "reward sweep failed"),
        }),
      );
      if (backends.embeddedRewards) {
        // Embedded mode: the learner runs in process, publishing snapshots the follower picks up.
        const learner = new BanditLearner(createBandit(banditConfig()), {
          store: backends.snapshotStore,
          publishEveryMs: 1_000,
          publishEveryRewards: 200,
          now,
        });
        const abort = new AbortController();
        learnerDone = runLearnerLoop(backends.embeddedRewards, learner, {
          signal: abort.signal,
          blockMs: 250,
          onError: (err, during) => logger.warn({ err, during }, "embedded learner error"),
        });
        background.push({ stop: () => abort.abort() });
      }
    },
    close: async () => {
      // Awaited: a sweep in progress must finish before the connections it uses close.
      await Promise.all(background.map((b) => b.stop()));
      await learnerDone;
      await decisionService.settle();
      await Promise.all([
        backends.featureStore.close(),
        policyService.close(),
        modelService.close(),
        backends.snapshotStore.close?.(),
      ]);
      await backends.close();
    },
  };
}
