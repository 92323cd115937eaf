/**
 * Shutdown keeps what the service answered: a decision's log write that the answer did not wait for
 * (here: nothing was served, so nothing needed capping) still lands before the stores close.
 */
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createServices } from "../../src/composition-root.js";
import { loadConfig } from "../../src/config.js";
import { RedisDecisionLog } from "../../src/decisioning/redis-decision-log.js";
import { connectRedis } from "../../src/redis/connect.js";
import { deleteKeys, testRedisUrl } from "../support/test-redis.js";
import { loggedRecords } from "./decision-stores.js";

describe("service shutdown", () => {
  it("waits for the log writes of decisions it has answered before closing Redis", async () => {
    const prefix = `nba-test-${randomUUID().slice(0, 8)}:v1`;
    const url = testRedisUrl();
    const services = createServices(
      loadConfig({
        REDIS_URL: url,
        REDIS_KEY_PREFIX: prefix,
        LOG_LEVEL: "silent",
        DECISION_TIMEOUT_MS: "5000",
      }),
      { logger: pino({ level: "silent" }), collectDefaultMetrics: false },
    );
    await services.start();
    const { policy } = services.policyService.current();
    // Candidates the policy does not offer on this channel: nothing is served, the log write runs on
    // after the answer.
    const notOnCallCentre = [...policy.actionById.values()]
      .filter((a) => !a.channels.has("call_centre"))
      .map((a) => a.id);
    expect(notOnCallCentre.length).toBeGreaterThan(0);
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        services.decisionService.decide({
          customerId: `c-shutdown-${i}`,
          journey: "cross_sell",
          step: "browse",
          channel: "call_centre",
          context: {},
          candidates: notOnCallCentre,
          limit: 1,
        }),
      ),
    );
    for (const a of answers) expect(a.actions).toEqual([]);
    await services.close();

    const redis = connectRedis(url);
    try {
      const logged = await loggedRecords(new RedisDecisionLog(redis, { keyPrefix: prefix }));
      for (const a of answers) expect(logged.get(a.decisionId)?.decisionId).toBe(a.decisionId);
    } finally {
      await deleteKeys(redis, `${prefix}:*`);
      await redis.quit();
    }
  });
});
