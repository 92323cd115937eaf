import type { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { contactRulesOf } from "../../src/decisioning/contact-rules.js";
import { decisionKey, decisionStreamKeys, rewardKeys } from "../../src/decisioning/decision-keys.js";
import { RedisDecisionLog } from "../../src/decisioning/redis-decision-log.js";
import { RedisDecisionWriter } from "../../src/decisioning/redis-decision-writer.js";
import { createRewardSource, RedisRewardSource } from "../../src/decisioning/redis-reward-source.js";
import { RedisRewardStore } from "../../src/decisioning/redis-reward-store.js";
import { joinedRewardOf, rewardBasisOf } from "../../src/decisioning/reward-join.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import { connectRedis } from "../../src/redis/connect.js";
import { createTestRedis } from "../support/test-redis.js";
import { DAY, decisionRecord, HOUR, keyedId } from "./decision-fixtures.js";
import { runDecisionLogContract } from "./decision-log.contract.js";
import type { DecisionStoresFactory } from "./decision-stores.js";
import { runRewardSourceContract } from "./reward-source.contract.js";
import { runRewardStoreContract } from "./reward-store.contract.js";

const shared = createTestRedis();
const connections: Redis[] = [];
const connect = () => {
  const redis = connectRedis(shared.url);
  connections.push(redis);
  return redis;
};
afterAll(async () => {
  for (const c of connections) c.disconnect();
  await shared.cleanup();
});

let n = 0;
const makeStores: DecisionStoresFactory = (options = {}) => {
  // A prefix per test under the file's prefix: the due set and streams are shared per prefix.
  const keyPrefix = `${shared.prefix}:${n++}`;
  const other = connect();
  return {
    log: new RedisDecisionLog(shared.redis, { keyPrefix, ...options }),
    rewards: new RedisRewardStore(shared.redis, { keyPrefix, ...options }),
    rewardsElsewhere: new RedisRewardStore(other, { keyPrefix, ...options }),
    source: ({ minIdleMs }) =>
      new RedisRewardSource(connect(), { keyPrefix, minIdleMs, consumer: `test-${n}` }),
  };
};

runDecisionLogContract("redis", makeStores);
runRewardStoreContract("redis", makeStores);
runRewardSourceContract("redis", makeStores);

describe("redis decision log layout", () => {
  it("keeps a hash per decision under {d:id} for the window plus the margin, and one stream entry", async () => {
    const keyPrefix = `${shared.prefix}:layout`;
    const log = new RedisDecisionLog(shared.redis, { keyPrefix, retentionMarginMs: DAY });
    const record = decisionRecord({ defaultReward: 0.5 });
    await log.append(record);
    const key = decisionKey(keyPrefix, record.decisionId);
    expect(key).toBe(`${keyPrefix}:{d:${record.decisionId}}`);
    // Its reward basis only: the whole record is in the stream.
    expect(await shared.redis.hgetall(key)).toEqual({
      j: JSON.stringify(rewardBasisOf(record)),
      dl: String(record.rewardDeadline),
      dr: "0.5",
      "a:card_cashback": "",
      "a:loan_personal": "",
    });
    const ttl = await shared.redis.pttl(key);
    expect(ttl).toBeGreaterThan(HOUR + DAY - 60_000);
    expect(ttl).toBeLessThanOrEqual(HOUR + DAY);
    expect(decisionStreamKeys(keyPrefix).log).toBe(`${keyPrefix}:{decisions}:log`);
    expect(await shared.redis.xlen(decisionStreamKeys(keyPrefix).log)).toBe(1);
    const keys = rewardKeys(keyPrefix);
    expect(keys).toEqual({
      log: `${keyPrefix}:{rewards}:log`,
      due: `${keyPrefix}:{rewards}:due`,
      sent: `${keyPrefix}:{rewards}:sent`,
    });
    expect(await shared.redis.zscore(keys.due, record.decisionId)).toBe(String(record.rewardDeadline));
  });

  it("keeps the whole record in the hash instead of the basis for a decision made under an idempotency key", async () => {
    const keyPrefix = `${shared.prefix}:keyed`;
    const log = new RedisDecisionLog(shared.redis, { keyPrefix });
    const record = decisionRecord({ decisionId: keyedId() });
    await log.append(record);
    const hash = await shared.redis.hgetall(decisionKey(keyPrefix, record.decisionId));
    expect(hash.rec).toBe(JSON.stringify(record));
    // The basis is derived from the record: a hash holds one or the other.
    expect(hash.j).toBeUndefined();
  });

  it("keeps every decision's whole record in its hash with keepRecords (a rolling upgrade), through both writers", async () => {
    const keyPrefix = `${shared.prefix}:compat`;
    const log = new RedisDecisionLog(shared.redis, { keyPrefix, keepRecords: true });
    const record = decisionRecord();
    await log.append(record);
    const writer = new RedisDecisionWriter(shared.redis, { keyPrefix, keepRecords: true });
    const written = decisionRecord();
    const outcome = await writer.write({
      customerId: written.customerId,
      impressions: [],
      rules: contactRulesOf(await loadPolicyFile("data/policies/bank-policy.yaml")),
      now: written.createdAt,
      record: written,
    });
    expect(outcome.logged).toBe(true);
    for (const r of [record, written]) {
      const hash = await shared.redis.hgetall(decisionKey(keyPrefix, r.decisionId));
      // What the earlier version's join reads:
      expect(hash.rec).toBe(JSON.stringify(r));
      expect(hash.j).toBeUndefined();
      // Still only the records of decisions under an idempotency key are the log's to give by id.
      expect(await log.get(r.decisionId)).toBeNull();
    }
  });

  it("names a damaged decision hash (neither basis nor record) instead of failing on its nil reply", async () => {
    const keyPrefix = `${shared.prefix}:damaged`;
    const rewards = new RedisRewardStore(shared.redis, { keyPrefix });
    const now = Date.now();
    await shared.redis.hset(decisionKey(keyPrefix, "d-damaged"), {
      dl: String(now + HOUR),
      dr: "0",
      "a:x": "",
    });
    await expect(rewards.join({ decisionId: "d-damaged", actionId: "x", reward: 1 }, now)).rejects.toThrow(
      "the decision hash has no reward basis",
    );
  });

  it("joins and sweeps a decision stored before the reward basis existed (its hash holds the whole record)", async () => {
    const keyPrefix = `${shared.prefix}:legacy`;
    const rewards = new RedisRewardStore(shared.redis, { keyPrefix });
    const now = Date.now();
    const record = decisionRecord({ createdAt: now - HOUR, rewardDeadline: now + 50 });
    const key = decisionKey(keyPrefix, record.decisionId);
    // The layout the log wrote until session 7, with the due-set member the sweeper reads.
    await shared.redis.hset(key, {
      rec: JSON.stringify(record),
      dl: String(record.rewardDeadline),
      dr: "0",
      "a:card_cashback": "",
      "a:loan_personal": "",
    });
    await shared.redis.zadd(rewardKeys(keyPrefix).due, record.rewardDeadline, record.decisionId);
    const joined = await rewards.join(
      { decisionId: record.decisionId, actionId: "card_cashback", reward: 1 },
      now,
    );
    expect(joined.status).toBe("joined");
    if (joined.status !== "joined") return;
    expect(joined.reward).toEqual(
      joinedRewardOf(rewardBasisOf(record), "card_cashback", { r: 1, s: "api", t: now }),
    );
    const swept = await rewards.sweepExpired(now + 100, 10);
    expect(swept.map((r) => [r.actionId, r.source, r.prior, r.probability])).toEqual([
      ["loan_personal", "default", record.priors.loan_personal, record.chosen[1]!.probability],
    ]);
  });

  it("caps the streams approximately at maxLength", async () => {
    const keyPrefix = `${shared.prefix}:cap`;
    const log = new RedisDecisionLog(shared.redis, { keyPrefix, maxLength: 10 });
    for (let i = 0; i < 400; i++) await log.append(decisionRecord({ chosen: [] }));
    const length = await shared.redis.xlen(decisionStreamKeys(keyPrefix).log);
    expect(length).toBeGreaterThanOrEqual(10);
    expect(length).toBeLessThan(400);
  });

  it("repairs an emission a crash interrupted: the sweeper emits the joined reward once", async () => {
    const keyPrefix = `${shared.prefix}:repair`;
    const log = new RedisDecisionLog(shared.redis, { keyPrefix });
    const rewards = new RedisRewardStore(shared.redis, { keyPrefix });
    const record = decisionRecord();
    await log.append(record);
    // The join script ran but the process died before the emit script: the reward sits on the decision only.
    await shared.redis.nbaJoinRewardV1(
      decisionKey(keyPrefix, record.decisionId),
      "card_cashback",
      record.createdAt + 1,
      JSON.stringify({ r: 1, o: "accepted", s: "api", t: record.createdAt + 1 }),
    );
    expect(await shared.redis.xlen(rewardKeys(keyPrefix).log)).toBe(0);
    const swept = await rewards.sweepExpired(record.rewardDeadline + 1, 10);
    expect(swept.map((r) => [r.actionId, r.source, r.reward])).toEqual([
      ["card_cashback", "api", 1],
      ["loan_personal", "default", 0],
    ]);
    const retry = await rewards.join(
      { decisionId: record.decisionId, actionId: "card_cashback", reward: 1 },
      record.createdAt + 2,
    );
    expect(retry.status).toBe("duplicate");
    expect(await shared.redis.xlen(rewardKeys(keyPrefix).log)).toBe(2);
  });
});

describe("redis reward source", () => {
  it("hands a restarted consumer its own unacknowledged rewards first, without waiting for minIdleMs", async () => {
    const keyPrefix = `${shared.prefix}:restart`;
    const log = new RedisDecisionLog(shared.redis, { keyPrefix });
    const rewards = new RedisRewardStore(shared.redis, { keyPrefix });
    for (let i = 0; i < 3; i++) {
      const record = decisionRecord();
      await log.append(record);
      await rewards.join(
        { decisionId: record.decisionId, actionId: "card_cashback", reward: i },
        record.createdAt + 1,
      );
    }
    const before = await createRewardSource({ redisUrl: shared.url, keyPrefix, consumer: "learner-a" });
    const delivered = await before.read(10, 0);
    expect(delivered.map((e) => e.reward.reward)).toEqual([0, 1, 2]);
    await before.ack([delivered[0]!.id]);
    await before.close();

    const after = await createRewardSource({ redisUrl: shared.url, keyPrefix, consumer: "learner-a" });
    expect((await after.read(1, 0)).map((e) => e.id)).toEqual([delivered[1]!.id]);
    expect((await after.read(10, 0)).map((e) => e.id)).toEqual([delivered[2]!.id]);
    expect(await after.read(10, 0)).toEqual([]);
    await after.close();
  });

  it("acknowledges and reports an entry that is not a JoinedReward instead of returning it", async () => {
    const keyPrefix = `${shared.prefix}:malformed`;
    const stream = rewardKeys(keyPrefix).log;
    await shared.redis.xadd(stream, "*", "r", "{not json");
    // JSON, but not a reward: the learner would crash on it, over and over once restarted.
    await shared.redis.xadd(stream, "*", "r", "{}");
    const reward = joinedRewardOf(rewardBasisOf(decisionRecord()), "card_cashback", { r: 1, s: "api", t: 1 });
    await shared.redis.xadd(
      stream,
      "*",
      "r",
      JSON.stringify({ ...reward, banditContext: "0,1", reward: null }),
    );
    const good = await shared.redis.xadd(stream, "*", "r", JSON.stringify(reward));
    const reported: { id: string; reason: string }[] = [];
    const source = new RedisRewardSource(connect(), {
      keyPrefix,
      onMalformed: (id, err) => reported.push({ id, reason: String(err) }),
    });
    expect((await source.read(10, 0)).map((e) => e.id)).toEqual([good]);
    expect(reported).toHaveLength(3);
    expect(reported[2]!.reason).toMatch(/reward: .*number.*; banditContext: .*array/);
    await source.ack([good!]);
    const [pending] = (await shared.redis.xpending(stream, "learner")) as [number];
    expect(pending).toBe(0);
  });

  it("creates the stream and group again when Redis lost them (a flush, a restart without persistence)", async () => {
    const keyPrefix = `${shared.prefix}:lost-group`;
    const stream = rewardKeys(keyPrefix).log;
    const source = new RedisRewardSource(connect(), { keyPrefix });
    expect(await source.read(10, 0)).toEqual([]);
    await shared.redis.del(stream);
    // The learner kept failing with NOGROUP for ever: the error reached it wrapped as a 503.
    expect(await source.read(10, 0)).toEqual([]);
    const reward = joinedRewardOf(rewardBasisOf(decisionRecord()), "card_cashback", { r: 1, s: "api", t: 1 });
    const id = await shared.redis.xadd(stream, "*", "r", JSON.stringify(reward));
    expect((await source.read(10, 0)).map((e) => e.id)).toEqual([id]);
  });
});
