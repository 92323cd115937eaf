/**
 * A redis-server of a test's own, on a free port and without persistence: for tests that stop,
 * freeze or restart Redis, which must not touch the server other tests share.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connectRedis } from "../../src/redis/connect.js";
import { freePort } from "./free-port.js";

/** Starts redis-server on `port` (again, for a test that restarts it); does not wait for it. */
export function spawnRedisServer(port: number): ChildProcess {
  return spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
}

/** Resolves once `url` answers PING (up to 5 s), so a test does not start against a server still booting. */
export async function untilRedisAnswers(url: string): Promise<void> {
  const probe = connectRedis(url);
  try {
    for (let i = 0; i < 50; i++) {
      if ((await probe.ping().catch(() => "")) === "PONG") return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`redis-server at ${url} did not answer within 5 s`);
  } finally {
    probe.disconnect();
  }
}

export interface ThrowawayRedis {
  readonly port: number;
  readonly url: string;
  readonly process: ChildProcess;
}

/** A fresh redis-server, answering; kill `process` when done. */
export async function startThrowawayRedis(): Promise<ThrowawayRedis> {
  const port = await freePort();
  const process = spawnRedisServer(port);
  const url = `redis://127.0.0.1:${port}`;
  await untilRedisAnswers(url);
  return { port, url, process };
}
