/**
 * SIGTERM on a store that stalls without failing (a frozen Redis: the connection stays open and
 * nothing answers; each command fails only after REDIS_COMMAND_TIMEOUT_MS, and closing waits as long
 * again) still ends the process within the grace and the settle time, exit 1; a second signal ends it
 * at once. The service runs as `npm start` runs it, on its own redis-server, so freezing it (SIGSTOP)
 * touches no other test.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildService, untilListening } from "../support/built-service.js";
import { startThrowawayRedis } from "../support/throwaway-redis.js";

const service = buildService();
let redis: ChildProcess;
let redisUrl: string;
beforeAll(async () => {
  ({ process: redis, url: redisUrl } = await startThrowawayRedis());
});
afterAll(() => {
  redis.kill("SIGKILL");
  service.remove();
});

async function startService(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [service.mainJs], {
    env: {
      ...process.env,
      PORT: "0",
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `shutdown-${randomUUID().slice(0, 8)}`,
      LOG_LEVEL: "warn",
      SHUTDOWN_GRACE_SECONDS: "1",
      NBA_PRINT_BANNER: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { child, url: (await untilListening(child)).url };
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on("exit", (code) => resolve({ code, at: performance.now() })),
  );

describe("shutdown on a stalled store", () => {
  it.each([
    ["one SIGTERM: exits 1 once the grace and the settle time (1 + 5 s) are over", false],
    ["SIGTERM, then SIGINT: exits at once", true],
  ])(
    "%s",
    async (_name, twice) => {
      const { child, url } = await startService();
      try {
        // A decision whose write cannot land: answered as a fallback, its write left pending.
        // (Frozen rather than CLIENT PAUSE: this Redis cannot be unpaused, since UNPAUSE waits too.)
        redis.kill("SIGSTOP");
        const res = await fetch(`${url}/v1/decisions`, {
          method: "POST",
          headers: { "content-type": "application/json", connection: "close" },
          body: JSON.stringify({ customerId: "c1", journey: "cross_sell", step: "browse", channel: "web" }),
        });
        expect(res.status).toBe(200);
        const done = exited(child);
        const sent = performance.now();
        child.kill("SIGTERM");
        if (twice) {
          await new Promise((r) => setTimeout(r, 500));
          child.kill("SIGINT");
        }
        const { code, at } = await done;
        expect(code).toBe(1);
        const seconds = (at - sent) / 1000;
        if (twice) expect(seconds).toBeLessThan(3);
        else {
          expect(seconds).toBeGreaterThan(5);
          expect(seconds).toBeLessThan(15);
        }
      } finally {
        child.kill("SIGKILL");
        redis.kill("SIGCONT");
      }
    },
    60_000,
  );
});
