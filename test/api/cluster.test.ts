/**
 * WORKERS=2: the service as `npm start` runs it (compiled, into its own folder), two worker processes sharing one
 * port on real Redis, both answering decisions, and a SIGTERM to the primary stopping both cleanly.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { buildService, untilListening } from "../support/built-service.js";
import { freePort } from "../support/free-port.js";
import { createTestRedis } from "../support/test-redis.js";
import { spawnRedisServer, untilRedisAnswers } from "../support/throwaway-redis.js";

const shared = createTestRedis();
afterAll(() => shared.cleanup());

/** The URL, once every worker listens (the banner comes from the first one, before the others). */
const started = async (child: ChildProcess): Promise<string> =>
  (await untilListening(child, { until: /all 2 workers listening/ })).url;

describe("cluster mode", () => {
  it("runs WORKERS processes on one port, each deciding, and stops them all on SIGTERM", async () => {
    const service = buildService();
    onTestFinished(service.remove);
    const child = spawn(process.execPath, [service.mainJs], {
      env: {
        ...process.env,
        WORKERS: "2",
        PORT: "0",
        REDIS_URL: shared.url,
        REDIS_KEY_PREFIX: shared.prefix,
        LOG_LEVEL: "warn",
        // A fresh worker's first decisions (JIT, first ONNX runs) may exceed the default 50 ms budget
        // on a busy machine; this test is about the workers, not the budget.
        DECISION_TIMEOUT_MS: "2000",
      },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so the test can signal it as a terminal's Ctrl-C or systemd would.
      detached: true,
    });
    let errors = "";
    child.stderr!.on("data", (d: Buffer) => {
      errors += d.toString();
    });
    try {
      const url = await started(child);
      const pids = new Set<number>();
      for (let i = 0; i < 40 && pids.size < 2; i++) {
        // A new connection each time: the primary hands connections to the workers in turn.
        const res = await fetch(`${url}/healthz`, { headers: { connection: "close" } });
        pids.add(((await res.json()) as { pid: number }).pid);
      }
      expect(pids.size).toBe(2);
      expect(pids.has(child.pid!)).toBe(false);
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${url}/v1/decisions`, {
          method: "POST",
          headers: { "content-type": "application/json", connection: "close" },
          body: JSON.stringify({
            customerId: `c-cluster-${i}`,
            journey: "cross_sell",
            step: "browse",
            channel: "web",
          }),
        });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { fallback: boolean }).fallback).toBe(false);
      }
      // Whichever worker a scrape reaches, it shows the whole cluster's counters, not its own.
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${url}/metrics`, { headers: { connection: "close" } });
        const text = await res.text();
        expect(text).toMatch(/^nba_decisions_total\{fallback="false"\} 4$/m);
        // An info gauge is 1 for the version serving, however many workers serve it.
        expect(text).toMatch(/^nba_model_version_info\{model="churn",version="\w+"\} 1$/m);
      }
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      // SIGINT to the whole group: every worker hears it and then the primary's SIGTERM too, which
      // must not make it give up its in-flight work.
      process.kill(-child.pid!, "SIGINT");
      expect(await exited).toBe(0);
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
      expect(errors).not.toMatch(/second signal/);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 90_000);

  it("exits 1 when its first workers cannot start (no Redis), rather than looping or exiting 0", async () => {
    const service = buildService();
    onTestFinished(service.remove);
    const child = spawn(process.execPath, [service.mainJs], {
      env: { ...process.env, WORKERS: "2", PORT: "0", REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
      expect(code).toBe(1);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 60_000);

  it("keeps serving while Redis is down stops a replacement from starting, and replaces it once Redis is back", async () => {
    const service = buildService();
    onTestFinished(service.remove);
    // Its own redis-server, so stopping it touches no other test.
    const port = await freePort();
    const redisServer = () => spawnRedisServer(port);
    let redis = redisServer();
    onTestFinished(() => {
      redis.kill("SIGKILL");
    });
    await untilRedisAnswers(`redis://127.0.0.1:${port}`);
    const child = spawn(process.execPath, [service.mainJs], {
      env: {
        ...process.env,
        WORKERS: "2",
        PORT: "0",
        REDIS_URL: `redis://127.0.0.1:${port}`,
        LOG_LEVEL: "warn",
        SHUTDOWN_GRACE_SECONDS: "1",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let log = "";
    child.stdout!.on("data", (d: Buffer) => {
      log += d.toString();
    });
    const pidAnswering = async (url: string) => {
      const res = await fetch(`${url}/healthz`, { headers: { connection: "close" } });
      return ((await res.json()) as { pid: number }).pid;
    };
    try {
      const url = await started(child);
      const victim = await pidAnswering(url);
      redis.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, 300));
      process.kill(victim, "SIGKILL");
      // The replacement fails to start (no Redis for its policy): the primary retries, and the
      // surviving worker keeps answering.
      const deadline = Date.now() + 30_000;
      while (!/could not start .*retrying in/.test(log) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      expect(log).toMatch(/replacement worker \d+ could not start \(code 1\); retrying in \d+ s/);
      expect(child.exitCode).toBeNull();
      expect(await pidAnswering(url)).not.toBe(victim);

      redis = redisServer();
      const pids = new Set<number>();
      while (pids.size < 2 && Date.now() < deadline + 30_000) {
        pids.add(await pidAnswering(url).catch(() => victim));
        pids.delete(victim);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(pids.size).toBe(2);
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 120_000);
});
