/**
 * The decision path taken apart, in process: each part's Node CPU per decision, measured alone with
 * the real components (createServices on the same Redis and key prefix as the service under test).
 * Redis calls run 32 in flight, as under load; pure CPU parts run back to back. The whole
 * `decide()` is measured the same way, so the gap to the service's CPU per decision is what HTTP
 * and Express add.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { type Arm, DEFAULT_CONTEXT_ENCODER } from "../../src/bandit/index.js";
import { createServices } from "../../src/composition-root.js";
import { loadConfig } from "../../src/config.js";
import { contactRulesOf } from "../../src/decisioning/contact-rules.js";
import type { DecisionRecord } from "../../src/decisioning/decision-record.js";
import { decisionRequestSchema } from "../../src/decisioning/decision-request.js";
import { decisionResponse } from "../../src/decisioning/decision-response.js";
import { actionRow, customerRow } from "../../src/decisioning/model-rows.js";
import { Deadline } from "../../src/decisioning/with-timeout.js";
import { featureRecord } from "../../src/features/feature-vector.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { connectRedis } from "../../src/redis/connect.js";
import { redisCpuSeconds } from "./process-cpu.js";

export interface StageCost {
  readonly stage: string;
  /** Node CPU per decision, µs (user + system of this process). */
  readonly cpuUs: number;
  /** Redis server CPU per decision, µs (INFO cpu; only measured for the parts that call Redis). */
  readonly redisUs: number;
  readonly note: string;
}

export interface StageOptions {
  readonly url: string;
  readonly keyPrefix: string;
  /** A request body as the load generator sends it, for a random customer. */
  readonly body: () => string;
  /** Models the service could not load; their stages are reported as not measured. */
  readonly requiredModels: string;
  readonly iterations?: number;
}

interface Cost {
  readonly node: number;
  readonly redis: number;
}

/**
 * Node CPU per call of `op`, µs, with `concurrency` calls in flight (after a warm-up of n/5 calls);
 * with `redis`, also the Redis server's CPU per call.
 */
async function cpuPerCall(
  n: number,
  concurrency: number,
  op: (i: number) => unknown,
  redis?: Redis,
): Promise<Cost> {
  // Indexes run on from the warm-up, so a caller can give every call its own customer.
  let base = 0;
  const run = async (count: number) => {
    const first = base;
    base += count;
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) await op(first + next++);
      }),
    );
  };
  await run(Math.ceil(n / 5));
  const redis0 = redis ? await redisCpuSeconds(redis) : Number.NaN;
  const before = process.cpuUsage();
  await run(n);
  const used = process.cpuUsage(before);
  const redis1 = redis ? await redisCpuSeconds(redis) : Number.NaN;
  return { node: (used.user + used.system) / n, redis: ((redis1 - redis0) * 1e6) / n };
}

export async function measureStages(options: StageOptions): Promise<StageCost[]> {
  const n = options.iterations ?? 5_000;
  const config = loadConfig({
    ...process.env,
    REDIS_URL: options.url,
    REDIS_KEY_PREFIX: options.keyPrefix,
    LOG_LEVEL: "warn",
    REQUIRED_MODELS: options.requiredModels,
  });
  const services = createServices(config, { collectDefaultMetrics: false });
  const admin = connectRedis(options.url);
  await services.start();
  try {
    const { policy } = services.policyService.current();
    const rules = contactRulesOf(policy);
    // Distinct customers: one batch for the whole decide() (a customer decided twice hits the contact
    // caps and takes a cheaper path), one for the contact writes.
    const decideCount = Math.ceil(n * 1.2);
    const bodies = Array.from({ length: decideCount + 100 }, () => options.body());
    const requests = bodies.map((b) => decisionRequestSchema.parse(JSON.parse(b)));
    const request = (i: number) => requests[i % requests.length]!;
    const writeCustomers = Array.from(
      { length: decideCount },
      () => JSON.parse(options.body()).customerId as string,
    );
    const now = Date.now();
    const costs: StageCost[] = [];
    const add = (stage: string, cost: Cost | number, note: string) =>
      costs.push(
        typeof cost === "number"
          ? { stage, cpuUs: cost, redisUs: Number.NaN, note }
          : { stage, cpuUs: cost.node, redisUs: cost.redis, note },
      );

    add(
      "request JSON.parse",
      (await cpuPerCall(n * 4, 1, (i) => JSON.parse(bodies[i % bodies.length]!))).node,
      `${bodies[0]!.length} B body (body-parser does this inside Express)`,
    );
    add(
      "request validation (zod)",
      (await cpuPerCall(n * 4, 1, (i) => decisionRequestSchema.parse(JSON.parse(bodies[i % bodies.length]!))))
        .node,
      "includes the JSON.parse above",
    );
    const parseOnly = costs[0]!.cpuUs;
    costs[1] = { ...costs[1]!, cpuUs: costs[1]!.cpuUs - parseOnly, note: "zod alone (parse subtracted)" };

    add(
      "feature read (Lua read + decode + vector)",
      await cpuPerCall(n, 32, (i) => services.featureService.getFeatures(request(i).customerId, now), admin),
      "one script call per decision, 32 in flight",
    );
    add(
      "contact history read (GET + decode)",
      await cpuPerCall(n, 32, (i) => services.contactStore.history(request(i).customerId, now), admin),
      "32 in flight",
    );
    add(
      "decision budget (Deadline: one timer, 5 races)",
      (
        await cpuPerCall(n * 4, 32, async () => {
          const deadline = new Deadline(50);
          for (let k = 0; k < 5; k++) await deadline.orFallback(Promise.resolve(1), "x", 0);
          deadline.clear();
        })
      ).node,
      "features, contacts, 2 models, contact write race one timer per decision",
    );

    // Model inputs as decide() builds them, for a real customer.
    const features = await Promise.all(
      requests.slice(0, 200).map((r) => services.featureService.getFeatures(r.customerId, now)),
    );
    const ruleData = features.map((f, i) => ({
      features: featureRecord(services.featureService.plan, f.vector),
      profile: (f.profile ?? {}) as Record<string, unknown>,
      context: {
        ...requests[i]!.context,
        journey: "cross_sell",
        step: "browse",
        channel: requests[i]!.channel,
      },
      scores: {},
    }));
    const channel = requests[0]!.channel;
    const candidates = (requests[0]!.candidates ?? [])
      .map((id) => policy.actionById.get(id))
      .filter((a): a is NonNullable<typeof a> => a?.channels.has(channel) === true);
    add(
      "feature record for rules (featureRecord)",
      (
        await cpuPerCall(n * 4, 1, (i) =>
          featureRecord(services.featureService.plan, features[i % features.length]!.vector),
        )
      ).node,
      "name -> value object decide() builds for rules and model rows",
    );
    const churn = services.modelService.get("churn");
    const propensity = services.modelService.get("propensity");
    add(
      "churn model (1 row, ONNX)",
      churn
        ? (await cpuPerCall(n, 1, (i) => churn.predict([customerRow(ruleData[i % ruleData.length]!)]))).node
        : Number.NaN,
      churn ? `version ${churn.version}; encoding + ORT run` : "not measured: model missing",
    );
    add(
      `propensity model (${candidates.length} rows, ONNX)`,
      propensity
        ? (
            await cpuPerCall(n, 1, (i) =>
              propensity.predict(candidates.map((a) => actionRow(ruleData[i % ruleData.length]!, a))),
            )
          ).node
        : Number.NaN,
      propensity ? `version ${propensity.version}; encoding + ORT run` : "not measured: model missing",
    );

    // The service's own bandit: the latest snapshot (learned arms after bench:decide's --learn phase).
    const bandit = services.bandit.current();
    const banditVersion = services.bandit.version() ?? "cold";
    const arms: Arm[] = candidates.map((a) => ({
      actionId: a.id,
      prior: 0.05,
      multiplier: a.value,
      explore: a.exploration,
      group: a.businessUnit,
    }));
    const groupLimits: Record<string, number> = {};
    for (const [id, unit] of policy.businessUnits)
      if (unit.maxExplorationShare !== undefined) groupLimits[id] = unit.maxExplorationShare;
    const rng = createRandom(42);
    add(
      `bandit: encode + ${bandit.algorithm} choose (${arms.length} arms, snapshot ${banditVersion})`,
      (
        await cpuPerCall(n, 1, (i) => {
          const f = features[i % features.length]!;
          const x = DEFAULT_CONTEXT_ENCODER.encode({
            features: f.known ? f.vector : null,
            context: {},
            journey: "cross_sell",
            step: "browse",
            channel,
          });
          return bandit.choose(x, arms, rng, { groupLimits });
        })
      ).node,
      "on the candidates that pass the channel filter",
    );

    // Real records, from real decisions, for the log append and the response: read back from the log's
    // newest entries (a decision without an idempotency key is kept by id only as its reward basis).
    const since = Date.now();
    const decided = await Promise.all(
      requests.slice(decideCount, decideCount + 50).map((r) => services.decisionService.decide(r)),
    );
    await services.decisionService.settle();
    const ids = new Set(decided.map((d) => d.decisionId));
    const records: DecisionRecord[] = [];
    for await (const entry of services.decisionLog.range({ since }))
      if (ids.has(entry.record.decisionId)) records.push(entry.record);
    if (records.length === 0)
      throw new Error("bench:decide stages: none of the 50 sample decisions is in the log");
    const served = decided.find((d) => d.actions.length > 0)?.actions ?? [];
    add(
      "whole decide() in process",
      await cpuPerCall(n, 32, (i) => services.decisionService.decide(request(i)), admin),
      "all of the above plus glue, rules, explanations; 32 in flight; no HTTP",
    );
    add(
      `contact write (Lua, ${served.length} impressions)`,
      await cpuPerCall(
        n,
        32,
        (i) =>
          services.contactStore.recordImpressions(
            writeCustomers[i % writeCustomers.length]!,
            served.map((a) => ({ actionId: a.actionId, businessUnit: a.businessUnit, channel })),
            rules,
            now,
          ),
        admin,
      ),
      "32 in flight",
    );
    add(
      "decision log append (JSON.stringify, one batched script call per turn)",
      records.length > 0
        ? await cpuPerCall(
            n,
            32,
            (i) => services.decisionLog.append({ ...records[i % records.length]!, decisionId: randomUUID() }),
            admin,
          )
        : Number.NaN,
      `record ${records[0] ? JSON.stringify(records[0]).length : "?"} B, 32 in flight`,
    );
    add(
      "response: build + JSON.stringify",
      records.length > 0
        ? (await cpuPerCall(n * 2, 1, (i) => JSON.stringify(decisionResponse(records[i % records.length]!))))
            .node
        : Number.NaN,
      `${decided[0] ? JSON.stringify(decided[0]).length : "?"} B (res.json does the stringify)`,
    );
    return costs;
  } finally {
    await services.close();
    await admin.quit();
  }
}
