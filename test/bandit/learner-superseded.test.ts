/**
 * `npm run learner` when another learner has published a higher snapshot counter (two learners on one
 * lineage): it stops without acknowledging, exits 1, and says so at error level with what to do, not
 * as an ordinary "learner stopped". A real process on real Redis, under its own key prefix.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeSnapshot } from "../../src/bandit/bandit-snapshot.js";
import { createBandit } from "../../src/bandit/create-bandit.js";
import { RedisSnapshotStore } from "../../src/bandit/redis-snapshot-store.js";
import { rewardKeys } from "../../src/decisioning/decision-keys.js";
import { connectRedis } from "../../src/redis/connect.js";
import { ROOT } from "../support/run-script.js";
import { createTestRedis } from "../support/test-redis.js";
import { testConfig } from "./bandit-fixtures.js";

const shared = createTestRedis();
afterAll(() => shared.cleanup());

describe("the learner process superseded by another learner", () => {
  it("exits 1 with an error line naming the cause and the remedy", async () => {
    const prefix = `${shared.prefix}:${randomUUID().slice(0, 8)}`;
    // node with tsx's loader (not the tsx CLI, whose child would outlive a kill).
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/bandit/learner-main.ts")], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: shared.url, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!out.includes('"cold start"') && child.exitCode === null && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain('"cold start"');
      // Another learner got ahead: counter 100, while this one would publish 1.
      const store = new RedisSnapshotStore(connectRedis(shared.url), { keyPrefix: prefix });
      await store.publish(
        encodeSnapshot(
          createBandit(testConfig({ algorithm: "thompson", posteriorScale: 1, draws: 64 })).snapshot(),
          100,
        ),
      );
      await store.close();
      const reward = {
        decisionId: "d-1",
        actionId: "card_cashback",
        reward: 1,
        source: "api",
        probability: 0.5,
        banditContext: new Array(48).fill(0),
        prior: 0.05,
        algorithm: "thompson",
        snapshotVersion: "cold",
        customerId: "c-1",
        joinedAt: Date.now(),
      };
      await shared.redis.xadd(rewardKeys(prefix).log, "*", "r", JSON.stringify(reward));
      expect(await exited).toBe(1);
      const last = out
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { level: number; msg: string; end?: string })
        .at(-1);
      expect(last).toMatchObject({ level: 50, end: "superseded" });
      expect(last?.msg).toContain("another learner published a higher snapshot counter");
      expect(last?.msg).toContain("run one learner per REDIS_KEY_PREFIX");
    } finally {
      child.kill("SIGKILL");
    }
  }, 40_000);
});
