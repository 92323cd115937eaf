/** POST /v1/rewards over a real HTTP server on port 0, on Redis and on the memory stores. */
import express from "express";
import type { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorMiddleware, notFoundHandler } from "../../src/api/middleware/error-middleware.js";
import { rewardRoutes } from "../../src/api/routes/reward-routes.js";
import { contactViolations } from "../../src/decisioning/contact-history.js";
import { contactRules } from "../../src/decisioning/contact-rules.js";
import type { ContactStore } from "../../src/decisioning/contact-store.js";
import type { DecisionLog } from "../../src/decisioning/decision-log.js";
import { MemoryContactStore } from "../../src/decisioning/memory-contact-store.js";
import { createMemoryDecisionStores } from "../../src/decisioning/memory-decision-stores.js";
import { RedisContactStore } from "../../src/decisioning/redis-contact-store.js";
import { RedisDecisionLog } from "../../src/decisioning/redis-decision-log.js";
import { RedisRewardStore } from "../../src/decisioning/redis-reward-store.js";
import { RewardService } from "../../src/decisioning/reward-service.js";
import type { RewardStore } from "../../src/decisioning/reward-store.js";
import { listen, type RunningServer } from "../../src/http-server.js";
import { createTestRedis } from "../support/test-redis.js";
import { decisionRecord, HOUR } from "./decision-fixtures.js";
import { collect } from "./decision-stores.js";

const silent = pino({ level: "silent" });
const rules = contactRules({ defaults: { cooldownHours: 24, suppressionDays: 30 } });

interface Stores {
  log: DecisionLog;
  rewards: RewardStore;
  contacts: ContactStore;
}

let redis: ReturnType<typeof createTestRedis> | undefined;
afterAll(() => redis?.cleanup());

const backends: [string, () => Stores][] = [
  [
    "redis",
    () => {
      redis ??= createTestRedis();
      const r: Redis = redis.redis;
      const keyPrefix = redis.prefix;
      return {
        log: new RedisDecisionLog(r, { keyPrefix }),
        rewards: new RedisRewardStore(r, { keyPrefix }),
        contacts: new RedisContactStore(r, { keyPrefix }),
      };
    },
  ],
  [
    "memory",
    () => {
      const m = createMemoryDecisionStores();
      return { log: m.decisionLog, rewards: m.rewardStore, contacts: new MemoryContactStore() };
    },
  ],
];

describe.each(backends)("POST /v1/rewards on %s", (_name, makeStores) => {
  let stores: Stores;
  let server: RunningServer;

  beforeAll(async () => {
    stores = makeStores();
    const rewardService = new RewardService({
      rewards: stores.rewards,
      contacts: stores.contacts,
      contactRules: () => rules,
    });
    const app = express();
    app.use(express.json());
    app.use(rewardRoutes({ rewardService }));
    app.use(notFoundHandler());
    app.use(errorMiddleware(silent));
    server = await listen(app, 0, "127.0.0.1");
  });
  afterAll(() => server.close(1_000));

  async function post(body: unknown, contentType = "application/json") {
    const res = await fetch(`${server.url}/v1/rewards`, {
      method: "POST",
      headers: { "content-type": contentType },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  it("joins a reward (200 joined), then answers a repeat with the first join (200 duplicate)", async () => {
    const record = decisionRecord();
    await stores.log.append(record);
    const first = await post({
      decisionId: record.decisionId,
      actionId: "card_cashback",
      reward: 1,
      outcome: "accepted",
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      status: "joined",
      decisionId: record.decisionId,
      actionId: "card_cashback",
      reward: 1,
      outcome: "accepted",
      source: "api",
      joinedAt: expect.any(String),
      deadline: new Date(record.rewardDeadline).toISOString(),
    });
    const again = await post({ decisionId: record.decisionId, actionId: "card_cashback", reward: 0 });
    expect(again).toEqual({ status: 200, body: { ...first.body, status: "duplicate" } });
    const emitted = (await collect(stores.rewards.range())).filter(
      (e) => e.reward.decisionId === record.decisionId,
    );
    expect(emitted).toHaveLength(1);
  });

  it("answers 404 for an unknown decision, 400 naming an unserved action, 409 with the deadline when late", async () => {
    const unknown = await post({ decisionId: "d-nope", actionId: "card_cashback", reward: 1 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("decision_not_found");

    const record = decisionRecord();
    await stores.log.append(record);
    const unserved = await post({ decisionId: record.decisionId, actionId: "savings_round_up", reward: 1 });
    expect(unserved.status).toBe(400);
    expect(unserved.body.error).toEqual({
      code: "action_not_served",
      message: `Action "savings_round_up" was not served in decision "${record.decisionId}"; served: card_cashback, loan_personal`,
      details: { actionId: "savings_round_up", served: ["card_cashback", "loan_personal"] },
    });

    const createdAt = Date.now() - 2 * HOUR;
    const old = decisionRecord({ createdAt, rewardDeadline: createdAt + HOUR });
    await stores.log.append(old);
    const late = await post({ decisionId: old.decisionId, actionId: "card_cashback", reward: 1 });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("reward_window_closed");
    expect(late.body.error.details).toEqual({ deadline: new Date(old.rewardDeadline).toISOString() });
    expect(late.body.error.message).toContain(new Date(old.rewardDeadline).toISOString());
  });

  it("lists every invalid field in one 400", async () => {
    const res = await post({ decisionId: "", actionId: 7, reward: "1", outcome: "Not Valid", extra: true });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(["decisionId", "actionId", "reward", "outcome"]));
    expect(res.body.error.message).toMatch(/extra/);
    expect((await post({ decisionId: "d", actionId: "a" })).body.error.details).toEqual([
      { field: "reward", reason: expect.stringMatching(/number/) },
    ]);
    // A missing field says it is missing, and an unknown one is named by its own path.
    expect((await post({ actionId: "a", customerId: "c" })).body.error.details).toEqual([
      { field: "decisionId", reason: "is required" },
      { field: "reward", reason: "is required: a number, e.g. 1 for accepted" },
      { field: "customerId", reason: "is not a field of this request (check its spelling, or leave it out)" },
    ]);
    expect((await post("decisionId=d", "text/plain")).status).toBe(415);
    expect((await post("{not json")).status).toBe(400);
  });

  it("records a rejected outcome as a suppression of the action for the customer", async () => {
    const record = decisionRecord();
    await stores.log.append(record);
    const res = await post({
      decisionId: record.decisionId,
      actionId: "loan_personal",
      reward: 0,
      outcome: "rejected",
    });
    expect(res.status).toBe(200);
    const now = Date.now();
    const history = await stores.contacts.history(record.customerId, now);
    expect(history.rejections.get("loan_personal")).toBe(Date.parse(res.body.joinedAt));
    expect(
      contactViolations(
        history,
        { actionId: "loan_personal", businessUnit: "loans", channel: "web" },
        rules,
        now,
      ),
    ).toBe("rejected by the customer within the last 30 days (suppression)");
  });
});
