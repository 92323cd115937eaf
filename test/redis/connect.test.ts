/**
 * What a service connection does when Redis misbehaves without going away: a paused Redis fails a
 * command after REDIS_COMMAND_TIMEOUT_MS (ingest then answers 503) instead of waiting for ever, a
 * blocking read may block for longer than that, and a database the server refuses is not quietly
 * swapped for database 0. On a throwaway redis-server of its own, so pausing it touches no other test.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../../src/errors/http-errors.js";
import { FEATURE_PLAN } from "../../src/features/feature-plan.js";
import { RedisFeatureStore } from "../../src/features/redis-feature-store.js";
import { connectRedis, REDIS_COMMAND_TIMEOUT_MS } from "../../src/redis/connect.js";
import { startThrowawayRedis } from "../support/throwaway-redis.js";

let server: ChildProcess;
let url: string;
beforeAll(async () => {
  ({ process: server, url } = await startThrowawayRedis());
});
afterAll(() => {
  server.kill("SIGKILL");
});

describe("connectRedis on a Redis that does not answer", () => {
  it("fails a command after the timeout, so ingest answers 503 instead of hanging", async () => {
    const redis = connectRedis(url);
    const store = new RedisFeatureStore(redis, FEATURE_PLAN, {
      horizonMs: FEATURE_PLAN.horizonMs,
      ttlSeconds: FEATURE_PLAN.horizonMs / 1000 + 86_400,
      keyPrefix: "connect-test",
      now: Date.now,
    });
    try {
      await redis.ping();
      server.kill("SIGSTOP"); // frozen: the connection stays open, nothing answers
      const started = performance.now();
      await expect(redis.get("connect-test:x")).rejects.toThrow("Command timed out");
      const event = {
        eventId: "e1",
        customerId: "c1",
        type: "login" as const,
        channel: "web" as const,
        timestamp: Date.now(),
        properties: {},
      };
      await expect(store.writeEvents([event])).rejects.toBeInstanceOf(StoreUnavailableError);
      const seconds = (performance.now() - started) / 1000;
      expect(seconds).toBeGreaterThanOrEqual(REDIS_COMMAND_TIMEOUT_MS / 1000 - 0.1);
      expect(seconds).toBeLessThan((3 * REDIS_COMMAND_TIMEOUT_MS) / 1000);
    } finally {
      server.kill("SIGCONT");
      redis.disconnect();
    }
  }, 30_000);

  it("lets a blocking read block for longer than the timeout", async () => {
    const redis = connectRedis(url);
    try {
      await redis.xgroup("CREATE", "connect-test:stream", "g", "0", "MKSTREAM");
      const blockMs = REDIS_COMMAND_TIMEOUT_MS + 500;
      const started = performance.now();
      const reply = await redis.xreadgroup(
        "GROUP",
        "g",
        "c",
        "COUNT",
        1,
        "BLOCK",
        blockMs,
        "STREAMS",
        "connect-test:stream",
        ">",
      );
      expect(reply).toBeNull();
      expect(performance.now() - started).toBeGreaterThanOrEqual(blockMs - 100);
    } finally {
      redis.disconnect();
    }
  }, 30_000);
});

describe("connectRedis with a database the server refuses", () => {
  it("sends no command (ioredis alone would run them in database 0) and says why", async () => {
    const heard: Error[] = [];
    const redis = connectRedis(`${url}/99`, (err) => heard.push(err));
    try {
      await expect(redis.call("CLIENT", "INFO")).rejects.toThrow(
        /refused the database.*DB index is out of range/,
      );
      expect(heard.map((e) => e.message).join("\n")).toMatch(/refused the database REDIS_URL selects/);
    } finally {
      redis.disconnect();
    }
  });
});
