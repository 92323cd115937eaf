/** The export: decisions with their joined rewards as JSON lines, in process and through the npm script. */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { exportDecisions } from "../../src/decisioning/decision-export.js";
import { parseExportArgs } from "../../src/decisioning/export-args.js";
import { createMemoryDecisionStores } from "../../src/decisioning/memory-decision-stores.js";
import { RedisDecisionLog } from "../../src/decisioning/redis-decision-log.js";
import { RedisRewardStore } from "../../src/decisioning/redis-reward-store.js";
import { createTestRedis } from "../support/test-redis.js";
import { decisionRecord, HOUR } from "./decision-fixtures.js";
import { collect } from "./decision-stores.js";

const run = promisify(execFile);
const shared = createTestRedis();
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  await shared.cleanup();
});

async function logThree(
  log: RedisDecisionLog | ReturnType<typeof createMemoryDecisionStores>["decisionLog"],
  rewards: RedisRewardStore | ReturnType<typeof createMemoryDecisionStores>["rewardStore"],
) {
  const createdAt = Date.now() - 2 * HOUR;
  const expired = decisionRecord({ createdAt, rewardDeadline: createdAt + HOUR, defaultReward: -1 });
  const rewarded = decisionRecord();
  const open = decisionRecord();
  for (const r of [expired, rewarded, open]) await log.append(r);
  await rewards.join(
    { decisionId: rewarded.decisionId, actionId: "card_cashback", reward: 1, outcome: "accepted" },
    rewarded.createdAt + 5,
  );
  await rewards.sweepExpired(Date.now(), 100);
  return [expired, rewarded, open] as const;
}

describe("exportDecisions", () => {
  it("gives every decision in log order with its posted and default rewards", async () => {
    const m = createMemoryDecisionStores();
    const [expired, rewarded, open] = await logThree(m.decisionLog, m.rewardStore);
    const lines = await collect(exportDecisions(m.decisionLog, m.rewardStore));
    expect(lines.map((l) => l.decisionId)).toEqual([
      expired.decisionId,
      rewarded.decisionId,
      open.decisionId,
    ]);
    expect(lines[0]).toEqual({
      ...expired,
      rewards: [
        { actionId: "card_cashback", reward: -1, source: "default", joinedAt: expect.any(Number) },
        { actionId: "loan_personal", reward: -1, source: "default", joinedAt: expect.any(Number) },
      ],
    });
    expect(lines[1]!.rewards).toEqual([
      {
        actionId: "card_cashback",
        reward: 1,
        outcome: "accepted",
        source: "api",
        joinedAt: rewarded.createdAt + 5,
      },
    ]);
    expect(lines[2]!.rewards).toEqual([]);
    expect(await collect(exportDecisions(m.decisionLog, m.rewardStore, { limit: 2 }))).toHaveLength(2);
  });
});

describe("npm run decisions:export", () => {
  const script = ["--import", "tsx", "scripts/export-decisions.ts"];
  const env = (extra: Record<string, string> = {}) => ({
    ...process.env,
    REDIS_KEY_PREFIX: shared.prefix,
    ...extra,
  });

  it("writes JSONL that reads back as the logged records with their rewards, to stdout or --out", async () => {
    const log = new RedisDecisionLog(shared.redis, { keyPrefix: shared.prefix });
    const rewards = new RedisRewardStore(shared.redis, { keyPrefix: shared.prefix });
    const records = await logThree(log, rewards);
    const { stdout, stderr } = await run(process.execPath, script, { env: env({ REDIS_URL: shared.url }) });
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map(({ rewards: _, ...record }) => record)).toEqual(records);
    expect(lines.map((l) => l.rewards.map((r: { source: string }) => r.source))).toEqual([
      ["default", "default"],
      ["api"],
      [],
    ]);
    expect(stderr).toContain("exported 3 decisions (2 with rewards)");

    const dir = await mkdtemp(join(tmpdir(), "nba-export-"));
    dirs.push(dir);
    const out = join(dir, "decisions.jsonl");
    const since = new Date(Date.now() - 60_000).toISOString();
    await run(process.execPath, [...script, "--out", out, "--since", since, "--limit", "2"], {
      env: env({ REDIS_URL: shared.url }),
    });
    const written = (await readFile(out, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(written.map((l) => l.decisionId)).toEqual(records.slice(0, 2).map((r) => r.decisionId));
    const future = new Date(Date.now() + HOUR).toISOString();
    const none = await run(process.execPath, [...script, "--since", future], {
      env: env({ REDIS_URL: shared.url }),
    });
    expect(none.stdout).toBe("");
    // Nothing exported is most often the wrong prefix or database: the summary says where it looked.
    expect(none.stderr).toContain(
      `nothing is logged under ${shared.prefix} in ${shared.url} in that time range: set REDIS_URL (with its database) and REDIS_KEY_PREFIX`,
    );
  });

  it("explains what is wrong and exits non-zero", async () => {
    const fail = (args: string[], extra: Record<string, string>) =>
      run(process.execPath, [...script, ...args], { env: env(extra) }).then(
        () => {
          throw new Error("expected a failure");
        },
        (err: { code: number; stderr: string }) => err,
      );
    const noUrl = await fail([], { REDIS_URL: "" });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain("set REDIS_URL");
    const badDate = await fail(["--since", "yesterday"], { REDIS_URL: shared.url });
    expect(badDate.stderr).toContain('--since "yesterday" is not a date');
    const down = await fail([], { REDIS_URL: "redis://127.0.0.1:1" });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("export-decisions: Redis at redis://127.0.0.1:1 does not answer");
  });
});

describe("parseExportArgs", () => {
  it("parses options and refuses bad ones", () => {
    const env = { REDIS_URL: "redis://h:6379" };
    expect(
      parseExportArgs(["--limit", "5", "--since", "2026-06-01T00:00:00Z", "--out", "x.jsonl"], env),
    ).toEqual({
      kind: "run",
      args: {
        redisUrl: "redis://h:6379",
        keyPrefix: "nba:v1",
        limit: 5,
        since: Date.UTC(2026, 5, 1),
        out: "x.jsonl",
      },
    });
    expect(parseExportArgs(["--limit", "0"], env)).toMatchObject({
      kind: "error",
      message: expect.stringContaining("--limit"),
    });
    expect(parseExportArgs(["--nope"], env)).toMatchObject({ kind: "error" });
    expect(parseExportArgs(["--help"], {})).toEqual({ kind: "help" });
  });
});
