/**
 * Makes sure a Redis server answers before any test runs: REDIS_URL (default 127.0.0.1:6379), or a
 * throwaway redis-server on a free port when nothing answers there and the binary is installed.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import type { TestProject } from "vitest/node";
import { freePort } from "./free-port.js";

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: () => null,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

let child: ChildProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  const wanted = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  let url = wanted;
  if (!(await answers(wanted))) {
    if (spawnSync("redis-server", ["--version"]).status !== 0) {
      throw new Error(
        `No Redis answers at ${wanted} and redis-server is not installed: install it (apt-get install -y redis-server) or set REDIS_URL.`,
      );
    }
    const port = await freePort();
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    url = `redis://127.0.0.1:${port}`;
    for (let i = 0; i < 50 && !(await answers(url)); i++) await new Promise((r) => setTimeout(r, 100));
    if (!(await answers(url))) throw new Error(`Started redis-server on port ${port} but it does not answer`);
  }
  project.provide("redisUrl", url);
}

export async function teardown(): Promise<void> {
  child?.kill("SIGTERM");
}

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
