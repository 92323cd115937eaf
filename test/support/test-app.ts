/** Starts the real app on port 0 over a real store (Redis with a private prefix, or memory). */

import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { createApp } from "../../src/api/create-app.js";
import { createServices, type Services } from "../../src/composition-root.js";
import { loadConfig } from "../../src/config.js";
import { listen } from "../../src/http-server.js";
import { deleteKeys, testRedisUrl } from "./test-redis.js";

export interface TestApp {
  readonly url: string;
  readonly services: Services;
  readonly prefix: string;
  close(): Promise<void>;
}

export async function startTestApp(
  options: {
    store?: "redis" | "memory";
    env?: Record<string, string>;
    now?: () => number;
    start?: boolean;
  } = {},
): Promise<TestApp> {
  const prefix = `nba-test-${randomUUID().slice(0, 8)}:v1`;
  const env: Record<string, string> = {
    PORT: "0",
    LOG_LEVEL: "silent",
    REDIS_KEY_PREFIX: prefix,
    // Tests assert on what a decision computes, not on its latency: a loaded CI box must not turn a
    // slow Redis call into a fallback. The fallback test sets its own budget.
    DECISION_TIMEOUT_MS: "5000",
    ...options.env,
  };
  if ((options.store ?? "redis") === "redis" && !env.REDIS_URL) env.REDIS_URL = testRedisUrl();
  const services = createServices(loadConfig(env), {
    logger: pino({ level: "silent" }),
    collectDefaultMetrics: false,
    ...(options.now ? { now: options.now } : {}),
  });
  // Loads the policy; a test of a dead Redis skips it, as the policy store lives there too.
  if (options.start ?? true) await services.start();
  const running = await listen(createApp(services), 0, "127.0.0.1");
  return {
    url: running.url,
    services,
    prefix,
    close: async () => {
      await running.close(1_000);
      if (services.featureStore.kind === "redis" && (await services.featureStore.ping())) {
        const { connectRedis } = await import("../../src/redis/connect.js");
        const redis = connectRedis(env.REDIS_URL!);
        await deleteKeys(redis, `${prefix}:*`);
        await redis.quit();
      }
      await services.close();
    },
  };
}

export async function postJson(
  url: string,
  body: unknown,
  init: RequestInit = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text,
  };
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  const text = await res.text();
  return {
    status: res.status,
    body: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text,
  };
}
